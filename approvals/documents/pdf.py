"""HTML to PDF with WeasyPrint, allowed to read nothing but the project's own static files.

WeasyPrint (with Pango, cairo and fontTools behind it) takes over a second to import, so it is imported
here only when a document is rendered, never when the URLs or the admin load: a web worker that never
renders a PDF never pays for it. What every render would otherwise build again (the fetcher class, the
font configuration, the parsed stylesheets, the static files read) is made once per process, or per
thread where the object is not safe to share, and kept (`prepare` does it ahead of the first render).
"""

import functools
import gc
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

log = logging.getLogger(__name__)

STATIC_SCHEME = "static:"  # static:css/record.css is the project's static file; nothing else resolves
RECORD_CSS = "css/record.css"
REPORT_CSS = "css/report.css"


@functools.cache
def _fetcher_class():
    """StaticOnlyFetcher, defined on first use: its base class is WeasyPrint's."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve `static:` and `data:` URLs; refuse the network and every other file.

        User text is escaped by the templates, so an `<img src=http://…>` in a purpose field never
        becomes markup; this fetcher is the second wall, for anything that reaches the renderer anyway.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("static", "data"), allow_redirects=False, timeout=1)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith(STATIC_SCHEME):
                try:
                    path = _static_path(url[len(STATIC_SCHEME) :])
                except SuspiciousFileOperation:  # a path that climbs out of the static folders
                    path = None
                if path is not None:
                    return URLFetcherResponse(url, _static_bytes(path), {"Content-Type": _mime(path)})
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            self.refused.append(url)
            log.warning("PDF renderer refused to load %s", url)
            raise ValueError(f"Refused to load {url}: documents only load the project's static files")

    StaticOnlyFetcher.__module__ = __name__
    StaticOnlyFetcher._static_path = staticmethod(_static_path)
    return StaticOnlyFetcher


def __getattr__(name):
    # `from approvals.documents.pdf import StaticOnlyFetcher` still works, and imports WeasyPrint then.
    if name == "StaticOnlyFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _static_path(relative: str) -> Path | None:
    relative = unquote(urlparse(relative).path).lstrip("/")
    found = finders.find(relative)
    if not found:
        return None
    path = Path(found).resolve()
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    return path if any(path.is_relative_to(root) for root in roots) and path.is_file() else None


def _static_bytes(path: Path) -> bytes:
    # Static files change only with a deploy; the modification time keys the cache so that an edit made
    # while the development server runs is still seen.
    return _read_static(path, os.stat(path).st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _read_static(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2"}.get(
        path.suffix, "application/octet-stream"
    )


# --- Made once and kept ---------------------------------------------------------------------------

_kept = threading.local()


def _font_config():
    """The thread's font configuration: Fontconfig's loaded configuration and Pango's font map with its
    caches of opened fonts. Pango's font map is not safe to share between threads, so each rendering
    thread keeps its own (a worker process has one). The stylesheets declare no @font-face, so nothing a
    document says is added to it."""
    font_config = getattr(_kept, "font_config", None)
    if font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        font_config = _kept.font_config = FontConfiguration()
    return font_config


_css_lock = threading.Lock()
_css: dict[Path, tuple[int, object]] = {}  # path: (modification time, parsed sheet)


def _stylesheet(relative: str):
    """The parsed static stylesheet `relative` (as a `weasyprint.CSS`), parsed once per version of the
    file. Only read while documents are laid out, so one parse serves every thread."""
    from weasyprint import CSS

    path = _static_path(relative)
    if path is None:
        raise FileNotFoundError(f"No static stylesheet {relative}")
    mtime = os.stat(path).st_mtime_ns
    with _css_lock:
        kept = _css.get(path)
        if kept is None or kept[0] != mtime:
            sheet = CSS(
                string=_static_bytes(path).decode(),
                base_url=f"{STATIC_SCHEME}{relative}",
                url_fetcher=_fetcher_class()(),
            )
            kept = _css[path] = (mtime, sheet)
        return kept[1]


# What each kind of document is made from: its template and its stylesheet.
DOCUMENTS = {
    "record": ("approvals/record.html", RECORD_CSS),
    "report": ("reports/report_pdf.html", REPORT_CSS),
    "slide": ("reports/report_slide.html", "css/slide.css"),
}


def prepare(*documents: str) -> None:
    """Make now, rather than in the first render, what every render of these kinds of document
    ("record", "report"; by default both) uses: WeasyPrint imported, the font configuration loaded, the
    stylesheets parsed, the templates (and the template engine's tag libraries) and the URLconf loaded.
    For processes that render: Celery workers as they start, the benchmark before its clock starts.

    (Laying out a small page here as well was measured: it saved no time and kept 12 MB more.)"""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (a record links to the verify page)
    _font_config()
    for kind in documents or tuple(DOCUMENTS):
        template, stylesheet = DOCUMENTS[kind]
        _load_with_includes(get_template(template))
        _stylesheet(stylesheet)


def _load_with_includes(template) -> None:
    """Load (and so parse, once per process) the templates `template` includes by a constant name: the
    engine parses an included template when a render first reaches it, 0.1 s of a record's first render."""
    from django.template.loader import get_template
    from django.template.loader_tags import IncludeNode

    for node in template.template.nodelist.get_nodes_by_type(IncludeNode):
        name = node.template.var  # a constant name is kept as the string itself, a variable as a Variable
        if isinstance(name, str) and not node.template.filters:
            _load_with_includes(get_template(name))


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

# A layout allocates hundreds of thousands of small objects (boxes, computed styles, text layouts) that
# all live until the PDF is written. At Python's default thresholds the cycle collector runs thousands of
# times during a render, each full pass over everything the process holds: a fifth of a record's time.
# While a document renders, the youngest generation is collected after this many allocations instead of
# 700; collections still run, so no more garbage is kept (the peak memory is the same within a few MB).
RENDER_GC_THRESHOLD = (50_000, 20, 20)
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def _fewer_collections():
    global _gc_renders, _gc_saved
    with _gc_lock:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*RENDER_GC_THRESHOLD)
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)


def render_document(
    html: str,
    *,
    stylesheets: tuple[str, ...] = (RECORD_CSS,),
    max_pages: int | None = None,
    seconds: float | None = None,
) -> RenderedPdf:
    """Render a full HTML document to PDF, styled by the static `stylesheets` (parsed once and kept; by
    default the record's), loading nothing but the project's static files, within a page limit (by default
    CLEARANCE_PDF_MAX_PAGES, a record's) and a time (CLEARANCE_RENDER_SOFT_SECONDS) checked at each page.

    The time here also bounds renders run in-process, where no worker time limit applies; under a
    worker the task's soft and hard limits bound a single page that never ends.
    """
    from weasyprint import HTML

    max_pages = max_pages or settings.CLEARANCE_PDF_MAX_PAGES
    seconds = seconds or settings.CLEARANCE_RENDER_SOFT_SECONDS
    if _GUARD not in _PROGRESS.filters:
        _PROGRESS.addFilter(_GUARD)
    if _PROGRESS.level != logging.INFO:  # the guard hears pages only at INFO; it lets nothing below WARNING out
        _PROGRESS.setLevel(logging.INFO)
    sheets = [_stylesheet(relative) for relative in stylesheets]
    font_config = _font_config()
    fetcher = _fetcher_class()()
    with _fewer_collections():
        _limits.current = (max_pages, time.monotonic() + seconds)
        try:
            document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
                font_config=font_config, stylesheets=sheets
            )
        finally:
            _limits.current = None
        if len(document.pages) > max_pages:  # the same rule, should the renderer stop announcing pages
            raise RenderLimitExceeded(f"The document is longer than {max_pages} pages.")
        data = document.write_pdf()
    return RenderedPdf(data=data, pages=len(document.pages), refused=tuple(fetcher.refused))


def render_pdf(html: str) -> bytes:
    """Render the executive report (a full document) to PDF bytes, within its own page limit (its
    appendix alone may run to dozens of pages) and the time of `render_document`."""
    return render_document(html, stylesheets=(REPORT_CSS,), max_pages=settings.CLEARANCE_REPORT_MAX_PAGES).data
