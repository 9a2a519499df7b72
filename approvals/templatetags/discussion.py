from django import template

from approvals.discussion import thread_of
from approvals.permissions import can_discuss

register = template.Library()


@register.inclusion_tag("approvals/_discussion_thread.html", takes_context=True)
def discussion_thread(context, use_case, form=None, reply_to=None):
    """A use case's discussion and, for those who take part, the form to post to it. A fixed number of
    queries whatever the length of the thread."""
    from approvals.discussion_views import MessageForm

    user = context["request"].user
    verdict = can_discuss(user, use_case)
    return {
        "use_case": use_case,
        "thread": thread_of(use_case),
        "can_post": bool(verdict),
        "refusal": verdict.reason,
        "form": form or MessageForm(),
        "reply_to": reply_to,
        "request": context["request"],
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }
