"""Pydantic shapes of the public's voice: a submission as shown, moderation, the summary."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Topic = Literal["partnership", "proposal", "event"]


class Moderation(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"decision": "reject", "reason": "Advertising."}
    ]})  # fmt: skip

    decision: Literal["publish", "reject"]
    reason: str | None = Field(None, max_length=2000)


class Submission(BaseModel):
    """An idea or piece of feedback as listed (service.row): published, or pending moderation."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 31, "topic": "partnership", "topic_id": 591, "kind": "idea", "field": "education",
        "body": "A summer school for both cities' secondary students.", "author_name": "Li Wei",
        "status": "published", "created_at": "2026-10-02T14:30:00", "votes": 12,
    }]})  # fmt: skip

    id: int
    topic: str
    topic_id: int
    kind: str
    field: str | None
    body: str
    author_name: str | None
    status: str
    created_at: datetime
    votes: int


class Tally(BaseModel):
    key: str = Field(description="A topic, field (`none` when not given), kind or YYYY-MM month.")
    submissions: int
    votes: int


class Term(BaseModel):
    term: str
    count: int


class Summary(BaseModel):
    """Submissions (rejected ones left out) and votes by topic, field, kind and month."""

    submissions: int
    votes: int
    dropped: int = Field(description="Submissions the spam guards dropped.")
    by: dict[Literal["topic", "field", "kind", "month"], list[Tally]]
    terms: list[Term]
