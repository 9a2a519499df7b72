"""The use case page's field history (each change before and after) and its checklist progress."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services import use_case_update
from tests.approvals.workflow import business_items, complete_use_case
from tests.factories import AIModelFactory, AnswerFactory, UseCaseFactory, data_category


def page(client, user, use_case) -> str:
    client.force_login(user)
    response = client.get(use_case.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_it_shows_each_changed_field_before_and_after_with_who_and_why(client, alice):
    use_case = UseCaseFactory(user=alice, hosting_country="DE", data_categories=[data_category("source-code")])
    use_case_update(
        use_case=use_case,
        user=alice,
        reason="Moved to the EU region in France",
        hosting_country="FR",
        data_categories=[data_category("source-code"), data_category("customer-records")],
    )

    body = page(client, alice, use_case)

    assert "Moved to the EU region in France" in body
    assert '<th scope="row">Hosting country</th><td class="before">DE</td><td class="after">FR</td>' in body
    source, customer = data_category("source-code"), data_category("customer-records")
    assert f'<td class="before">{source}</td>' in body
    assert f'<td class="after">{", ".join(sorted([str(source), str(customer)]))}</td>' in body
    assert "Request opened" in body


def test_it_names_models_and_people_not_their_ids(client, alice, charlie):
    old_model, new_model = AIModelFactory(name="Old model"), AIModelFactory(name="New model")
    use_case = UseCaseFactory(user=alice, primary_model=old_model)
    use_case_update(use_case=use_case, user=alice, reason="Switch model", primary_model=new_model)

    body = page(client, alice, use_case)

    assert f'<td class="before">{old_model}</td><td class="after">{new_model}</td>' in body


def test_user_text_in_the_history_is_escaped(client, alice):
    use_case = UseCaseFactory(user=alice)
    use_case_update(use_case=use_case, user=alice, reason="<b>why</b>", purpose="<script>alert(1)</script>")
    body = page(client, alice, use_case)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>why</b>" not in body


def test_the_history_costs_the_same_for_few_or_many_changes(client, alice):
    use_case = UseCaseFactory(
        user=alice, data_categories=[data_category("source-code")], fallback_models=[AIModelFactory()]
    )
    client.force_login(alice)
    client.get(use_case.get_absolute_url())

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(use_case.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(6):
        use_case_update(
            use_case=use_case,
            user=alice,
            reason=f"Change {n}",
            title=f"Title {n}",
            primary_model=AIModelFactory(),
            fallback_models=[AIModelFactory()],
            data_categories=[data_category("source-code")] if n % 2 else [data_category("customer-records")],
        )
    assert queries() == few


def test_the_checklist_shows_progress_per_section(client, alice):
    use_case = complete_use_case(alice, answered=False)
    items = business_items()
    first_section = items[0].section
    in_first = [i for i in items if i.section_id == first_section.pk]
    AnswerFactory(use_case=use_case, item=in_first[0], answered_by=alice)

    body = page(client, alice, use_case)

    total = first_section.items.count()
    assert f'aria-label="{first_section.title}: 1 of {total} answered"' in body
    assert len(in_first) > 1  # so that some of the section is still left for the owner
    assert f"{len(in_first) - 1} for you" in body
    assert f'href="#section-{first_section.pk}"' in body and f'id="section-{first_section.pk}"' in body


def test_a_fully_answered_section_says_complete(client, alice):
    use_case = complete_use_case(alice, answered=False)
    section = business_items()[0].section
    for item in section.items.all():
        AnswerFactory(use_case=use_case, item=item, answered_by=alice, justification="Checked")

    body = page(client, alice, use_case)

    count = section.items.count()
    assert f"{count} of {count} answered · complete" in body


def test_events_name_decisions_as_people_read_them(client, alice, team):
    from tests.approvals.workflow import sign, submit

    round = submit(complete_use_case(alice))
    sign(round, "security", team["security"], "approve_with_conditions", conditions="Egress blocked.", comment="Ok")

    body = page(client, alice, round.use_case)

    assert "Security: Approve with conditions" in body


def test_the_page_checks_rights_on_the_use_case_with_one_permission_lookup(client, alice):
    use_case = complete_use_case(alice)
    client.force_login(alice)
    client.get(use_case.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(use_case.get_absolute_url()).status_code == 200
    permission_queries = [q for q in ctx.captured_queries if '"auth_permission"' in q["sql"]]
    # Global rights (user and groups) and object rights (user and groups): two queries each.
    assert len(permission_queries) == 4
