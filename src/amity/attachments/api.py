"""Attachments under each owner's API: /api/v1/{cases|events|exchanges}/{id}/attachments.

Listing and downloading are open, as the records are; uploading (multipart/form-data, field
`file`) and deleting need an API token of someone who may change the record.
"""

# Without `from __future__ import annotations`: the routes' annotations name a local type
# (each owner's id), which FastAPI must be able to evaluate.
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from amity.attachments import service
from amity.attachments.schemas import AttachmentList, AttachmentRead
from amity.attachments.upload import read_upload
from amity.auth.permissions import Actor
from amity.auth.web import api_actor
from amity.core import i18n
from amity.core.bounds import Id
from amity.http.deps import SESSION
from amity.http.errors import READ_ERRORS, WRITE_ERRORS, ErrorResponse, error_body

router = APIRouter(prefix="/api/v1")

# The file answer may hold anything a browser could be tricked into running: it is never
# sniffed, never framed, and may load nothing (an SVG or HTML could not run a script even if one
# were ever stored).
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
AttachmentId = Annotated[Id, Path(description="The attachment's id.")]
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}
_FILE = {
    200: {
        "description": "The file, with its stored type; images inline, PDFs as a download.",
        "content": {t: {} for t in service.files.EXTENSIONS},
    },
    410: {"model": ErrorResponse, "description": "The attachment was deleted"},
}
_REFUSED = {
    411: {"model": ErrorResponse, "description": "No Content-Length"},
    415: {"model": ErrorResponse, "description": "Not a JPEG, PNG, WebP or PDF file"},
}


def _refused(request: Request, exc: service.FileRefused) -> JSONResponse:
    """A refused file's message in the caller's language (Accept-Language, ?lang=)."""
    said = exc.said(i18n.choose_locale(request))
    return JSONResponse(error_body(exc.code, said, exc.details), status_code=exc.status)


def _routes(owner_type: str) -> None:
    segment = service.SEGMENTS[owner_type]
    base = f"/{segment}/{{owner_id}}/attachments"
    OwnerId = Annotated[Id, Path(description=f"The {owner_type}'s id.")]  # noqa: N806
    tags = [segment]

    def list_attachments(owner_id: OwnerId, session: Session = SESSION) -> dict:
        return {
            "items": service.list_attachments(session, owner_type, owner_id),
            "max_bytes": service.max_bytes(),
            "accepted": list(service.files.EXTENSIONS),
        }

    async def upload(
        owner_id: OwnerId, request: Request, session: Session = SESSION,
        actor: Actor = Depends(api_actor),
    ):  # fmt: skip
        # Who may not attach is refused before the body is read.
        service.check_may_attach(session, owner_type, owner_id, actor)
        try:
            filename, content = await read_upload(request)
            item = service.add_attachment(
                session, owner_type, owner_id, filename=filename, content=content, actor=actor
            )
        except service.FileRefused as exc:
            return _refused(request, exc)
        return JSONResponse(AttachmentRead(**item).model_dump(mode="json"), status_code=201)

    def download(
        owner_id: OwnerId, attachment_id: AttachmentId, session: Session = SESSION
    ) -> FileResponse:
        item, path = service.file_for_download(session, owner_type, owner_id, attachment_id)
        return FileResponse(
            path,
            media_type=item["media_type"],
            headers={
                "Content-Disposition": service.files.content_disposition(
                    item["download_name"], item["media_type"]
                ),
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": FILE_CSP,
                "Cross-Origin-Resource-Policy": "same-origin",
                # A stored file never changes (a new upload gets a new id).
                "Cache-Control": "private, max-age=86400",
            },
        )

    def delete(
        owner_id: OwnerId, attachment_id: AttachmentId, session: Session = SESSION,
        actor: Actor = Depends(api_actor),
    ) -> Response:  # fmt: skip
        service.delete_attachment(session, owner_type, owner_id, attachment_id, actor=actor)
        return Response(status_code=204)

    article = "an" if owner_type[0] in "aeiou" else "a"
    list_attachments.__doc__ = f"The files attached to {article} {owner_type}: photos and PDFs."
    upload.__doc__ = (
        f"Attach a photo (JPEG, PNG, WebP) or a PDF to {article} {owner_type} (needs an API "
        f"token of someone who may change it). Send multipart/form-data with the field "
        f"`file`, e.g. `curl -H 'Authorization: Bearer $TOKEN' -F file=@photo.jpg "
        f"http://127.0.0.1:8000/api/v1/{segment}/1/attachments`. The type is read from the "
        f"file's bytes; another type, an empty file or one over the size limit is refused and "
        f"nothing is stored."
    )
    download.__doc__ = (
        "The file itself, with the type read from its bytes, `X-Content-Type-Options: nosniff` "
        "and a Content-Security-Policy that lets it load nothing; photos are shown inline, PDFs "
        "downloaded, under their name (RFC 6266 `filename*` for Chinese names)."
    )
    delete.__doc__ = (
        "Delete an attachment (needs an API token of someone who may change the record). The "
        "file is removed; its row stays, marked deleted, and the audit log keeps its sha256."
    )
    for function in (list_attachments, upload, download, delete):
        function.__name__ = f"{function.__name__}_{owner_type}_attachment"
    router.get(base, response_model=AttachmentList, tags=tags, responses=READ_ERRORS)(
        list_attachments
    )
    router.post(
        base, response_model=AttachmentRead, status_code=201, tags=tags,
        responses={**WRITE_ERRORS, **_REFUSED}, openapi_extra=_UPLOAD_BODY,
    )(upload)  # fmt: skip
    router.get(
        f"{base}/{{attachment_id}}", response_class=FileResponse, tags=tags,
        responses={**READ_ERRORS, **_FILE},
    )(download)  # fmt: skip
    router.delete(
        f"{base}/{{attachment_id}}", status_code=204, response_class=Response, tags=tags,
        responses={**WRITE_ERRORS, 410: _FILE[410]},
    )(delete)  # fmt: skip


for _owner_type in service.SEGMENTS:
    _routes(_owner_type)
