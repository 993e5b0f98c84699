"""A report's narrative may be marked public (the public portal shows it), and a newcomer focal
point's dismissal of the handover summary is remembered.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, not a batch: on SQLite a batch rebuilds progress_updates, and
    # dropping the old table would set every share's pointers to it (ON DELETE SET NULL) to
    # NULL. tests/test_state_migration.py upgrades a history through this migration.
    op.add_column(
        'progress_updates',
        sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        'users', sa.Column('handover_dismissed_at', sa.DateTime(timezone=True), nullable=True)
    )
    # The summary is for a newcomer's first visits: people already working in the
    # application are not newcomers, so it is not shown to them on their next visit.
    op.execute(
        'UPDATE users SET handover_dismissed_at = last_sign_in_at '
        'WHERE last_sign_in_at IS NOT NULL'
    )


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('handover_dismissed_at')
    with op.batch_alter_table('progress_updates') as batch_op:
        batch_op.drop_column('public')
