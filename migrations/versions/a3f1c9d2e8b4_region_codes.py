"""region codes: the Kemendagri code of a delegation's government, as visit requests have it

Revision ID: a3f1c9d2e8b4
Revises: 6e8728a9f9c2
Create Date: 2026-12-02 02:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f1c9d2e8b4'
down_revision = '6e8728a9f9c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('region_code', sa.String(length=13), nullable=False, server_default='')
        )
        batch_op.create_index('ix_delegations_region_code', ['region_code'], unique=False)


def downgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index('ix_delegations_region_code')
        batch_op.drop_column('region_code')
