"""Logging, configured once per process: text or JSON lines on stderr, each with its request id.

`configure()` is called by `amity serve` (before uvicorn starts) and by the app factory (each
worker process), so uvicorn's own loggers (its access log included), Amity's (`amity`,
`amity.audit`) and the libraries' all go through one handler in one format. AMITY_LOG_FORMAT
chooses `text` (for a terminal) or `json` (one object per line, for a log collector);
AMITY_LOG_LEVEL the level.

The request id is kept in a context variable that the HTTP layer sets for each request
(amity.http.request_id); a filter copies it onto every record, so lines logged anywhere while a
request is answered carry it, uvicorn's access line included. Outside a request it is "-".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("amity_request_id", default="-")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Loggers that keep handlers of their own unless told otherwise: uvicorn's (set up by its default
# log_config, which `amity serve` no longer passes) must propagate to the root handler instead.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# Marks the handler installed here, so that a second call replaces it rather than adding one.
_MARK = "_amity_handler"


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever sys.stderr is when a record comes (as logging's own last
    resort does): a test harness that swaps stderr gets the lines, never a closed file."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (on the handler: records of every logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(fmt: str | None = None, level: str | None = None) -> None:
    """Send every logger's records to one stderr handler (idempotent: called again, it replaces
    its handler, so a format or level changed in the environment takes effect)."""
    from amity.core.settings import get_settings

    settings = get_settings()
    fmt = fmt or settings.log_format
    level = (level or settings.log_level).upper()
    handler = _Stderr()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(level)
    # Chatty at INFO: httpx logs every request it makes (the Wikidata sync's hundreds), Alembic
    # each plugin it sets up whenever the server looks at the schema (/readyz).
    for chatty in ("httpx", "alembic"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
    # The audit trail is kept at INFO whatever the level of the rest (it is what an operator
    # reads after the fact); it goes to the same handler.
    audit = logging.getLogger("amity.audit")
    audit.setLevel(min(logging.INFO, logging.getLevelName(level)))
