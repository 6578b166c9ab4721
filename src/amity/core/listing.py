"""The one shape of a list query: words, filters (tuples: several values mean any of them), a sort
and a page. Each domain's query (partnerships, exchanges, cases) declares its own filters on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Self, get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from amity.core.bounds import Id

MAX_PER_PAGE = 200
# Page parameters that only the web pages carry (the language of the page).
PAGE_ONLY_PARAMS = ("lang",)


class ListQuery(BaseModel):
    """A selection of rows: text, filters, and one page of them (counted from 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str | None = Field(None, max_length=100)
    page: Id = 1
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)

    @field_validator("q")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @classmethod
    def filter_names(cls) -> tuple[str, ...]:
        """The filters: the fields that take several values (tuples), in declaration order."""
        return tuple(
            name for name, info in cls.model_fields.items() if get_origin(info.annotation) is tuple
        )

    def filters(self) -> dict[str, tuple]:
        """The filters in use, by name."""
        return {name: values for name in self.filter_names() if (values := getattr(self, name))}

    @classmethod
    def from_params(cls, params: Iterable[tuple[str, str]]) -> Self:
        """The query from a page's URL parameters: a filter may repeat (any of its values),
        any other parameter is taken once; the page's language is not the query's."""
        repeated = cls.filter_names()
        fields: dict[str, object] = {}
        for key, value in params:
            if key in PAGE_ONLY_PARAMS:
                continue
            if key in repeated:
                fields[key] = (*fields.get(key, ()), value)  # type: ignore[misc]
            else:
                fields[key] = value
        return cls.model_validate(fields)


class SortedListQuery(ListQuery):
    """A list query with a sort order: one of SORT_KEYS, prefixed with - to descend."""

    SORT_KEYS: ClassVar[tuple[str, ...]] = ("id",)

    sort: str = "id"

    @field_validator("sort")
    @classmethod
    def _sort_key(cls, value: str) -> str:
        if value.removeprefix("-") not in cls.SORT_KEYS:
            # Said as a Literal's error, so that a 422 lists the values allowed (http.errors).
            allowed = [f"'{v}'" for v in cls.sort_values()]
            raise PydanticCustomError(
                "literal_error",
                "Input should be {expected}",
                {"expected": f"{', '.join(allowed[:-1])} or {allowed[-1]}"},
            )
        return value

    @classmethod
    def sort_values(cls) -> tuple[str, ...]:
        """Every value `sort` takes: each key, and each key with - (descending)."""
        return tuple(v for key in cls.SORT_KEYS for v in (key, f"-{key}"))


def page_count(total: int, per_page: int) -> int:
    """How many pages a list of `total` rows takes (at least one, empty or not)."""
    return max(1, -(-total // per_page))
