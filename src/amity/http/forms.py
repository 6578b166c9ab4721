"""What a page form shows when its input is refused: one translated message per field."""

from __future__ import annotations

from pydantic import ValidationError

from amity.core import i18n
from amity.core.errors import AmityError, Forbidden


def field_errors(error: ValidationError, locale: str) -> dict[str, str]:
    """Pydantic's problems as one translated message per form field."""
    _ = i18n.translations(locale).gettext
    messages = {
        "missing": _("This is required."),
        "int_parsing": _("Enter a whole number."),
        "greater_than_equal": _("Enter a positive number."),
        "literal_error": _("Choose one of the listed values."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "string_too_long": _("This is too long."),
        "string_too_short": _("This is required."),
    }
    errors: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "form"
        errors.setdefault(field, messages.get(problem["type"], problem["msg"]))
    return errors


def service_errors(error: AmityError, fields: tuple[str, ...], locale: str) -> dict[str, str]:
    """A service's refusal, shown next to the field it names, else above the form."""
    _ = i18n.translations(locale).gettext
    if isinstance(error, Forbidden):
        return {"form": _("Sign in with an account allowed to change this place's records.")}
    named = [k for k in error.details if k in fields] if isinstance(error.details, dict) else []
    return {named[0] if named else "form": i18n.error_text(error, locale)}
