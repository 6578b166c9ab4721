"""What a file is (from its first bytes), its display name, and writing it to disk atomically.

The type comes from the content's magic bytes only: a file's name and the Content-Type its
browser sends are the uploader's words, and an HTML page named photo.jpg must never be stored,
let alone served, as anything.
"""

from __future__ import annotations

import os
import re
import secrets
import struct
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
IMAGES = (JPEG, PNG, WEBP)
_OTHER_NAMES = {".jpeg": JPEG, ".jpe": JPEG}  # extensions that already say the right type
MAX_NAME = 200


def media_type(content: bytes) -> str | None:
    """The allowed type the bytes begin with, or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"%PDF-"):
        return PDF
    return None


def image_size(content: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) in pixels from an image's header; None when it cannot be read."""
    try:
        if kind == PNG and content[12:16] == b"IHDR":
            return struct.unpack(">II", content[16:24])
        if kind == JPEG:
            return _jpeg_size(content)
        if kind == WEBP:
            return _webp_size(content)
    except (struct.error, IndexError):
        return None
    return None


# The start-of-frame markers (SOF0–SOF15 but DHT, JPG and DAC), which carry the frame's size.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(content: bytes) -> tuple[int, int] | None:
    chunk = content[12:16]
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the key frame's start code
        width, height = struct.unpack("<HH", content[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: 14 bits each, minus one, after the signature byte
        bits = int.from_bytes(content[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: 24 bits each, minus one
        width, height = content[24:27], content[27:30]
        return int.from_bytes(width, "little") + 1, int.from_bytes(height, "little") + 1
    return None


def display_name(raw: str | None) -> str:
    """The uploader's file name fit to show: no folders, no control or format characters, no
    runs of blanks, at most 200 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = name[: MAX_NAME - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return name or "file"


def download_name(name: str, kind: str) -> str:
    """The name a download is saved under: the shown name with the extension of its real type
    (a PNG uploaded as scan.pdf is saved as scan.png)."""
    stem, dot, extension = name.rpartition(".")
    extension = "." + extension.lower() if dot else ""
    if extension == EXTENSIONS[kind] or _OTHER_NAMES.get(extension) == kind:
        return name
    known = extension in EXTENSIONS.values() or extension in _OTHER_NAMES
    return (stem if dot and known else name) + EXTENSIONS[kind]


def content_disposition(name: str, kind: str) -> str:
    """Inline for images, attachment for PDFs; an ASCII name for old clients and the real one
    (Chinese, say) as RFC 6266's filename*."""
    how = "inline" if kind in IMAGES else "attachment"
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_"
                         for c in name)  # fmt: skip
    return f"{how}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def new_stored_name(kind: str) -> str:
    """A random file name for the disk (never the uploader's)."""
    return secrets.token_hex(16) + EXTENSIONS[kind]


def write_atomically(folder: Path, stored_name: str, content: bytes) -> Path:
    """Write the file under a temporary name, sync it, then rename it into place: a reader (or
    a crash) never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_name
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
