"""travel dates, health certificates and the host official, for SPPD lists and manifests

Revision ID: 7d2c4a9e1b05
Revises: e8bf0500a03b
Create Date: 2026-11-28 13:14:47.752901

"""
from alembic import op
import sqlalchemy as sa

import planner.core.database


# revision identifiers, used by Alembic.
revision = '7d2c4a9e1b05'
down_revision = 'e8bf0500a03b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrives_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('departs_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_delegations_travel_dates'),
            'arrives_on IS NULL OR departs_on IS NULL OR departs_on >= arrives_on',
        )

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('health_certificate', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_official_name', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('host_official_title', sa.String(length=200),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('host_official_nip', sa.String(length=18), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('host_official_nip')
        batch_op.drop_column('host_official_title')
        batch_op.drop_column('host_official_name')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('health_certificate')

    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_delegations_travel_dates'), type_='check')
        batch_op.drop_column('departs_on')
        batch_op.drop_column('arrives_on')
