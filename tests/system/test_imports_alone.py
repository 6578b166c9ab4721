"""Every module imports on its own, whichever is imported first (a server started with
`uvicorn amity.http.app:create_app`, a test file run alone, a script): a cycle between a domain's
service and its modules shows only then."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# One interpreter: each module is imported with every amity module forgotten first.
SCRIPT = """
import importlib, pathlib, sys, warnings
warnings.simplefilter("ignore")
root = pathlib.Path(sys.argv[1]) / "amity"
failed = []
for path in sorted(root.rglob("*.py")):
    if "migrations" in path.parts:
        continue
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    name = ".".join(parts)
    for loaded in [k for k in sys.modules if k == "amity" or k.startswith("amity.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {error!r}")
print("\\n".join(failed))
"""


def test_every_module_imports_first():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SRC)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
