"""Webhook pages for governance admins: the endpoints, registering one (its secret shown once), an endpoint's
delivery log, and the actions on it. Everyone else gets 404. Registering, rotating a secret and deleting ask
for the password again when it was not given recently (identity.reauth)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.paging import paginate
from identity.reauth import reauth_confirmed, reauth_form
from webhooks import selectors, services
from webhooks.forms import ConfirmForm, DisableForm, EndpointForm
from webhooks.models import Delivery, Endpoint
from webhooks.permissions import can_manage_webhooks
from webhooks.sending import USER_AGENT

DELIVERIES_PER_PAGE = 20


def _manager_only(request) -> None:
    if not can_manage_webhooks(request.user):
        raise Http404("No such page")


def _get_endpoint(request, pk) -> Endpoint:
    _manager_only(request)
    return get_object_or_404(Endpoint.objects.select_related("created_by"), pk=pk)


def _put_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _reauth_context() -> dict:
    return {"reauth_minutes": settings.CLEARANCE_REAUTH_MINUTES, "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME}


@require_GET
@login_required
def endpoints(request):
    _manager_only(request)
    page = paginate(selectors.endpoints_listed(), request.GET.get("page"))
    return render(request, "webhooks/endpoints.html", {"page": page, "endpoints": page.object_list})


def _secret_page(request, endpoint: Endpoint, secret: str, *, rotated: bool):
    context = {
        "endpoint": endpoint,
        "secret": secret,
        "rotated": rotated,
        "user_agent": USER_AGENT,
        "timeout": settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS,
    }
    return render(request, "webhooks/secret.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_new(request):
    _manager_only(request)
    data = request.POST if request.method == "POST" else None
    form = reauth_form(EndpointForm, request, data, back=reverse("webhook_endpoint_new"))
    if request.method == "POST" and reauth_confirmed(request, form):
        try:
            endpoint, secret = services.endpoint_create(
                user=request.user,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                event_types=form.cleaned_data["event_types"],
            )
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            return _secret_page(request, endpoint, secret, rotated=False)
    status = 400 if form.is_bound else 200
    return render(request, "webhooks/endpoint_new.html", {"form": form, **_reauth_context()}, status=status)


def _detail(request, endpoint: Endpoint, *, status: int = 200, refusal: str = ""):
    page = paginate(selectors.deliveries_of(endpoint), request.GET.get("page"), per_page=DELIVERIES_PER_PAGE)
    for delivery in page.object_list:
        delivery.payload_text = json.dumps(delivery.payload, indent=2, ensure_ascii=False, sort_keys=True)
    context = {
        "endpoint": endpoint,
        "page": page,
        "deliveries": page.object_list,
        "counts": selectors.endpoint_counts(endpoint),
        "history": selectors.endpoint_history(endpoint),
        "refusal": refusal,
        "max_attempts": settings.CLEARANCE_WEBHOOK_MAX_ATTEMPTS,
        "disable_after": settings.CLEARANCE_WEBHOOK_DISABLE_AFTER,
    }
    return render(request, "webhooks/endpoint.html", context, status=status)


@require_GET
@login_required
def endpoint(request, pk):
    return _detail(request, _get_endpoint(request, pk))


def _act(request, endpoint: Endpoint, act, done: str):
    """A one-button action of the endpoint's page: done, back to the page; refused, the page with why."""
    try:
        act()
    except ValidationError as exc:
        return _detail(request, endpoint, status=400, refusal=" ".join(exc.messages))
    messages.success(request, done)
    return redirect("webhook_endpoint", pk=endpoint.pk)


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_disable(request, pk):
    endpoint = _get_endpoint(request, pk)
    form = DisableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_disable(user=request.user, endpoint=endpoint, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, "The endpoint is disabled: nothing is sent to it until it is enabled again.")
            return redirect("webhook_endpoint", pk=endpoint.pk)
    context = {"endpoint": endpoint, "form": form, "pending": selectors.endpoint_counts(endpoint)["pending"]}
    return render(request, "webhooks/disable_confirm.html", context, status=400 if form.is_bound else 200)


@require_POST
@login_required
def endpoint_enable(request, pk):
    endpoint = _get_endpoint(request, pk)
    return _act(
        request,
        endpoint,
        lambda: services.endpoint_enable(user=request.user, endpoint=endpoint),
        "The endpoint is enabled: deliveries that waited are sent as they come due.",
    )


@require_POST
@login_required
def endpoint_ping(request, pk):
    endpoint = _get_endpoint(request, pk)
    return _act(
        request,
        endpoint,
        lambda: services.endpoint_ping(user=request.user, endpoint=endpoint),
        "A test delivery is on its way: its outcome shows in the log below.",
    )


@require_POST
@login_required
def delivery_retry(request, pk):
    _manager_only(request)
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)
    return _act(
        request,
        delivery.endpoint,
        lambda: services.delivery_retry(user=request.user, delivery=delivery),
        f"Delivery {delivery.pk} is sent again, with its attempts renewed.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_rotate(request, pk):
    endpoint = _get_endpoint(request, pk)
    back = reverse("webhook_endpoint_rotate", kwargs={"pk": endpoint.pk})
    form = reauth_form(ConfirmForm, request, request.POST if request.method == "POST" else None, back=back)
    if request.method == "POST" and reauth_confirmed(request, form):
        endpoint, secret = services.endpoint_secret_rotate(user=request.user, endpoint=endpoint)
        return _secret_page(request, endpoint, secret, rotated=True)
    context = {"endpoint": endpoint, "form": form, "action": "rotate", **_reauth_context()}
    return render(request, "webhooks/confirm.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_delete(request, pk):
    endpoint = _get_endpoint(request, pk)
    back = reverse("webhook_endpoint_delete", kwargs={"pk": endpoint.pk})
    form = reauth_form(ConfirmForm, request, request.POST if request.method == "POST" else None, back=back)
    if request.method == "POST" and reauth_confirmed(request, form):
        services.endpoint_delete(user=request.user, endpoint=endpoint)
        messages.success(request, f"The endpoint {endpoint.url} and its delivery log are deleted.")
        return redirect("webhook_endpoints")
    context = {
        "endpoint": endpoint,
        "form": form,
        "action": "delete",
        "counts": selectors.endpoint_counts(endpoint),
        **_reauth_context(),
    }
    return render(request, "webhooks/confirm.html", context, status=400 if form.is_bound else 200)
