"""The production settings plus what only the web benchmark needs: its URLconf (the app's, and a floor view)
and a static root under /tmp for `collectstatic`, so that a benchmark run leaves nothing in the checkout."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/clearance-bench-static"))  # noqa: S108
