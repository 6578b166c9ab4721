#!/bin/sh
# Install Amity from a source tree into <tree>/.venv, exactly as uv.lock pins it, without the
# development tools; the package itself is copied in (not linked to the tree), so the tree's
# src/ may be dropped afterwards. The Dockerfile runs this, and tests/deploy/test_install.py runs
# it in a fresh folder (where no container runtime is at hand) and starts what it made.
#   usage: deploy/install.sh [tree]        (uv on the PATH or in $UV; Python 3.11: $UV_PYTHON)
set -eu
cd "${1:-.}"
"${UV:-uv}" sync --frozen --no-dev --no-editable --compile-bytecode
.venv/bin/amity --help > /dev/null  # it starts: every runtime dependency is there
