"""How `pytest -n 2 --dist loadgroup` shares the tests between its two workers.

A test's group (tests/conftest.py: its `xdist_group` mark, or else its module) runs on one
worker, so that a module's fixtures (a server, a browser, a copy of the demo) are made once.
pytest-xdist used to carry the group to its scheduler by appending "@group" to each node id;
since pytest 9.2 (structured node ids) that no longer takes effect, and every test was handed out
alone (pytest-dev/pytest-xdist#1386): module fixtures were made on both workers, and the two
tests of a demo module each copied the demo. So the workers write each test's group to a file
(`write_groups`), and the scheduler below reads it.

The order: xdist hands out the groups with the most tests first, which left the long groups of
one or two tests (kill -9, the wheel install) to the end, one worker busy and the other idle.
The groups named in LONGEST go first, longest first; the many short ones fill in behind them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

ENV = "AMITY_TEST_GROUPS"  # the file's path; set by the main process, inherited by the workers

# Groups that take longest, in the order they are handed out (worker-seconds in a full run on
# the 2-core test machine under load: 227 for the goalkeeper's 66 tests, 130 for the wheel
# installs, 120 for kill -9 on PostgreSQL...). A demo module first: it builds the run's demo
# database (tests/support/demo.py) while the other worker takes the biggest module, so the later
# demo modules find it built instead of waiting on its lock.
LONGEST = (
    "demo-levels",
    "tests/proposals/test_goalkeeper.py",
    "tests/system/test_install.py",
    "kill_postgresql",
    "tests/partnerships/test_import.py",
    "exports-demo",
    "demo-browser",
    "tests/partnerships/test_official_tables.py",
    "kill_sqlite",
    "tests/system/test_imports_alone.py",
    "tests/system/test_schema_outdated.py",
    "tests/security/test_input_bounds.py",
    "tests/matching/test_browser.py",
    "demo-registry",
    "tests/deploy/test_two_hosts.py",
    "page-language-browser",
    "fuzz",
    "tests/system/test_scheduling.py",  # a pytest run of its own: last, it ran alone
)


def group_of(item: pytest.Item) -> str:
    """The test's group: its xdist_group marks joined, as pytest-xdist names them."""
    names = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
             for mark in item.iter_markers("xdist_group")}  # fmt: skip
    return "_".join(sorted(names))


def write_groups(items: list[pytest.Item]) -> None:
    """On a worker: each test's node id and group, for the scheduler (both workers collect the
    same tests and write the same file; the rename makes each write whole)."""
    target = Path(os.environ[ENV])
    partial = target.with_name(f"{target.name}.{os.getpid()}")
    partial.write_text(json.dumps({item.nodeid: group_of(item) for item in items}))
    partial.replace(target)


class GroupScheduling(LoadScopeScheduling):
    """xdist's scheduling by scope, with the scope read from the workers' file."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        super().__init__(config, log)
        self._groups: dict[str, str] | None = None
        self._ordered = False

    def _split_scope(self, nodeid: str) -> str:
        if self._groups is None:  # first asked once every worker has collected
            self._groups = json.loads(Path(os.environ[ENV]).read_text())
        return self._groups.get(nodeid) or nodeid.split("::", 1)[0]

    def _assign_work_unit(self, node) -> None:
        if not self._ordered:  # the first call: the work queue is complete
            self._ordered = True
            for group in reversed(LONGEST):
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
        super()._assign_work_unit(node)
