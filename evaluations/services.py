"""Importing and removing evaluation evidence."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from checklist.services import evidence_names
from checklist.uploads import too_large_message
from evaluations.models import EvaluationResult, EvaluationRun, EvaluationThreshold
from evaluations.parsers import ParsedRun, ParseError, parse_file
from evaluations.parsers.base import percentile
from evaluations.permissions import can_import_evaluation, can_remove_evaluation, can_set_thresholds
from governance.history import save_with_history, stamp
from governance.limits import clip
from governance.models import AIModel, UseCase

TITLE_MAX = EvaluationRun._meta.get_field("title").max_length
# "openai/gpt-4o", "openai:chat:gpt-4o", "openrouter/deepseek/deepseek-chat": the model is the last part.
_PROVIDER_PARTS = re.compile(r"[/:]")


def _folded(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().casefold())


def model_named(reported: str, models) -> AIModel | None:
    """The registry model a harness's model name stands for, by its exact version or its name (spaces,
    underscores and hyphens alike), with or without the provider's prefix; None when none matches."""
    wanted = {_folded(reported), _folded(_PROVIDER_PARTS.split(reported)[-1])} - {""}
    for model in models:
        if {_folded(model.version), _folded(model.name)} & wanted:
            return model
    return None


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _results(run: EvaluationRun, parsed: ParsedRun) -> list[EvaluationResult]:
    return [
        EvaluationResult(
            run=run,
            name=name,
            detail=detail,
            samples=tally.samples,
            passed=tally.passed,
            failed=tally.failed,
            score=tally.score,
        )
        for (name, detail), tally in sorted(parsed.tests.items())
    ]


def evaluation_import(*, user, use_case: UseCase, upload: UploadedFile) -> EvaluationRun:
    """Import a harness's result file as evidence on `use_case`.

    1. Check the user may add evidence to the use case now, and the file's size.
    2. Refuse a file already imported on this use case (same SHA-256).
    3. Read it (`evaluations.parsers`): the harness is told from the content; a file that cannot be read is
       refused with the reason, and nothing is stored.
    4. Recognise the model it names among the registry's.
    5. Store the file, the run and its tests in one transaction; if the rows cannot be saved, the stored file
       is deleted again, so nothing is left half-way.
    """
    if not can_import_evaluation(user, use_case):
        raise PermissionDenied(f"You cannot add evaluation evidence to {use_case.reference} now.")
    if upload.size > settings.EVALUATION_MAX_BYTES:
        raise ValidationError({"file": too_large_message(settings.EVALUATION_MAX_BYTES)})
    sha256 = _digest(upload)
    if EvaluationRun.objects.filter(use_case=use_case, sha256=sha256).exists():
        raise ValidationError({"file": "This file is already imported on this use case."})
    try:
        upload.seek(0)
        parsed = parse_file(upload.file)
    except ParseError as error:
        raise ValidationError({"file": f"{error} Nothing was stored."}) from None
    upload.seek(0)
    shown, _ = evidence_names(upload.name)
    latencies = sorted(parsed.latencies_ms)
    run = EvaluationRun(
        use_case=use_case,
        name=shown,
        sha256=sha256,
        size=upload.size,
        harness=parsed.harness,
        harness_version=parsed.harness_version,
        title=clip(" · ".join(dict.fromkeys(part for part in (parsed.title, parsed.dataset) if part)), TITLE_MAX),
        model_reported=parsed.model,
        provider=parsed.provider,
        ai_model=model_named(parsed.model, AIModel.objects.only("id", "name", "version")),
        run_at=parsed.run_at,
        samples=parsed.samples,
        passed=parsed.passed,
        failed=parsed.failed,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        usage_samples=parsed.usage_samples,
        input_tokens=parsed.input_tokens,
        output_tokens=parsed.output_tokens,
        imported_by=user,
    )
    run.file.save("result", upload, save=False)
    try:
        with transaction.atomic():
            save_with_history(run, user=user, reason=f"Evaluation evidence imported: {shown}")
            EvaluationResult.objects.bulk_create(_results(run, parsed))
    except BaseException:
        run.file.delete(save=False)
        raise
    return run


def evaluation_remove(*, user, run: EvaluationRun) -> None:
    """Remove an imported run (while its use case is being prepared): its row goes, its history stays, and
    its stored file is deleted once the removal commits."""
    if not can_remove_evaluation(user, run):
        raise PermissionDenied("You cannot remove this evaluation evidence now.")
    stored = run.file.name
    stamp(run, user=user, reason=f"Evaluation evidence removed: {run.name}")
    run.delete()
    storage = run.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


def threshold_set(
    *, user, sensitivity: int, failure_mode: str, min_pass_rate: Decimal, reason: str = ""
) -> EvaluationThreshold:
    """Set the pass rate `failure_mode`'s tests must reach for data of `sensitivity` (replacing the one set
    before, which the history keeps). Security reviewers and governance admins only."""
    if not can_set_thresholds(user):
        raise PermissionDenied("Only the security function sets evaluation thresholds.")
    with transaction.atomic():
        threshold = (
            EvaluationThreshold.objects.select_for_update()
            .filter(sensitivity=sensitivity, failure_mode=failure_mode)
            .first()
        ) or EvaluationThreshold(sensitivity=sensitivity, failure_mode=failure_mode)
        threshold.min_pass_rate, threshold.reason, threshold.set_by = min_pass_rate, reason, user
        threshold.full_clean()
        save_with_history(threshold, user=user, reason=reason or "Threshold set")
    return threshold


def threshold_remove(*, user, threshold: EvaluationThreshold, reason: str = "") -> None:
    if not can_set_thresholds(user):
        raise PermissionDenied("Only the security function sets evaluation thresholds.")
    stamp(threshold, user=user, reason=reason or "Threshold removed")
    threshold.delete()
