from django import template

register = template.Library()


@register.filter
def person(user, empty: str = "Clearance") -> str:
    """A person's display name; `empty` (the system) when there is nobody, e.g. a scheduled sweep."""
    if user is None or user == "":
        return empty
    return user.get_full_name() or user.username
