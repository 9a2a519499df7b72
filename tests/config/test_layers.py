"""The apps are layers, and imports point down only: demo → api → gateway → webhooks → reports → identity →
approvals → evaluations → checklist → governance."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Each may import those before it.
LAYERS = [
    "governance",
    "checklist",
    "evaluations",
    "approvals",
    "identity",
    "reports",
    "webhooks",
    "gateway",
    "api",
    "demo",
]


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def test_no_app_imports_a_layer_above_it():
    upward = []
    for rank, app in enumerate(LAYERS):
        above = set(LAYERS[rank + 1 :])
        for path in sorted((ROOT / app).rglob("*.py")):
            for name in sorted(imported_apps(path) & above):
                upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []
