from django.urls import reverse

from tests.api.matrix import ApiCase, api_expect

# The schema is for whoever may use the API at all: anyone signed in, any token that works.
CASES = [ApiCase("api_schema", "get", lambda world: reverse("api_schema"), api_expect(200))]
