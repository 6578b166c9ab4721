"""Request bodies and responses of the matchmaking API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from amity.core.bounds import Id
from amity.core.lengths import limit
from amity.core.warm import AsOf
from amity.matching.models import SIZES, BoardNote

Terms = list[str]


class ProfileWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "industries": ["electronics", "logistics"], "needs": ["vocational training"],
        "offers": ["port management"], "fields": ["economy_trade", "education"],
        "note": "Looking for a partner port city in Europe.",
    }]})  # fmt: skip

    industries: Terms = Field(default_factory=list, max_length=50)
    needs: Terms = Field(default_factory=list, max_length=50)
    offers: Terms = Field(default_factory=list, max_length=50)
    fields: Terms = Field(default_factory=list, max_length=50)
    note: str | None = Field(None, max_length=2000)


class NoteWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "place_id": 105, "seeks_countries": ["FR", "DE"], "seeks_continents": ["Europe"],
        "seeks_size": "medium", "seeks_fields": ["education"], "offers_fields": ["economy_trade"],
        "description": "A university city seeks a partner for student exchanges.",
        "contact": "foreign-affairs@example.org",
    }]})  # fmt: skip

    place_id: Id
    seeks_countries: list[str] = Field(default_factory=list, max_length=50)
    seeks_continents: list[str] = Field(default_factory=list, max_length=10)
    seeks_size: str = Field("any", pattern="^(" + "|".join(SIZES) + ")$")
    seeks_fields: Terms = Field(default_factory=list, max_length=50)
    offers_fields: Terms = Field(default_factory=list, max_length=50)
    description: str = Field("", max_length=4000)
    contact: str = Field("", max_length=limit(BoardNote.contact))


# Responses of the matchmaking API (what the OpenAPI document describes).


class Bilingual(BaseModel):
    en: str
    zh: str


class PlaceRow(BaseModel):
    id: int
    name: str
    name_zh: str | None
    country_code: str
    kind: str


class Factor(BaseModel):
    factor: str
    title: Bilingual
    contribution: float = Field(description="Its part of the score (the parts add up to it).")
    share: float = Field(description="Its share of the sum of the parts' magnitudes.")
    reason: Bilingual = Field(
        description="Its evidence in plain words that push the way its contribution does "
        "(empty when none does: the number is then explained by `detail` only)."
    )
    detail: Bilingual = Field(
        description="The technical values behind it (index names, raw values, each piece's part)."
    )


class Reason(BaseModel):
    factor: str
    evidence: str = Field(description="The piece of the factor's evidence it words.")
    sign: str = Field(description='"+" (for the candidate) or "-" (against), as its words say.')
    contribution: float
    text: Bilingual


class Crowding(BaseModel):
    in_lists: int = Field(
        description="The most of the home prefecture-level cities' top-10 lists the place stood "
        "in while the penalties were worked out, before its own penalty kept it out of most."
    )
    lists: int = Field(description="The home prefecture-level cities whose lists were balanced.")
    text: Bilingual = Field(description="Why it is ranked lower, in plain words, with the penalty.")


class Candidate(PlaceRow):
    score: float = Field(description="The model's score: the sum of the factors' contributions.")
    penalty: float = Field(
        description="The diversity penalty subtracted from the score for this list (0 for most "
        "places; always 0 with diverse=false or for an asker outside the home country)."
    )
    rank_score: float = Field(description="What the list is ordered by: score − penalty.")
    diversity: Crowding | None = Field(
        description="For a penalised place: how widely it would be recommended without the "
        "penalty (null otherwise)."
    )
    reasons: list[Reason] = Field(
        description="The main reasons for and against, in plain words (strongest first)."
    )
    factors: list[Factor]


class ExcludedExample(PlaceRow):
    score: float
    reasons: list[str]


class Excluded(BaseModel):
    reason: str
    text: Bilingual
    count: int
    examples: list[ExcludedExample]


class Weights(BaseModel):
    segment: str
    ties: int
    en: str
    zh: str


class CandidateFilter(BaseModel):
    country: str | None
    continent: str | None
    region: str | None = Field(None, description="A UN M49 sub-region.")
    belt_and_road: bool = Field(False, description="Belt and Road countries only.")
    under_represented: bool = Field(
        False, description="Countries with few pairs with the home country only."
    )
    under_represented_below: int = Field(
        description="A country is under-represented with fewer pairs than this with the home "
        "country."
    )


class Recommendations(BaseModel):
    place: PlaceRow
    scope: str
    filter: CandidateFilter
    candidates: int = Field(description="Places left after the scope, the filter, the rules.")
    weights: Weights
    as_of: AsOf | None = Field(
        None, description="The registry state scored: after a write, the previous one until "
        "the new one is built (seconds), then the current one.",
    )
    results: list[Candidate]
    excluded: list[Excluded] | None = Field(
        None, description="With explain_excluded: what each rule rules out."
    )


class PlanPlace(BaseModel):
    id: int
    name: str
    name_zh: str | None


class PlanPartner(PlanPlace):
    country_code: str


class PlanPair(BaseModel):
    place: PlanPlace
    partner: PlanPartner
    suitability: float
    balance_gain: float


class Measures(BaseModel):
    pairs: int
    province_gini: float
    partner_hhi: float
    partner_countries: int
    shares: dict[str, float | None]


class Balance(BaseModel):
    before: Measures
    after: Measures


class Plan(BaseModel):
    home: str
    province: str | None
    new: int
    places_considered: int
    pairs_considered: int
    method: str
    objective: float
    bound: float
    pairs: list[PlanPair]
    balance: Balance
    seconds: float


class Profile(BaseModel):
    place_id: int
    industries: Terms
    needs: Terms
    offers: Terms
    fields: Terms
    note: str | None


class NotePlace(PlanPartner):
    pass


class Note(BaseModel):
    id: int
    place: NotePlace
    seeks_countries: list[str]
    seeks_continents: list[str]
    seeks_size: str
    seeks_fields: Terms
    offers_fields: Terms
    description: str
    contact: str
    status: str


class Notes(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 1, "notes": [{
        "id": 3,
        "place": {"id": 105, "name": "Nanjing", "name_zh": "南京市", "country_code": "CN"},
        "seeks_countries": ["FR", "DE"], "seeks_continents": ["Europe"], "seeks_size": "medium",
        "seeks_fields": ["education"], "offers_fields": ["economy_trade"],
        "description": "A university city seeks a partner for student exchanges.",
        "contact": "foreign-affairs@example.org", "status": "open",
    }]}]})  # fmt: skip

    count: int
    notes: list[Note]


class NoteMatch(BaseModel):
    note: Note
    they_offer_what_we_seek: Terms
    we_offer_what_they_seek: Terms
    score: float | None


class NoteMatches(BaseModel):
    note: Note
    matches: list[NoteMatch]
