"""Approval records: the PDF of one decided round, what was approved, by whom, on which snapshot.

The request's facts come from the round's frozen snapshot, never from the live use case, so a later
edit cannot change what an old record says. A record is made once per round and never changed; its
SHA-256 is stored so that anyone holding the file can check it (`approvals.documents.verification`).
"""

import hashlib
import logging
import re
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from approvals.documents.charts import heat_map_svg
from approvals.documents.pdf import RenderedPdf, RenderLimitExceeded, render_document
from approvals.failure_modes import entries_for_display
from approvals.models import RECORDED_STATUSES, ApprovalEvent, ApprovalRecord, ApprovalRequest, RecordRender, SignOff
from checklist.models import Answer, ChecklistItem, Evidence
from governance.ai_act import AnnexIIIArea, EUAIActClass
from governance.limits import NOTE, clip
from governance.models import AIModel, DataCategory, Risk, UseCase, Vendor
from governance.roles import Function
from governance.scoring import band_for_score

log = logging.getLogger(__name__)

Status = ApprovalRequest.Status
Verb = ApprovalEvent.Verb

OUTCOME_VERBS = (Verb.APPROVED, Verb.APPROVED_WITH_CONDITIONS, Verb.REJECTED)
TEMPLATE = "approvals/record.html"


class RecordRefused(ValueError):
    """The round has no outcome to record."""


class RecordBusy(RuntimeError):
    """Another worker holds the round's render lease; it will store the record, or its lease lapses."""


class RecordGaveUp(RuntimeError):
    """The round's render failed for good (its attempts are spent, or the document broke a limit)."""


MAX_RECORD_ATTEMPTS = 3
# Failures that another attempt would repeat: the same snapshot makes the same document.
FINAL_FAILURES = (RenderLimitExceeded, SoftTimeLimitExceeded)


# The record's appendix shows at most this many messages of the round's discussion (the use case's page
# shows every one): the record stays quick to lay out whatever the thread.
DISCUSSION_ROWS = 200


def record_lease() -> timedelta:
    """How long a claim holds the round: past the render task's hard time limit, with a margin, so a
    lease lapses only when its worker is gone (killed, or stopped by that limit)."""
    return timedelta(seconds=settings.CLEARANCE_RENDER_HARD_SECONDS + 150)


def approval_record_render(*, round_id: int) -> ApprovalRecord:
    """Render, store and return the approval record of a decided round; its existing record if it has one.

    No database lock is held while the document is built and rendered (seconds, or up to the task's
    time limit), so nobody else's writes wait on it.

    1. Claim, in a short transaction: return the record if it exists (a task may run twice: the
       on-commit task and the sweep, or a retry); refuse a round with no outcome; take the round's
       lease with one conditional UPDATE (one claimant; a lease that lapses if its worker dies). Raise
       RecordBusy if another worker holds it, RecordGaveUp once its attempts are spent.
    2. Build the document from the snapshot and the round's own rows and render it, without locks.
    3. Store, under a short lock on the round: if a record appeared meanwhile (a lapsed lease was taken
       over), discard this file and return that one; else save the file with its SHA-256, size, page
       count and the snapshot hash it certifies, and release the lease.
    A failure releases the lease with its error; one another attempt would repeat gives up at once.
    """
    claimed = _record_claim(round_id=round_id)
    if isinstance(claimed, ApprovalRecord):
        return claimed
    round, token = claimed
    try:
        started = time.perf_counter()
        html = _compact(render_to_string(TEMPLATE, record_context(round)))
        pdf = render_document(html)
        elapsed = time.perf_counter() - started
    except Exception as exc:
        _record_release(round_id=round_id, token=token, error=exc)
        raise
    if pdf.refused:
        log.warning("Record of %s: the renderer refused %s", round, ", ".join(pdf.refused))
    try:
        record = _record_store(round_id=round_id, token=token, pdf=pdf, elapsed=elapsed)
    except Exception as exc:
        _record_release(round_id=round_id, token=token, error=exc)
        raise
    return record


def _record_claim(*, round_id: int) -> ApprovalRecord | tuple[ApprovalRequest, str]:
    now = timezone.now()
    with transaction.atomic():
        round = (
            ApprovalRequest.objects.select_related("use_case", "checklist_template", "submitted_by")
            .filter(pk=round_id)
            .first()
        )
        if round is None:
            raise RecordRefused(f"Round {round_id} does not exist.")
        existing = ApprovalRecord.objects.filter(round=round).first()
        if existing is not None:
            return existing
        if round.status not in RECORDED_STATUSES:
            raise RecordRefused(f"{round} is {round.get_status_display().lower()}: it has no outcome to record.")
        RecordRender.objects.get_or_create(round_id=round_id)
        token = uuid.uuid4().hex
        claimed = (
            RecordRender.objects.filter(round_id=round_id, attempts__lt=MAX_RECORD_ATTEMPTS, failed_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .update(claim=token, claimed_until=now + record_lease(), attempts=F("attempts") + 1)
        )
        if not claimed:
            state = RecordRender.objects.get(round_id=round_id)
            if state.failed_at is not None or state.attempts >= MAX_RECORD_ATTEMPTS:
                raise RecordGaveUp(f"The record of {round} failed {state.attempts} times: {state.last_error}")
            raise RecordBusy(f"The record of {round} is being rendered until {state.claimed_until:%H:%M:%S}.")
    return round, token


def _record_store(*, round_id: int, token: str, pdf: RenderedPdf, elapsed: float) -> ApprovalRecord:
    with transaction.atomic():
        round = ApprovalRequest.objects.select_for_update(of=("self",)).select_related("use_case").get(pk=round_id)
        existing = ApprovalRecord.objects.filter(round=round).first()
        if existing is not None:
            log.info("The record of %s was stored by another attempt; this one is discarded", round)
            return existing
        record = ApprovalRecord(
            round=round,
            sha256=hashlib.sha256(pdf.data).hexdigest(),
            snapshot_sha256=round.snapshot_sha256,
            size=len(pdf.data),
            pages=pdf.pages,
            render_seconds=round_seconds(elapsed),
        )
        record.file.save(record.download_name, ContentFile(pdf.data), save=False)
        try:
            record.save()
        except Exception:
            record.file.delete(save=False)  # no file without its row
            raise
        RecordRender.objects.filter(round_id=round_id).update(claim="", claimed_until=None, last_error="")
    log.info("Rendered the approval record of %s in %.2f s (%d pages)", round, elapsed, pdf.pages)
    return record


def _record_release(*, round_id: int, token: str, error: BaseException) -> None:
    """Give the lease back with the error, if this attempt still holds it; give up for good after the
    last attempt, or at once for a failure that would only repeat."""
    final = isinstance(error, FINAL_FAILURES)
    now = timezone.now()
    RecordRender.objects.filter(round_id=round_id, claim=token).update(
        claim="",
        claimed_until=None,
        last_error=clip(f"{error.__class__.__name__}: {error}", NOTE),
        failed_at=now if final else Case(When(attempts__gte=MAX_RECORD_ATTEMPTS, then=Value(now)), default=None),
    )


def record_render_retry(*, round_id: int) -> bool:
    """Give a round whose record failed its attempts again, and queue its render. False if it has a
    record already or is being rendered. Governance admins call it from the admin."""
    from approvals.notifications import enqueue_safely
    from approvals.tasks import render_approval_record

    now = timezone.now()
    reset = (
        RecordRender.objects.filter(round_id=round_id, round__record__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(attempts=0, failed_at=None, claim="", claimed_until=None)
    )
    if reset:
        transaction.on_commit(lambda: enqueue_safely(render_approval_record, round_id))
    return bool(reset)


_INDENTATION = re.compile(r">\s*\n\s*<")


def _compact(html: str) -> str:
    """Drop the template's indentation between tags (each would be a box to lay out), not the single
    spaces that separate inline elements."""
    return _INDENTATION.sub("><", html)


def round_seconds(value: float) -> float:
    return float(f"{value:.3f}")


def rounds_missing_records(*, min_age: timedelta = timedelta(0), limit: int = 200) -> list[int]:
    """Decided rounds without a record that may be tried now: not given up, not held by a live lease.

    Rounds tried least come first, then the oldest, so rounds that keep failing (until their attempts
    run out) never hold back one that has not been tried.
    """
    now = timezone.now()
    return list(
        ApprovalRequest.objects.filter(status__in=RECORDED_STATUSES, record__isnull=True, decided_at__lte=now - min_age)
        .exclude(record_render__failed_at__isnull=False)
        .exclude(record_render__attempts__gte=MAX_RECORD_ATTEMPTS)
        .exclude(record_render__claimed_until__gt=now)
        .annotate(tried=Coalesce("record_render__attempts", 0))
        .order_by("tried", "decided_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def records_give_up_lapsed(*, now: datetime | None = None) -> int:
    """Mark failed the rounds whose last attempt's lease lapsed (its worker died or hit the hard limit),
    so they show as failed to admins with a reason. Returns how many."""
    now = now or timezone.now()
    return RecordRender.objects.filter(
        attempts__gte=MAX_RECORD_ATTEMPTS, failed_at__isnull=True, claimed_until__lte=now, round__record__isnull=True
    ).update(
        failed_at=now,
        claim="",
        claimed_until=None,
        last_error="The last attempt did not finish within its lease: its worker died or hit its time limit.",
    )


def records_render_missing(*, min_age: timedelta = timedelta(0), limit: int = 200) -> int:
    """Render, in this process, the records a lost or failed task left undone. Returns how many."""
    rendered = 0
    records_give_up_lapsed()
    for round_id in rounds_missing_records(min_age=min_age, limit=limit):
        try:
            approval_record_render(round_id=round_id)
        except SoftTimeLimitExceeded:
            raise  # the sweep's own time is up: the rest waits for the next sweep
        except (RecordBusy, RecordGaveUp) as exc:
            log.info("%s", exc)
        except Exception:  # one bad round must not stop the others; it is tried again, up to its cap
            log.exception("Could not render the approval record of round %s", round_id)
        else:
            rendered += 1
    return rendered


def records_queue_missing(*, min_age: timedelta = timedelta(0), limit: int = 200) -> int:
    """Queue a render task, each with its own time limit, for every record a lost or failed task left
    undone. Returns how many were queued."""
    from approvals.notifications import enqueue_safely
    from approvals.tasks import render_approval_record

    records_give_up_lapsed()
    missing = rounds_missing_records(min_age=min_age, limit=limit)
    return sum(enqueue_safely(render_approval_record, pk) for pk in missing)


# --- The document ---------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value or "")


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "System"


def _risk_row(number: int, risk: dict[str, Any]) -> dict[str, Any]:
    inherent = risk["inherent_likelihood"] * risk["inherent_impact"]
    residual = risk["residual_likelihood"] * risk["residual_impact"]
    return {
        **risk,
        "code": f"R{number}",
        "category_label": _label(Risk.Category, risk["category"]),
        "inherent_score": inherent,
        "inherent_band": band_for_score(inherent),
        "residual_score": residual,
        "residual_band": band_for_score(residual),
    }


def round_outcome(round: ApprovalRequest) -> str:
    """What the round decided: approved, approved with conditions or rejected, whatever befell it later."""
    if round.status in ApprovalRequest.DECIDED_STATUSES:
        return round.status
    conditions = round.signoffs.filter(decision=SignOff.Decision.APPROVE_WITH_CONDITIONS).exists()
    return Status.APPROVED_WITH_CONDITIONS if conditions else Status.APPROVED


def _outcome_event(events: list[ApprovalEvent]) -> ApprovalEvent | None:
    return next((e for e in events if e.verb in OUTCOME_VERBS), None)


def _event_detail(event: ApprovalEvent) -> str:
    data = event.data or {}
    if event.verb == Verb.SUBMITTED:
        functions = ", ".join(_label(Function, f) for f in data.get("functions", []))
        return f"Round {data.get('number')}, checklist v{data.get('checklist_version')}; to sign: {functions}"
    if event.verb == Verb.SIGNED:
        text = f"{_label(Function, data.get('function'))}: {_label(SignOff.Decision, data.get('decision'))}"
        return f"{text} — {data['comment']}" if data.get("comment") else text
    if event.verb == Verb.COMMENTED:
        return f"Message {data.get('message')} of the discussion (see the appendix)"
    if event.verb == Verb.ASSIGNED:
        return f"{_label(Function, data.get('function'))} sign-off assigned to {data.get('assignee') or 'nobody'}"
    if data.get("expires_on"):
        return f"Expires on {data['expires_on']}"
    return data.get("reason", "")


def _answers_during_review(round: ApprovalRequest, item_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Reviewers' answers to `item_ids` as they stood when the round was decided (from their history,
    so a later round's answers do not leak into an old record), with their evidence then."""
    cutoff = round.decided_at or timezone.now()
    latest: dict[int, Any] = {}
    for row in (
        Answer.history.filter(use_case_id=round.use_case_id, item_id__in=item_ids, history_date__lte=cutoff)
        .select_related("answered_by")
        .order_by("history_date", "history_id")
    ):
        latest[row.item_id] = row
    answers = {item_id: row for item_id, row in latest.items() if row.history_type != "-"}
    evidence: dict[int, Any] = {}
    for row in Evidence.history.filter(
        answer_id__in=[row.id for row in answers.values()], history_date__lte=cutoff
    ).order_by("history_date", "history_id"):
        evidence[row.id] = row
    evidence_by_answer = defaultdict(list)
    for row in evidence.values():
        if row.history_type != "-":
            evidence_by_answer[row.answer_id].append({"name": row.name, "sha256": row.sha256, "size": row.size})
    return {
        item_id: {
            "response": row.response,
            "justification": row.justification,
            "answered_by": {"username": row.answered_by.username, "name": _name(row.answered_by)},
            "answered_at": row.answered_at.isoformat(),
            "evidence": sorted(evidence_by_answer[row.id], key=lambda e: e["name"]),
        }
        for item_id, row in answers.items()
    }


def _checklist(round: ApprovalRequest) -> list[dict[str, Any]]:
    """Every item of the round's template, by section, with its answer: the business's as in the
    snapshot, the reviewers' as given up to the decision."""
    items = list(
        ChecklistItem.objects.filter(section__template_id=round.checklist_template_id)
        .select_related("section")
        .order_by("section__position", "position")
    )
    submitted = {a["code"]: a for a in round.snapshot.get("checklist", {}).get("answers", [])}
    reviewed = _answers_during_review(round, [i.pk for i in items if i.owner_function != Function.BUSINESS])
    sections: dict[int, dict[str, Any]] = {}
    for item in items:
        section = sections.setdefault(item.section_id, {"title": item.section.title, "rows": []})
        if item.owner_function == Function.BUSINESS:
            answer = submitted.get(item.code)
        else:
            answer = reviewed.get(item.pk) or submitted.get(item.code)
        if answer:
            answer = {**answer, "answered_at": datetime.fromisoformat(answer["answered_at"])}
        section["rows"].append(
            {
                "code": item.code,
                "text": item.text,
                "function": _label(Function, item.owner_function),
                "answer": answer,
                "response_label": _label(Answer.Response, answer["response"]) if answer else "",
                "response_class": (answer["response"].replace("/", "") if answer else "none"),
            }
        )
    return list(sections.values())


def record_context(round: ApprovalRequest) -> dict[str, Any]:
    """Everything the record shows. Facts of the request come from the frozen snapshot; sign-offs,
    answers given in review and events from the round's rows. A fixed number of queries."""
    snapshot = round.snapshot
    use_case, model = snapshot["use_case"], snapshot["model"]
    vendor = model["vendor"]
    signoffs = list(round.signoffs.select_related("signed_by").order_by("pk"))
    all_events = list(round.events.select_related("actor").order_by("created_at", "pk"))
    outcome = _outcome_event(all_events)
    # The log ends at the decision: what happened to the approval later has its own records.
    events = all_events[: all_events.index(outcome) + 1] if outcome else all_events
    if outcome is not None:
        outcome_value = outcome.verb
    elif round.status in ApprovalRequest.DECIDED_STATUSES:
        outcome_value = round.status
    else:
        conditions = any(s.decision == SignOff.Decision.APPROVE_WITH_CONDITIONS for s in signoffs)
        outcome_value = Status.APPROVED_WITH_CONDITIONS if conditions else Status.APPROVED
    risks = [_risk_row(n, r) for n, r in enumerate(snapshot.get("risks", []), start=1)]
    heat = defaultdict(int)
    for risk in risks:
        heat[(risk["residual_likelihood"], risk["residual_impact"])] += 1
    sensitivity = {label: value for value, label in DataCategory.Sensitivity.choices}
    reference = use_case["reference"]
    return {
        "round": round,
        "reference": reference,
        "record_reference": f"{reference} round {round.number}",
        "use_case": use_case,
        "title": use_case["title"],
        "outcome": outcome_value,
        "outcome_label": _label(Status, outcome_value),
        "later_status": round.get_status_display() if round.status not in ApprovalRequest.DECIDED_STATUSES else "",
        "deployment_mode": _label(UseCase.DeploymentMode, use_case.get("deployment_mode")),
        "autonomy": _label(UseCase.Autonomy, use_case.get("autonomy")),
        # Snapshots from before the class was asked have no key: shown as not assessed.
        "eu_ai_act_class": _label(EUAIActClass, use_case.get("eu_ai_act_class")) or "Not yet assessed",
        "annex_iii_area": _label(AnnexIIIArea, use_case.get("annex_iii_area")),
        "model": model,
        "vendor": vendor,
        "distribution": _label(AIModel.Distribution, model.get("distribution")),
        "architecture": _label(AIModel.Architecture, model.get("architecture")),
        "lifecycle": _label(AIModel.Lifecycle, model.get("lifecycle")),
        "ownership": _label(Vendor.Ownership, vendor.get("ownership")),
        "sanctions_status": _label(Vendor.SanctionsStatus, vendor.get("sanctions_status")),
        "fallback_models": snapshot.get("fallback_models", []),
        "data_categories": [
            {**c, "level": sensitivity.get(c["sensitivity"], 0)} for c in snapshot.get("data_categories", [])
        ],
        "checklist_version": snapshot.get("checklist", {}).get("version", round.checklist_template.version),
        "checklist": _checklist(round),
        # Question 4, as frozen: its own block of the record.
        "failure_modes": entries_for_display(snapshot.get("failure_modes")),
        # The evaluation evidence as frozen (rounds submitted before it was kept have none).
        "evaluations": snapshot.get("evaluations"),
        "risks": risks,
        "heat_map": heat_map_svg(dict(heat), title="Residual risk: likelihood × impact", cell=34),
        "highest_residual_band": band_for_score(round.highest_residual) if round.highest_residual else None,
        "signoffs": [
            {
                "function": s.get_function_display(),
                "reason": s.reason,
                "decision": s.decision,
                "decision_label": s.get_decision_display(),
                "signer": _name(s.signed_by) if s.signed_by else "",
                "signed_at": s.signed_at,
                "conditions": s.conditions,
                "comment": s.comment,
                "snapshot_sha256": s.signed_snapshot_sha256,
            }
            for s in signoffs
        ],
        # The conditions as set with the decision (their later state is on the use case's page, not here).
        "conditions": [
            {
                "function": c.get_function_display(),
                "description": c.description,
                "owner": _name(c.owner),
                "due_on": c.due_on,
                "suspends": c.suspend_if_not_met,
            }
            for c in round.condition_items.select_related("owner").order_by("signoff_id", "pk")
        ],
        "events": [
            {"at": e.created_at, "actor": _name(e.actor), "verb": e.get_verb_display(), "detail": _event_detail(e)}
            for e in events
        ],
        # The discussion while the round was open: questions and answers are part of what was decided on.
        "discussion": [
            {"number": m.pk, "at": m.created_at, "author": _name(m.author), "body": m.body, "reply_to": m.reply_to_id}
            for m in round.messages.select_related("author").order_by("created_at", "pk")[:DISCUSSION_ROWS]
        ],
        "verify_url": f"{settings.SITE_URL}{reverse('record_verify')}",
        "generated_at": timezone.now(),
    }
