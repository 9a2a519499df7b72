from django.urls import path

from approvals import views

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
