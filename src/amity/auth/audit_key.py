"""The audit chain's key: a server secret kept outside the database.

Each audit row's hash is an HMAC under this key, so someone who can write the database but cannot
read the key cannot recompute the chain after changing it (see docs/security.md).

Where it comes from, first found wins:
1. `AMITY_AUDIT_KEY`: the secret itself (at least 32 characters), e.g. from a secrets manager;
2. the file `AMITY_AUDIT_KEY_FILE`, by default `audit.key` in Amity's data directory: created
   on first use with 64 random hex digits, readable by its owner only (0600). A file that
   others may read is refused, as ssh refuses such a private key.

Every worker and the command line must see the same key; back it up apart from the database.
"""

from __future__ import annotations

import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

from amity.core.errors import AmityError
from amity.core.settings import get_settings

MIN_LENGTH = 32


class AuditKeyError(AmityError):
    code = "audit_key"
    status = 500


def key_path() -> Path:
    return get_settings().audit_key_file


def audit_key() -> bytes:
    """The key, made on first use when it lives in a file."""
    secret = get_settings().audit_key
    value = secret.get_secret_value() if secret is not None else ""
    if value:
        if len(value) < MIN_LENGTH:
            raise AuditKeyError(
                f"AMITY_AUDIT_KEY must be at least {MIN_LENGTH} characters long.",
                {"length": len(value)},
            )
        return value.encode()
    return _file_key(str(key_path()))


@lru_cache(maxsize=4)
def _file_key(path_text: str) -> bytes:
    path = Path(path_text)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two workers starting at once must not each write a different key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditKeyError(
            f"The audit key file {path} may be read by others; run `chmod 600 {path}`.",
            {"path": str(path), "mode": oct(mode & 0o777)},
        )
    value = path.read_text().strip()
    if len(value) < MIN_LENGTH:
        raise AuditKeyError(
            f"The audit key file {path} holds fewer than {MIN_LENGTH} characters.",
            {"path": str(path)},
        )
    return value.encode()


def forget() -> None:
    """Read the key file again on next use (tests that switch keys call it)."""
    _file_key.cache_clear()
