"""At 100,000 use cases the list and the review queue read an index, not the table (PostgreSQL's plans).

The rows are cloned in SQL from one real submitted use case (its round and pending sign-offs), so that
the planner sees a production-sized table and fresh statistics; then each page's query is EXPLAINed
exactly as the page runs it (the first page: LIMIT 26).
"""

import pytest
from django.db import connection

from approvals.models import ApprovalRequest, SignOff
from approvals.selectors import review_queue
from governance.models import UseCase, UseCaseUserObjectPermission
from governance.roles import Role
from governance.selectors import filter_use_cases, use_cases_owned_by, use_cases_visible_to, with_list_facts
from tests.approvals.workflow import complete_use_case, person, submit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")

ROWS = 100_000


def _columns(model, *, skip=()) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key and f.column not in skip]


def _clone(model, template_pk: int, overrides: dict[str, str], *, series: str) -> None:
    """Insert one row per element of `series` copying the template row, with `overrides` as SQL expressions
    (which may use `g`, the series value, and `t`, the template row)."""
    qn = connection.ops.quote_name
    columns = _columns(model)
    values = [overrides.get(column, f"t.{qn(column)}") for column in columns]
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608 - names from the models
            f"SELECT {', '.join(values)} FROM {table} t, {series} WHERE t.id = %s",
            [template_pk],
        )


@pytest.fixture
def portfolio(db, team):
    """100,000 submitted use cases of one bulk owner, each in review with pending sign-offs, plus the
    few of a small owner; returns (small owner, executive, security reviewer)."""
    small, bulk = person("sol", Role.BUSINESS_OWNER), person("bulky", Role.BUSINESS_OWNER)
    for n in range(12):
        complete_use_case(small, title=f"Small owner's request {n}")
    template = complete_use_case(small, title="Template")
    round = submit(template)
    users = {c: str(bulk.pk) for c in ("business_owner_id", "technical_owner_id", "risk_owner_id", "created_by_id")}
    _clone(
        UseCase,
        template.pk,
        {
            "reference": "'B-' || g",
            "updated_at": "t.updated_at - g * interval '1 minute'",
            "created_at": "t.created_at - g * interval '1 minute'",
            **users,
        },
        series=f"generate_series(1, {ROWS}) g",
    )
    clones = (
        "(SELECT id AS uid, row_number() OVER (ORDER BY id) AS g FROM governance_usecase WHERE reference LIKE 'B-%%') c"
    )
    with connection.cursor() as cursor:
        qn = connection.ops.quote_name
        round_columns = _columns(ApprovalRequest)
        values = {
            "use_case_id": "c.uid",
            "submitted_at": "t.submitted_at - c.g * interval '1 minute'",
            "snapshot": "'{}'::jsonb",
        }
        cursor.execute(
            f"INSERT INTO approvals_approvalrequest ({', '.join(qn(c) for c in round_columns)}) "  # noqa: S608
            f"SELECT {', '.join(values.get(c, f't.{qn(c)}') for c in round_columns)} "
            f"FROM approvals_approvalrequest t, {clones} WHERE t.id = %s",
            [round.pk],
        )
        signoff_columns = _columns(SignOff)
        cursor.execute(
            f"INSERT INTO approvals_signoff ({', '.join(qn(c) for c in signoff_columns)}) "  # noqa: S608
            f"SELECT {', '.join('r.id' if c == 'round_id' else f's.{qn(c)}' for c in signoff_columns)} "
            "FROM approvals_signoff s, approvals_approvalrequest r "
            "WHERE s.round_id = %s AND r.id <> %s",
            [round.pk, round.pk],
        )
        grant = UseCaseUserObjectPermission.objects.filter(content_object=template).first()
        cursor.execute(
            "INSERT INTO governance_usecaseuserobjectpermission (user_id, permission_id, content_object_id) "
            "SELECT %s, %s, id FROM governance_usecase WHERE reference LIKE 'B-%%'",
            [bulk.pk, grant.permission_id],
        )
        cursor.execute("ANALYZE")
    assert UseCase.objects.count() > ROWS
    return small, team["executive"], team["security"]


def test_the_list_and_the_queue_read_indexes_not_the_table(portfolio):
    """One portfolio (it takes seconds to build), three plans."""
    small, executive, security = portfolio

    # The executive's list: its sort index, walked backwards until the page is full.
    page = filter_use_cases(with_list_facts(use_cases_visible_to(executive)))[:26]
    text = page.explain()
    assert "usecase_updated_id" in text, text
    assert "Seq Scan on governance_usecase" not in text, text

    # A small owner's list: their grants by index, then their few rows; never a scan of the table.
    page = filter_use_cases(with_list_facts(use_cases_visible_to(small)))[:26]
    text = page.explain()
    assert "Seq Scan on governance_usecase " not in text, text
    assert "governance_usecaseuserobjectpermission" in text and "Index" in text, text
    assert len(list(page)) == 13

    # A small owner's home: their requests by the owner columns' indexes, never a walk of the sort index.
    requests = with_list_facts(use_cases_owned_by(small)).order_by("-updated_at", "-pk")[:20]
    text = requests.explain()
    print(text)
    assert "Seq Scan on governance_usecase " not in text, text
    assert "usecase_updated_id" not in text, text

    # The review queue: the rounds in review, oldest first, by their partial index.
    page = review_queue(security)[:26]
    text = page.explain()
    assert "round_in_review_queue" in text, text
    assert "Seq Scan on approvals_approvalrequest" not in text, text
    assert "Seq Scan on approvals_signoff" not in text, text
    assert len(list(page)) == 26
