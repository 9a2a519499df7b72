"""The write side of the API. Its paths name the action (…/submit/, …/risks/add/), so that none of them is also a
path of the read side: a route answers one side's methods only."""

from django.urls import path

from api.writes import checklist_views, evaluation_views, risk_views, use_case_views, workflow_views

urlpatterns = [
    path("drafts/", use_case_views.UseCaseCreate.as_view(), name="api_use_case_create"),
    path("use-cases/<str:reference>/edit/", use_case_views.UseCaseEdit.as_view(), name="api_use_case_edit"),
    path("use-cases/<str:reference>/risks/add/", risk_views.RiskCreate.as_view(), name="api_risk_create"),
    path("use-cases/<str:reference>/risks/<id:pk>/change/", risk_views.RiskChange.as_view(), name="api_risk_change"),
    path(
        "use-cases/<str:reference>/checklist/<str:item>/answer/",
        checklist_views.AnswerSet.as_view(),
        name="api_checklist_answer",
    ),
    path(
        "use-cases/<str:reference>/checklist/<str:item>/evidence/",
        checklist_views.EvidenceUpload.as_view(),
        name="api_evidence_upload",
    ),
    path(
        "use-cases/<str:reference>/evaluations/import/",
        evaluation_views.EvaluationImport.as_view(),
        name="api_evaluation_import",
    ),
    path("use-cases/<str:reference>/submit/", workflow_views.UseCaseSubmit.as_view(), name="api_use_case_submit"),
    path("use-cases/<str:reference>/withdraw/", workflow_views.UseCaseWithdraw.as_view(), name="api_use_case_withdraw"),
    path("use-cases/<str:reference>/revoke/", workflow_views.ApprovalRevoke.as_view(), name="api_approval_revoke"),
    path("signoffs/<id:pk>/decide/", workflow_views.SignOffDecide.as_view(), name="api_signoff_decide"),
]
