"""Request bodies of the matchmaking API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from amity.core.bounds import Id
from amity.core.lengths import limit
from amity.matching.models import SIZES, BoardNote

Terms = list[str]


class ProfileWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    industries: Terms = Field(default_factory=list, max_length=50)
    needs: Terms = Field(default_factory=list, max_length=50)
    offers: Terms = Field(default_factory=list, max_length=50)
    fields: Terms = Field(default_factory=list, max_length=50)
    note: str | None = Field(None, max_length=2000)


class NoteWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place_id: Id
    seeks_countries: list[str] = Field(default_factory=list, max_length=50)
    seeks_continents: list[str] = Field(default_factory=list, max_length=10)
    seeks_size: str = Field("any", pattern="^(" + "|".join(SIZES) + ")$")
    seeks_fields: Terms = Field(default_factory=list, max_length=50)
    offers_fields: Terms = Field(default_factory=list, max_length=50)
    description: str = Field("", max_length=4000)
    contact: str = Field("", max_length=limit(BoardNote.contact))
