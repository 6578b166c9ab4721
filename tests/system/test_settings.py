"""One settings object: every AMITY_* variable is read through amity.core.settings, checked and
documented."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from amity.core import i18n
from amity.core.settings import (
    READ_AT_POINT_OF_USE,
    Settings,
    SettingsError,
    env_name,
    get_settings,
)

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "amity"
AMITY = str(Path(sys.executable).with_name("amity"))
NAME = re.compile(r"\bAMITY_[A-Z][A-Z0-9_]*[A-Z0-9]\b")  # not a family such as AMITY_SYNC_*
KNOWN = {env_name(field) for field in Settings.model_fields} | set(READ_AT_POINT_OF_USE)
# Named in the source or the docs without being settings of Amity.
NOT_SETTINGS = {
    "AMITY_INDICATORS": "a Python dict of the index's own indicators (amity.indices.indicators)",
    "AMITY_TEST_POSTGRES_URL": "the test suite's PostgreSQL server (scripts/with-postgres.sh)",
    "AMITY_FUZZ_EXAMPLES": "how long the test suite's fuzzing runs",
}


def environment_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for each read of an AMITY_* variable outside the settings: os.environ.get,
    os.getenv, os.environ[...] (read, not assigned), Typer's envvar=; a read whose name is
    computed is counted too, since it could be one."""

    def amity_or_computed(node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant):
            return node.value if str(node.value).startswith("AMITY_") else None
        return None if node is None else ast.unparse(node)

    def is_environ(node: ast.expr) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    found = []
    for node in ast.walk(ast.parse(source)):
        name = None
        if isinstance(node, ast.Call):
            func = node.func
            first = node.args[0] if node.args else None
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            environ_get = called == "get" and is_environ(getattr(func, "value", None))
            if environ_get or called == "getenv":
                name = amity_or_computed(first)
            for keyword in node.keywords:
                if keyword.arg == "envvar" and isinstance(keyword.value, ast.Constant):
                    name = name or amity_or_computed(keyword.value)
        elif (isinstance(node, ast.Subscript) and is_environ(node.value)
              and isinstance(node.ctx, ast.Load)):  # fmt: skip
            name = amity_or_computed(node.slice)
        if name:
            found.append((node.lineno, name))
    return found


def test_no_amity_variable_is_read_outside_the_settings():
    allowed = {("auth/cli.py", "AMITY_NEW_PASSWORD")}  # see READ_AT_POINT_OF_USE for why
    reads = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative == "config.py":
            continue
        for line, name in environment_reads(path.read_text("utf-8")):
            if (relative, name) not in allowed:
                reads.append(f"src/amity/{relative}:{line} reads {name}")
    assert not reads, "read these through amity.core.settings.get_settings(): " + "; ".join(reads)
    assert {name for _, name in allowed} == set(READ_AT_POINT_OF_USE)


def test_the_source_check_sees_every_kind_of_read():
    source = """
import os
from os import environ, getenv
a = os.environ.get("AMITY_A", "1")
b = os.getenv("AMITY_B")
c = os.environ["AMITY_C"]
d = environ.get(name)
e = getenv("AMITY_E")
f = typer.Option(None, envvar="AMITY_F")
os.environ["AMITY_G"] = "1"            # a write, handing a value to worker processes
os.environ.setdefault("AMITY_H", "1")  # the same
h = os.environ.get("HOME")
env = {**os.environ, "AMITY_DATABASE_URL": "x"}
"""
    assert environment_reads(source) == [
        (4, "AMITY_A"), (5, "AMITY_B"), (6, "AMITY_C"), (7, "name"), (8, "AMITY_E"),
        (9, "AMITY_F"),
    ]  # fmt: skip


def test_every_variable_named_in_the_source_and_the_docs_exists():
    """A variable named in a comment, a help text or a page is one Amity reads (no stale or
    mistyped names), and every one Amity reads is in the generated table."""
    files = [*SRC.rglob("*.py"), *SRC.rglob("*.html"), *(ROOT / "docs").glob("*.md"),
             ROOT / "README.md", *(ROOT / "deploy").iterdir()]  # fmt: skip
    unknown = set()
    for path in files:
        unknown |= set(NAME.findall(path.read_text("utf-8"))) - KNOWN - set(NOT_SETTINGS)
    assert not unknown, f"not settings of Amity: {sorted(unknown)}"
    table = (ROOT / "docs" / "configuration.md").read_text("utf-8")
    assert all(f"| `{name}` |" in table for name in KNOWN)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("AMITY_PORT", "eighty", "valid integer"),
        ("AMITY_PORT", "70000", "less than or equal to 65535"),
        ("AMITY_TRUSTED_PROXIES", "127.0.0.1, nginx", "'nginx' is not an IP address or network"),
        ("AMITY_HOME_COUNTRY", "China", "two-letter country code"),
        ("AMITY_FOUR_EYES", "maybe", "valid boolean"),
        ("AMITY_DORMANT_YEARS", "0", "greater than or equal to 1"),
        ("AMITY_WIKIDATA_TIMEOUT", "soon", "valid number"),
        ("AMITY_DB_POOL_SIZE", "-5", "greater than or equal to 0"),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_named(monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        get_settings()
    message = caught.value.message
    assert message.count(name) == 1 and problem in message and repr(value) in message
    assert isinstance(caught.value, ValueError)  # callers that caught ValueError still do
    monkeypatch.delenv(name)
    assert get_settings()  # and nothing stays broken


def test_a_secret_is_never_shown(monkeypatch):
    secret = "s3cret-" + "k" * 40
    monkeypatch.setenv("AMITY_AUDIT_KEY", secret)
    settings = get_settings()
    assert settings.audit_key.get_secret_value() == secret
    assert secret not in repr(settings) and secret not in str(settings)


def test_settings_follow_the_environment_and_are_cached(monkeypatch):
    monkeypatch.delenv("AMITY_PORT", raising=False)
    monkeypatch.delenv("AMITY_HOME_COUNTRY", raising=False)
    first = get_settings()
    assert first.port == 8000 and first.home_country == "CN"
    assert get_settings() is first  # one object while the environment stays the same
    monkeypatch.setenv("AMITY_PORT", "8081")
    monkeypatch.setenv("AMITY_HOME_COUNTRY", " jp ")
    changed = get_settings()
    assert (changed.port, changed.home_country) == (8081, "JP")  # no reset needed
    monkeypatch.setenv("AMITY_PORT", "")  # empty counts as unset
    assert get_settings().port == 8000
    monkeypatch.setenv("AMITY_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,")
    assert get_settings().trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    for off in ("0", "false", "no", "off", "OFF"):
        monkeypatch.setenv("AMITY_FOUR_EYES", off)
        assert get_settings().four_eyes is False
    get_settings.cache_clear()
    assert get_settings() is not first


def test_the_default_home_country_is_the_setting(monkeypatch):
    """No second default: a country's name follows AMITY_HOME_COUNTRY unless told otherwise
    (country_name once defaulted to China whatever the setting said)."""
    monkeypatch.delenv("AMITY_HOME_COUNTRY", raising=False)
    assert i18n.country_name("HK", "en") == "Hong Kong, China"
    assert i18n.country_name("TW", "zh") == "中国台湾"
    monkeypatch.setenv("AMITY_HOME_COUNTRY", "JP")
    assert i18n.country_name("HK", "en", name_en="Hong Kong") == "Hong Kong"
    assert i18n.country_name("TW", "zh", name_zh="台湾") == "台湾"
    assert i18n.country_name("HK", "en", home="CN") == "Hong Kong, China"
    assert Settings.model_fields["home_country"].default == "CN"


def test_amity_stops_on_a_bad_variable_with_its_name(tmp_path):
    env = {**os.environ, "AMITY_DATABASE_URL": f"sqlite:///{tmp_path / 'amity.db'}",
           "AMITY_PORT": "eighty"}  # fmt: skip
    served = subprocess.run([AMITY, "serve"], env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert served.returncode == 2
    assert "AMITY_PORT" in served.stderr and "'eighty'" in served.stderr
    assert "Traceback" not in served.stderr
