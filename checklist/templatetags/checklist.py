from django import template

from checklist.progress import section_progress as _section_progress

register = template.Library()


@register.filter
def section_progress(rows):
    """The checklist rows' progress by section, for `{% with progress=rows|section_progress %}`."""
    return _section_progress(rows)
