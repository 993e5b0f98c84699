"""The database guards what must always hold: CHECK constraints on every enumerated column
and on percentages, RESTRICT instead of CASCADE from the plan to its history, append-only
history tables on PostgreSQL, the audit filters indexed, the redundant index on updates
dropped, and a session generation per user (sign-out ends every session).

Values outside an enumeration found in existing rows are made private ('restricted') or
refused before the constraints are added, so the upgrade never fails half-way on old data.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STATUSES = ('not_started', 'in_progress', 'ongoing', 'completed', 'on_hold')
VISIBILITIES = ('network', 'restricted')
BLOCKER_CATEGORIES = ('resources', 'administrative', 'confidentiality', 'political', 'other')
BLOCKER_STATUSES = ('open', 'acknowledged', 'escalated', 'resolved')
BLOCKER_ACTIONS = ('acknowledge', 'escalate', 'resolve', 'reopen', 'comment')

CHECKS = {
    'organisations': [('kind_valid', 'kind', ('rhrm', 'ohchr'))],
    'users': [('role_valid', 'role', ('focal_point', 'coordinator', 'observer', 'admin'))],
    'recommendations': [('term_valid', 'term', ('short', 'mid', 'long'))],
    'assignments': [('status_valid', 'status', STATUSES), ('progress_percent', 'progress', None)],
    'progress_updates': [
        ('status_valid', 'status', STATUSES),
        ('visibility_valid', 'visibility', VISIBILITIES),
        ('progress_percent', 'progress', None),
    ],
    'blockers': [
        ('category_valid', 'category', BLOCKER_CATEGORIES),
        ('visibility_valid', 'visibility', VISIBILITIES),
        ('status_valid', 'status', BLOCKER_STATUSES),
    ],
    'blocker_events': [
        ('action_valid', 'action', BLOCKER_ACTIONS),
        ('status_after_valid', 'status_after', BLOCKER_STATUSES),
    ],
    'report_runs': [
        ('kind_valid', 'kind', ('meeting', 'organisation', 'blockers')),
        ('format_valid', 'format', ('docx', 'pdf', 'xlsx', 'csv')),
        ('language_valid', 'language', ('en', 'fr')),
        ('status_valid', 'status', ('queued', 'running', 'finished', 'failed')),
        ('progress_percent', 'progress', None),
    ],
}

# (table, column, referred table): history hangs on what it is about, and is never erased
# with it.
HISTORY_KEYS = [
    ('assignments', 'recommendation_id', 'recommendations'),
    ('progress_updates', 'assignment_id', 'assignments'),
    ('attachments', 'update_id', 'progress_updates'),
    ('blockers', 'assignment_id', 'assignments'),
    ('blocker_events', 'blocker_id', 'blockers'),
]

APPEND_ONLY_TABLES = ('progress_updates', 'blocker_events', 'audit_entries')
REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION workplan_refuse_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def _condition(column, values):
    if values is None:
        return f'{column} IS NULL OR ({column} >= 0 AND {column} <= 100)'
    allowed = ', '.join(f"'{v}'" for v in values)
    return f'{column} IN ({allowed})'


def _clean_existing_rows():
    """Private when unknown (fail closed); other unknown values stop the upgrade loudly."""
    for table in ('progress_updates', 'blockers'):
        op.execute(
            f"UPDATE {table} SET visibility = 'restricted' "
            f"WHERE visibility NOT IN ('network', 'restricted')"
        )
    for table in ('assignments', 'progress_updates', 'report_runs'):
        op.execute(f'UPDATE {table} SET progress = 100 WHERE progress > 100')
        op.execute(f'UPDATE {table} SET progress = 0 WHERE progress < 0')


def upgrade():
    _clean_existing_rows()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False)
        )
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, values in checks:
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{name}'), _condition(column, values)
                )
    for table, column, referred in HISTORY_KEYS:
        name = f'fk_{table}_{column}_{referred}'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='foreignkey')
            batch_op.create_foreign_key(name, referred, [column], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_updates_assignment_id')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entries_object_type', ['object_type'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(REFUSE_FUNCTION)
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
                f'FOR EACH ROW EXECUTE FUNCTION workplan_refuse_history_change()'
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in APPEND_ONLY_TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON {table}')
        op.execute('DROP FUNCTION IF EXISTS workplan_refuse_history_change()')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_object_type')
        batch_op.drop_index('ix_audit_entries_actor_id')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_progress_updates_assignment_id', ['assignment_id'], unique=False
        )
    for table, column, referred in HISTORY_KEYS:
        name = f'fk_{table}_{column}_{referred}'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='foreignkey')
            batch_op.create_foreign_key(name, referred, [column], ['id'], ondelete='CASCADE')
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _column, _values in checks:
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
