from django.urls import path

from approvals import checklist_views, condition_views, discussion_views, views

urlpatterns = [
    path("reviews/", views.queue, name="review_queue"),
    path("reviews/assign/", views.assign_many, name="review_assign_many"),
    path("reviews/leads/", views.leads, name="review_leads"),
    path("reviews/<id:pk>/", views.sign, name="review_sign"),
    path("reviews/<id:pk>/take/", views.take, name="review_take"),
    path("reviews/<id:pk>/assign/", views.assign, name="review_assign"),
    path("reviews/<id:pk>/checklist/", checklist_views.review_checklist_answer, name="review_checklist_answer"),
    path("use-cases/<str:reference>/submit/", views.submit, name="use_case_submit"),
    path("use-cases/<str:reference>/withdraw/", views.withdraw, name="use_case_withdraw"),
    path("use-cases/<str:reference>/revoke/", views.revoke, name="use_case_revoke"),
    path("use-cases/<str:reference>/answers/<id:item_id>/", checklist_views.answer, name="checklist_answer"),
    path(
        "use-cases/<str:reference>/checklist/sections/<id:section_id>/",
        checklist_views.checklist_section_answer,
        name="checklist_section_answer",
    ),
    path("conditions/<id:pk>/", condition_views.condition_detail, name="condition_detail"),
    path("conditions/<id:pk>/claim/", condition_views.condition_claim, name="condition_claim"),
    path("conditions/<id:pk>/confirm/", condition_views.condition_confirm, name="condition_confirm"),
    path("conditions/<id:pk>/return/", condition_views.condition_return, name="condition_return"),
    path("conditions/<id:pk>/waive/", condition_views.condition_waive, name="condition_waive"),
    path("conditions/<id:pk>/evidence/", condition_views.condition_evidence, name="condition_evidence"),
    path("inbox/", discussion_views.inbox, name="inbox"),
    path("inbox/read-all/", discussion_views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<id:pk>/", discussion_views.inbox_follow, name="inbox_follow"),
    path("inbox/<id:pk>/read/", discussion_views.inbox_read, name="inbox_read"),
    path("use-cases/<str:reference>/discussion/", discussion_views.discussion, name="discussion"),
    path("records/verify/", views.record_verify_page, name="record_verify"),
    path("records/<id:pk>/download/", views.record_download, name="record_download"),
]
