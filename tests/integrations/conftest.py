import sys
from pathlib import Path

# The hook's package is installed into the gateway's Python, not the app's: the tests import it from the tree.
HOOK_PACKAGE = Path(__file__).resolve().parents[2] / "integrations" / "litellm"
if str(HOOK_PACKAGE) not in sys.path:
    sys.path.insert(0, str(HOOK_PACKAGE))
LITELLM_VENV = HOOK_PACKAGE.parents[1] / ".venv-litellm"
LITELLM_PYTHON = LITELLM_VENV / "bin" / "python"
