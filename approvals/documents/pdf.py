"""HTML to PDF with WeasyPrint, allowed to read nothing but the project's own static files."""

import logging
import threading
import time
from dataclasses import dataclass
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


class RenderLimitExceeded(ValueError):
    """The document outgrew its page limit or its time: it is refused, not retried (the same text would
    outgrow it again)."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    refused: tuple[str, ...]  # URLs the fetcher would not load (none, when the template is right)


# WeasyPrint announces each page on its progress logger as it lays it out; listening there stops a
# runaway document at the page that crosses the limit instead of after laying out all of them.
_PROGRESS = logging.getLogger("weasyprint.progress")
_PAGE = "Creating layout - Page %d"
_limits = threading.local()


class _LayoutGuard(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        limits = getattr(_limits, "current", None)
        if limits is not None and record.args and _PAGE in str(record.msg):
            max_pages, deadline = limits
            page = record.args[0]
            if page > max_pages:
                raise RenderLimitExceeded(f"The document is longer than {max_pages} pages.")
            if time.monotonic() > deadline:
                raise RenderLimitExceeded(f"The document took longer than its time to lay out (page {page}).")
        return record.levelno >= logging.WARNING  # progress stays quiet, as the logging settings ask


_GUARD = _LayoutGuard()


def render_document(html: str, *, max_pages: int | None = None, seconds: float | None = None) -> RenderedPdf:
    """Render a full HTML document to PDF, loading nothing but the project's static files, within a page
    limit (by default CLEARANCE_PDF_MAX_PAGES, a record's) and a time (CLEARANCE_RENDER_SOFT_SECONDS)
    checked at each page.

    The time here also bounds renders run in-process, where no worker time limit applies; under a
    worker the task's soft and hard limits bound a single page that never ends.
    """
    max_pages = max_pages or settings.CLEARANCE_PDF_MAX_PAGES
    seconds = seconds or settings.CLEARANCE_RENDER_SOFT_SECONDS
    if _GUARD not in _PROGRESS.filters:
        _PROGRESS.addFilter(_GUARD)
    if _PROGRESS.level != logging.INFO:  # the guard hears pages only at INFO; it lets nothing below WARNING out
        _PROGRESS.setLevel(logging.INFO)
    fetcher = StaticOnlyFetcher()
    _limits.current = (max_pages, time.monotonic() + seconds)
    try:
        document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render()
    finally:
        _limits.current = None
    if len(document.pages) > max_pages:  # the same rule, should the renderer stop announcing pages
        raise RenderLimitExceeded(f"The document is longer than {max_pages} pages.")
    return RenderedPdf(data=document.write_pdf(), pages=len(document.pages), refused=tuple(fetcher.refused))


def render_pdf(html: str) -> bytes:
    """Render the executive report (a full document) to PDF bytes, within its own page limit (its
    appendix alone may run to dozens of pages) and the time of `render_document`."""
    return render_document(html, max_pages=settings.CLEARANCE_REPORT_MAX_PAGES).data
