"""The container's layout built without a container runtime: the Dockerfile's COPY and install
steps in a fresh folder, then the installed `amity` started as its CMD and HEALTHCHECK say."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from .conftest import launch

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _build_stage() -> list[tuple[str, str]]:
    steps = _instructions()
    starts = [i for i, (word, _) in enumerate(steps) if word == "FROM"]
    assert len(starts) == 2, "a build stage and a runtime stage"
    return steps[starts[0] + 1 : starts[1]]


def _copy(source: Path, target: Path, *, into: bool) -> None:
    """Docker's COPY: a folder's content into the target, a file into it (target/) or as it."""
    if source.is_dir():
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
        return
    goal = target / source.name if into else target
    goal.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, goal)


def _uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".uv" / "bin" / "uv")
    if not Path(found).exists():
        pytest.skip("no uv (make setup installs it)")
    return found


def test_the_image_layout_installs_and_answers(tmp_path):
    tree = tmp_path / "opt-amity"
    tree.mkdir()
    workdir = None
    ran = []
    for word, rest in _build_stage():
        if word == "WORKDIR":
            workdir = rest
        elif word == "COPY" and not rest.startswith("--from"):
            *sources, target = rest.split()
            for source in sources:
                _copy(ROOT / source, tree / target, into=target.endswith("/"))
        elif word == "RUN":
            # The install step, run in the fresh folder in place of the image's WORKDIR.
            command = rest.replace(workdir or "/opt/amity", str(tree))
            env = {**os.environ, "UV": _uv(), "UV_PYTHON": "3.11"}
            env.pop("VIRTUAL_ENV", None)
            done = subprocess.run(command, shell=True, cwd=tree, env=env,
                                  capture_output=True, text=True)  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            ran.append(command)
    assert ran == [f"deploy/install.sh {tree}"]
    python = tree / ".venv" / "bin" / "python"
    amity = tree / ".venv" / "bin" / "amity"
    # The package is in the environment itself, not a link to the tree, and no test tools came.
    where = subprocess.run([python, "-c", "import amity; print(amity.__file__)"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert where.startswith(str(tree / ".venv" / "lib"))
    assert subprocess.run([python, "-c", "import pytest"], capture_output=True).returncode != 0
    shutil.rmtree(tree / "src")  # what the runtime stage leaves behind

    steps = _instructions()
    cmd = json.loads(next(rest for word, rest in steps if word == "CMD"))
    assert cmd == ["amity", "serve"]
    health = next(rest for word, rest in steps if word == "HEALTHCHECK")
    url = re.search(r"http://127\.0\.0\.1:8000(/\w+)", health)
    assert url and url.group(1) == "/healthz"
    database = f"sqlite:///{tmp_path / 'amity.db'}"
    env = {"AMITY_DATABASE_URL": database}
    subprocess.run([amity, "--help"], check=True, capture_output=True)
    # `amity init` of the installed copy makes the schema (without the gazetteer's minute: a
    # migrated database is all /readyz asks for).
    subprocess.run(
        [python, "-c", "from amity.core import schema; from amity.core.db import make_engine;"
         f"schema.upgrade(make_engine({database!r}))"],
        check=True, capture_output=True,
    )  # fmt: skip
    command = [str(amity), *cmd[1:], "--host", "127.0.0.1", "--port", "{port}"]
    with launch(database, tmp_path / "server.log", env=env, command=command,
                ready="/readyz") as server:  # fmt: skip
        alive = httpx.get(server.base + url.group(1))
        ready = httpx.get(server.base + "/readyz")
        static = httpx.get(server.base + "/static/amity.css")
    assert alive.status_code == 200 and alive.json()["status"] == "ok"
    assert ready.status_code == 200 and ready.json()["checks"]["warm"]["ok"]
    assert static.status_code == 200  # the package's files came with it
