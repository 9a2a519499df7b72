"""The permission matrix's entries for the webhook pages (governance admins only)."""

from tests.matrix_cases import Case, action, expect, read_only, url
from tests.matrix_fixtures import ADMIN

WEBHOOKS: dict[str, list[Case]] = {
    # Webhooks: governance admins only; everyone else learns nothing. Registering and rotating answer with the
    # page that shows the secret once (200); a refused change is 400 with its form or its reason.
    "webhook_endpoints": read_only("webhook_endpoints", expect(404, admin=200)),
    "webhook_endpoint_new": [
        Case(
            "",
            url("webhook_endpoint_new"),
            expect(404, admin=200),
            expect(404, admin=200),
            data=lambda w: {"url": "https://hooks.example.com/new", "event_types": ["submitted"]},
            changes=(ADMIN,),
        ),
        Case(
            "an address with credentials",
            url("webhook_endpoint_new"),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"url": "https://user:pass@hooks.example.com/", "event_types": ["submitted"]},
        ),
    ],
    "webhook_endpoint": read_only("webhook_endpoint", expect(404, admin=200), pk=lambda w: w.webhook_endpoint.pk),
    "webhook_endpoint_disable": [
        Case(
            "with a reason",
            url("webhook_endpoint_disable", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=200),
            expect(404, admin=302),
            data=lambda w: {"reason": "The receiver moves."},
            changes=(ADMIN,),
        ),
        Case(
            "without a reason",
            url("webhook_endpoint_disable", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=200),
            expect(404, admin=400),
            data=lambda w: {"reason": ""},
        ),
    ],
    "webhook_endpoint_enable": [
        action(
            "an active endpoint",
            url("webhook_endpoint_enable", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=400),
        )
    ],
    "webhook_endpoint_rotate": [
        Case(
            "",
            url("webhook_endpoint_rotate", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=200),
            expect(404, admin=200),
            changes=(ADMIN,),
        )
    ],
    "webhook_endpoint_ping": [
        action(
            "",
            url("webhook_endpoint_ping", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=302),
            changes=(ADMIN,),
        )
    ],
    "webhook_endpoint_delete": [
        Case(
            "",
            url("webhook_endpoint_delete", pk=lambda w: w.webhook_endpoint.pk),
            expect(404, admin=200),
            expect(404, admin=302),
            changes=(ADMIN,),
        )
    ],
    "webhook_delivery_retry": [
        action(
            "a failed delivery",
            url("webhook_delivery_retry", pk=lambda w: w.webhook_delivery.pk),
            expect(404, admin=302),
            changes=(ADMIN,),
        )
    ],
}
