"""staff invitations

Revision ID: 5b1e9a7c3d20
Revises: 21c31ea3e80d
Create Date: 2026-11-28 11:56:47.146982

"""
from alembic import op
import sqlalchemy as sa

import planner.core.database


# revision identifiers, used by Alembic.
revision = '5b1e9a7c3d20'
down_revision = '21c31ea3e80d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invite_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invite_expires_at', planner.core.database.UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_users_invite_token_hash'), ['invite_token_hash'])


def downgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_users_invite_token_hash'), type_='unique')
        batch_op.drop_column('invite_expires_at')
        batch_op.drop_column('invite_token_hash')
