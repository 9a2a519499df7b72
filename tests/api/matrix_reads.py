"""The read side of the API: who gets what, route by route. Each use case route is asked about a draft (its
owner's alone) and about submitted ones (the owner's, and the portfolio's: reviewers, executives, admins and
a token with the read scope). A token with only the submit scope reaches its own requests, none here."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.matrix import TOKEN_GATEWAY, TOKEN_READ, TOKEN_SUBMIT, ApiCase, api_expect
from tests.matrix_fixtures import FAKE_PDF

STATES = ("draft", "review", "returned", "approved")


def everyone_with_a_role(default=200):
    """What every signed-in caller and token that may read gets; the gateway's token may not read."""
    return api_expect(default, **{TOKEN_GATEWAY: 403})


def catalog():
    """The registry: every role and token that may read; a person with no role learns nothing of it."""
    return api_expect(200, roleless=404, **{TOKEN_GATEWAY: 403})


def on_use_case(state: str) -> dict[str, int]:
    """As the use case page: its owner always; the portfolio's readers once it was submitted; else 404."""
    table = api_expect(404, owner=200, **{TOKEN_GATEWAY: 403})
    if state != "draft":
        table.update(api_expect(404, owner=200, seers=200, **{TOKEN_READ: 200, TOKEN_GATEWAY: 403}))
    return table


def portfolio():
    """The executive report: executives, admins and a token that may read; the submit scope is refused."""
    return api_expect(404, portfolio=200, **{TOKEN_READ: 200, TOKEN_SUBMIT: 403, TOKEN_GATEWAY: 403})


def _url(name, **kwargs):
    return lambda world: reverse(name, kwargs={k: (v(world) if callable(v) else v) for k, v in kwargs.items()})


def _reference(state):
    return lambda world: world.use_case(state).reference


def _vendor(world):
    return world.draft.primary_model.vendor_id


def _record(world):
    return world.record.pk


CASES = [
    ApiCase("api_vendor_list", "get", _url("api_vendor_list"), catalog()),
    ApiCase(
        "api_vendor_detail", "get", _url("api_vendor_detail", pk=lambda w: w.draft.primary_model.vendor_id), catalog()
    ),
    ApiCase("api_model_list", "get", _url("api_model_list"), catalog()),
    ApiCase("api_model_detail", "get", _url("api_model_detail", pk=lambda w: w.draft.primary_model_id), catalog()),
    ApiCase("api_data_category_list", "get", _url("api_data_category_list"), catalog()),
    ApiCase("api_use_case_list", "get", _url("api_use_case_list"), everyone_with_a_role()),
    ApiCase(
        "api_use_case_list",
        "get",
        lambda world: reverse("api_use_case_list") + "?status=nonsense",
        everyone_with_a_role(400),
        variant="bad filter",
    ),
    *[
        ApiCase(route, "get", _url(route, reference=_reference(state)), on_use_case(state), variant=state)
        for route in ("api_use_case_detail", "api_use_case_rounds", "api_use_case_events", "api_use_case_evaluations")
        for state in STATES
    ],
    ApiCase("api_signoff_list", "get", _url("api_signoff_list"), everyone_with_a_role()),
    ApiCase(
        "api_signoff_list",
        "get",
        lambda world: reverse("api_signoff_list") + "?queue=true&function=legal",
        everyone_with_a_role(),
        variant="queue",
    ),
    ApiCase("api_record_list", "get", _url("api_record_list"), everyone_with_a_role()),
    ApiCase("api_record_detail", "get", _url("api_record_detail", pk=_record), on_use_case("approved")),
    ApiCase("api_record_download", "get", _url("api_record_download", pk=_record), on_use_case("approved")),
    ApiCase(
        "api_record_verify",
        "get",
        lambda world: reverse("api_record_verify") + f"?sha256={world.record.sha256}",
        everyone_with_a_role(),
    ),
    ApiCase(
        "api_record_verify",
        "post",
        _url("api_record_verify"),
        everyone_with_a_role(),
        variant="upload",
        data=lambda world: {"file": SimpleUploadedFile("record.pdf", FAKE_PDF, content_type="application/pdf")},
        multipart=True,
    ),
    ApiCase(
        "api_record_verify",
        "get",
        lambda world: reverse("api_record_verify") + "?sha256=" + hashlib.sha256(b"no").hexdigest()[:10],
        everyone_with_a_role(400),
        variant="malformed",
    ),
    ApiCase("api_report_figures", "get", _url("api_report_figures"), portfolio()),
    ApiCase("api_report_csv", "get", _url("api_report_csv"), portfolio()),
    ApiCase("api_report_risks_csv", "get", _url("api_report_risks_csv"), portfolio()),
    ApiCase("api_report_conditions_csv", "get", _url("api_report_conditions_csv"), portfolio()),
    ApiCase(
        "api_report_figures",
        "get",
        lambda world: reverse("api_report_figures") + "?band=purple",
        api_expect(404, portfolio=400, **{TOKEN_READ: 400, TOKEN_SUBMIT: 403, TOKEN_GATEWAY: 403}),
        variant="bad filter",
    ),
]
