"""Domain errors: services raise these, the API maps them to {"error": {...}} with a 4xx."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a service's message for the catalogue (pybabel extracts N_); the page that shows it
    translates it (amity.core.i18n.error_text)."""
    return message


class AmityError(Exception):
    """Base of every error a user can cause; carries a stable code and details.

    A message with values takes them as `params` ("Not a date: %(text)s."), so that the page
    can translate the message first and put the values in after.
    """

    code = "error"
    status = 400

    def __init__(self, message: str, details: Any = None, *, params: dict | None = None):
        self.template = message
        self.params = params or {}
        self.message = message % self.params if params else message
        super().__init__(self.message)
        self.details = details if details is not None else {}


class NotFound(AmityError):
    code = "not_found"
    status = 404


class InvalidInput(AmityError):
    code = "invalid_input"
    status = 422


class Conflict(AmityError):
    code = "conflict"
    status = 409


class Unauthorized(AmityError):
    code = "unauthorized"
    status = 401


class Forbidden(AmityError):
    """The actor may not do this (a role, a scope, a second pair of eyes missing)."""

    code = "forbidden"
    status = 403


class TooManyRequests(AmityError):
    code = "too_many_requests"
    status = 429


class SchemaOutdated(AmityError):
    """The database was made by an older Amity: its migrations have not been run."""

    code = "schema_outdated"
    status = 503
