"""The inbox (every notification the system sends, read in the application) and a use case's discussion.

An inbox entry is its recipient's alone: anyone else gets 404. Following one marks it read and goes to
where to act. The discussion is seen by whoever sees the use case (others get 404) and posted to by those
who take part in it (`can_discuss`; others get 403).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import discussion as services
from approvals.models import MESSAGE_MAX_LENGTH, Message, Notification
from approvals.notifications import (
    inbox_of,
    is_site_path,
    notification_mark_read,
    notifications_mark_all_read,
)
from approvals.permissions import can_discuss
from governance.ids import parse_id
from governance.limits import BoundedCharField
from governance.paging import page_number, paginate
from governance.views import get_use_case_for_user


class MessageForm(forms.Form):
    body = BoundedCharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mention a person with @username, or a function with @legal, @privacy, @security or @procurement.",
        error_messages={"required": "Write a message."},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


def _inbox_url(page) -> str:
    number = page_number(page)
    return reverse("inbox") + (f"?page={number}" if number > 1 else "")


def _entry_for_user(user, pk: int) -> Notification:
    """The user's own inbox entry, or 404: someone else's is not said to exist."""
    return get_object_or_404(Notification.objects.only("recipient_id", "link", "read_at"), pk=pk, recipient=user)


@require_GET
@login_required
def inbox(request):
    page = paginate(inbox_of(request.user), request.GET.get("page"))
    return render(request, "approvals/inbox.html", {"page": page, "entries": page.object_list})


@require_GET
@login_required
def inbox_follow(request, pk):
    """Go to where the entry asks to act, and count it read."""
    entry = _entry_for_user(request.user, pk)
    notification_mark_read(notification=entry, user=request.user)
    return redirect(entry.link if is_site_path(entry.link) else reverse("inbox"))


@require_POST
@login_required
def inbox_read(request, pk):
    entry = _entry_for_user(request.user, pk)
    notification_mark_read(notification=entry, user=request.user)
    return redirect(_inbox_url(request.POST.get("page")))


@require_POST
@login_required
def inbox_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect(_inbox_url(request.POST.get("page")))


@require_http_methods(["GET", "POST"])
@login_required
def discussion(request, reference):
    """GET: the thread on its own page (with a reply to one message, `?reply=<id>`). POST: post to it."""
    use_case = get_use_case_for_user(request.user, reference)
    reply_to = None
    if request.method == "POST":
        verdict = can_discuss(request.user, use_case)
        if not verdict:
            raise PermissionDenied(verdict.reason)
        form = MessageForm(request.POST)
        if form.is_valid():
            reply_to = _message_of(use_case, form.cleaned_data["reply_to"])
            try:
                message = services.message_post(
                    use_case=use_case, user=request.user, body=form.cleaned_data["body"], reply_to=reply_to
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                # The page opens at the message itself: that is the confirmation.
                return redirect(message.get_absolute_url())
    else:
        reply_to = _message_of(use_case, request.GET.get("reply"))
        form = MessageForm(initial={"reply_to": reply_to.pk if reply_to else None})
    context = {"use_case": use_case, "form": form, "reply_to": reply_to}
    return render(request, "approvals/discussion.html", context)


def _message_of(use_case, pk) -> Message | None:
    """The message `pk` of this use case's thread, None when not given; 404 for another thread's."""
    if pk in (None, ""):
        return None
    number = parse_id(str(pk).strip())
    if number is None:
        raise Http404("No such message")
    return get_object_or_404(Message.objects.select_related("author"), pk=number, use_case=use_case)
