"""The JSON shapes of attachments in the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE = {
    "id": 7,
    "owner_type": "case",
    "owner_id": 3,
    "name": "西安–里昂签约仪式.jpg",
    "media_type": "image/jpeg",
    "size": 482113,
    "sha256": "9f2c…",
    "width": 1600,
    "height": 1067,
    "image": True,
    "uploaded_by": "officer",
    "uploaded_at": "2026-12-03T15:20:00",
    "url": "/api/v1/cases/3/attachments/7",
    "download_name": "西安–里昂签约仪式.jpg",
}


class AttachmentRead(BaseModel):
    """A file attached to a case, an event or an exchange."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    id: int
    owner_type: str = Field(description="case, event or exchange.")
    owner_id: int
    name: str = Field(description="The uploader's file name, cleaned for display.")
    media_type: str = Field(
        description="Read from the file's first bytes: image/jpeg, image/png, image/webp or "
        "application/pdf (never from its name or the upload's Content-Type)."
    )
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file, hexadecimal.")
    width: int | None = Field(description="An image's width in pixels, from its header.")
    height: int | None = Field(description="An image's height in pixels.")
    image: bool = Field(description="A photo (shown inline) rather than a PDF (downloaded).")
    uploaded_by: str
    uploaded_at: datetime
    url: str = Field(description="Where the file itself is served.")
    download_name: str = Field(description="The name the file is saved under (its real type's "
                               "extension).")  # fmt: skip


class AttachmentList(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [EXAMPLE], "max_bytes": 10_485_760,
        "accepted": ["image/jpeg", "image/png", "image/webp", "application/pdf"],
    }]})  # fmt: skip

    items: list[AttachmentRead]
    max_bytes: int = Field(description="The largest file accepted (AMITY_ATTACHMENT_MAX_MB).")
    accepted: list[str] = Field(description="The media types accepted.")
