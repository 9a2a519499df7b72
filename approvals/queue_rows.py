"""The review queue's rows, written in Python.

A page of the queue shows up to a hundred rows of ten cells, two of them forms. Rendered by the template
engine, one variable and one tag at a time, or by `format_html` cell by cell, they cost most of the page's
time. `queue_rows` writes the same markup with one string per row: every value that comes from the
database or a user goes through `_e` (HTML escaping, quotes included, as the template engine does), and
the links are built from one reversed URL per route.
"""

from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from approvals.models import SignOff

_SENTINEL = 987654321987  # stands for a sign-off's id in a reversed URL


def _e(value) -> str:
    return escape(str(value), quote=True)


def _url_maker(name: str, sentinel):
    """A function of one argument giving `reverse(name, args=[argument])`, reversing once."""
    head, _, tail = reverse(name, args=[sentinel]).partition(str(sentinel))
    return lambda value: f"{head}{value}{tail}"


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def queue_rows(request, rows: list[SignOff], *, selectable: bool, here: str) -> list[SafeString]:
    """Each row of the page as one `<tr>`. A row carries `waiting_days`, `overdue`, `data_sensitivity_label`
    (`with_waiting_time`) and `can_take`, `can_release`, `selectable` (the view); `selectable` here says
    whether the table has its selection column."""
    context = {
        "csrf": f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(get_token(request))}">',
        "next": f'<input type="hidden" name="next" value="{_e(here)}">',
        "sign_url": _url_maker("review_sign", _SENTINEL),
        "take_url": _url_maker("review_take", _SENTINEL),
        "use_case_url": _url_maker("use_case_detail", "UC-0000-SENTINEL"),
        "selectable": selectable,
    }
    return [mark_safe(_row(row, **context)) for row in rows]  # noqa: S308 (every value is escaped by _e)


def _row(signoff: SignOff, *, csrf, next, sign_url, take_url, use_case_url, selectable) -> str:
    round = signoff.round
    use_case = round.use_case
    model = use_case.primary_model
    vendor = model.vendor
    function = _e(signoff.get_function_display())
    reference = _e(use_case.reference)
    what = f"the {function} sign-off of {reference}"
    cells = []
    if selectable:
        box = ""
        if signoff.selectable:
            pk = signoff.pk
            box = (
                f'<input type="checkbox" name="signoffs" value="{pk}" form="bulk-assign" id="select-{pk}">'
                f'<label for="select-{pk}" class="visually-hidden">Select {what}</label>'
            )
        cells.append(f"<td>{box}</td>")
    cells.append(f'<td><a href="{_e(use_case_url(use_case.reference))}">{reference}</a> {_e(use_case.title)}</td>')
    cells.append(f"<td>{function}</td>")
    cells.append(f'<td>{_e(model.name)} <span class="muted">({_e(vendor.name)}, {_e(vendor.hq_country)})</span></td>')
    sensitivity = signoff.data_sensitivity_label
    cells.append(
        f"<td>{_e(sensitivity)}</td>" if sensitivity else '<td><span class="muted">No data categories</span></td>'
    )
    tier = use_case.risk_tier
    cells.append(
        f'<td><span class="badge band-{_e(tier.value)}">{_e(tier.label)}</span></td>'
        if tier
        else '<td><span class="muted">No risks</span></td>'
    )
    cells.append(f"<td>{round.number}</td>")
    waiting = days(signoff.waiting_days)
    cells.append(
        f'<td><span class="badge band-critical">{waiting} · overdue</span></td>'
        if signoff.overdue
        else f'<td><span class="badge">{waiting}</span></td>'
    )
    holder = signoff.assignee
    cells.append(
        f"<td>{_e(holder.get_full_name() or holder.username)}</td>"
        if holder is not None
        else '<td><span class="muted">Unassigned</span></td>'
    )
    actions = [
        f'<a class="button primary" href="{sign_url(signoff.pk)}">Review'
        f'<span class="visually-hidden"> {reference} for {function}</span></a>'
    ]
    for allowed, label, action in (
        (signoff.can_take, "Take", ""),
        (signoff.can_release, "Release", '<input type="hidden" name="action" value="release">'),
    ):
        if allowed:
            actions.append(
                f'<form method="post" action="{take_url(signoff.pk)}">{csrf}{action}{next}'
                f'<button type="submit" class="button">{label}<span class="visually-hidden"> {what}</span></button>'
                "</form>"
            )
    cells.append(f'<td class="row-actions">{"".join(actions)}</td>')
    return f"<tr>{''.join(cells)}</tr>"
