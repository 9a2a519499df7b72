from django import template

from approvals.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int | None:
    """The signed-in user's unread inbox entries, for the header: one query per request, none for an
    anonymous visitor."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_inbox_unread"):
        request._inbox_unread = unread_count(user)
    return request._inbox_unread
