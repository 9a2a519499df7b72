"""Answering the checklist and attaching evidence."""

import hashlib
import unicodedata
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from checklist.models import Answer, ChecklistItem, Evidence
from checklist.permissions import can_answer
from checklist.sniff import ACCEPTED, sniff
from checklist.uploads import too_large_message
from governance.history import save_with_history
from governance.limits import PROSE, refuse_overlong
from governance.models import UseCase


def _answer_checked(
    *, use_case: UseCase, item: ChecklistItem, user, response: str, justification: str, existing: Answer | None
) -> Answer:
    """The answer `user` gives to `item`, validated and not yet saved: the one rule for every way of answering."""
    answer = existing or Answer(use_case=use_case, item=item)
    answer.item = item  # the caller's instance: naming it in the history reason needs no query
    answer.response = response
    answer.justification = justification.strip()
    answer.answered_by = user
    answer.full_clean(validate_constraints=False, validate_unique=False)
    if answer.response != Answer.Response.YES and not answer.justification:
        raise ValidationError({"justification": "Explain any answer other than yes."})
    return answer


def _save_answer(answer: Answer, user) -> None:
    save_with_history(answer, user=user, reason=f"Answered {answer.item.code}: {answer.get_response_display()}")


@transaction.atomic
def answer_record(*, use_case: UseCase, item: ChecklistItem, user, response: str, justification: str = "") -> Answer:
    """Give or change the answer to one item.

    1. Lock the use case, so an answer cannot slip in while it is being submitted.
    2. Check the user answers for the item's function on this use case.
    3. Validate (anything short of "yes" needs a justification) and save with history.
    """
    refuse_overlong(justification=(justification, PROSE))
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if not can_answer(user, use_case, item):
        raise PermissionDenied(f"You cannot answer {item.code} on {use_case.reference}.")
    existing = Answer.objects.filter(use_case=use_case, item=item).first()
    answer = _answer_checked(
        use_case=use_case, item=item, user=user, response=response, justification=justification, existing=existing
    )
    _save_answer(answer, user)
    return answer


class AnswersInvalid(ValidationError):
    """Some of the answers given together are invalid (and none was saved): the errors of each item, by
    field ("response", "justification")."""

    def __init__(self, errors: dict[ChecklistItem, dict[str, list[str]]]):
        self.by_item = errors
        super().__init__(
            {item.code: [m for messages in fields.values() for m in messages] for item, fields in errors.items()}
        )


@transaction.atomic
def answers_record(*, use_case: UseCase, user, answers: Mapping[ChecklistItem, tuple[str, str]]) -> list[Answer]:
    """Give or change the answers to several items at once (a section of the checklist, a function's items): all
    or nothing.

    `answers` maps each item to its (response, justification). Returns the answers saved.

    1. Lock the use case, as `answer_record` does, and check the user may answer every item given.
    2. Check each row by the same rules as `answer_record`. A row with neither a response nor a justification,
       for an item not answered yet, is left open; an answer the user leaves as it was is not written again
       (no new history row, its author and time stay).
    3. If any row is invalid, raise `AnswersInvalid` with every row's errors: nothing is saved.
    4. Save the changed answers, each with its history row.
    """
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    refused = [item.code for item in answers if not can_answer(user, use_case, item)]
    if refused:
        raise PermissionDenied(f"You cannot answer {', '.join(refused)} on {use_case.reference}.")
    existing = {a.item_id: a for a in Answer.objects.filter(use_case=use_case, item__in=[i.pk for i in answers])}
    changed: list[Answer] = []
    errors: dict[ChecklistItem, dict[str, list[str]]] = {}
    for item, (response, justification) in answers.items():
        response, justification = (response or "").strip(), (justification or "").strip()
        answer = existing.get(item.pk)
        if answer is None and not response and not justification:
            continue
        if answer is not None and (answer.response, answer.justification) == (response, justification):
            continue
        try:
            refuse_overlong(justification=(justification, PROSE))
            if not response:
                raise ValidationError({"response": "Choose an answer."})
            changed.append(
                _answer_checked(
                    use_case=use_case,
                    item=item,
                    user=user,
                    response=response,
                    justification=justification,
                    existing=answer,
                )
            )
        except ValidationError as exc:
            errors[item] = exc.message_dict if hasattr(exc, "error_dict") else {"response": exc.messages}
    if errors:
        raise AnswersInvalid(errors)
    for answer in changed:
        _save_answer(answer, user)
    return changed


def evidence_names(client_name: str) -> tuple[str, str]:
    """The name shown for an upload and the name it is stored under, from the name the client sent.

    Shown: the last path part, without control or format characters (a right-to-left override would
    make "txt.exe" read as "exe.txt"), at most 255 characters. Stored: a portable file name that fits any
    file system (at most 120 bytes), keeping the extension.
    """
    base = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf")).strip()[:255] or "evidence"
    try:
        stored = get_valid_filename(shown)
    except SuspiciousFileOperation:
        stored = "evidence"
    stem, dot, extension = stored.rpartition(".")
    if not dot or not stem or len(extension.encode()) > 16:
        stem, extension = stored, ""
    room = 120 - len(extension.encode()) - 1
    stem = stem.encode()[:room].decode(errors="ignore") or "evidence"
    return shown, f"{stem}.{extension}" if extension else stem


def evidence_checked(upload: UploadedFile):
    """An evidence upload's SHA-256 and kind, found by its content, or a ValidationError on "file" when it
    is too large or of a kind not accepted. The upload is read once and left at its start."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": too_large_message(settings.EVIDENCE_MAX_BYTES)})
    kind = sniff(upload)
    if kind is None:
        refused = f"This kind of file is not accepted as evidence. Clearance accepts {ACCEPTED}. Nothing was stored."
        raise ValidationError({"file": refused})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), kind


@transaction.atomic
def evidence_add(*, answer: Answer, user, upload: UploadedFile) -> Evidence:
    """Attach a file to an answer.

    1. Check the user answers this item, the size, and the kind of file by its content (see `sniff`):
       the name and type the client sent are not trusted.
    2. Refuse a file already attached to this answer (same SHA-256).
    3. Store the file and its record, with the SHA-256, the size and the kind found; if the record
       cannot be saved, the stored file is deleted again, so nothing is left half-way.
    """
    if not can_answer(user, answer.use_case, answer.item):
        raise PermissionDenied(f"You cannot add evidence to {answer.item.code}.")
    sha256, kind = evidence_checked(upload)
    if answer.evidence.filter(sha256=sha256).exists():
        raise ValidationError({"file": "This file is already attached to this answer."})
    upload.seek(0)
    shown, stored = evidence_names(upload.name)
    evidence = Evidence(
        answer=answer,
        name=shown,
        sha256=sha256,
        size=upload.size,
        content_type=kind.content_type,
        uploaded_by=user,
    )
    evidence.file.save(stored, upload, save=False)
    try:
        save_with_history(evidence, user=user, reason=f"Evidence for {answer.item.code}")
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return evidence
