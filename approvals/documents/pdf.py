"""HTML to PDF with WeasyPrint, allowed to read nothing but the project's own static files."""

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

STATIC_SCHEME = "static:"  # templates write static:css/record.css; nothing else resolves


class StaticOnlyFetcher(URLFetcher):
    """Serve `static:` and `data:` URLs; refuse the network and every other file.

    User text is escaped by the templates, so an `<img src=http://…>` in a purpose field never becomes
    markup; this fetcher is the second wall, for anything that reaches the renderer anyway.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("static", "data"), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_SCHEME):
            try:
                path = self._static_path(url[len(STATIC_SCHEME) :])
            except SuspiciousFileOperation:  # a path that climbs out of the static folders
                path = None
            if path is not None:
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})
        elif url.startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        log.warning("PDF renderer refused to load %s", url)
        raise ValueError(f"Refused to load {url}: documents only load the project's static files")

    @staticmethod
    def _static_path(relative: str) -> Path | None:
        relative = unquote(urlparse(relative).path).lstrip("/")
        found = finders.find(relative)
        if not found:
            return None
        path = Path(found).resolve()
        roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
        return path if any(path.is_relative_to(root) for root in roots) and path.is_file() else None


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"}.get(
        path.suffix, "application/octet-stream"
    )


def render_pdf(html: str) -> bytes:
    """Render `html` (a full document) to PDF bytes."""
    fetcher = StaticOnlyFetcher()
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).write_pdf()
