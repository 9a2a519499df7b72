from django.contrib import admin
from django.urls import include, path

from approvals import failure_mode_views, request_views
from approvals import views as approvals_views
from config import health
from governance import catalog_views
from governance import views as governance_views
from identity import oidc, sign_in_views

urlpatterns = [
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("login/", sign_in_views.SignInPage.as_view(), name="login"),
    path("logout/", sign_in_views.sign_out, name="logout"),
    path("oidc/authenticate/", oidc.SignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("no-role/", sign_in_views.no_role, name="no_role"),
    path("use-cases/", governance_views.use_case_list, name="use_case_list"),
    path("use-cases/new/", request_views.use_case_new, name="use_case_new"),
    path("use-cases/<str:reference>/edit/", request_views.use_case_change, name="use_case_change"),
    path("use-cases/<str:reference>/risks/", request_views.risks, name="use_case_risks"),
    path(
        "use-cases/<str:reference>/failure-modes/",
        failure_mode_views.failure_modes,
        name="use_case_failure_modes",
    ),
    path("use-cases/<str:reference>/risks/<id:pk>/", request_views.risk_change, name="use_case_risk_change"),
    path("use-cases/<str:reference>/risks/<id:pk>/remove/", request_views.risk_remove, name="use_case_risk_remove"),
    path(
        "use-cases/<str:reference>/answers/<id:item_id>/evidence/",
        request_views.evidence_upload,
        name="evidence_upload",
    ),
    path("use-cases/<str:reference>/evidence/<id:pk>/", request_views.evidence_download, name="evidence_download"),
    path("catalog/models/", catalog_views.model_list, name="catalog_models"),
    path("catalog/models/<id:pk>/", catalog_views.model_detail, name="catalog_model"),
    path("catalog/vendors/", catalog_views.vendor_list, name="catalog_vendors"),
    path("catalog/vendors/<id:pk>/", catalog_views.vendor_detail, name="catalog_vendor"),
    path("catalog/model-facts/", request_views.model_facts, name="model_facts"),
    path("catalog/risk-score/", request_views.risk_score, name="risk_score"),
    path("use-cases/<str:reference>/", approvals_views.use_case_detail, name="use_case_detail"),
    path("", include("evaluations.urls")),
    path("", include("approvals.urls")),
    path("", include("reports.urls")),
    path("people/", include("identity.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.errors.not_found"
