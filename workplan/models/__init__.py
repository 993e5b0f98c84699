"""All models, importable from one place (Alembic and the app need every table registered)."""

from workplan.extensions import db
from workplan.models import append_only
from workplan.models.audit import AuditEntry
from workplan.models.meetings import (
    Meeting,
    ReportFormat,
    ReportKind,
    ReportLanguage,
    ReportRun,
    RunStatus,
)
from workplan.models.organisations import Organisation, OrgKind, Role, SignInToken, User
from workplan.models.plan import Assignment, Recommendation, Status, Term
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
    "Assignment",
    "Attachment",
    "AuditEntry",
    "Blocker",
    "BlockerAction",
    "BlockerCategory",
    "BlockerEvent",
    "BlockerStatus",
    "Meeting",
    "OrgKind",
    "Organisation",
    "ProgressUpdate",
    "Recommendation",
    "ReportFormat",
    "ReportKind",
    "ReportLanguage",
    "ReportRun",
    "Role",
    "RunStatus",
    "SignInToken",
    "Status",
    "Term",
    "User",
    "Visibility",
]

append_only.register(db.metadata)
