"""Service-account pages for governance admins: the machines that use the API, their scopes, their tokens
and what they did. Everyone else gets 404. Issuing a token and widening what an account may do ask for the
password again when it was not given recently (identity.reauth).

A token is shown once, in the response to the POST that issued it: never in a URL, the session, a message
or a log, and that response is marked not to be stored."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.permissions import can_view_use_case
from identity import service_account_selectors as selectors
from identity import service_accounts as services
from identity.models import ApiToken, ServiceAccount
from identity.reauth import reauth_confirmed, reauth_form
from identity.service_account_forms import SCOPE_MEANINGS, ScopesForm, ServiceAccountForm, TokenIssueForm
from identity.services import can_manage_people

# A service's refusal names the model's field; the page's form calls it differently.
FIELD_OF = {"expires_at": "expires_on"}


def _manager_only(request) -> None:
    if not can_manage_people(request.user):
        raise Http404("No such page")


def _get_account(request, pk) -> ServiceAccount:
    _manager_only(request)
    return get_object_or_404(ServiceAccount.objects.select_related("user", "created_by"), pk=pk)


def _refused(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else at the top."""
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            field = FIELD_OF.get(field, field)
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _scope_rows():
    return [(scope, SCOPE_MEANINGS[scope]) for scope in ServiceAccount.Scope]


@require_GET
@login_required
def service_accounts(request):
    """Every service account: its scopes, how many usable tokens it has, when one was last used."""
    _manager_only(request)
    accounts = list(selectors.service_accounts_listed())
    return render(request, "identity/service_accounts/list.html", {"accounts": accounts})


@require_http_methods(["GET", "POST"])
@login_required
def service_account_new(request):
    _manager_only(request)
    form = ServiceAccountForm(request.POST or None)
    if form.is_valid():
        try:
            account = services.service_account_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Service account “{account.name}” created: issue it a token below.")
            return redirect("service_account", pk=account.pk)
    context = {"form": form, "scope_rows": _scope_rows()}
    return render(request, "identity/service_accounts/new.html", context, status=400 if form.is_bound else 200)


def _detail(request, account: ServiceAccount, *, scopes_form=None, token_form=None, status: int = 200):
    back = reverse("service_account", kwargs={"pk": account.pk})
    events = selectors.recent_events(account)
    for event in events:
        event.linked = can_view_use_case(request.user, event.use_case)
    context = {
        "account": account,
        "scopes_form": scopes_form or reauth_form(ScopesForm, request, back=back, initial={"scopes": account.scopes}),
        "token_form": token_form or reauth_form(TokenIssueForm, request, back=back, auto_id="id_token_%s"),
        "tokens": selectors.tokens_of(account),
        "history": selectors.account_history(account),
        "events": events,
        "scope_rows": _scope_rows(),
        "reauth_minutes": settings.CLEARANCE_REAUTH_MINUTES,
        "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME,
    }
    return render(request, "identity/service_accounts/detail.html", context, status=status)


@require_GET
@login_required
def service_account(request, pk):
    return _detail(request, _get_account(request, pk))


@require_POST
@login_required
def service_account_scopes(request, pk):
    account = _get_account(request, pk)
    back = reverse("service_account", kwargs={"pk": account.pk})
    form = reauth_form(ScopesForm, request, request.POST, back=back)
    if reauth_confirmed(request, form):
        try:
            services.service_account_scopes_set(user=request.user, account=account, scopes=form.cleaned_data["scopes"])
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"The scopes of “{account.name}” are changed; its tokens use them at once.")
            return redirect("service_account", pk=account.pk)
    return _detail(request, account, scopes_form=form, status=400)


@never_cache
@require_POST
@login_required
def service_account_token_issue(request, pk):
    """Issue a token and show it, once, in this response; the page's next load shows only its prefix."""
    account = _get_account(request, pk)
    back = reverse("service_account", kwargs={"pk": account.pk})
    form = reauth_form(TokenIssueForm, request, request.POST, back=back, auto_id="id_token_%s")
    if reauth_confirmed(request, form):
        try:
            token, raw = services.token_issue(
                user=request.user, account=account, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            context = {"account": account, "token": token, "raw": raw, "site": request.build_absolute_uri("/")[:-1]}
            return render(request, "identity/service_accounts/token_issued.html", context)
    return _detail(request, account, token_form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def service_account_token_revoke(request, pk, token_pk):
    account = _get_account(request, pk)
    token = get_object_or_404(ApiToken.objects.select_related("created_by"), pk=token_pk, service_account=account)
    refusal = "This token is already revoked." if token.revoked_at else ""
    error = ""
    if request.method == "POST":
        try:
            services.token_revoke(user=request.user, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Token {token.prefix}… (“{token.name}”) is revoked: it no longer works.")
            return redirect("service_account", pk=account.pk)
    context = {"account": account, "token": token, "refusal": refusal or error}
    status = 400 if request.method == "POST" else 200
    return render(request, "identity/service_accounts/token_revoke_confirm.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def service_account_deactivate(request, pk):
    account = _get_account(request, pk)
    refusal = "" if account.is_active else f"“{account.name}” is already deactivated."
    error = ""
    if request.method == "POST":
        try:
            services.service_account_deactivate(user=request.user, account=account)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"“{account.name}” is deactivated: none of its tokens works any more.")
            return redirect("service_account", pk=account.pk)
    usable = [token for token in selectors.tokens_of(account) if token.is_usable()]
    context = {"account": account, "usable": usable, "refusal": refusal or error}
    status = 400 if request.method == "POST" else 200
    return render(request, "identity/service_accounts/deactivate_confirm.html", context, status=status)
