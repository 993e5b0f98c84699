"""The plan is revised after each meeting: a recommendation's versions (append-only), its
French wording and retirement, the end of an organisation's share, and the revisions of the
plan applied for a meeting. The annex's wording of each existing recommendation becomes its
first version.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-02 01:40:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs, not batches: on SQLite a batch rebuilds the table, and dropping the
    # old one is refused by (or empties the pointers of) the history that refers to it.
    op.add_column('recommendations', sa.Column('title_fr', sa.String(length=300), server_default='', nullable=False))
    op.add_column('recommendations', sa.Column('text_fr', sa.Text(), server_default='', nullable=False))
    op.add_column('recommendations', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('recommendations', sa.Column('retired_reason', sa.Text(), server_default='', nullable=False))
    op.add_column('assignments', sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('assignments', sa.Column('ended_reason', sa.Text(), server_default='', nullable=False))
    op.create_table(
        'plan_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('source_name', sa.String(length=300), nullable=False),
        sa.Column('applied', sa.JSON(), nullable=False),
        sa.Column('rejected', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_plan_revisions_applied_by_id_users')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_plan_revisions_meeting_id_meetings'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_revisions')),
    )
    with op.batch_alter_table('plan_revisions') as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_revisions_meeting_id'), ['meeting_id'], unique=False)
    op.create_table(
        'recommendation_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('title_fr', sa.String(length=300), nullable=False),
        sa.Column('text_fr', sa.Text(), nullable=False),
        sa.Column('term', sa.String(length=10), nullable=False),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('plan_revision_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("term IN ('short', 'mid', 'long')", name=op.f('ck_recommendation_versions_term_valid')),
        sa.CheckConstraint('number >= 1', name=op.f('ck_recommendation_versions_number_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recommendation_versions_created_by_id_users')),
        sa.ForeignKeyConstraint(['plan_revision_id'], ['plan_revisions.id'], name=op.f('fk_recommendation_versions_plan_revision_id_plan_revisions'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_versions_recommendation_id_recommendations'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_versions')),
        sa.UniqueConstraint('recommendation_id', 'number', name=op.f('uq_recommendation_versions_recommendation_id_number')),
    )
    with op.batch_alter_table('recommendation_versions') as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_versions_recommendation_id'), ['recommendation_id'], unique=False)
    # The annex's wording of every recommendation already there is its first version.
    op.execute(
        "INSERT INTO recommendation_versions (recommendation_id, number, title, text, title_fr, "
        "text_fr, term, target_date, note, created_at) "
        "SELECT id, 1, title, text, '', '', term, target_date, 'The annex''s wording', created_at "
        "FROM recommendations"
    )
    if op.get_bind().dialect.name == 'postgresql':
        # The function exists since migration 0003.
        op.execute(
            'CREATE TRIGGER recommendation_versions_append_only BEFORE UPDATE OR DELETE ON '
            'recommendation_versions FOR EACH ROW EXECUTE FUNCTION workplan_refuse_history_change()'
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS recommendation_versions_append_only ON recommendation_versions')
    with op.batch_alter_table('recommendation_versions') as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_versions_recommendation_id'))
    op.drop_table('recommendation_versions')
    with op.batch_alter_table('plan_revisions') as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_revisions_meeting_id'))
    op.drop_table('plan_revisions')
    with op.batch_alter_table('assignments') as batch_op:
        batch_op.drop_column('ended_reason')
        batch_op.drop_column('ended_at')
    with op.batch_alter_table('recommendations') as batch_op:
        batch_op.drop_column('retired_reason')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('text_fr')
        batch_op.drop_column('title_fr')
