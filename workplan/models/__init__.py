"""All models, importable from one place (Alembic and the app need every table registered)."""

from workplan.extensions import db
from workplan.models import append_only
from workplan.models.audit import AuditEntry
from workplan.models.mail import MessageStatus, Notification, OutboxMessage
from workplan.models.meetings import (
    Meeting,
    ReportFormat,
    ReportKind,
    ReportLanguage,
    ReportRun,
    RunStatus,
)
from workplan.models.organisations import (
    Digest,
    FocalPointRank,
    Language,
    Organisation,
    OrgKind,
    Role,
    SignInToken,
    TokenPurpose,
    User,
)
from workplan.models.plan import Assignment, Recommendation, Status, Term
from workplan.models.revisions import PlanRevision, RecommendationVersion
from workplan.models.states import Audience, MeetingShareState, MeetingState
from workplan.models.tokens import ApiToken
from workplan.models.updates import (
    OPEN_BLOCKER_STATUSES,
    Attachment,
    Blocker,
    BlockerAction,
    BlockerCategory,
    BlockerEvent,
    BlockerStatus,
    ProgressUpdate,
    Visibility,
)

__all__ = [
    "OPEN_BLOCKER_STATUSES",
    "ApiToken",
    "Assignment",
    "Attachment",
    "Audience",
    "AuditEntry",
    "Blocker",
    "BlockerAction",
    "BlockerCategory",
    "BlockerEvent",
    "BlockerStatus",
    "Digest",
    "FocalPointRank",
    "Language",
    "Meeting",
    "MeetingShareState",
    "MeetingState",
    "MessageStatus",
    "Notification",
    "OrgKind",
    "Organisation",
    "OutboxMessage",
    "PlanRevision",
    "ProgressUpdate",
    "Recommendation",
    "RecommendationVersion",
    "ReportFormat",
    "ReportKind",
    "ReportLanguage",
    "ReportRun",
    "Role",
    "RunStatus",
    "SignInToken",
    "Status",
    "Term",
    "TokenPurpose",
    "User",
    "Visibility",
]

append_only.register(db.metadata)
