"""The network's people and its mail: directory fields and preferences on users (title,
phone and whether it is hidden, main or alternate focal point, language, digest), one-time
links that lead somewhere (a reminder's report form), the outbox every e-mail goes through,
and the notifications kept for digests.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:30:58.698424

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_digested_at'), ['digested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('calendar', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.CheckConstraint("language IN ('en', 'fr')", name=op.f('ck_outbox_messages_language_valid')),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_messages_status_valid')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_outbox_messages_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('sign_in_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), server_default='sign_in', nullable=False))
        batch_op.add_column(sa.Column('next_path', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sign_in_tokens_assignment_id_assignments'), 'assignments', ['assignment_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(
            op.f('ck_sign_in_tokens_purpose_valid'), "purpose IN ('sign_in', 'report', 'no_change')"
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('phone', sa.String(length=50), server_default='', nullable=False))
        batch_op.add_column(sa.Column('phone_hidden', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('focal_point_rank', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('digest', sa.String(length=10), server_default='daily', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_users_focal_point_rank_valid'), "focal_point_rank IN ('main', 'alternate')"
        )
        batch_op.create_check_constraint(op.f('ck_users_language_valid'), "language IN ('en', 'fr')")
        batch_op.create_check_constraint(
            op.f('ck_users_digest_valid'), "digest IN ('daily', 'weekly', 'none')"
        )



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_digest_valid'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_language_valid'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_focal_point_rank_valid'), type_='check')
        batch_op.drop_column('digest')
        batch_op.drop_column('language')
        batch_op.drop_column('focal_point_rank')
        batch_op.drop_column('phone_hidden')
        batch_op.drop_column('phone')
        batch_op.drop_column('title')

    with op.batch_alter_table('sign_in_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sign_in_tokens_purpose_valid'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_sign_in_tokens_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_column('assignment_id')
        batch_op.drop_column('next_path')
        batch_op.drop_column('purpose')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_recipient_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_digested_at'))

    op.drop_table('notifications')
