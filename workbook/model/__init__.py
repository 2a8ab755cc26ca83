"""The typed lead scoring model: SPEC §2 (YAML schema version 1).

The classes check *shape* only: keys, types, required fields, unknown keys. The
semantic rules of SPEC §5 (weights adding up to 100, unique names, bands strictly
decreasing, …) live in :mod:`workbook.validate`, so that a draft that breaks them can
still be held, edited and saved while the workshop is working on it.

Bounds are declared as JSON Schema hints (``json_schema_extra``) rather than enforced
here, for the same reason; the exported JSON Schema still tells editors about them.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

SCHEMA_VERSION = 1
SUPPORTED_SCHEMA_VERSIONS = (1,)

MissingPolicy = Literal["zero", "neutral"]
# The two halves of the model (and the two axes of the grid): named here once, used everywhere.
Section = Literal["profile", "engagement"]


def _number_to_str(value: Any) -> Any:
    """YAML reads ``level: 1`` as an integer; levels and labels are strings."""
    if isinstance(value, bool):
        return value  # let pydantic report a boolean where a string belongs
    if isinstance(value, int | float):
        return str(value)
    return value


# Text that a YAML file may also give as a number (level: 1): read as text, and said so in the schema.
Label = Annotated[
    str,
    BeforeValidator(_number_to_str),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]}),
]

# Control, format (zero-width, bidi), private-use and surrogate characters, and line separators: a
# name holding one looks like another name, or breaks the files it is exported to.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def _character(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _visible(value: str) -> str:
    bad = next((ch for ch in value if unicodedata.category(ch) in _INVISIBLE), None)
    if bad is not None:
        raise ValueError(f"holds an invisible or control character ({_character(bad)}); remove it")
    return value


def _clean_name(value: str) -> str:
    """A name in Unicode's NFKC form (ﬁ → fi, full-width Ａ → A), without invisible characters."""
    return _visible(unicodedata.normalize("NFKC", value))


# Names, and every reference to a name, are normalised alike so that references still match.
Name = Annotated[str, AfterValidator(_clean_name)]
NameLabel = Annotated[
    str,
    BeforeValidator(_number_to_str),
    AfterValidator(_clean_name),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]}),
]
Visible = Annotated[str, AfterValidator(_visible)]


def _bounded(lo: float, hi: float, description: str) -> Any:
    return Field(description=description, json_schema_extra={"minimum": lo, "maximum": hi})


# A draft may hold a weight of 120 or a score of -300 (validation lists them), but not a number the
# engine cannot score: the exact decimal arithmetic, and a warehouse's DECIMAL(38, 9), hold
# weight × score with nine decimals only up to about 10**18.
ENGINE_LIMIT = 1_000_000_000


def _scorable(value: float) -> float:
    if abs(value) > ENGINE_LIMIT:
        raise ValueError(f"is too large to score: give a number between -{ENGINE_LIMIT:,} and {ENGINE_LIMIT:,}")
    return value


# Weights, scores and band minimums: numbers in the file (``1_00`` or ``true`` are not numbers), of a
# size the engine can score.
Number = Annotated[float, Field(strict=True), AfterValidator(_scorable)]
WholeNumber = Annotated[int, Field(strict=True), AfterValidator(_scorable)]


class _Part(BaseModel):
    """Base of every part of the model file: unknown keys are an error (usually typos)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


class TeamMember(_Part):
    name: Name = Field(description="Unique within the team.")
    title: str | None = None
    function: str | None = Field(
        default=None, description="Marketing, Sales, Inside sales, Product marketing, Marketing ops / IT, …"
    )
    role: str | None = Field(
        default=None, description="Sponsor, Program manager, Business lead, Marketing ops / IT, Member, …"
    )
    steering_committee: bool = False
    email: str | None = None


class State(_Part):
    name: Name = Field(description="An action state, e.g. Send to sales, Qualify, Nurture, Ignore.")
    action: str | None = Field(default=None, description="What happens to a lead in this state.")


class ProfileGrade(_Part):
    grade: NameLabel = Field(description="A letter, best first: A, B, C, D.")
    min: Number = _bounded(0, 100, "Lowest profile % that earns this grade.")


class EngagementLevel(_Part):
    level: NameLabel = Field(description='A level, best first: "1", "2", "3", "4".')
    min: Number = _bounded(0, 100, "Lowest engagement % that earns this level.")


class Match(_Part):
    """How a raw cell of a lead list is recognised as this value (SPEC §4). All given keys must hold."""

    equals: list[Label] | None = Field(default=None, description="Cell equals one of these (case-insensitive).")
    contains: list[Label] | None = Field(
        default=None, description="Cell contains one of these substrings (case-insensitive)."
    )
    min: Number | None = Field(default=None, description="Cell is a number ≥ min.")
    max: Number | None = Field(default=None, description="Cell is a number < max.")
    within_days: WholeNumber | None = Field(
        default=None,
        description="Cell is a date on or before the as-of date and at most this many days before it.",
        json_schema_extra={"minimum": 0},
    )
    empty: bool | None = Field(default=None, description="Cell is empty / NA.")

    def keys(self) -> list[str]:
        """The match keys that are set, in declaration order."""
        return [k for k in type(self).model_fields if getattr(self, k) is not None]


class Value(_Part):
    label: NameLabel = Field(description="Unique within the attribute.")
    score: Number = _bounded(-100, 100, "Share (%) of the attribute's weight that this value earns.")
    match: Match | None = None
    knockout: bool = Field(default=False, description="Selecting this value disqualifies the lead.")


class _Factor(_Part):
    name: Name
    weight: Number = _bounded(0, 100, "Share of the section (weights add up to 100).")
    column: Visible | None = Field(default=None, description="Column in a lead list; default: the name.")
    values: list[Value] = Field(default_factory=list, description="Tried in this order; first match wins.")

    @property
    def source_column(self) -> str:
        """The lead-list column this factor reads."""
        return self.column if self.column else self.name


class ProfileAttribute(_Factor):
    """An ICP attribute describing the ideal buyer (job role, organisation type, …)."""


class Activity(_Factor):
    """An engagement activity or asset of the lead-generation engine (demo request, webinar, …)."""


class Estimate(_Part):
    profile: NameLabel | None = Field(default=None, description="The profile grade the team expects.")
    engagement: NameLabel | None = Field(default=None, description="The engagement level the team expects.")
    state: Name | None = Field(default=None, description="The state the team expects.")

    def given(self) -> dict[str, str]:
        """The estimates that were actually given."""
        given = {"profile": self.profile, "engagement": self.engagement, "state": self.state}
        return {k: v for k, v in given.items() if v is not None}


class Scenario(_Part):
    name: Name
    notes: str | None = None
    profile: dict[Name, NameLabel] = Field(default_factory=dict, description="Attribute name → value label.")
    engagement: dict[Name, NameLabel] = Field(default_factory=dict, description="Activity name → value label.")
    estimate: Estimate | None = None
    estimates_by_member: dict[Name, Name] = Field(
        default_factory=dict, description="Team member → the state they estimated."
    )


class Approval(_Part):
    member: Name = Field(description="A steering-committee member from the team.")
    decision: Literal["approved", "rejected"]
    revision: int | None = None
    at: datetime | None = None
    comment: str | None = None
    identified_by: str | None = Field(
        default=None,
        description="How the app identified the member who decided: invite link, signed in (the "
        "organisation's sign-in), typed name, unverified.",
    )


class ChangeNote(_Part):
    revision: int | None = None
    at: datetime | None = None
    author: str | None = None
    summary: str


class Metadata(_Part):
    """Optional provenance of an exported model: version, revision, approvals, change notes."""

    version: str | None = Field(default=None, description="The team's version label, e.g. 1.2.")
    revision: int | None = Field(default=None, description="The store's revision number.")
    status: Literal["draft", "release_candidate", "approved"] | None = None
    exported_at: datetime | None = None
    approved_at: datetime | None = None
    approvals: list[Approval] = Field(default_factory=list)
    changes: list[ChangeNote] = Field(default_factory=list)
    column_map: dict[str, str] = Field(
        default_factory=dict,
        description="Lead-list column mapping remembered by the app: model column (an attribute's `column`) "
        "→ the lead list's column; an empty text means the list has none.",
    )


class ScoringModel(_Part):
    """A whole lead scoring model, as exchanged in the YAML model file (schema version 1)."""

    schema_version: Annotated[int, Field(strict=True)] = Field(description="Always 1 for this schema.")
    name: Name
    description: str | None = None
    team: list[TeamMember] = Field(default_factory=list)
    states: list[State] = Field(description="Ordered, most sales-ready first.")
    profile_grades: list[ProfileGrade] = Field(description="Best first; the last band has min 0.")
    engagement_levels: list[EngagementLevel] = Field(description="Best first; the last band has min 0.")
    matrix: dict[Name, Name] = Field(description="Every cell (grade + level, e.g. B2) → a state name.")
    missing: MissingPolicy = Field(
        default="zero",
        description="zero: a missing value contributes 0; neutral: it is left out and the rest scaled to 100.",
    )
    knockout_state: Name | None = Field(
        default=None, description="State of a knocked-out lead; default the last state."
    )
    profile: list[ProfileAttribute] = Field(default_factory=list)
    engagement: list[Activity] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    metadata: Metadata | None = None

    # -- conveniences used by the engine, validation and the app ---------------------------
    @property
    def grades(self) -> list[str]:
        return [b.grade for b in self.profile_grades]

    @property
    def levels(self) -> list[str]:
        return [b.level for b in self.engagement_levels]

    @property
    def state_names(self) -> list[str]:
        return [s.name for s in self.states]

    @property
    def cells(self) -> list[str]:
        """Every grid cell, best grade first, then best level first."""
        return [g + lvl for g in self.grades for lvl in self.levels]

    @property
    def effective_knockout_state(self) -> str | None:
        if self.knockout_state:
            return self.knockout_state
        return self.states[-1].name if self.states else None

    def section(self, which: Section) -> list[ProfileAttribute] | list[Activity]:
        return self.profile if which == "profile" else self.engagement

