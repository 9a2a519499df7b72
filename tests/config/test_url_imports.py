"""Loading the URLconf stays light: a web worker's first request must not pay for the PDF renderer."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Import every view module through the URLconf, resolve and reverse every named route, then tell which
# heavy modules came along.
PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver, resolve, reverse
import config.urls

resolver = get_resolver()
resolved = 0
for name, entries in resolver.reverse_dict.lists():
    if not isinstance(name, str):
        continue
    for possibility, _pattern, _defaults, _converters in entries:
        for _template, params in possibility:
            samples = {"chart": "tier", "fmt": "svg"}  # parameters that take one of a few words
            try:
                url = reverse(name, kwargs={p: samples.get(p, 1) for p in params})
            except Exception:
                url = reverse(name, kwargs={p: samples.get(p, "UC-2026-0001") for p in params})
            resolve(url)
            resolved += 1
print(resolved)
print(" ".join(m for m in ("weasyprint", "fontTools", "pydyf", "tinycss2", "cssselect2") if m in sys.modules))
"""


def test_loading_the_urls_does_not_import_the_pdf_renderer():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    done = subprocess.run(  # noqa: S603 (this interpreter, with the probe above)
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr
    resolved, loaded = done.stdout.splitlines()[-2:]
    assert int(resolved) > 30  # every named route was reached, not a handful
    assert loaded == "", f"loading the URLs imported {loaded}"


def test_preparing_the_renderer_loads_every_template_a_document_includes(monkeypatch):
    """A worker prepares its documents' templates as it starts, the included ones too: parsing them in a
    record's first render cost that render a tenth of a second."""
    from django.template import loader

    from approvals.documents import pdf

    loaded = []
    real = loader.get_template
    monkeypatch.setattr(loader, "get_template", lambda name, using=None: loaded.append(name) or real(name, using))
    pdf.prepare("record", "report")
    assert set(loaded) >= {
        "approvals/record.html",
        "approvals/record/checklist.html",
        "approvals/record/signoffs.html",
        "approvals/record/vendor.html",
        "reports/report_pdf.html",
        "reports/report_figures.html",
    }
