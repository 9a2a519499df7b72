"""Asking a person to prove again that it is them before a grave change (a role, an account).

Two questions, each answered in one place: does this request need re-authentication (`reauth_needed`), and
what does the form ask for then (`reauth_form`, `reauth_confirmed`). A way of proving it other than the
password (a fresh sign-in at the identity provider, for people who have none) belongs here, not in the views.
"""

from django import forms
from django.conf import settings

from governance.sessions import confirm_password, confirms_at_provider, password_is_recent, provider_confirmation_url

WRONG_PASSWORD = "That is not your password. Nothing was changed; enter it again."


def reauth_needed(request) -> bool:
    """Whether the signed-in person must prove again that it is them before a grave change."""
    return not password_is_recent(request)


def password_field() -> forms.CharField:
    return forms.CharField(
        label="Your password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )


def reauth_form(form_class: type[forms.Form], request, data=None, *, back: str | None = None, **kwargs) -> forms.Form:
    """An instance of `form_class` that also asks for what re-authentication needs, when it is needed.
    `back`: the page to return to after confirming at the provider (this one, when it can be read)."""
    form = form_class(data, **kwargs)
    form.provider_confirmation = None
    if reauth_needed(request):
        if confirms_at_provider(request):
            # No password here to give: a fresh sign-in at the provider, then back to this page.
            form.provider_confirmation = provider_confirmation_url(request, back=back)
        else:
            form.fields["password"] = password_field()
    return form


def reauth_confirmed(request, form: forms.Form) -> bool:
    """Whether a valid `form` also proves who is asking. A wrong password is a failed sign-in (counted
    towards the lockout), put on the form as its error; a person who confirms at the provider and has not
    done so recently is told to, and nothing is done."""
    if not form.is_valid():
        return False
    if getattr(form, "provider_confirmation", None):
        name = settings.CLEARANCE_OIDC_PROVIDER_NAME
        form.add_error(None, f"Confirm that it is you at {name} first. Nothing was changed.")
        return False
    if "password" in form.fields and not confirm_password(request, form.cleaned_data["password"]):
        form.add_error("password", WRONG_PASSWORD)
        return False
    return True
