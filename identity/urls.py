from django.urls import path

from identity import service_account_views as accounts
from identity import views

urlpatterns = [
    path("", views.people, name="people"),
    path("<id:pk>/", views.person, name="person"),
    path("<id:pk>/roles/grant/", views.role_grant, name="person_role_grant"),
    path("<id:pk>/roles/revoke/", views.role_revoke, name="person_role_revoke"),
    path("<id:pk>/deactivate/", views.deactivate, name="person_deactivate"),
    path("<id:pk>/reactivate/", views.reactivate, name="person_reactivate"),
    path("service-accounts/", accounts.service_accounts, name="service_accounts"),
    path("service-accounts/new/", accounts.service_account_new, name="service_account_new"),
    path("service-accounts/<id:pk>/", accounts.service_account, name="service_account"),
    path("service-accounts/<id:pk>/scopes/", accounts.service_account_scopes, name="service_account_scopes"),
    path("service-accounts/<id:pk>/tokens/", accounts.service_account_token_issue, name="service_account_token_issue"),
    path(
        "service-accounts/<id:pk>/tokens/<id:token_pk>/revoke/",
        accounts.service_account_token_revoke,
        name="service_account_token_revoke",
    ),
    path(
        "service-accounts/<id:pk>/deactivate/", accounts.service_account_deactivate, name="service_account_deactivate"
    ),
]
