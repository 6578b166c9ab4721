"""Every AMITY_* setting in one place: read from the environment, checked, with laptop defaults.

`get_settings()` is the one way to read them; no other module reads an AMITY_* variable
(tests/system/test_settings.py checks the source). docs/configuration.md is generated from this
model by scripts/settings_docs.py, so a setting added here is documented by running that script.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from platformdirs import user_cache_dir, user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from amity.core.errors import AmityError

PREFIX = "AMITY_"
DEFAULT_HOME_COUNTRY = "CN"
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"

# Read where they are used, not through Settings, each for the reason given; the generated table
# lists them too, and the source check allows exactly these (name → (type, default, meaning)).
READ_AT_POINT_OF_USE: dict[str, tuple[str, str, str]] = {
    # A one-shot input of `amity user add`, not a setting: Typer's prompt reads it (envvar=), so
    # one option takes the password from the terminal (asked twice) or from the environment.
    "AMITY_NEW_PASSWORD": (
        "secret text",
        "(asked for)",
        "Password of `amity user add` when it runs without a terminal (scripts, CI).",
    ),
}


class SettingsError(AmityError, ValueError):
    """An AMITY_* variable holds a value Amity cannot use; the message names the variable."""

    code = "settings"
    status = 500


def _default_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir('amity', appauthor=False)) / 'amity.db'}"


def _shown(default: str | None = None, kind: str | None = None) -> dict[str, Any]:
    """What the table shows where the model cannot say it: a default computed per machine (a
    user folder), a type narrower than its Python type."""
    shown = {"shown_default": default, "shown_type": kind}
    return {key: value for key, value in shown.items() if value}


class Settings(BaseSettings):
    """Amity's configuration; each field is read from AMITY_<FIELD NAME> (e.g. AMITY_PORT)."""

    # Empty counts as unset (`AMITY_DATABASE_URL= amity init` uses the default), as before.
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, frozen=True)

    # Database
    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL of the database: SQLite (`sqlite:////abs/path.db`) or "
        "PostgreSQL (`postgresql+psycopg://user:pass@host/db`).",
        json_schema_extra=_shown("`amity.db` in the user data directory (SQLite)"),
    )
    db_pre_ping: bool = Field(
        True, description="PostgreSQL: test each pooled connection before use, so the app "
        "recovers from a server restart on its own.",
    )  # fmt: skip
    db_pool_size: int = Field(
        10, ge=0, description="PostgreSQL: connections each worker process keeps open "
        "(workers × (size + overflow) must stay under the server's max_connections).",
    )  # fmt: skip
    db_max_overflow: int = Field(
        10, ge=-1, description="PostgreSQL: extra connections a worker may open at a peak "
        "(-1: no limit).",
    )  # fmt: skip
    db_pool_recycle: int = Field(
        -1, ge=-1, description="PostgreSQL: seconds after which a pooled connection is "
        "replaced (-1: never).",
    )  # fmt: skip

    # Web server
    host: str = Field("127.0.0.1", description="Address `amity serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `amity serve` listens on.")
    # A typo must not pass silently (uvicorn would compare it as a string and trust nothing, or
    # the wrong thing), so every entry has to parse as an IP address or network.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; none by default, since a client's "
        "own headers prove nothing.",
    )  # fmt: skip
    warm_start: bool = Field(
        False, description="Each worker builds the registry's facet index in the background "
        "as it starts (`amity serve` turns it on).",
    )  # fmt: skip
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines on stderr: `text` for a terminal, `json` (one object "
        "per line, with its request id) for a log collector.",
        json_schema_extra=_shown(kind="`text` or `json`"),
    )  # fmt: skip
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="Least severe log records written (the audit trail, "
        "`amity.audit`, is written at info whatever this says).",
        json_schema_extra=_shown(kind="`debug`, `info`, `warning` or `error`"),
    )  # fmt: skip
    state_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("amity", appauthor=False)) / "state",
        description="Folder where built in-memory structures are saved (the registry's facet "
        "table, the recommender's candidate arrays), so that a start loads them instead of "
        "building; safe to delete.",
        json_schema_extra=_shown("`state` in the user data directory"),
    )
    attachments_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("amity", appauthor=False)) / "attachments",
        description="Folder where the photos and PDFs attached to cases, events and exchanges "
        "are kept, each under a random name (the database holds their names and hashes); "
        "back it up with the database, never delete it.",
        json_schema_extra=_shown("`attachments` in the user data directory"),
    )
    attachment_max_mb: float = Field(
        10, gt=0, le=100, description="Largest attachment accepted, in megabytes (MB, "
        "1,000,000 bytes).",
    )  # fmt: skip
    model_max_age_days: float = Field(
        7.0, gt=0, description="The recommender's learned weights are re-learned in the "
        "background once they are older than this, and on demand with `amity recommend-learn` "
        "(never on every write); see [matching.md](matching.md#learning).",
    )  # fmt: skip
    model_drift: float = Field(
        0.05, gt=0, description="…or once the number of partnerships has changed by more than "
        "this share since they were learned.",
    )  # fmt: skip

    # Conventions and workflows
    home_country: str = Field(
        DEFAULT_HOME_COUNTRY, description="The home country: its naming conventions (with "
        "China as home, Hong Kong, Macao and Taiwan are shown as regions of China) and the "
        "partner side of a pair in statistics; see [registry.md](registry.md#home-country).",
        json_schema_extra=_shown(kind="ISO 3166 two-letter code"),
    )  # fmt: skip
    four_eyes: bool = Field(
        True, description="Nobody decides two stages of one proposal, nor one they drafted or "
        "submitted; a one-person installation turns it off (the review pages say so).",
    )  # fmt: skip
    dormant_years: int = Field(
        3, ge=1, description="A partnership with no exchange for this many years is dormant.",
    )  # fmt: skip
    review_days: int = Field(
        180, ge=1, description="How long \"mark reviewed\" hides a partnership from the "
        "health page's list of unhealthy partnerships.",
    )  # fmt: skip
    matching_config: Path | None = Field(
        None, description="TOML file overriding the matchmaking settings (excluded countries, "
        "strategy weights; see [matching.md](matching.md)).",
    )  # fmt: skip

    # The audit chain's key (see docs/security.md)
    audit_key: SecretStr | None = Field(
        None, description="The audit chain's HMAC key itself (at least 32 characters), e.g. "
        "from a secrets manager; else the key file is used.",
    )  # fmt: skip
    audit_key_file: Path = Field(
        default_factory=lambda: Path(user_data_dir("amity", appauthor=False)) / "audit.key",
        description="File holding the audit key: created on first use (64 random hex digits, "
        "mode 0600); a file others may read is refused.",
        json_schema_extra=_shown("`audit.key` in the user data directory"),
    )

    # Wikidata sync (see docs/sync.md)
    wikidata_endpoint: str = Field(
        WIKIDATA_ENDPOINT, description="SPARQL endpoint that `amity sync` asks."
    )
    wikidata_contact: str = Field(
        "", max_length=200, description="An e-mail or web page sent in the User-Agent, so the "
        "endpoint's operators can reach whoever runs this installation.",
    )  # fmt: skip
    wikidata_timeout: float = Field(65, gt=0, description="Seconds to wait for one answer.")
    wikidata_tries: int = Field(5, ge=1, description="Attempts per batch before giving up.")
    wikidata_backoff: float = Field(
        2, ge=0, description="Seconds before the first retry, doubled at each further one."
    )
    sync_cache: Path = Field(
        default_factory=lambda: Path(user_cache_dir("amity")) / "wikidata",
        description="Folder where each answer of the endpoint is kept.",
        json_schema_extra=_shown("`wikidata` in the user cache directory"),
    )
    sync_max_age_hours: float = Field(
        24, ge=0, description="A cached answer older than this is asked for again (a server "
        "without internet that was brought a cache folder may allow more).",
    )  # fmt: skip

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        return trusted_proxies(value) if isinstance(value, str) else value

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("home_country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ValueError(f"an ISO 3166 two-letter country code (e.g. CN), not {value!r}")
        return code

    @field_validator("wikidata_contact")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


def trusted_proxies(value: str) -> tuple[str, ...]:
    """The entries of a comma-separated list of addresses or networks (blanks dropped)."""
    parts = tuple(part.strip() for part in value.split(",") if part.strip())
    for part in parts:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise ValueError(
                f"AMITY_TRUSTED_PROXIES: {part!r} is not an IP address or network "
                "(e.g. 127.0.0.1 or 10.0.0.0/8)."
            ) from None
    return parts


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def get_settings() -> Settings:
    """The settings for the current environment.

    Cached per set of values of the variables: a changed variable (a test's monkeypatch.setenv,
    `amity serve` handing its options to the workers) is seen at the next call, without a reset.
    Looking them up takes about 15 µs: fine a few times a request, not once per item of a list.
    `get_settings.cache_clear()` empties the cache.
    """
    return _settings_for(tuple(map(os.environ.get, _NAMES)))


@lru_cache(maxsize=16)
def _settings_for(_values: tuple[str | None, ...]) -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_message(error), {"errors": _problems(error)}) from None


def _problems(error: ValidationError) -> list[dict[str, str]]:
    problems = []
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        # A secret's value is never repeated in a message that may reach a log.
        value = "***" if field == "audit_key" else str(e.get("input"))[:80]
        problems.append(
            {
                "variable": env_name(field) if field else PREFIX + "*",
                "problem": e["msg"].removeprefix("Value error, "),
                "value": value,
            }
        )
    return problems


def _message(error: ValidationError) -> str:
    lines = []
    for p in _problems(error):
        problem = p["problem"]
        # trusted_proxies' own message already starts with the variable's name.
        text = problem if problem.startswith(p["variable"]) else f"{p['variable']}: {problem}"
        lines.append(f"{text} (got {p['value']!r})")
    return "Bad setting in the environment: " + "; ".join(lines)


_NAMES = tuple(env_name(field) for field in Settings.model_fields)
get_settings.cache_clear = _settings_for.cache_clear  # type: ignore[attr-defined]
