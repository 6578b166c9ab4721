"""Settings read from the environment (AMITY_*), with defaults for a laptop."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def _default_database_url() -> str:
    data_dir = Path(user_data_dir("amity", appauthor=False))
    return f"sqlite:///{data_dir / 'amity.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get("AMITY_DATABASE_URL") or _default_database_url()
    )
    host: str = field(default_factory=lambda: os.environ.get("AMITY_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.environ.get("AMITY_PORT", "8000")))
    # The home country decides naming conventions (HK/MO/TW as regions of China) and the
    # "partner" side of a pair in statistics.
    home_country: str = field(default_factory=lambda: os.environ.get("AMITY_HOME_COUNTRY", "CN"))
    # Four eyes: nobody decides two stages of one proposal, nor one they drafted or submitted.
    # A one-person installation turns it off with AMITY_FOUR_EYES=0 (the review pages say so).
    four_eyes: bool = field(
        default_factory=lambda: os.environ.get("AMITY_FOUR_EYES", "1").strip().lower()
        not in ("0", "false", "no", "off")
    )
    # The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or
    # CIDR networks, comma-separated). None by default: a client's own headers prove nothing.
    trusted_proxies: tuple[str, ...] = field(
        default_factory=lambda: trusted_proxies(os.environ.get("AMITY_TRUSTED_PROXIES", ""))
    )


def trusted_proxies(value: str) -> tuple[str, ...]:
    """The entries of a comma-separated list of addresses or networks (blanks dropped).

    A typo must not pass silently (uvicorn would compare it as a string and trust nothing, or
    the wrong thing), so every entry has to parse as an IP address or network.
    """
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


def get_settings() -> Settings:
    return Settings()
