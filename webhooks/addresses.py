"""Which addresses an endpoint may have. One rule, used by the form, the services and anything else that
registers an endpoint: http or https only, no credentials in it, and https unless the host is this
machine (or CLEARANCE_WEBHOOK_ALLOW_HTTP says plain http is acceptable on this network)."""

import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from governance.limits import too_long_message
from webhooks.models import URL_MAX_LENGTH

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _refuse(message: str):
    raise ValidationError({"url": message})


def endpoint_url_checked(raw: str | None) -> str:
    """The address, stripped, or a ValidationError on `url` that says what to change."""
    url = (raw or "").strip()
    if not url:
        _refuse("Give the address that receives the deliveries, e.g. https://hooks.example.com/clearance.")
    if len(url) > URL_MAX_LENGTH:
        _refuse(too_long_message(URL_MAX_LENGTH, len(url)))
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Zs"} for c in url):
        _refuse("An address has no spaces or control characters in it.")
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        _refuse("This is not a web address (check the host and the port).")
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}://" if scheme else "an address without http:// or https://"
        _refuse(f"Deliveries are HTTP POST requests: use an https:// address, not {shown}.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        _refuse(
            "Remove the user name and password from the address: an address is shown on the pages and kept in "
            "the history, and each delivery is signed with the endpoint's secret instead."
        )
    host = (parts.hostname or "").lower()
    if not host:
        _refuse("The address has no host name.")
    if port == 0:
        _refuse("Port 0 is not a port to deliver to.")
    if parts.fragment:
        _refuse("Remove the part after # from the address: it is never sent to the server.")
    if scheme == "http" and host not in LOCAL_HOSTS and not settings.CLEARANCE_WEBHOOK_ALLOW_HTTP:
        _refuse(
            "Use https:// for this host: deliveries carry decisions and are signed, and plain http:// is accepted "
            "only for localhost, 127.0.0.1 and ::1 (or where CLEARANCE_WEBHOOK_ALLOW_HTTP is on)."
        )
    return scheme + url[len(scheme) :]  # the scheme in lower case, as the database's check expects it
