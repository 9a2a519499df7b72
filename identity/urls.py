from django.urls import path

from identity import views

urlpatterns = [
    path("", views.people, name="people"),
    path("<id:pk>/", views.person, name="person"),
    path("<id:pk>/roles/grant/", views.role_grant, name="person_role_grant"),
    path("<id:pk>/roles/revoke/", views.role_revoke, name="person_role_revoke"),
    path("<id:pk>/deactivate/", views.deactivate, name="person_deactivate"),
    path("<id:pk>/reactivate/", views.reactivate, name="person_reactivate"),
]
