"""Attachments: add a photo or a PDF to a case, an event or an exchange, list, serve, delete.

This domain sits below the records it serves, so it does not know them: each owner's domain
registers a function that finds one of its records (or raises NotFound) and says which places it
concerns and which permission writes it (`register_owner`). Who may change the record may
attach and delete; whoever may see it may download (cases, events and exchanges are public).

Deleting keeps the row, marked deleted, and appends the file's description (name, type, size,
sha256, uploader) to the audit log; only the file's bytes go, once the deletion is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from amity.attachments import files
from amity.attachments.models import OWNER_TYPES, Attachment
from amity.auth import audit
from amity.auth.permissions import Actor, can, guard
from amity.core import i18n
from amity.core.errors import AmityError, InvalidInput, NotFound
from amity.core.settings import get_settings

# The path segment of each owner type in addresses (/cases/3/attachments).
SEGMENTS = {"case": "cases", "event": "events", "exchange": "exchanges"}
ACCEPT = ",".join(files.EXTENSIONS)  # for <input type=file accept=...>
THUMB = (240, 180)  # the box a thumbnail fits in, in CSS pixels


def N_(text: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return text


class FileRefused(InvalidInput):
    """A file that cannot be attached; `said(locale)` is the message in the page's language."""

    reason = "invalid"

    def __init__(self, text: str, **values: Any):
        super().__init__(text % values if values else text, {"file": self.reason, **values})
        self.text, self.values = text, values

    def said(self, locale: str) -> str:
        message = i18n.translations(locale).gettext(self.text)
        return message % self.values if self.values else message


class FileMissing(FileRefused):
    reason = "missing"


class FileEmpty(FileRefused):
    reason = "empty"


class FileTooLarge(FileRefused):
    code = "payload_too_large"
    status = 413
    reason = "too_large"


class FileTypeRefused(FileRefused):
    code = "unsupported_media_type"
    status = 415
    reason = "type"


class NoLength(FileRefused):
    code = "length_required"
    status = 411
    reason = "length"


class Gone(AmityError):
    code = "gone"
    status = 410


MISSING = N_("Choose a file to attach.")
EMPTY = N_("The file is empty.")
TOO_LARGE = N_("The file is larger than %(limit)s MB, the most an attachment may be.")
WRONG_TYPE = N_(
    "Only photos (JPEG, PNG or WebP) and PDF documents can be attached; this file is neither, "
    "whatever its name says."
)
NO_LENGTH = N_("Send the file with its length (a Content-Length header).")
REFUSALS = {FileMissing: MISSING, FileEmpty: EMPTY, FileTooLarge: TOO_LARGE,
            FileTypeRefused: WRONG_TYPE, NoLength: NO_LENGTH}  # fmt: skip


@dataclass(frozen=True)
class Owner:
    """A record files may be attached to, as its domain describes it."""

    type: str  # "case", "event" or "exchange"
    id: int
    places: tuple[Any, ...]  # the places whose officers may change it
    write: str  # the permission that changes it, e.g. "case.write"
    page: str  # its page, e.g. "/cases/3"


_OWNERS: dict[str, Callable[[Session, int], Owner]] = {}


def register_owner(owner_type: str, find: Callable[[Session, int], Owner]) -> None:
    """Called by an owner's domain (its service, as it is imported): how to find its records."""
    if owner_type not in OWNER_TYPES:
        raise ValueError(f"Unknown owner type {owner_type!r}; add it to OWNER_TYPES.")
    _OWNERS[owner_type] = find


def owner(session: Session, owner_type: str, owner_id: int) -> Owner:
    """The record, or NotFound (also for a type whose domain is not loaded)."""
    if owner_type not in _OWNERS:
        raise NotFound(f"No {owner_type} {owner_id}.", {f"{owner_type}_id": owner_id})
    return _OWNERS[owner_type](session, owner_id)


def may_attach(actor: Actor, found: Owner) -> bool:
    """Whether the actor may add and delete this record's files (as they may change it)."""
    return can(actor, found.write, places=found.places)


def check_may_attach(session: Session, owner_type: str, owner_id: int, actor: Actor) -> None:
    """NotFound or Forbidden before an upload is read, for whoever may not attach here."""
    found = owner(session, owner_type, owner_id)
    guard(actor, found.write, found.places)


def max_bytes() -> int:
    return int(get_settings().attachment_max_mb * 1_000_000)


def limit_mb() -> str:
    return f"{get_settings().attachment_max_mb:g}"


def folder() -> Path:
    return get_settings().attachments_dir


def url(item: Attachment) -> str:
    """Where the file is served (the owner's API; pages use it for links and thumbnails)."""
    return f"/api/v1/{SEGMENTS[item.owner_type]}/{item.owner_id}/attachments/{item.id}"


def attachment_dict(item: Attachment) -> dict[str, Any]:
    """The JSON description of an attachment (AttachmentRead)."""
    image = item.media_type in files.IMAGES
    return {
        "id": item.id,
        "owner_type": item.owner_type,
        "owner_id": item.owner_id,
        "name": item.name,
        "media_type": item.media_type,
        "size": item.size,
        "sha256": item.sha256,
        "width": item.width,
        "height": item.height,
        "image": image,
        "uploaded_by": item.uploaded_by,
        "uploaded_at": item.uploaded_at,
        "url": url(item),
        "download_name": files.download_name(item.name, item.media_type),
    }


def list_attachments(session: Session, owner_type: str, owner_id: int) -> list[dict[str, Any]]:
    """A record's files (not the deleted ones), oldest first."""
    found = owner(session, owner_type, owner_id)
    rows = session.scalars(
        select(Attachment)
        .where(Attachment.owner_type == found.type, Attachment.owner_id == found.id,
               Attachment.deleted_at.is_(None))
        .order_by(Attachment.id)
    )  # fmt: skip
    return [attachment_dict(row) for row in rows]


def check_file(content: bytes) -> str:
    """The file's type, or FileRefused: not empty, not over the limit, an allowed type."""
    if not content:
        raise FileEmpty(EMPTY)
    if len(content) > max_bytes():
        raise FileTooLarge(TOO_LARGE, limit=limit_mb())
    kind = files.media_type(content)
    if kind is None:
        raise FileTypeRefused(WRONG_TYPE)
    return kind


def add_attachment(
    session: Session,
    owner_type: str,
    owner_id: int,
    *,
    filename: str | None,
    content: bytes,
    actor: Actor | str,
) -> dict[str, Any]:
    """Check the file, write it under a random name, record it and audit the upload.

    A refused file stores nothing. If the transaction is rolled back, the written file is
    removed again (see `_settle`).
    """
    found = owner(session, owner_type, owner_id)
    who = guard(actor, found.write, found.places)
    kind = check_file(content)
    size = files.image_size(content, kind) if kind in files.IMAGES else None
    stored = files.new_stored_name(kind)
    path = files.write_atomically(folder(), stored, content)
    session.info.setdefault(_WRITTEN, []).append(path)
    item = Attachment(
        owner_type=found.type, owner_id=found.id, name=files.display_name(filename),
        stored_name=stored, media_type=kind, size=len(content),
        sha256=sha256(content).hexdigest(), width=size[0] if size else None,
        height=size[1] if size else None, uploaded_by=who.name, uploaded_at=datetime.now(),
    )  # fmt: skip
    session.add(item)
    session.flush()
    described = attachment_dict(item)
    audit.record(session, actor=who, action="create", entity="attachment", entity_id=item.id,
                 after=described)  # fmt: skip
    return described


def _get(session: Session, found: Owner, attachment_id: int) -> Attachment:
    item = session.get(Attachment, attachment_id)
    if item is None or (item.owner_type, item.owner_id) != (found.type, found.id):
        raise NotFound(
            f"No attachment {attachment_id} on {found.type} {found.id}.",
            {"attachment_id": attachment_id},
        )
    return item


def file_for_download(
    session: Session, owner_type: str, owner_id: int, attachment_id: int
) -> tuple[dict[str, Any], Path]:
    """The attachment's description and its file on disk (Gone once deleted)."""
    item = _get(session, owner(session, owner_type, owner_id), attachment_id)
    if item.deleted_at is not None:
        raise Gone("This attachment was deleted.", {"attachment_id": attachment_id})
    path = folder() / item.stored_name
    if not path.is_file():
        raise Gone("This attachment's file is missing on the server.",
                   {"attachment_id": attachment_id})  # fmt: skip
    return attachment_dict(item), path


@dataclass(frozen=True)
class StoredFile:
    """A live attachment's file as the database describes it (what a backup must hold)."""

    id: int
    stored_name: str
    sha256: str
    size: int


def live_files(session: Session) -> list[StoredFile]:
    """Every file the database's live (not deleted) attachments point to, by id. Read-only:
    `amity backup` and `amity restore` check the files on disk against it."""
    rows = session.execute(
        select(Attachment.id, Attachment.stored_name, Attachment.sha256, Attachment.size)
        .where(Attachment.deleted_at.is_(None)).order_by(Attachment.id)
    )  # fmt: skip
    return [StoredFile(*row) for row in rows]


def delete_attachment(
    session: Session, owner_type: str, owner_id: int, attachment_id: int, *, actor: Actor | str
) -> None:
    """Mark the attachment deleted, audit it with its hash; its file goes after the commit."""
    found = owner(session, owner_type, owner_id)
    who = guard(actor, found.write, found.places)
    item = _get(session, found, attachment_id)
    if item.deleted_at is not None:
        raise Gone("This attachment was deleted.", {"attachment_id": attachment_id})
    _delete(session, item, who)


def forget_owner(session: Session, owner_type: str, owner_id: int, *, actor: Actor) -> int:
    """A record is being deleted: its files are deleted with it (each audited). The caller has
    already checked that the actor may delete the record."""
    rows = session.scalars(
        select(Attachment).where(Attachment.owner_type == owner_type,
                                 Attachment.owner_id == owner_id, Attachment.deleted_at.is_(None))
    ).all()  # fmt: skip
    for item in rows:
        _delete(session, item, actor)
    return len(rows)


def _delete(session: Session, item: Attachment, who: Actor) -> None:
    before = attachment_dict(item)
    item.deleted_at, item.deleted_by = datetime.now(), who.name
    session.flush()
    audit.record(session, actor=who, action="delete", entity="attachment", entity_id=item.id,
                 before=before)  # fmt: skip
    session.info.setdefault(_REMOVE, []).append(folder() / item.stored_name)


# Files follow the transaction: a deleted attachment's file is removed once the deletion is
# committed (a rolled-back deletion keeps it), a new one is removed if its row is rolled back.
_WRITTEN, _REMOVE = "amity.attachments.written", "amity.attachments.remove"


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_REMOVE, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_REMOVE, None)
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)


def section(
    session: Session, actor: Actor, owner_type: str, owner_id: int, locale: str,
    refused: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """What an owner's page shows (templates/attachments/section.html): the files, whether the
    viewer may add and delete, and the message of a refused upload (`?attachment_error=`)."""
    found = owner(session, owner_type, owner_id)
    items = list_attachments(session, owner_type, owner_id)
    for item in items:
        item["thumb"] = thumb_size(item["width"], item["height"])
    _ = i18n.translations(locale).gettext
    messages = {cls.reason: text for cls, text in REFUSALS.items()}
    error = None
    if refused in messages:
        error = _(messages[refused]) % {"limit": limit_mb()}
    elif refused:
        error = _("The file could not be attached.")
    return {
        "items": items,
        "photos": [i for i in items if i["image"]],
        "documents": [i for i in items if not i["image"]],
        "may_edit": may_attach(actor, found),
        "upload_url": f"/{SEGMENTS[found.type]}/{found.id}/attachments",
        "max_bytes": max_bytes(),
        "limit_mb": limit_mb(),
        "accept": ACCEPT,
        "error": error,
    }


def thumb_size(width: int | None, height: int | None) -> tuple[int, int]:
    """The thumbnail's width and height attributes: the image scaled to fit THUMB, never up."""
    box_w, box_h = THUMB
    if not width or not height:
        return box_w, box_h
    scale = min(box_w / width, box_h / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))
