"""Each share's current state kept per audience (pointers to its newest update and to its
newest update the whole network may read, with what each says), and the kept state of the
plan at each past meeting cut-off. Existing shares get their pointers from their history.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:00:00

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

STATUSES = "('not_started', 'in_progress', 'ongoing', 'completed', 'on_hold')"

# Plain SQL that SQLite and PostgreSQL both run: newest is (created_at, id), as in
# workplan.state.current.
NEWEST = """(SELECT pu.id FROM progress_updates pu WHERE pu.assignment_id = assignments.id{extra}
 ORDER BY pu.created_at DESC, pu.id DESC LIMIT 1)"""
FILL_POINTERS = (
    "UPDATE assignments SET latest_update_id = " + NEWEST.format(extra="")
    + ", latest_network_update_id = " + NEWEST.format(extra=" AND pu.visibility = 'network'")
)


def _implied(column: str, pointer: str) -> str:
    return f"(SELECT pu.{column} FROM progress_updates pu WHERE pu.id = assignments.{pointer})"


FILL_STATES = (
    "UPDATE assignments SET "
    f"status = COALESCE({_implied('status', 'latest_update_id')}, 'not_started'), "
    f"progress = {_implied('progress', 'latest_update_id')}, "
    f"last_update_at = {_implied('created_at', 'latest_update_id')}, "
    f"network_status = COALESCE({_implied('status', 'latest_network_update_id')}, 'not_started'), "
    f"network_progress = {_implied('progress', 'latest_network_update_id')}, "
    f"network_updated_at = {_implied('created_at', 'latest_network_update_id')}"
)


@contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite adds constraints by rebuilding ``assignments`` (copy, drop, rename), and the
    drop fails while progress updates refer to it and foreign keys are enforced. SQLite's
    documented way: switch enforcement off around the rebuild, which it allows only outside
    a transaction (SQLite's DDL is not transactional here anyway), then check and switch it
    back on."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        yield
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
        raw.commit()
        problems = raw.execute('PRAGMA foreign_key_check').fetchall()
        if problems:
            raise RuntimeError(f'foreign keys broken by the rebuild: {problems[:5]}')
    finally:
        raw.execute('PRAGMA foreign_keys=ON')


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table('assignments') as batch_op:
        batch_op.add_column(sa.Column('latest_update_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('latest_network_update_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('network_status', sa.String(length=20), server_default='not_started', nullable=False))
        batch_op.add_column(sa.Column('network_progress', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('network_updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assignments_latest_update_id_progress_updates'), 'progress_updates', ['latest_update_id'], ['id'], ondelete='SET NULL', use_alter=True)
        batch_op.create_foreign_key(batch_op.f('fk_assignments_latest_network_update_id_progress_updates'), 'progress_updates', ['latest_network_update_id'], ['id'], ondelete='SET NULL', use_alter=True)
        batch_op.create_check_constraint(op.f('ck_assignments_network_status_valid'), f"network_status IN {STATUSES}")
        batch_op.create_check_constraint(op.f('ck_assignments_network_progress_percent'), "network_progress IS NULL OR (network_progress >= 0 AND network_progress <= 100)")

    op.execute(FILL_POINTERS)
    op.execute(FILL_STATES)

    op.create_table('meeting_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=12), nullable=False),
    sa.Column('cutoff_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('network', 'internal')", name=op.f('ck_meeting_states_audience_valid')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_states_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_states')),
    sa.UniqueConstraint('meeting_id', 'audience', name=op.f('uq_meeting_states_meeting_id_audience'))
    )
    op.create_table('meeting_share_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_state_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(f"status IN {STATUSES}", name=op.f('ck_meeting_share_states_status_valid')),
    sa.CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name=op.f('ck_meeting_share_states_progress_percent')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_meeting_share_states_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_state_id'], ['meeting_states.id'], name=op.f('fk_meeting_share_states_meeting_state_id_meeting_states'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['progress_updates.id'], name=op.f('fk_meeting_share_states_update_id_progress_updates'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_share_states')),
    sa.UniqueConstraint('meeting_state_id', 'assignment_id', name=op.f('uq_meeting_share_states_meeting_state_id_assignment_id'))
    )
    with op.batch_alter_table('meeting_share_states') as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_share_states_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_share_states_update_id'), ['update_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_share_states') as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_share_states_update_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_share_states_assignment_id'))
    op.drop_table('meeting_share_states')
    op.drop_table('meeting_states')
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table('assignments') as batch_op:
        batch_op.drop_constraint(op.f('ck_assignments_network_progress_percent'), type_='check')
        batch_op.drop_constraint(op.f('ck_assignments_network_status_valid'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_assignments_latest_network_update_id_progress_updates'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_assignments_latest_update_id_progress_updates'), type_='foreignkey')
        batch_op.drop_column('network_updated_at')
        batch_op.drop_column('network_progress')
        batch_op.drop_column('network_status')
        batch_op.drop_column('latest_network_update_id')
        batch_op.drop_column('latest_update_id')
