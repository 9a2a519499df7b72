from django.urls import path

from approvals import views

urlpatterns = [
    path("reviews/", views.queue, name="review_queue"),
    path("reviews/<int:pk>/", views.sign, name="review_sign"),
    path("reviews/<int:pk>/take/", views.take, name="review_take"),
    path("use-cases/<str:reference>/submit/", views.submit, name="use_case_submit"),
    path("use-cases/<str:reference>/withdraw/", views.withdraw, name="use_case_withdraw"),
    path("use-cases/<str:reference>/revoke/", views.revoke, name="use_case_revoke"),
    path("use-cases/<str:reference>/answers/<int:item_id>/", views.answer, name="checklist_answer"),
]
