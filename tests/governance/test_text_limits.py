"""Every text field has a length limit: the form refuses more (and its textarea says so with
`maxlength`), model validation refuses more, the database refuses more, and the services refuse more
for callers that skip the forms."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction

from approvals.forms import AnswerForm, DecisionForm, ReasonForm
from approvals.models import Notification
from approvals.notifications import notification_queue
from approvals.services import approval_revoke, signoff_decide, use_case_edit, use_case_withdraw
from checklist.services import answer_record
from governance.forms import RiskForm, UseCaseFilterForm, UseCaseForm
from governance.limits import CHANGE_REASON, MESSAGE, NOTE, PROSE, SEARCH
from governance.models import Risk, UseCase
from governance.services import risk_create, use_case_create, use_case_update
from tests.approvals.workflow import answer_items, approved_use_case, business_items, complete_use_case, submit

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("governance", "checklist", "approvals")


def text(length: int) -> str:
    """Prose of exactly `length` characters, with spaces so it wraps like real text."""
    return ("Lorem ipsum dolor sit amet. " * (length // 28 + 1))[:length]


def bounded_text_fields() -> list[tuple[type[models.Model], models.TextField]]:
    """Every TextField of the project's models, their history models included, but for the history's
    own change reason (the services compose it from parts that are bounded themselves) and its copies of
    file paths (text of the FileField's max_length, which the live row validates)."""
    return [
        (model, field)
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.name != "history_change_reason" and not history_file(field)
    ]


def history_file(field: models.Field) -> bool:
    live = getattr(field.model, "instance_type", None)
    return live is not None and isinstance(live._meta.get_field(field.name), models.FileField)


FIELDS = bounded_text_fields()


def test_there_are_text_fields_to_check():
    assert len(FIELDS) > 40  # the live models and their historical twins


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in FIELDS])
def test_every_text_field_has_a_limit_that_full_clean_enforces(model, field):
    assert field.max_length in (PROSE, NOTE, MESSAGE)
    assert any(isinstance(v, MaxLengthValidator) for v in field.validators)
    others = [f.name for f in model._meta.concrete_fields if f.name != field.name]
    instance = model(**{field.attname: text(field.max_length)})
    instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    setattr(instance, field.attname, text(field.max_length + 1))
    with pytest.raises(ValidationError) as error:
        instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    assert error.value.message_dict == {
        field.name: [f"Keep this to at most {field.max_length:,} characters (it has {field.max_length + 1:,})."]
    }


def test_the_database_refuses_a_purpose_over_the_limit(alice):
    use_case = complete_use_case(alice)
    UseCase.objects.filter(pk=use_case.pk).update(purpose=text(PROSE))
    with pytest.raises(IntegrityError), transaction.atomic():
        UseCase.objects.filter(pk=use_case.pk).update(purpose=text(PROSE + 1))


def test_the_database_refuses_a_history_row_over_the_limit(alice):
    use_case = complete_use_case(alice)
    row = use_case.history.latest()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(purpose=text(PROSE + 1))


# Forms: each refuses limit + 1 with the limit named, accepts exactly the limit, and tells the browser.


def use_case_form(owner, **fields):
    model = complete_use_case(owner).primary_model
    data = {
        "title": "Ticket summaries",
        "purpose": "Summarise tickets.",
        "primary_model": model.pk,
        "deployment_mode": UseCase.DeploymentMode.ON_PREMISES,
        "hosting_country": "DE",
        "autonomy": UseCase.Autonomy.ADVISORY,
        "business_owner": owner.pk,
        "technical_owner": owner.pk,
        "risk_owner": owner.pk,
        "owners_shared_reason": "A team of one.",
        **fields,
    }
    return UseCaseForm(data, user=owner)


def risk_form(_owner, **fields):
    scores = dict.fromkeys(("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"), 3)
    return RiskForm({"title": "Leak", "category": Risk.Category.DATA, **scores, **fields})


def decision_form(_owner, **fields):
    return DecisionForm({"decision": "approve", "comment": "Fine.", **fields})


def reason_form(_owner, **fields):
    return ReasonForm({"reason": "Paused.", **fields})


def answer_form(_owner, **fields):
    return AnswerForm({"response": "no", **fields})


def filter_form(_owner, **fields):
    return UseCaseFilterForm(fields)


FORM_FIELDS = [
    *[
        (use_case_form, name, PROSE)
        for name in ("purpose", "approved_purpose", "prohibited_uses", "no_fallback_reason", "tool_use_detail")
    ],
    *[
        (use_case_form, name, PROSE)
        for name in (
            "log_contents",
            "log_prompt_protection",
            "log_retrieval_sources",
            "log_tool_execution",
            "log_exceptions",
        )
    ],
    (use_case_form, "owners_shared_reason", NOTE),
    (risk_form, "description", PROSE),
    (risk_form, "mitigations", PROSE),
    (decision_form, "comment", PROSE),
    (decision_form, "condition_1_description", NOTE),
    (reason_form, "reason", NOTE),
    (answer_form, "justification", PROSE),
    (filter_form, "q", SEARCH),
]


@pytest.mark.parametrize(("make", "name", "limit"), FORM_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in FORM_FIELDS])
def test_each_form_accepts_the_limit_and_refuses_one_more(alice, make, name, limit):
    at_limit = make(alice, **{name: text(limit)})
    assert at_limit.is_valid(), at_limit.errors
    assert f'maxlength="{limit}"' in str(at_limit[name])
    over = make(alice, **{name: text(limit + 1)})
    assert not over.is_valid()
    assert over.errors == {name: [f"Keep this to at most {limit:,} characters (it has {limit + 1:,})."]}


def test_a_textarea_filled_to_the_limit_with_line_breaks_is_accepted(alice):
    # The browser counts each line break once against maxlength and sends it as CR LF.
    lines = text(PROSE - 99).replace(" ", "\n", 99)
    form = decision_form(alice, comment=lines.replace("\n", "\r\n"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == lines


# Services refuse over-long text whoever calls them.


def test_use_case_create_refuses_a_purpose_over_the_limit(alice):
    model = complete_use_case(alice).primary_model
    fields = {"user": alice, "title": "T", "primary_model": model, "deployment_mode": "on_premises"}
    with pytest.raises(ValidationError) as error:
        use_case_create(purpose=text(PROSE + 1), hosting_country="DE", **fields)
    assert set(error.value.message_dict) == {"purpose"}
    assert use_case_create(purpose=text(PROSE), hosting_country="DE", **fields).purpose == text(PROSE)


def test_use_case_update_refuses_over_long_text_and_reason(alice):
    use_case = complete_use_case(alice)
    with pytest.raises(ValidationError) as error:
        use_case_update(use_case=use_case, user=alice, prohibited_uses=text(PROSE + 1))
    assert set(error.value.message_dict) == {"prohibited_uses"}
    with pytest.raises(ValidationError) as error:
        use_case_update(use_case=use_case, user=alice, reason=text(CHANGE_REASON + 1), title="New")
    assert set(error.value.message_dict) == {"reason"}
    use_case.refresh_from_db()
    assert use_case.title != "New"


def test_use_case_edit_refuses_a_reason_over_the_limit(alice, team):
    use_case, _ = approved_use_case(alice, team)
    with pytest.raises(ValidationError) as error:
        use_case_edit(use_case=use_case, user=alice, reason=text(CHANGE_REASON + 1), title="New")
    assert set(error.value.message_dict) == {"reason"}


def test_risk_create_refuses_mitigations_over_the_limit(alice):
    use_case = complete_use_case(alice, residual=None)
    scores = {"inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 2, "residual_impact": 2}
    with pytest.raises(ValidationError) as error:
        risk_create(use_case=use_case, user=alice, title="Leak", category="data", mitigations=text(PROSE + 1), **scores)
    assert set(error.value.message_dict) == {"mitigations"}
    assert not use_case.risks.exists()


def test_answer_record_refuses_a_justification_over_the_limit(alice):
    use_case = complete_use_case(alice, answered=False)
    item = business_items()[0]
    with pytest.raises(ValidationError) as error:
        answer_record(use_case=use_case, item=item, user=alice, response="no", justification=text(PROSE + 1))
    assert set(error.value.message_dict) == {"justification"}
    answer = answer_record(use_case=use_case, item=item, user=alice, response="no", justification=text(PROSE))
    assert len(answer.justification) == PROSE


@pytest.mark.parametrize("field", ["comment", "conditions"])
def test_signoff_decide_refuses_text_over_the_limit(alice, team, field):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="legal")
    text_fields = {"comment": "Fine.", "conditions": "Log everything.", field: text(PROSE + 1)}
    with pytest.raises(ValidationError) as error:
        signoff_decide(signoff=signoff, user=team["legal"], decision="approve_with_conditions", **text_fields)
    assert error.value.message_dict == {field: [f"Keep this to at most {PROSE:,} characters (it has {PROSE + 1:,})."]}
    signoff.refresh_from_db()
    assert signoff.is_pending


def test_signoff_decide_accepts_text_at_the_limit(alice, team):
    round = submit(complete_use_case(alice))
    answer_items(round, "legal", team["legal"])
    signoff = signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment=text(PROSE),
        conditions=text(PROSE),
    )
    assert (len(signoff.comment), len(signoff.conditions)) == (PROSE, PROSE)


def test_use_case_withdraw_refuses_a_reason_over_the_limit(alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(ValidationError) as error:
        use_case_withdraw(use_case=use_case, user=alice, reason=text(NOTE + 1))
    assert set(error.value.message_dict) == {"reason"}
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_approval_revoke_refuses_a_reason_over_the_limit(alice, team):
    use_case, _ = approved_use_case(alice, team)
    erin = team["executive"]
    with pytest.raises(ValidationError) as error:
        approval_revoke(use_case=use_case, user=erin, reason=text(NOTE + 1))
    assert set(error.value.message_dict) == {"reason"}
    approval_revoke(use_case=use_case, user=erin, reason=text(NOTE))
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.REVOKED


# Pages say what the limit is.


def test_the_withdraw_page_names_the_limit(client, alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/withdraw/", {"reason": text(NOTE + 1)}, follow=True)
    assert f"Keep this to at most {NOTE:,} characters" in response.text
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_the_sign_page_names_the_limit(client, alice, team):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="security")
    client.force_login(team["security"])
    response = client.post(f"/reviews/{signoff.pk}/", {"decision": "request_changes", "comment": text(PROSE + 1)})
    assert response.status_code == 400
    assert f"Keep this to at most {PROSE:,} characters (it has {PROSE + 1:,})." in response.text
    signoff.refresh_from_db()
    assert signoff.is_pending


def test_the_answer_page_names_the_limit(client, alice):
    use_case = complete_use_case(alice, answered=False)
    item = business_items()[0]
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/answers/{item.pk}/"
    response = client.post(url, {"response": "no", "justification": text(PROSE + 1)}, follow=True)
    assert f"{item.code}: Keep this to at most {PROSE:,} characters" in response.text
    assert not use_case.answers.filter(item=item).exists()


# Text the system writes is cut, not refused.


def test_a_notification_body_over_the_limit_is_cut_not_refused(alice):
    notification = notification_queue(recipient=alice, subject="Long", body=text(PROSE * 2), link="/")
    notification.refresh_from_db()
    assert len(notification.body) == PROSE
    assert notification.body.endswith(f"…\n\nOpen it: {settings.SITE_URL}/")  # cut, and the link kept whole
    assert Notification.objects.count() == 1
