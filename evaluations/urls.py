from django.urls import path

from evaluations import views

urlpatterns = [
    path("use-cases/<str:reference>/evaluations/", views.evaluations, name="use_case_evaluations"),
    path("use-cases/<str:reference>/evaluations/import/", views.evaluation_upload, name="use_case_evaluation_import"),
    path("use-cases/<str:reference>/evaluations/<id:pk>/", views.evaluation_detail, name="use_case_evaluation"),
    path("use-cases/<str:reference>/evaluations/<id:pk>/file/", views.evaluation_file, name="use_case_evaluation_file"),
    path(
        "use-cases/<str:reference>/evaluations/<id:pk>/remove/",
        views.evaluation_delete,
        name="use_case_evaluation_remove",
    ),
    path("evaluations/thresholds/", views.thresholds, name="evaluation_thresholds"),
    path("evaluations/thresholds/<id:pk>/remove/", views.threshold_delete, name="evaluation_threshold_remove"),
]
