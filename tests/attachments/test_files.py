"""What a file is, from its bytes alone; its name for display and for the download."""

from __future__ import annotations

import struct

import pytest
from tests.attachments.conftest import HTML, PDF, jpeg_header, png

from amity.attachments import files


def _webp(chunk: bytes, payload: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(payload)) + b"WEBP" + chunk + struct.pack(
        "<I", len(payload)) + payload  # fmt: skip


@pytest.mark.parametrize(
    ("content", "kind", "size"),
    [
        (png(31, 17), files.PNG, (31, 17)),
        (jpeg_header(1024, 768), files.JPEG, (1024, 768)),
        # lossy: a key frame's start code, then 14-bit width and height
        (_webp(b"VP8 ", b"\x00" * 3 + b"\x9d\x01\x2a" + struct.pack("<HH", 640, 480)), files.WEBP,
         (640, 480)),  # fmt: skip
        # extended: 24-bit width-1 and height-1
        (_webp(b"VP8X", b"\x00" * 4 + (1999).to_bytes(3, "little") + (999).to_bytes(3, "little")),
         files.WEBP, (2000, 1000)),  # fmt: skip
        (PDF, files.PDF, None),
    ],
)
def test_the_type_and_size_come_from_the_bytes(content, kind, size):
    assert files.media_type(content) == kind
    assert (files.image_size(content, kind) if kind != files.PDF else None) == size


@pytest.mark.parametrize("content", [HTML, b"GIF89a", b"<svg/>", b"RIFF\x00\x00\x00\x00WAVE", b""])
def test_other_types_are_not_recognised(content):
    assert files.media_type(content) is None


def test_a_broken_header_gives_no_size():
    assert files.image_size(b"\xff\xd8\xff\xe0\x00", files.JPEG) is None
    assert files.image_size(b"\x89PNG\r\n\x1a\n", files.PNG) is None


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\李\\签约 仪式.jpg", "签约 仪式.jpg"),
        ("a\x00b\u202e\nc.png", "a b c.png"),
        ("   ", "file"),
        (None, "file"),
        ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),  # 200 characters in all
    ],
)
def test_display_names(raw, shown):
    assert files.display_name(raw) == shown


def test_download_names_take_the_real_type():
    assert files.download_name("scan.pdf", files.PNG) == "scan.png"
    assert files.download_name("photo.JPEG", files.JPEG) == "photo.JPEG"
    assert files.download_name("report", files.PDF) == "report.pdf"
    assert files.download_name("v1.2 notes", files.PDF) == "v1.2 notes.pdf"


def test_content_disposition():
    assert files.content_disposition("议程.pdf", files.PDF) == (
        "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E8%AE%AE%E7%A8%8B.pdf"
    )
    assert files.content_disposition('a"b;c.png', files.PNG).startswith(
        "inline; filename=\"a_b_c.png\"; filename*=UTF-8''a%22b%3Bc.png"
    )
