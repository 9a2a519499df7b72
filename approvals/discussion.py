"""A use case's discussion: reviewers ask, owners answer, without a round being sent back.

A message is posted by `message_post`, in one transaction with the use case locked (the order every
workflow service takes) and an event, so the thread is part of the use case's history and of the round's
record. Mentions (`@username` for a person who may see the use case, `@legal`, `@privacy`, ... for a
function's members) and the owners (of a question) or the askers (of an answer) are told, each once, in
their inbox and by e-mail, with a link to the message.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from approvals.models import MESSAGE_MAX_LENGTH, ApprovalEvent, ApprovalRequest, Message
from approvals.notifications import notification_queue, site_link
from approvals.notify import members_of, named, owners_of
from approvals.permissions import can_discuss
from governance.limits import refuse_overlong
from governance.models import UseCase
from governance.permissions import can_view_use_case
from governance.roles import FUNCTION_GROUP, Function

# Functions a message can mention, by the word that follows the @.
MENTIONABLE = {function.value: function for function in FUNCTION_GROUP}
MAX_MENTIONS = 20
# `@name`: the characters of a username, not ending in a full stop (the end of a sentence), and not
# preceded by a word character (an e-mail address is no mention).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+-])")
# How much of a message an e-mail quotes.
QUOTED = 1_000


@dataclass(frozen=True)
class Mentions:
    usernames: tuple[str, ...]
    functions: tuple[str, ...]


def mentions_in(body: str) -> Mentions:
    """The people and functions `body` mentions, each once, in the order written. A word that names a
    function is the function's mention (`@legal`), whatever anyone's username."""
    usernames, functions = [], []
    for word in MENTION.findall(body):
        if word.lower() in MENTIONABLE:
            if word.lower() not in functions:
                functions.append(word.lower())
        elif word not in usernames:
            usernames.append(word)
    return Mentions(tuple(usernames), tuple(functions))


def _name(user) -> str:
    return user.get_full_name() or user.username


def _mentioned_people(use_case: UseCase, usernames: tuple[str, ...]) -> list:
    """The people `usernames` name; a ValidationError on the message's body for any who is not someone
    who may see the use case. Whether such an account exists is not said: both read the same."""
    found = {u.username: u for u in get_user_model().objects.filter(username__in=usernames, is_active=True)}
    refused = [name for name in usernames if name not in found or not can_view_use_case(found[name], use_case)]
    if refused:
        names = ", ".join(f"@{name}" for name in refused)
        raise ValidationError(
            {"body": f"{names}: only people who may see {use_case.reference} can be mentioned, by their username."}
        )
    return [found[name] for name in usernames]


def _is_owner(user, use_case: UseCase) -> bool:
    return user.pk in {use_case.business_owner_id, use_case.technical_owner_id, use_case.risk_owner_id}


def _askers(message: Message, use_case: UseCase) -> list:
    """Whom an owner's message answers: the author of the message it replies to, and the authors of the
    messages by others than the owners since an owner last wrote."""
    earlier = list(
        Message.objects.filter(use_case=use_case, pk__lt=message.pk).select_related("author").order_by("-pk")[:50]
    )
    askers = [message.reply_to.author] if message.reply_to is not None else []
    for previous in earlier:
        if _is_owner(previous.author, use_case):
            break
        askers.append(previous.author)
    return askers


def _recipients(message: Message, use_case: UseCase, people: list, functions: tuple[str, ...]) -> dict:
    """Who hears of `message`, each once (the first reason found is theirs), never its author."""
    author = message.author
    recipients: dict[int, tuple] = {}

    def tell(person, why: str) -> None:
        if person.pk != author.pk and person.pk not in recipients and person.is_active:
            recipients[person.pk] = (person, why)

    for person in people:
        tell(person, "mentioned you")
    for function in functions:
        for member in members_of(function):
            tell(member, f"mentioned {Function(function).label}")
    if _is_owner(author, use_case):
        for asker in _askers(message, use_case):
            tell(asker, "answered")
    else:
        for owner in sorted(owners_of(use_case), key=lambda u: u.pk):
            tell(owner, "asked a question")
    # Nobody hears of a use case they may not see (a function mentioned in a draft, say).
    return {pk: entry for pk, entry in recipients.items() if can_view_use_case(entry[0], use_case)}


def message_post(*, use_case: UseCase, user, body: str, reply_to: Message | None = None) -> Message:
    """Post `body` to the discussion of `use_case` as `user`.

    1. Refuse an empty or overlong body; lock the use case; check that `user` takes part
       (`can_discuss`) and that `reply_to`, if any, is of the same thread.
    2. Resolve the mentions: an unknown person, or one who may not see the use case, is an error on the
       body, and nothing is posted.
    3. Write the message (on the round open now, if any) and a COMMENTED event.
    4. Tell the mentioned people, the members of the mentioned functions, and the owners (of a question)
       or the askers (of an answer): each once, with a link to the message.
    """
    from approvals.services import WorkflowRefused

    refuse_overlong(body=(body, MESSAGE_MAX_LENGTH))
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    mentions = mentions_in(body)
    if len(mentions.usernames) + len(mentions.functions) > MAX_MENTIONS:
        raise ValidationError({"body": f"Mention at most {MAX_MENTIONS} people and functions in one message."})
    with transaction.atomic():
        use_case = UseCase.objects.select_for_update().select_related("business_owner").get(pk=use_case.pk)
        verdict = can_discuss(user, use_case)
        if not verdict:
            raise WorkflowRefused(verdict.reason)
        if reply_to is not None and reply_to.use_case_id != use_case.pk:
            raise ValidationError({"reply_to": "Reply to a message of this discussion."})
        people = _mentioned_people(use_case, mentions.usernames)
        round = use_case.rounds.filter(status=ApprovalRequest.Status.IN_REVIEW).first()
        message = Message.objects.create(
            use_case=use_case,
            round=round,
            author=user,
            body=body,
            reply_to=reply_to,
            mentioned_functions=f" {' '.join(mentions.functions)} " if mentions.functions else "",
        )
        message.mentioned_users.set(people)
        ApprovalEvent.objects.create(
            use_case=use_case,
            round=round,
            actor=user,
            verb=ApprovalEvent.Verb.COMMENTED,
            data={
                "message": message.pk,
                "mentions": [f"@{p.username}" for p in people] + [f"@{f}" for f in mentions.functions],
            },
        )
        link = message.get_absolute_url()
        quoted = body if len(body) <= QUOTED else body[: QUOTED - 1] + "…"
        for recipient, why in _recipients(message, use_case, people, mentions.functions).values():
            notification_queue(
                recipient=recipient,
                subject=f"{use_case.reference}: {_name(user)} {why}",
                body=f"{_name(user)} wrote in the discussion of {named(use_case)}:\n\n{quoted}\n\n"
                f"Read and answer it: {site_link(link)}",
                link=link,
            )
    return message


def thread_of(use_case: UseCase) -> list[Message]:
    """The discussion of `use_case`, oldest first, with authors, replies and mentions (three queries)."""
    return list(
        Message.objects.filter(use_case=use_case)
        .select_related("author", "round", "reply_to__author")
        .prefetch_related("mentioned_users")
        .order_by("created_at", "pk")
    )
