from django import template

from governance.countries import country_label

register = template.Library()


@register.filter
def country(code) -> str:
    """ "KR · South Korea" for an assigned ISO 3166-1 code; anything else (an empty value, a code frozen
    in an old snapshot) as it is."""
    return country_label(code) if isinstance(code, str) else code
