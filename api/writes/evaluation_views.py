"""Importing an evaluation result file from a pipeline: the page's service, size limit and refusals."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from api.writes.checklist_views import LimitedUpload
from api.writes.common import get_use_case_for_user, outcome, refusals
from api.writes.serializers import EvaluationInputSerializer, EvaluationOutcomeSerializer
from evaluations.services import evaluation_import


class EvaluationImport(LimitedUpload):
    def max_bytes(self) -> int:
        return settings.EVALUATION_MAX_BYTES

    @extend_schema(
        operation_id="evaluation_import",
        summary="Import an evaluation result file",
        description="Uploads (multipart, field `file`) an Inspect AI log (.eval or .json), a promptfoo result "
        "(`promptfoo eval -o results.json`), a garak report (.report.jsonl) or lm-eval results (.json) as evidence "
        "on a use case. The harness is recognised from the content; the file is kept with its SHA-256. Its "
        "owners import while it is being prepared, the security function while it is prepared or in review. A "
        "file that cannot be read, or one already imported on this use case, is refused and nothing is stored.",
        request={"multipart/form-data": EvaluationInputSerializer},
        responses=refusals(413, ok=201, produced=EvaluationOutcomeSerializer),
        tags=["requests"],
    )
    def post(self, request, reference):
        use_case = get_use_case_for_user(request.user, reference)
        self.refuse_if_too_large(request)
        upload = self.body(EvaluationInputSerializer)["file"]
        run = evaluation_import(user=request.user, use_case=use_case, upload=upload)
        produced = {
            "id": run.pk,
            "name": run.name,
            "sha256": run.sha256,
            "size": run.size,
            "harness": run.harness,
            "harness_version": run.harness_version,
            "model": run.model_reported,
            "registry_model": run.ai_model_id,
            "run_at": run.run_at,
            "samples": run.samples,
            "passed": run.passed,
            "failed": run.failed,
            "tests": run.results.count(),
            "url": request.build_absolute_uri(reverse("use_case_evaluation", args=[use_case.reference, run.pk])),
        }
        return Response(outcome(request, use_case, evaluation=produced), status=status.HTTP_201_CREATED)
