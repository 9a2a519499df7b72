"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load the URLconf (every view module) and the template engines (every tag library) while the
    worker boots, so that its first request costs what the others do. Nothing here imports the PDF
    renderer: documents are rendered by the background worker, which loads it itself."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports config.urls and the views)
    for engine in engines.all():
        getattr(engine, "engine", engine).template_libraries  # noqa: B018


_warm_up()
