"""The framework crosswalk: every checklist item mapped to the EU AI Act, ISO/IEC 42001 and the NIST AI RMF
(or a stated reason), the portfolio's coverage of each clause counted exactly, and the EU AI Act class asked
at intake and reported."""

import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.completeness import current_template
from approvals.documents.records import approval_record_render
from checklist.models import Answer, ChecklistItem, Framework, FrameworkReference
from governance.ai_act import AnnexIIIArea, EUAIActClass
from governance.models import UseCase
from governance.roles import Role
from reports.crosswalk import framework_crosswalk
from reports.figures import ReportFilters, use_cases_matching
from tests.approvals.workflow import approved_use_case, person
from tests.factories import AnswerFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

# What a clause identifier looks like in each framework: an article, an Annex A control, a NIST subcategory.
CLAUSE = {
    Framework.EU_AI_ACT: r"^Art\. \d+(\(\d+\))?(\([a-z]\))?$",
    Framework.ISO_42001: r"^A\.\d+(\.\d+){1,2}$",
    Framework.NIST_AI_RMF: r"^(GOVERN|MAP|MEASURE|MANAGE) \d\.\d{1,2}$",
}


def test_every_item_of_the_checklist_is_mapped_to_each_framework_or_says_why_not():
    items = ChecklistItem.objects.filter(section__template=current_template())
    assert items.count() == 24
    for item in items:
        for framework in Framework:
            rows = list(FrameworkReference.objects.filter(item=item, framework=framework))
            clauses = [row for row in rows if row.reference]
            reasons = [row for row in rows if row.unmapped_reason]
            assert clauses or reasons, f"{item.code} has nothing for {framework.label}"
            for row in clauses:
                assert re.match(CLAUSE[framework], row.reference), row.reference
                assert row.title and len(row.title) <= 200
    # The one stated gap: the Act asks nothing of a deployer about switching models.
    gaps = FrameworkReference.objects.filter(reference="").values_list("item__code", "framework")
    assert list(gaps) == [("OPS-1", "eu_ai_act")]


def submitted(owner, **fields) -> UseCase:
    use_case = UseCaseFactory(user=owner, **fields)
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCase.Status.IN_REVIEW, first_submitted_at=timezone.now())
    return use_case


def test_a_clause_is_met_only_where_every_item_mapped_to_it_is_answered_yes_or_not_applicable(alice):
    # A clause several items serve, and one only one item serves.
    shared = next(
        reference
        for reference in FrameworkReference.objects.exclude(reference="").values_list("reference", flat=True)
        if FrameworkReference.objects.filter(framework=Framework.ISO_42001, reference=reference).count() >= 2
    )
    items = list(
        ChecklistItem.objects.filter(
            framework_references__reference=shared, framework_references__framework="iso_42001"
        )
    )
    full, partial, silent = submitted(alice), submitted(alice), submitted(alice)
    AnswerFactory(use_case=full, item=items[0], response=Answer.Response.NOT_APPLICABLE, justification="No tools.")
    for item in items[1:]:
        AnswerFactory(use_case=full, item=item, response="yes")
    AnswerFactory(use_case=partial, item=items[0], response="yes")
    AnswerFactory(use_case=partial, item=items[1], response="no", justification="Not yet.")

    crosswalk = framework_crosswalk(use_cases_matching(ReportFilters()))
    iso = next(f for f in crosswalk.frameworks if f.framework == "iso_42001")
    clause = next(c for c in iso.clauses if c.reference == shared)
    assert set(clause.items) == {item.code for item in items}
    assert clause.met == 1  # `full` only: `partial` said No to one item, `silent` answered nothing
    assert iso.use_cases == 3
    met = sum(c.met for c in iso.clauses)
    assert iso.coverage == round(100 * met / (3 * len(iso.clauses)))
    assert iso.fully_met == 0 and iso.open == len(iso.clauses)
    assert silent.reference  # in the selection, meeting nothing


def test_classes_are_counted_and_high_risk_uses_listed(alice):
    hiring = submitted(
        alice, title="CV screening", eu_ai_act_class=EUAIActClass.HIGH_RISK, annex_iii_area=AnnexIIIArea.EMPLOYMENT
    )
    submitted(alice, title="Chat assistant", eu_ai_act_class=EUAIActClass.LIMITED)
    submitted(alice, title="Unclassed")
    UseCaseFactory(user=alice, title="Draft", eu_ai_act_class=EUAIActClass.HIGH_RISK, annex_iii_area="education")
    with CaptureQueriesContext(connection) as queries:
        crosswalk = framework_crosswalk(use_cases_matching(ReportFilters()))
    assert len(queries) == 5
    assert crosswalk.by_class == {"high_risk": 1, "limited": 1, "": 1}  # the never-submitted draft is not counted
    assert crosswalk.not_assessed == 1
    assert [u.title for u in crosswalk.high_risk] == ["CV screening"] and crosswalk.high_risk_count == 1
    assert crosswalk.high_risk[0].pk == hiring.pk


def test_the_report_page_shows_coverage_and_high_risk_uses(client, alice):
    submitted(alice, title="CV screening", eu_ai_act_class="high_risk", annex_iii_area="employment")
    client.force_login(person("ellen", Role.EXECUTIVE))
    text = client.get("/reports/").text
    assert "Framework coverage (checklist version 1)" in text
    assert "ISO/IEC 42001:2023, Annex A" in text and "NIST AI 100-1" in text
    assert "Art. 26(6)" in text
    assert "CV screening" in text and "Annex III point 4: Employment" in text


def test_the_intake_asks_the_class_with_guidance_and_an_area_for_high_risk(client, alice):
    client.force_login(alice)
    page = client.get("/use-cases/new/").text
    assert "the EU AI Act class of the use decides the obligations that apply" in page  # the vendor step says why
    assert "banned since 2 February 2025" in page and "Not yet assessed" in page

    from governance.forms import UseCaseForm

    form = UseCaseForm(data={"eu_ai_act_class": "high_risk"}, user=alice)
    form.is_valid()
    assert form.errors["annex_iii_area"] == ["Name the area that makes the use high-risk."]
    form = UseCaseForm(data={"eu_ai_act_class": "minimal", "annex_iii_area": "employment"}, user=alice)
    form.is_valid()
    assert "annex_iii_area" not in form.errors and form.cleaned_data["annex_iii_area"] == ""


def test_the_class_is_part_of_what_is_approved_and_printed_on_the_record(alice, team):
    use_case, round = approved_use_case(alice, team, eu_ai_act_class="high_risk", annex_iii_area="employment")
    assert round.snapshot["use_case"]["eu_ai_act_class"] == "high_risk"
    record = approval_record_render(round_id=round.pk)
    text = subprocess.run(["pdftotext", record.file.path, "-"], check=True, capture_output=True, text=True).stdout
    words = " ".join(text.split())
    assert "EU AI Act risk class High-risk (Art. 6, Annex III) · Annex III point 4: Employment" in words
    assert "eu_ai_act_class" in UseCase.MATERIAL_FIELDS  # changing it after approval suspends the approval
