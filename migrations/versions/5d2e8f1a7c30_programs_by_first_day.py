"""programs by first day: a year's programs for the figures without scanning every year

Revision ID: 5d2e8f1a7c30
Revises: b7d41e6c9a52
Create Date: 2026-12-02 09:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2e8f1a7c30'
down_revision = 'b7d41e6c9a52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index('ix_programs_first_day', ['first_day'], unique=False)


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_index('ix_programs_first_day')
