from django.urls import reverse

from tests.api.matrix import TOKENS, ApiCase, api_expect

# The schema is for whoever may use the API at all: anyone signed in, any token that works.
CASES = [ApiCase("api_schema", "get", lambda world: reverse("api_schema"), api_expect(200))]

# The documentation pages are pages: a session with a role reads them; anyone else is sent to sign in (a
# token is not a session), and an account with no role learns nothing, as on the catalog pages.
PAGE = api_expect(200, anonymous=302, roleless=404, **dict.fromkeys(TOKENS, 302))
CASES += [
    ApiCase("api_docs", "get", lambda world: reverse("api_docs"), PAGE),
    ApiCase("api_redoc", "get", lambda world: reverse("api_redoc"), PAGE),
]
