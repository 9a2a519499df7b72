"""The risk register: no score chosen for the owner, a legend of each level, and the article's failure
modes offered as risks to add."""

import re

import pytest

from governance.failure_modes import FailureMode
from governance.forms import IMPACT_LEVELS, LIKELIHOOD_LEVELS, RISK_SUGGESTIONS, RiskForm
from governance.models import Risk
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import RiskFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")


def risks_url(use_case, suffix=""):
    return f"/use-cases/{use_case.reference}/risks/{suffix}"


def select(body: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)


def test_no_score_is_chosen_for_the_owner(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    body = client.get(risks_url(use_case)).text
    for name in SCORES:
        html = select(body, name)
        prompt = "Choose likelihood" if name.endswith("likelihood") else "Choose impact"
        assert re.findall(r"<option[^>]* selected>[^<]*", html) == [f'<option value="" selected>{prompt}']
        assert 'aria-required="true"' in html
    assert re.findall(r"<option[^>]* selected>[^<]*", select(body, "category")) == [
        '<option value="" selected>Choose a category'
    ]
    assert "---------" not in body


def test_a_risk_without_scores_is_refused_with_a_message_per_score(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.post(risks_url(use_case), {"title": "Leak", "category": Risk.Category.DATA})
    assert response.status_code == 400
    # Beside each of the two fields, and again in the error summary at the top.
    assert response.text.count("Choose the likelihood (1–5).") == 4
    assert response.text.count("Choose the impact (1–5).") == 4
    assert not Risk.objects.exists()


def test_a_score_outside_the_scale_is_an_error_not_a_500(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    data = {"title": "Leak", "category": "data", **dict.fromkeys(SCORES, "9")}
    response = client.post(risks_url(use_case), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_the_legend_says_what_each_level_means_beside_the_fields(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    body = client.get(risks_url(use_case)).text
    for number, name, meaning in [*LIKELIHOOD_LEVELS, *IMPACT_LEVELS]:
        assert f"<dt>{number} · {name}</dt><dd>{meaning}</dd>" in body.replace("&#x27;", "'")
    assert 'aria-describedby="likelihood-levels"' in select(body, "inherent_likelihood")
    assert 'aria-describedby="impact-levels"' in select(body, "residual_impact")
    assert '<option value="5">5 · Almost certain</option>' in select(body, "inherent_likelihood")


def test_the_edit_form_shows_the_risks_own_scores(client, alice):
    use_case = UseCaseFactory(user=alice)
    risk = RiskFactory(use_case=use_case, inherent_likelihood=4, inherent_impact=5)
    client.force_login(alice)
    body = client.get(risks_url(use_case, f"{risk.pk}/")).text
    assert '<option value="4" selected>4 · Likely</option>' in select(body, "inherent_likelihood")
    assert '<option value="5" selected>5 · Severe</option>' in select(body, "inherent_impact")


def test_every_failure_mode_of_the_article_is_suggested(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    body = client.get(risks_url(use_case)).text
    assert set(RISK_SUGGESTIONS) == set(FailureMode.values)
    for mode in FailureMode.values:
        assert f'href="{risks_url(use_case)}?suggest={mode}#add-risk"' in body
        assert f'hx-get="{risks_url(use_case)}?suggest={mode}"' in body


def test_a_suggestion_starts_the_form_with_its_words_and_no_scores(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    body = client.get(risks_url(use_case), {"suggest": FailureMode.PROMPT_INJECTION}).text
    title, category, description = RISK_SUGGESTIONS[FailureMode.PROMPT_INJECTION]
    assert f'value="{title}"' in body
    assert f'<option value="{category}" selected>' in select(body, "category")
    assert description in body
    for name in SCORES:
        assert '<option value="" selected>' in select(body, name)
    assert "autofocus" in select(body, "inherent_likelihood")
    assert not Risk.objects.exists()  # a GET creates nothing


def test_with_htmx_a_suggestion_returns_the_register_alone(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.get(risks_url(use_case), {"suggest": "hallucination"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<div id="risk-register">' in response.text
    assert "<html" not in response.text
    assert RISK_SUGGESTIONS["hallucination"][0] in response.text


def test_an_unknown_suggestion_is_the_empty_form(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    for value in ("nonsense", "x" * 5000, "<script>"):
        response = client.get(risks_url(use_case), {"suggest": value})
        assert response.status_code == 200
        title_input = re.search(r'<input type="text" name="title"[^>]*>', response.text).group(0)
        assert "value=" not in title_input


def test_a_suggested_risk_scored_and_saved_is_marked_recorded(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    title, category, description = RISK_SUGGESTIONS[FailureMode.DATA_LEAKAGE]
    data = {"title": title, "category": category, "description": description}
    data |= {"inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": 2, "residual_impact": 3}
    assert client.post(risks_url(use_case), data).status_code == 302
    risk = Risk.objects.get()
    assert (risk.inherent_score, risk.residual_score) == (16, 6)
    body = client.get(risks_url(use_case)).text
    assert f"{title} (recorded)" in body
    assert f"?suggest={FailureMode.DATA_LEAKAGE}" not in body


def test_the_register_leads_straight_to_the_submit_check(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    body = client.get(risks_url(use_case)).text
    assert f'href="/use-cases/{use_case.reference}/submit/">Check and submit for review</a>' in body


# --- Wrong user, wrong state --------------------------------------------------------------------------


def test_a_reviewer_sees_the_register_but_no_form_and_no_suggestions(client, alice, bob):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(bob)
    response = client.get(risks_url(use_case), {"suggest": "hallucination"})
    assert response.status_code == 200
    assert "Suggested risks" not in response.text
    assert "Add a risk" not in response.text
    assert "Check and submit" not in response.text
    assert "Customer data leaks into prompts" in response.text


def test_an_outsider_gets_404_with_or_without_a_suggestion(client, alice, charlie):
    use_case = UseCaseFactory(user=alice)
    client.force_login(charlie)
    assert client.get(risks_url(use_case), {"suggest": "hallucination"}).status_code == 404


def test_in_review_the_owner_gets_no_suggestions_and_cannot_add(client, alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    body = client.get(risks_url(use_case), {"suggest": "hallucination"}).text
    assert "Suggested risks" not in body and "Add a risk" not in body
    data = {"title": "Late", "category": "data", **dict.fromkeys(SCORES, 2)}
    assert client.post(risks_url(use_case), data).status_code == 403
    assert Risk.objects.filter(title="Late").count() == 0


def test_the_risk_form_alone_requires_every_score():
    form = RiskForm({"title": "Leak", "category": "data", "inherent_likelihood": "3"})
    assert not form.is_valid()
    assert set(form.errors) == {"inherent_impact", "residual_likelihood", "residual_impact"}


def test_the_register_costs_the_same_queries_for_few_and_many_risks(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(risks_url(use_case)).status_code == 200
        return len(captured)

    RiskFactory(use_case=use_case)
    few = queries()
    for _ in range(8):
        RiskFactory(use_case=use_case, owner=UseCaseFactory().business_owner)
    assert queries() == few
