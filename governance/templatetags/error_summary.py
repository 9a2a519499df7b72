"""The error summary at the top of a form that failed: every error, each linked to its field."""

from django import forms, template

register = template.Library()


def _entries(form: forms.BaseForm) -> list[dict]:
    entries = [{"anchor": "", "label": "", "message": message} for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form[name]
        # A hidden field has nothing to move to: its error reads as one about the whole form.
        anchor = "" if field.is_hidden else field.auto_id
        entries += [{"anchor": anchor, "label": field.label, "message": message} for message in messages]
    return entries


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_or_formsets, title: str = "") -> dict:
    """`{% error_summary form %}` (several forms or formsets at once if a page posts them together).

    A field's anchor is its `auto_id`: the input itself, or the element Django wraps a group of radio
    buttons or checkboxes in. Templates that draw such a group by hand give their fieldset that id."""
    entries: list[dict] = []
    for item in forms_or_formsets:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            entries += [{"anchor": "", "label": "", "message": m} for m in item.non_form_errors()]
            for form in item.forms:
                entries += _entries(form)
        else:
            entries += _entries(item)
    return {"entries": entries, "title": title}
