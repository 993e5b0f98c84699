"""The shapes of what the API takes and returns, as pydantic models: spectree validates
requests and responses against them and writes the OpenAPI document from them.

They describe types and the allowed values (taken from the models' enums); the rules on
values (lengths, links, dates in order...) are the forms' own, applied by the views.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, RootModel

from workplan.models import (
    BlockerCategory,
    BlockerStatus,
    OrgKind,
    ReportFormat,
    ReportKind,
    ReportLanguage,
    RunStatus,
    Status,
    Term,
    Visibility,
)
from workplan.request_guards import MAX_ID, MAX_PAGE

MAX_PER_PAGE = 100


class Closed(BaseModel):
    """A request body: unknown members are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


# -- errors ------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable machine-readable code, e.g. `conflict`.")
    message: str
    fields: dict[str, list[str]] | None = Field(
        default=None, description="For 422: the offending fields and what is wrong with each."
    )
    current_version: int | None = Field(
        default=None, description="For 409 on a stale `version`: the version to send now."
    )
    current_status: str | None = Field(
        default=None, description="For 409 on a blocker: the status it has now."
    )


class ErrorBody(BaseModel):
    error: ErrorDetail


# -- queries -----------------------------------------------------------------------------


class Paging(BaseModel):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=50, ge=1, le=MAX_PER_PAGE)


class TaskFilters(Paging):
    term: Term | None = None
    org: str | None = Field(default=None, description="An organisation's code.")
    status: Status | None = Field(
        default=None, description="The task's overall status (rolled up from its shares)."
    )


class BlockerFilters(Paging):
    status: str = Field(
        default="open",
        pattern="^open$",
        description="`open`: every blocker not yet resolved (open, acknowledged, escalated).",
    )


# -- the plan ----------------------------------------------------------------------------


class OrganisationOut(BaseModel):
    code: str
    name: str
    name_fr: str | None
    kind: OrgKind
    region: str | None


class OrganisationList(RootModel[list[OrganisationOut]]):
    pass


class ShareOut(BaseModel):
    org: str = Field(description="The organisation's code.")
    lead: bool
    status: Status
    progress: int | None
    blocked: bool = Field(description="Whether it has an open blocker you may see.")
    updated_at: datetime | None = Field(description="Its newest report you may see.")
    version: int | None = Field(
        description="What to send as `version` with an update; only for shares you may write."
    )


class TaskOut(BaseModel):
    code: str
    term: Term
    title: str
    status: Status
    progress: int
    responsible: list[ShareOut]


class TaskList(RootModel[list[TaskOut]]):
    pass


class BlockerOut(BaseModel):
    id: int
    task: str
    org: str
    category: BlockerCategory
    description: str
    visibility: Visibility
    status: BlockerStatus
    raised_at: datetime
    raised_by: str | None
    help_from: str | None
    version: int


class BlockerList(RootModel[list[BlockerOut]]):
    pass


class TaskDetail(TaskOut):
    text: str
    blockers: list[BlockerOut] = Field(description="Its open blockers you may see.")


class UpdateOut(BaseModel):
    id: int
    status: Status
    progress: int | None
    narrative: str
    visibility: Visibility
    author: str | None
    created_at: datetime
    evidence_links: list[str]
    confirmation: bool = Field(description='A "no change since my last report".')


class UpdateList(RootModel[list[UpdateOut]]):
    pass


# -- writes ------------------------------------------------------------------------------


class UpdateIn(Closed):
    status: Status
    progress: int | None = None
    narrative: str = ""
    visibility: Visibility = Visibility.NETWORK
    evidence_links: list[str] = Field(default_factory=list)
    version: int = Field(description="The share's `version` as you last read it.")


class BlockerIn(Closed):
    category: BlockerCategory
    description: str
    visibility: Visibility = Visibility.NETWORK
    help_from: str | None = Field(
        default=None, description="The code of the organisation whose help is needed."
    )


class ResolveIn(Closed):
    note: str = ""
    version: int | None = Field(
        default=None, description="The blocker's `version` as you read it; omit for the current."
    )


class MeetingIn(Closed):
    title: str
    date: date
    cutoff: date = Field(description="The reporting cut-off date.")
    cutoff_time: str | None = Field(
        default=None, description="HH:MM in UTC; the end of the day (23:59) when omitted."
    )
    place: str = ""
    document_symbol: str = ""


class MeetingOut(BaseModel):
    id: int
    title: str
    date: date
    cutoff: datetime
    place: str
    document_symbol: str


class MeetingList(RootModel[list[MeetingOut]]):
    pass


class ReportIn(Closed):
    kind: ReportKind
    format: ReportFormat
    language: ReportLanguage = ReportLanguage.EN
    internal: bool = False
    meeting: int | None = Field(default=None, ge=1, le=MAX_ID, description="A meeting's id.")
    org: str | None = Field(default=None, description="An organisation's code.")
    start: date | None = None
    end: date | None = None


class ReportOut(BaseModel):
    id: int
    status: RunStatus
    progress: int | None = None
    error: str | None = None
    file_url: str | None = Field(
        default=None, description="When ready: download it with the same token."
    )
