"""host public counter: whether the home page shows the year's visits

Revision ID: 047873a3a001
Revises: a3f1c9d2e8b4
Create Date: 2026-12-02 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '047873a3a001'
down_revision = 'a3f1c9d2e8b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('host_profile', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('public_counter', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('host_profile', schema=None) as batch_op:
        batch_op.drop_column('public_counter')
