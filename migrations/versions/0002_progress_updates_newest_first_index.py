"""An index on progress updates by assignment and date, to find each assignment's newest
update without sorting its history (the dashboard does it for every share).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 13:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_progress_updates_assignment_id_created_at',
            ['assignment_id', 'created_at'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_updates_assignment_id_created_at')
