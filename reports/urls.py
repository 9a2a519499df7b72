from django.urls import path, re_path

from reports import dashboard_views, views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    # The executive residual-risk report and its exports.
    path("reports/", views.report, name="report"),
    path("reports/export.csv", views.report_csv, name="report_csv"),
    path("reports/risks.csv", views.report_risks_csv, name="report_risks_csv"),
    path("reports/conditions.csv", views.report_conditions_csv, name="report_conditions_csv"),
    path("reports/slide.pdf", views.report_slide, name="report_slide"),
    re_path(r"^reports/charts/(?P<chart>[a-z-]{1,30})\.(?P<fmt>svg|png)$", views.report_chart, name="report_chart"),
    path("reports/exports/", views.report_exports, name="report_exports"),
    path("reports/exports/<id:pk>/", views.report_export_detail, name="report_export_detail"),
    path("reports/exports/<id:pk>/download/", views.report_export_download, name="report_export_download"),
]
