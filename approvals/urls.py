from django.urls import path

from approvals import reports_views, views

urlpatterns = [
    path("reviews/", views.queue, name="review_queue"),
    path("reviews/<id:pk>/", views.sign, name="review_sign"),
    path("reviews/<id:pk>/take/", views.take, name="review_take"),
    path("reviews/<id:pk>/assign/", views.assign, name="review_assign"),
    path("use-cases/<str:reference>/submit/", views.submit, name="use_case_submit"),
    path("use-cases/<str:reference>/withdraw/", views.withdraw, name="use_case_withdraw"),
    path("use-cases/<str:reference>/revoke/", views.revoke, name="use_case_revoke"),
    path("use-cases/<str:reference>/answers/<id:item_id>/", views.answer, name="checklist_answer"),
    path("records/verify/", views.record_verify_page, name="record_verify"),
    path("records/<id:pk>/download/", views.record_download, name="record_download"),
]

# The executive residual-risk report and its exports.
urlpatterns += [
    path("reports/", reports_views.report, name="report"),
    path("reports/export.csv", reports_views.report_csv, name="report_csv"),
    path("reports/exports/", reports_views.report_exports, name="report_exports"),
    path("reports/exports/<id:pk>/", reports_views.report_export_detail, name="report_export_detail"),
    path("reports/exports/<id:pk>/download/", reports_views.report_export_download, name="report_export_download"),
]
