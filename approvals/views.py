"""Review pages: the queue, submitting, signing, withdrawing and revoking. Each view loads and
authorizes (outsiders get 404), validates, calls one service, and redirects. The checklist's views are in
`checklist_views`."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import services
from approvals.checklist_views import checklist_view
from approvals.completeness import completeness_gaps, current_template
from approvals.diff import snapshot_diff
from approvals.documents.verification import MAX_UPLOAD_BYTES, normalise_sha256, record_verify
from approvals.failure_modes import entries_for_display, failure_modes_snapshot
from approvals.forms import (
    AssignForm,
    BulkAssignForm,
    DecisionForm,
    LeadForm,
    QueueFilterForm,
    ReasonAndPasswordForm,
    ReasonForm,
)
from approvals.models import ApprovalRecord, ApprovalRequest, Condition, SignOff
from approvals.notify import owners_of
from approvals.permissions import (
    available_actions,
    can_lead,
    can_name_leads,
    can_release,
    can_revoke,
    can_sign,
    can_submit,
    can_take,
    can_view_round,
    can_withdraw,
    decision_standing,
    get_signoff_for_user,
)
from approvals.queue_rows import queue_rows
from approvals.selectors import (
    events_of,
    filter_review_queue,
    function_members,
    functions_of,
    review_queue,
    rounds_with_signoffs,
    routing_preview,
    signed_functions_by_round,
    with_waiting_time,
)
from checklist.uploads import limit_upload
from evaluations.selectors import evidence_summary
from governance.history import field_changes
from governance.paging import paginate
from governance.permissions import can_view_use_case
from governance.roles import FUNCTION_GROUP, Function
from governance.sessions import confirm_password, confirms_at_provider, password_is_recent, provider_confirmation_url
from governance.views import get_use_case_for_user


def _errors_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return exc.messages


def _back(request, default: str) -> str:
    """Where a POST returns to: its `next` when that is a path on this site, else `default`."""
    target = request.POST.get("next", "")
    if (
        len(target) <= MAX_NEXT
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    ):
        return target
    return default


MAX_NEXT = 2000
QUEUE_FILTERS = ("q", "function", "assigned", "overdue", "sensitivity", "band", "vendor_country")


@require_GET
@login_required
def queue(request):
    """The pending sign-offs of the user's functions: searched, filtered, ordered and paged. Each row has
    the take or release button its reader may press and, for a lead of its function, a box that selects
    it for assignment. A bad filter value is shown on its field and left out (status 400)."""
    user, now = request.user, timezone.now()
    functions = functions_of(user)
    sla_days = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    form = QueueFilterForm(request.GET or None, functions=functions, sla_days=sla_days)
    signoffs = filter_review_queue(review_queue(user, functions=functions), user, now=now, **form.filters())
    page = paginate(signoffs, request.GET.get("page"), per_page=form.page_size())
    rows = with_waiting_time(page.object_list, now=now)
    led = [function for function in functions if can_lead(user, function)]
    signed = signed_functions_by_round(user, {row.round_id for row in rows})
    for row in rows:
        row.can_take = can_take(user, row, signed_functions=signed.get(row.round_id, set()))
        row.can_release = can_release(user, row)
        row.selectable = row.function in led
    query = request.GET.copy()
    query.pop("page", None)
    here, selectable = request.get_full_path()[:MAX_NEXT], any(row.selectable for row in rows)
    context = {
        "form": form,
        "page": page,
        "rows": queue_rows(request, rows, selectable=selectable, here=here),
        "functions": functions,
        "sla_days": sla_days,
        "query": query.urlencode(),
        "here": here,
        "filtered": any(request.GET.get(name) for name in QUEUE_FILTERS),
        "assign_form": BulkAssignForm(functions=led, auto_id="bulk_%s") if selectable else None,
        "selectable": selectable,
        "can_name_leads": can_name_leads(user),
    }
    return render(request, "approvals/queue.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def submit(request, reference):
    """GET: what is missing and who will review. POST: submit."""
    use_case = get_use_case_for_user(request.user, reference)
    verdict = can_submit(request.user, use_case)
    if request.method == "POST":
        if not verdict:
            raise PermissionDenied(verdict.reason)
        try:
            round = services.use_case_submit(use_case=use_case, user=request.user)
        except services.SubmissionIncomplete as exc:
            messages.error(request, f"{use_case.reference} is not complete yet: {len(exc.gaps)} things are missing.")
            return redirect("use_case_submit", reference=use_case.reference)
        messages.success(request, f"{use_case.reference} is submitted: round {round.number} is with the reviewers.")
        return redirect(use_case)
    context = {
        "use_case": use_case,
        "verdict": verdict,
        "gaps": completeness_gaps(use_case, current_template()) if verdict else [],
        "routing": routing_preview(use_case),
        "evidence": evidence_summary(use_case),
    }
    return render(request, "approvals/submit.html", context)


def _reasoned_action(
    request, reference, *, check, act, template: str, missing: str, done: str, consequences, reauth: bool = False
):
    """GET: a page that says what the action does and asks why. POST: with the actor's right (`check`) and a
    written reason, call `act`; without a reason, the page again with the error. With `reauth`, a person
    who has not given their password recently (governance.sessions.password_is_recent) gives it too; a
    wrong one is a failed sign-in and nothing is done."""
    use_case = get_use_case_for_user(request.user, reference)
    verdict = check(request.user, use_case)
    if not verdict:
        raise PermissionDenied(verdict.reason)
    data = request.POST if request.method == "POST" else None
    confirm = reauth and not password_is_recent(request)
    at_provider = confirm and confirms_at_provider(request)
    form = ReasonAndPasswordForm(data) if confirm and not at_provider else ReasonForm(data)
    form.fields["reason"].error_messages["required"] = missing
    if form.is_valid() and "password" in form.fields and not confirm_password(request, form.cleaned_data["password"]):
        form.add_error("password", "That is not your password. Nothing was changed; enter it again.")
    if form.is_valid() and at_provider:
        form.add_error(
            None, f"Confirm that it is you at {settings.CLEARANCE_OIDC_PROVIDER_NAME} first. Nothing was changed."
        )
    if form.is_valid():
        try:
            act(use_case=use_case, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in _errors_of(exc):
                form.add_error("reason", message)
        else:
            messages.success(request, done.format(reference=use_case.reference))
            return redirect(use_case)
    context = {
        "use_case": use_case,
        "form": form,
        "reauth_minutes": settings.CLEARANCE_REAUTH_MINUTES,
        "provider_confirmation": provider_confirmation_url(request) if at_provider else None,
        "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME,
        **consequences(use_case),
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def _withdraw_consequences(use_case) -> dict:
    round = use_case.rounds.filter(status=ApprovalRequest.Status.IN_REVIEW).prefetch_related("signoffs").first()
    signoffs = list(round.signoffs.all()) if round else []
    return {
        "round": round,
        "decided": [s for s in signoffs if not s.is_pending],
        "pending": [s for s in signoffs if s.is_pending],
        "functions": [Function(function).label for function in round.required_functions] if round else [],
    }


def _revoke_consequences(use_case) -> dict:
    statuses = (*ApprovalRequest.APPROVED_STATUSES, ApprovalRequest.Status.SUSPENDED)
    round = use_case.rounds.filter(status__in=statuses).order_by("-number").first()
    return {
        "round": round,
        "owners": sorted(owners_of(use_case), key=lambda user: user.pk),
        "outstanding_conditions": Condition.objects.current()
        .filter(use_case=use_case, status__in=Condition.OUTSTANDING)
        .count(),
        "has_record": ApprovalRecord.objects.filter(round=round).exists() if round else False,
    }


@require_http_methods(["GET", "POST"])
@login_required
def withdraw(request, reference):
    return _reasoned_action(
        request,
        reference,
        check=can_withdraw,
        act=services.use_case_withdraw,
        template="approvals/withdraw_confirm.html",
        missing="Say why the request is withdrawn.",
        done="{reference} is withdrawn from review.",
        consequences=_withdraw_consequences,
    )


@require_http_methods(["GET", "POST"])
@login_required
def revoke(request, reference):
    return _reasoned_action(
        request,
        reference,
        check=can_revoke,
        act=services.approval_revoke,
        template="approvals/revoke_confirm.html",
        missing="Say why the approval is revoked.",
        done="The approval of {reference} is revoked.",
        consequences=_revoke_consequences,
        reauth=True,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sign(request, pk):
    signoff = get_signoff_for_user(request.user, pk)
    round, use_case = signoff.round, signoff.round.use_case
    verdict = can_sign(request.user, signoff)
    standing = decision_standing(signoff)
    form = DecisionForm(
        request.POST or None, allow_approval=not standing.critical, owners=owners_of(use_case), auto_id="id_%s"
    )
    if request.method == "POST":
        if not verdict:
            raise PermissionDenied(verdict.reason)
        if form.is_valid():
            try:
                services.signoff_decide(
                    signoff=signoff,
                    user=request.user,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                    condition_specs=form.condition_specs,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request, f"Your {signoff.get_function_display()} decision on {use_case.reference} is recorded."
                )
                return redirect("review_queue")
    # The previous round (its snapshot and why it ended): two queries, none on a first round.
    previous = None
    if round.number > 1:
        previous = (
            use_case.rounds.filter(number=round.number - 1)
            .prefetch_related(Prefetch("signoffs", queryset=SignOff.objects.select_related("signed_by")))
            .first()
        )
    leads = can_lead(request.user, signoff.function)
    context = {
        "signoff": signoff,
        "round": round,
        "use_case": use_case,
        "snapshot": round.snapshot,
        "diff": snapshot_diff(previous.snapshot if previous else None, round.snapshot),
        "previous_round": previous,
        "verdict": verdict,
        "critical": standing.critical,
        "standing": standing,
        "form": form,
        "checklist": checklist_view(
            use_case,
            round.checklist_template,
            request.user,
            next=request.path,
            failure_modes=round.snapshot.get("failure_modes"),
            signoff=signoff,
        ),
        "failure_modes": entries_for_display(round.snapshot.get("failure_modes")),
        "evaluations": round.snapshot.get("evaluations"),
        "signoffs": round.signoffs.select_related("signed_by", "assignee"),
        "can_take": can_take(request.user, signoff),
        "can_release": can_release(request.user, signoff),
        "assign_form": AssignForm(signoff=signoff) if leads and round.is_open and signoff.is_pending else None,
    }
    return render(request, "approvals/sign.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def take(request, pk):
    """A reviewer takes a pending sign-off of their function, or (`release`) gives back the one they hold;
    then back to `next` (the queue, with its filters) or the sign-off."""
    signoff = get_signoff_for_user(request.user, pk)
    releasing = request.POST.get("action") == "release"
    services.signoff_assign(signoff=signoff, user=request.user, assignee=None if releasing else request.user)
    what = f"the {signoff.get_function_display()} sign-off of {signoff.round.use_case.reference}"
    messages.success(request, f"You released {what}." if releasing else f"You took {what}.")
    return redirect(_back(request, reverse("review_sign", args=[signoff.pk])))


@require_POST
@login_required
def assign(request, pk):
    """A lead of the function (or a governance admin) gives a pending sign-off to one of its members."""
    signoff = get_signoff_for_user(request.user, pk)
    if not can_lead(request.user, signoff.function):
        raise PermissionDenied(
            f"Only a lead of {signoff.get_function_display()} or a governance admin can give this sign-off to someone."
        )
    if not signoff.round.is_open or not signoff.is_pending:
        raise PermissionDenied("Only a pending sign-off of an open round can be taken or assigned.")
    form = AssignForm(request.POST, signoff=signoff)
    if not form.is_valid():
        messages.error(request, "Choose a member of the function to give the sign-off to.")
        return redirect("review_sign", pk=signoff.pk)
    assignee = form.cleaned_data["assignee"]
    try:
        services.signoff_assign(signoff=signoff, user=request.user, assignee=assignee)
    except services.WorkflowRefused as exc:
        # The lead may act: the refusal is about the assignee (an owner, a signer of another function).
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The {signoff.get_function_display()} sign-off is now {assignee.username}'s.")
    return redirect("review_sign", pk=signoff.pk)


@require_POST
@login_required
def assign_many(request):
    """A lead gives the sign-offs selected on the queue to one member of their function: all of them or,
    when any one is refused (not theirs to lead, no longer pending, an assignee who may not sign it),
    none, with the reasons. Sign-offs the user may not see are a 404."""
    user = request.user
    led = [function for function in FUNCTION_GROUP if can_lead(user, function)]
    if not led:
        raise PermissionDenied("Only a lead of a function or a governance admin can assign sign-offs.")
    back = _back(request, reverse("review_queue"))
    form = BulkAssignForm(request.POST, functions=led)
    if not form.is_valid():
        messages.error(request, f"Nothing was assigned: {form.message()}")
        return redirect(back)
    ids = form.cleaned_data["signoffs"]
    signoffs = list(SignOff.objects.select_related("round__use_case").filter(pk__in=ids))
    if len(signoffs) != len(ids) or not all(can_view_round(user, signoff.round) for signoff in signoffs):
        raise Http404("No such sign-off")
    assignee = form.cleaned_data["assignee"]
    try:
        changed = services.signoffs_assign(signoffs=signoffs, user=user, assignee=assignee)
    except services.WorkflowRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    name, kept = assignee.get_full_name() or assignee.username, len(signoffs) - len(changed)
    done = f"{len(changed)} sign-off{pluralize(len(changed))} assigned to {name}."
    if kept:
        done += f" {kept} {pluralize(kept, 'was,were')} already theirs."
    messages.success(request, done)
    return redirect(back)


@require_http_methods(["GET", "POST"])
@login_required
def leads(request):
    """Governance admins name the leads of the reviewing functions (who may hand out their sign-offs);
    everyone else gets 404."""
    if not can_name_leads(request.user):
        raise Http404("No such page")
    if request.method == "POST":
        form = LeadForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a member of a reviewing function.")
            return redirect("review_leads")
        member, lead = form.cleaned_data["member"], form.cleaned_data["lead"] == "on"
        try:
            services.lead_set(member=member, user=request.user, lead=lead)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors_of(exc)))
        else:
            name = member.get_full_name() or member.username
            messages.success(request, f"{name} {'leads' if lead else 'no longer leads'} their functions' sign-offs.")
        return redirect("review_leads")
    return render(request, "approvals/leads.html", {"members": function_members()})


@require_GET
@login_required
def use_case_detail(request, reference):
    use_case = get_use_case_for_user(request.user, reference)
    mine = request.GET.get("mine") == "1"
    rounds = list(rounds_with_signoffs(use_case))
    open_round = next((r for r in rounds if r.is_open), None)
    failure_modes = failure_modes_snapshot(use_case)
    context = {
        "use_case": use_case,
        "actions": available_actions(request.user, use_case, open_round),
        "rounds": rounds,
        "open_round": open_round,
        "events": events_of(use_case),
        "fallback_models": use_case.fallback_models.select_related("vendor"),
        "data_categories": use_case.data_categories.all(),
        "risks": use_case.risks.select_related("owner"),
        "conditions": use_case.conditions.select_related("owner", "round").order_by("-round__number", "due_on", "pk"),
        "today": timezone.localdate(),
        "checklist": checklist_view(
            use_case,
            current_template(),
            request.user,
            next=use_case.get_absolute_url() + ("?mine=1" if mine else ""),
            failure_modes=failure_modes,
            mine=mine,
        ),
        "failure_modes": entries_for_display(failure_modes),
        "history": field_changes(use_case),
    }
    return render(request, "approvals/use_case_detail.html", context)


# --- Approval records -----------------------------------------------------------------------------


class RecordVerifyForm(forms.Form):
    file = forms.FileField(required=False, label="The record (PDF)", help_text="At most 20 MB.")
    sha256 = forms.CharField(
        required=False,
        max_length=100,
        label="Or its SHA-256",
        help_text="64 hexadecimal digits, e.g. from sha256sum.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 70}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: no record is.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError("This is not a PDF file. Upload the approval record itself.")
        return upload

    def clean_sha256(self):
        value = self.cleaned_data.get("sha256", "")
        if not value.strip():
            return ""
        try:
            return normalise_sha256(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("sha256")):
            raise ValidationError("Upload the record or paste its SHA-256 (one of the two).")
        return data


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")


def _verify_refused(request, message: str):
    """A record upload too large to be one: said without reading it (nothing is verified or stored)."""
    if _wants_json(request):
        return JsonResponse({"errors": {"file": [{"message": message, "code": "too_large"}]}}, status=400)
    context = {"form": RecordVerifyForm(), "result": None, "detailed": False, "refused": message}
    return render(request, "approvals/verify.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
@limit_upload(lambda: MAX_UPLOAD_BYTES, refuse=_verify_refused)
def record_verify_page(request):
    """Anyone signed in checks a record: upload it, or paste its SHA-256 (also `?sha256=` on GET).
    Answers HTML, or JSON with `Accept: application/json` or `?format=json`. The upload is read with
    the size limit in place."""
    if request.method == "POST":
        files = request.FILES  # reading the body sets `upload_refused` when a file passes the limit
        if request.upload_refused:
            return _verify_refused(request, request.upload_refused)
        form = RecordVerifyForm(request.POST, files)
    elif "sha256" in request.GET:
        form = RecordVerifyForm({"sha256": request.GET["sha256"]})
    else:
        form = RecordVerifyForm()
    result = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            result = record_verify(data=b"".join(upload.chunks()))
        else:
            result = record_verify(sha256=form.cleaned_data["sha256"])
    # Whoever holds a record may learn whether it is genuine and current; its details (reference, title,
    # the free-text reason of a suspension) only people who may see the use case.
    detailed = result is not None and result.genuine and can_view_use_case(request.user, result.record.round.use_case)
    if _wants_json(request):
        if result is not None:
            return JsonResponse(result.as_json(detailed=detailed))
        errors = form.errors.get_json_data() if form.is_bound else {"__all__": [{"message": "Nothing to verify."}]}
        return JsonResponse({"errors": errors}, status=400)
    status = 400 if form.errors else 200
    context = {"form": form, "result": result, "detailed": detailed}
    return render(request, "approvals/verify.html", context, status=status)


@require_GET
@login_required
def record_download(request, pk):
    """The stored PDF, to people who can see its use case; everyone else gets 404."""
    record = get_object_or_404(ApprovalRecord.objects.select_related("round__use_case"), pk=pk)
    if not can_view_use_case(request.user, record.round.use_case):
        raise Http404("No such record")
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.download_name, content_type="application/pdf"
    )
