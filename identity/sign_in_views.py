"""Signing in and out: the sign-in page (single sign-on and, where allowed, a password), the provider's
logout, and the page for a person who holds no role yet."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from governance.permissions import has_any_role
from identity import oidc, selectors
from identity.backends import password_sign_in_allowed
from identity.models import ExternalIdentity


class SignInPage(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": oidc.enabled(),
            "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME,
            "local_login": settings.CLEARANCE_LOCAL_LOGIN,
        }

    def form_invalid(self, form):
        username = form.data.get("username", "")
        if not password_sign_in_allowed(username):
            form.errors.clear()
            form.add_error(
                None,
                f"Sign in with {settings.CLEARANCE_OIDC_PROVIDER_NAME}: passwords are for break-glass accounts only."
                if oidc.enabled()
                else "Passwords are for break-glass accounts only.",
            )
        return super().form_invalid(form)


@require_POST
def sign_out(request):
    """Ends the session here and, for a person who came through single sign-on, at the provider too."""
    destination = settings.LOGOUT_REDIRECT_URL
    if oidc.enabled() and request.session.get("oidc_id_token"):
        destination = oidc.provider_logout_url(request)
    logout(request)
    return redirect(destination)


@require_GET
@login_required
def no_role(request):
    """Signed in, but no role gives the person anything to do: whom to ask, rather than an empty app."""
    if has_any_role(request.user):
        return redirect("home")
    identity = ExternalIdentity.objects.filter(user=request.user).first()
    context = {
        "admins": selectors.access_contacts(),
        "contact": settings.CLEARANCE_ACCESS_CONTACT,
        "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME if identity else None,
        "groups": identity.groups if identity else [],
        "mapped_groups": sorted(settings.CLEARANCE_OIDC_ROLE_MAP),
    }
    return render(request, "identity/no_role.html", context)
