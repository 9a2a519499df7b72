from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from approvals import views as approvals_views
from config.health import healthz
from governance import views as governance_views

urlpatterns = [
    path("", governance_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("use-cases/", governance_views.use_case_list, name="use_case_list"),
    path("use-cases/<str:reference>/", approvals_views.use_case_detail, name="use_case_detail"),
    path("", include("approvals.urls")),
    path("admin/", admin.site.urls),
]
