"""Files in the data directory (AMITY_STATE_DIR) that give a start a head start: numpy archives of
plain arrays plus one JSON text, never pickled objects, written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np


def write_npz(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write the arrays and `meta` (as JSON, under "meta") to a temporary file and rename it,
    so that a reader never sees half a file."""
    arrays = {
        **arrays,
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_meta(arrays) -> dict[str, Any]:
    """The JSON text of an archive written by write_npz."""
    return json.loads(arrays["meta"].tobytes().decode("utf-8"))
