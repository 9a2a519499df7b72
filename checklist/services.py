"""Answering the checklist and attaching evidence."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from checklist.models import Answer, ChecklistItem, Evidence
from checklist.permissions import can_answer
from governance.history import save_with_history
from governance.limits import PROSE, refuse_overlong
from governance.models import UseCase


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
    answer = Answer.objects.filter(use_case=use_case, item=item).first() or Answer(use_case=use_case, item=item)
    answer.response = response
    answer.justification = justification.strip()
    answer.answered_by = user
    answer.full_clean(validate_constraints=False)
    if answer.response != Answer.Response.YES and not answer.justification:
        raise ValidationError({"justification": "Explain any answer other than yes."})
    save_with_history(answer, user=user, reason=f"Answered {item.code}: {answer.get_response_display()}")
    return answer


@transaction.atomic
def evidence_add(*, answer: Answer, user, upload: UploadedFile) -> Evidence:
    """Attach a file to an answer, recording its SHA-256 and size as uploaded."""
    if not can_answer(user, answer.use_case, answer.item):
        raise PermissionDenied(f"You cannot add evidence to {answer.item.code}.")
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": f"The file is larger than {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB."})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    if answer.evidence.filter(sha256=sha256).exists():
        raise ValidationError({"file": "This file is already attached to this answer."})
    upload.seek(0)
    evidence = Evidence(
        answer=answer,
        name=upload.name[:255],
        sha256=sha256,
        size=upload.size,
        content_type=(upload.content_type or "")[:100],
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    save_with_history(evidence, user=user, reason=f"Evidence for {answer.item.code}")
    return evidence
