"""The checklist as the pages show it, and answering it: one item, a section of the use case page, or all of a
reviewer's items from a sign page. Each view loads and authorizes (outsiders get 404), validates, calls one
service, and answers in place (htmx) or redirects."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from approvals import services
from approvals.failure_modes import attach_to_checklist, failure_modes_snapshot
from approvals.forms import AnswerForm, DecisionForm
from approvals.models import SignOff
from approvals.notify import owners_of
from approvals.permissions import can_answer_signoff_items, can_sign, decision_standing, get_signoff_for_user
from checklist.forms import ChecklistAnswersForm
from checklist.models import Answer, ChecklistItem, ChecklistSection
from checklist.permissions import answerable_functions, can_answer
from checklist.progress import SectionRows, YourItems, by_section, your_items
from checklist.services import AnswersInvalid, answer_record, answers_record
from governance.views import get_use_case_for_user


def checklist_rows(use_case, template, user, *, function: str | None = None) -> list[dict]:
    """Items of `template` (only `function`'s when given) with their answers and whether `user` may answer."""
    items = ChecklistItem.objects.filter(section__template=template).select_related("section")
    if function:
        items = items.filter(owner_function=function)
    items = items.order_by("section__position", "position")
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(use_case=use_case, item__section__template=template)
        .select_related("answered_by")
        .prefetch_related("evidence")
    }
    mine = answerable_functions(user, use_case)
    return [{"item": i, "answer": answers.get(i.pk), "can_answer": i.owner_function in mine} for i in items]


@dataclass
class ChecklistView:
    """The checklist as a page shows it: its rows grouped by section, how many of the viewer's items are answered,
    and the forms that answer them. On a use case page, a form for each section the viewer answers in (with what
    it sends back: `next`, the "my items" filter). On a sign page (`signoff_id`), one `form` over all the rows the
    viewer answers there, or none, with the reason (`closed`) when the viewer answers them but not now."""

    rows: list[dict]
    sections: list[SectionRows]
    yours: YourItems
    mine: bool
    next: str
    signoff_id: int | None = None
    form: ChecklistAnswersForm | None = None
    closed: str = ""

    def section(self, section_id: int) -> SectionRows | None:
        return next((group for group in self.sections if group.section.pk == section_id), None)


def checklist_view(
    use_case,
    template,
    user,
    *,
    next: str,
    failure_modes,
    signoff: SignOff | None = None,
    mine: bool = False,
    data=None,
    section_id: int | None = None,
) -> ChecklistView:
    """The checklist of `use_case` in `template` for `user`.

    On the use case page: every item (only the user's own with `mine`) and a form for each section the user
    answers in; `data` binds the form of section `section_id`. On `signoff`'s sign page: its function's items,
    in one form bound to `data` when the user may answer them there now (`can_answer_signoff_items`), read only
    otherwise."""
    rows = checklist_rows(use_case, template, user, function=signoff.function if signoff else None)
    rows = attach_to_checklist(rows, failure_modes)
    form, closed = None, ""
    if signoff is not None:
        verdict = can_answer_signoff_items(user, signoff)
        if verdict and rows:
            form = ChecklistAnswersForm(data, rows=rows)
        else:
            # Answered elsewhere (or by nobody) now: on this page the rows are the record.
            closed = verdict.reason if any(row["can_answer"] for row in rows) else ""
            for row in rows:
                row["can_answer"] = False
    yours = your_items(rows)
    mine = mine and yours.total > 0
    if mine:
        rows = [row for row in rows if row["can_answer"]]
    sections = by_section(rows)
    if signoff is None:
        for group in sections:
            if group.answerable:
                bound = data if group.section.pk == section_id else None
                group.form = ChecklistAnswersForm(bound, rows=group.rows)
    return ChecklistView(rows, sections, yours, mine, next, signoff.pk if signoff else None, form, closed)


def _back_to(request, fallback: str) -> str:
    """The page a form was sent from (`next`, a path on this site, without its fragment), else `fallback`."""
    back = (request.POST.get("next") or "").split("#")[0]
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


def _saved_message(what: str, answers: list[Answer]) -> str:
    if not answers:
        return f"{what}: nothing changed, nothing was saved."
    codes = ", ".join(answer.item.code for answer in answers)
    noun = "answer" if len(answers) == 1 else "answers"
    return f"{what}: {len(answers)} {noun} saved ({codes})."


@require_POST
@login_required
def answer(request, reference, item_id):
    """Answer one checklist item (owners their business items, reviewers their function's items). The pages
    answer several at a time (`checklist_section_answer`, `review_checklist_answer`); this stays for a single
    answer sent on its own."""
    use_case = get_use_case_for_user(request.user, reference)
    item = get_object_or_404(ChecklistItem, pk=item_id)
    form = AnswerForm(request.POST)
    if not can_answer(request.user, use_case, item):
        raise PermissionDenied(f"You cannot answer {item.code} on {use_case.reference}.")
    back = request.POST.get("next") or use_case.get_absolute_url()
    if not back.startswith("/") or back.startswith("//"):
        back = use_case.get_absolute_url()
    if not form.is_valid():
        problem = "choose an answer." if "response" in form.errors else " ".join(form.errors["justification"])
        messages.error(request, f"{item.code}: {problem}")
        return redirect(back)
    try:
        answer_record(use_case=use_case, item=item, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f"{item.code}: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{item.code} answered.")
    return redirect(back)


@require_POST
@login_required
def checklist_section_answer(request, reference, section_id):
    """Answer the items of one checklist section of the use case page that the user may answer, all in one save:
    with htmx the section comes back in place (with the progress); without, a redirect to the section, or the
    section's form with each row's error (nothing saved)."""
    use_case = get_use_case_for_user(request.user, reference)
    section = get_object_or_404(ChecklistSection.objects.select_related("template"), pk=section_id)
    fallback = use_case.get_absolute_url()

    def build(data=None):
        return checklist_view(
            use_case,
            section.template,
            request.user,
            next=_back_to(request, fallback),
            failure_modes=failure_modes_snapshot(use_case),
            mine=request.POST.get("mine") == "1",
            data=data,
            section_id=section.pk,
        )

    checklist = build(request.POST)
    group = checklist.section(section.pk)
    if group is None or group.form is None:
        raise PermissionDenied(f"You answer none of the items of “{section.title}” on {use_case.reference}.")
    form = group.form
    saved = ""
    if form.is_valid():
        try:
            answers = answers_record(use_case=use_case, user=request.user, answers=form.answers())
        except AnswersInvalid as exc:
            form.refused(exc)
        else:
            saved = _saved_message(section.title, answers)
            if not request.htmx:
                messages.success(request, saved)
                return redirect(f"{checklist.next}#section-{section.pk}")
            checklist = build()
            group = checklist.section(section.pk)
    context = {"use_case": use_case, "checklist": checklist, "group": group, "saved": saved}
    if not request.htmx:
        return render(request, "approvals/checklist_section.html", context, status=400)
    # An htmx response is swapped only when it succeeds: the rows' errors come back with 200.
    return render(request, "approvals/_checklist_section_response.html", context)


def _not_answered(request, reason: str, sign_page: str):
    """A save refused (the sign-off decided or its round closed since the page was loaded, or not the user's to
    answer): a 403 with the reason; with htmx, which swaps no 403, the sign page is loaded again and says why
    nothing was saved."""
    if not request.htmx:
        raise PermissionDenied(reason)
    messages.error(request, f"Nothing was saved: {reason}")
    refused = HttpResponse(reason, status=403, content_type="text/plain; charset=utf-8")
    refused["HX-Redirect"] = sign_page
    return refused


@require_POST
@login_required
def review_checklist_answer(request, pk):
    """A reviewer answers every checklist item of the sign-off's function in one save, from its sign page: with
    htmx the page's checklist comes back in place, with the progress and what the decision may be now; without,
    a redirect to the sign page, or the checklist with each row's error (nothing saved). Only while the round is
    open and the sign-off pending, and only by someone who answers the function's items."""
    signoff = get_signoff_for_user(request.user, pk)
    round, use_case = signoff.round, signoff.round.use_case
    sign_page = reverse("review_sign", args=[signoff.pk])
    verdict = can_answer_signoff_items(request.user, signoff)
    if not verdict:
        return _not_answered(request, verdict.reason, sign_page)

    def build(data=None):
        return checklist_view(
            use_case,
            round.checklist_template,
            request.user,
            next=sign_page,
            failure_modes=round.snapshot.get("failure_modes"),
            signoff=signoff,
            data=data,
        )

    checklist = build(request.POST)
    form = checklist.form
    if form is None:
        raise PermissionDenied(f"The checklist has no {signoff.get_function_display()} items to answer.")
    saved = ""
    if form.is_valid():
        try:
            answers = services.signoff_answers_record(signoff=signoff, user=request.user, answers=form.answers())
        except AnswersInvalid as exc:
            form.refused(exc)
        except services.WorkflowRefused as exc:
            return _not_answered(request, str(exc), sign_page)
        else:
            saved = _saved_message(f"Your {signoff.get_function_display()} items", answers)
            if not request.htmx:
                messages.success(request, saved)
                return redirect(f"{sign_page}#checklist")
            checklist = build()
    context = {"use_case": use_case, "signoff": signoff, "round": round, "checklist": checklist, "saved": saved}
    if not request.htmx:
        return render(request, "approvals/review_checklist.html", context, status=400)
    standing = decision_standing(signoff)
    context.update(
        standing=standing,
        verdict=can_sign(request.user, signoff),
        form=DecisionForm(allow_approval=not standing.critical, owners=owners_of(use_case), auto_id="id_%s"),
    )
    # As for a section: the rows' errors come back with 200, so that htmx swaps them in.
    return render(request, "approvals/_review_checklist_response.html", context)
