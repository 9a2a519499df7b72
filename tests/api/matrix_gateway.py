from django.urls import reverse

from tests.api.matrix import ADMIN, EXECUTIVE, TOKEN_GATEWAY, TOKEN_READ, ApiCase, api_expect


def _question(world):
    return {"application": world.approved.reference, "model": world.approved.primary_model.version}


# Runtime decisions are for gateways (the gateway scope) and, to try them, governance admins.
DECISION = api_expect(403, **{TOKEN_GATEWAY: 200, ADMIN: 200})
# The approved portfolio is also for those who read the portfolio anyway: read tokens and executives.
PORTFOLIO = api_expect(403, **{TOKEN_GATEWAY: 200, TOKEN_READ: 200, ADMIN: 200, EXECUTIVE: 200})

CASES = [
    ApiCase("api_gateway_decision", "post", lambda world: reverse("api_gateway_decision"), DECISION, data=_question),
    ApiCase(
        "api_gateway_decision",
        "post",
        lambda world: reverse("api_gateway_decision"),
        api_expect(403, **{TOKEN_GATEWAY: 400, ADMIN: 400}),
        variant="malformed",
        data=lambda world: {"application": "x" * 201},
    ),
    # Permissions come before the method: only those who may ask learn that the question is a POST.
    ApiCase(
        "api_gateway_decision",
        "get",
        lambda world: reverse("api_gateway_decision"),
        api_expect(403, **{TOKEN_GATEWAY: 405, ADMIN: 405}),
        variant="get",
    ),
    ApiCase("api_gateway_litellm_config", "get", lambda world: reverse("api_gateway_litellm_config"), PORTFOLIO),
    ApiCase("api_gateway_portfolio", "get", lambda world: reverse("api_gateway_portfolio"), PORTFOLIO),
]
