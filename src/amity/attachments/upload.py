"""Reading one uploaded file from a multipart request, refusing an oversized one before it is
read (by its declared length) and while it is read."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request

from amity.attachments import service

# Room for the multipart framing and the form's small fields (the CSRF token) around the file.
FRAMING = 64 * 1024


async def read_upload(request: Request) -> tuple[str | None, bytes]:
    """(the file's name as sent, its bytes) from the form field `file`."""
    limit = service.max_bytes()
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        # Browsers and HTTP clients send the length of a form; without it a body could run on.
        raise service.NoLength(service.NO_LENGTH)
    if int(declared) > limit + FRAMING:
        raise service.FileTooLarge(service.TOO_LARGE, limit=service.limit_mb())
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise service.FileMissing(service.MISSING)
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise service.FileTooLarge(service.TOO_LARGE, limit=service.limit_mb())
    return upload.filename, content
