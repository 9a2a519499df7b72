"""The read side of the API: the registry, use cases and their review, approval records, and the report."""

from django.urls import path

from api.reads import evaluation_views, report_views, review_views, views

urlpatterns = [
    path("vendors/", views.VendorList.as_view(), name="api_vendor_list"),
    path("vendors/<id:pk>/", views.VendorDetail.as_view(), name="api_vendor_detail"),
    path("models/", views.ModelList.as_view(), name="api_model_list"),
    path("models/<id:pk>/", views.ModelDetail.as_view(), name="api_model_detail"),
    path("data-categories/", views.DataCategoryList.as_view(), name="api_data_category_list"),
    path("use-cases/", views.UseCaseList.as_view(), name="api_use_case_list"),
    path("use-cases/<str:reference>/", views.UseCaseDetail.as_view(), name="api_use_case_detail"),
    path("use-cases/<str:reference>/rounds/", review_views.RoundList.as_view(), name="api_use_case_rounds"),
    path("use-cases/<str:reference>/events/", review_views.EventList.as_view(), name="api_use_case_events"),
    path(
        "use-cases/<str:reference>/evaluations/",
        evaluation_views.EvaluationEvidence.as_view(),
        name="api_use_case_evaluations",
    ),
    path("signoffs/", review_views.SignOffList.as_view(), name="api_signoff_list"),
    path("records/", review_views.RecordList.as_view(), name="api_record_list"),
    path("records/verify/", review_views.RecordVerify.as_view(), name="api_record_verify"),
    path("records/<id:pk>/", review_views.RecordDetail.as_view(), name="api_record_detail"),
    path("records/<id:pk>/download/", review_views.RecordDownload.as_view(), name="api_record_download"),
    path("reports/figures/", report_views.ReportFigures.as_view(), name="api_report_figures"),
    path("reports/portfolio.csv", report_views.PortfolioCSV.as_view(), name="api_report_csv"),
    path("reports/risks.csv", report_views.RisksCSV.as_view(), name="api_report_risks_csv"),
    path("reports/conditions.csv", report_views.ConditionsCSV.as_view(), name="api_report_conditions_csv"),
]
