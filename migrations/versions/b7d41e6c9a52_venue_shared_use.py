"""venue shared use: a place that hosts several groups at once

Revision ID: b7d41e6c9a52
Revises: 047873a3a001
Create Date: 2026-12-02 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41e6c9a52'
down_revision = '047873a3a001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('shared_use', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.drop_column('shared_use')
