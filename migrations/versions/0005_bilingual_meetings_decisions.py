"""A meeting's title and place in French as well (the French report uses them), and what a
blocker asks the annual meeting to decide.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs, not batches: on SQLite a batch rebuilds the table, and dropping the
    # old one would empty the report runs' meeting (ON DELETE SET NULL) or be refused by the
    # blockers' history (RESTRICT).
    op.add_column('meetings', sa.Column('title_fr', sa.String(length=300), server_default='', nullable=False))
    op.add_column('meetings', sa.Column('place_fr', sa.String(length=200), server_default='', nullable=False))
    op.add_column('blockers', sa.Column('decision_asked', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('blockers') as batch_op:
        batch_op.drop_column('decision_asked')
    with op.batch_alter_table('meetings') as batch_op:
        batch_op.drop_column('place_fr')
        batch_op.drop_column('title_fr')
