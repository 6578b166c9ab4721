"""`pytest -n 2 --dist loadgroup` (make test) keeps a module's tests on one worker
(tests.support.scheduling).

With pytest 9.2, xdist alone handed every test out on its own (pytest-dev/pytest-xdist#1386),
and a module's fixtures were made on both workers; nothing failed, the run only got slower.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Two quick modules; the first has 37 tests: handed out one by one, they land on both workers.
MODULES = ("tests/analytics/test_graph.py", "tests/analytics/test_lines.py")


def test_each_group_runs_on_one_worker():
    # A run of its own: not this run's workers, groups file or temporary folder.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_XDIST", "AMITY_TEST_GROUPS"))}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
         "-p", "no:cacheprovider", *MODULES],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    workers: dict[str, set[str]] = defaultdict(set)
    for worker, nodeid in re.findall(r"\[(gw\d)\].*?PASSED (\S+)", done.stdout):
        workers[nodeid.split("::")[0]].add(worker)
    assert set(workers) == set(MODULES), done.stdout[-3000:]
    assert all(len(used) == 1 for used in workers.values()), dict(workers)
