"""People pages for governance admins: who holds which role, granting and revoking the roles Clearance
manages, closing and reopening accounts. Everyone else gets 404. Each change asks why, and the password
again when it was not given recently (identity.reauth)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.paging import paginate
from governance.roles import ROLE_KEYS
from identity import selectors, services
from identity.forms import PeopleFilterForm, ReasonForm, RoleChangeForm
from identity.reauth import reauth_confirmed, reauth_form

User = get_user_model()
ROLE_SLUGS = {role: key for key, role in ROLE_KEYS.items()}


def _errors_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return exc.messages


def _manager_only(request) -> None:
    if not services.can_manage_people(request.user):
        raise Http404("No such page")


def _get_person(request, pk):
    _manager_only(request)
    return get_object_or_404(User.objects.select_related("external_identity"), pk=pk)


@require_GET
@login_required
def people(request):
    """Everyone with an account: their roles and where each comes from, searchable and filtered."""
    _manager_only(request)
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(selectors.people_listed(**filters), request.GET.get("page"))
    for person in page.object_list:
        person.role_list = selectors.roles_of(person)
        person.has_provider_account = services.has_provider_account(person)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "people": page.object_list, "query": query.urlencode()}
    return render(request, "identity/people.html", context, status=400 if form.errors else 200)


def _role_form(request, person, role: str, data=None):
    return reauth_form(
        RoleChangeForm,
        request,
        data,
        back=reverse("person", kwargs={"pk": person.pk}),
        initial={"role": role},
        auto_id=f"id_{ROLE_SLUGS[role]}_%s",
    )


def _detail(request, person, *, posted=None, granting: bool = False, status=200):
    """The person's page; `posted` is a refused role form (`granting` or revoking), shown again in its role's
    row with its errors when that row offers the same change."""
    me = person.pk == request.user.pk
    held = selectors.held_signoffs(person)
    rows, posted_shown = [], False
    for row in selectors.role_rows(person):
        form = None
        if not (me or row.provider_managed or not person.is_active):
            if posted is not None and posted.data.get("role") == row.role and granting != row.held:
                form, posted_shown = posted, True
            else:
                form = _role_form(request, person, row.role)
        # Revoking a reviewing role sends the sign-offs of its function they hold back to its queue.
        releases = [s for s in held if s.function in services.functions_of_role(row.role)] if row.held else []
        rows.append({"row": row, "form": form, "releases": releases})
    context = {
        "person": person,
        "me": me,
        "provider_account": person.external_identity if services.has_provider_account(person) else None,
        "rows": rows,
        # A refused change whose role has no form on the page (yourself, a deactivated person, the provider's
        # role, an unknown role): its errors go at the top.
        "refused": posted if posted is not None and not posted_shown else None,
        "is_lead": selectors.is_lead(person),
        "held": held,
        "history": selectors.role_history(person),
        "reauth_minutes": settings.CLEARANCE_REAUTH_MINUTES,
        "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME,
    }
    return render(request, "identity/person.html", context, status=status)


@require_GET
@login_required
def person(request, pk):
    return _detail(request, _get_person(request, pk))


def _role_change(request, pk, *, act, done: str, granting: bool):
    person = _get_person(request, pk)
    role = request.POST.get("role", "")
    form = reauth_form(
        RoleChangeForm,
        request,
        request.POST,
        back=reverse("person", kwargs={"pk": person.pk}),
        auto_id=f"id_{ROLE_SLUGS[role]}_%s" if role in ROLE_SLUGS else "id_%s",
    )
    if reauth_confirmed(request, form):
        try:
            act(person=person, role=form.cleaned_data["role"], user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in _errors_of(exc):
                form.add_error(None, message)
        else:
            messages.success(request, done.format(person=services.name_of(person), role=form.cleaned_data["role"]))
            return redirect("person", pk=person.pk)
    return _detail(request, person, posted=form, granting=granting, status=400)


@require_POST
@login_required
def role_grant(request, pk):
    return _role_change(request, pk, act=services.role_grant, done="{person} now holds “{role}”.", granting=True)


@require_POST
@login_required
def role_revoke(request, pk):
    return _role_change(
        request, pk, act=services.role_revoke, done="{person} no longer holds “{role}”.", granting=False
    )


def _account_action(request, pk, *, act, template: str, done: str, refusal):
    """GET: what the change does, and a form asking why. POST: with the reason (and the password when
    `reauth_needed`), do it; refused, the page again with the error."""
    person = _get_person(request, pk)
    data = request.POST if request.method == "POST" else None
    form = reauth_form(ReasonForm, request, data)
    if request.method == "POST" and reauth_confirmed(request, form):
        try:
            act(person=person, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in _errors_of(exc):
                form.add_error(None, message)
        else:
            messages.success(request, done.format(person=services.name_of(person)))
            return redirect("person", pk=person.pk)
    held = selectors.held_signoffs(person)
    context = {
        "person": person,
        "form": form,
        "refusal": refusal(request.user, person),
        "held": held,
        "returns": selectors.release_preview(person, held),
        "roles": [row.role for row in selectors.role_rows(person) if row.held],
        "reauth_minutes": settings.CLEARANCE_REAUTH_MINUTES,
        "sso_name": settings.CLEARANCE_OIDC_PROVIDER_NAME,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def _deactivate_refusal(user, person) -> str:
    if person.pk == user.pk:
        return "You cannot deactivate yourself: ask another governance admin."
    if not person.is_active:
        return f"{services.name_of(person)} is already deactivated."
    return ""


def _reactivate_refusal(user, person) -> str:
    return f"{services.name_of(person)} is active already." if person.is_active else ""


@require_http_methods(["GET", "POST"])
@login_required
def deactivate(request, pk):
    return _account_action(
        request,
        pk,
        act=services.person_deactivate,
        template="identity/deactivate_confirm.html",
        done="{person} is deactivated: they can no longer sign in.",
        refusal=_deactivate_refusal,
    )


@require_http_methods(["GET", "POST"])
@login_required
def reactivate(request, pk):
    return _account_action(
        request,
        pk,
        act=services.person_reactivate,
        template="identity/reactivate_confirm.html",
        done="{person} is active again.",
        refusal=_reactivate_refusal,
    )
