"""Refusals of the governance layer, in the API's error shape."""

from __future__ import annotations

from amity.errors import AmityError


class Forbidden(AmityError):
    code = "forbidden"
    status = 403


class TooManyRequests(AmityError):
    code = "too_many_requests"
    status = 429
