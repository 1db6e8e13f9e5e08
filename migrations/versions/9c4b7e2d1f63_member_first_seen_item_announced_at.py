"""member first seen, item announced at: the member's page marks what changed since they opened it

Revision ID: 9c4b7e2d1f63
Revises: 5d2e8f1a7c30
Create Date: 2026-12-02 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import planner.core.database


# revision identifiers, used by Alembic.
revision = '9c4b7e2d1f63'
down_revision = '5d2e8f1a7c30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('first_seen_at', planner.core.database.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('announced_at', planner.core.database.UTCDateTime(), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('first_seen_at')
