"""order of precedence rules (UU 9/2010 Pasal 11), seeded

Revision ID: e8bf0500a03b
Revises: 5b1e9a7c3d20
Create Date: 2026-11-28 13:14:47.752901

"""
from alembic import op
import sqlalchemy as sa

import planner.core.database


# revision identifiers, used by Alembic.
revision = 'e8bf0500a03b'
down_revision = '5b1e9a7c3d20'
branch_labels = None
depends_on = None


# Regency level, UU 9/2010 Pasal 11, then structural echelons; staff edit the table afterwards.
DEFAULT_RULES = [
    ("bupati", 10), ("wakil bupati", 11), ("ketua dprd", 12), ("wakil ketua dprd", 13),
    ("sekretaris daerah", 14), ("anggota dprd", 15), ("ketua pengadilan", 16),
    ("kepala kejaksaan", 16), ("kapolres", 16), ("dandim", 16),
    ("asisten", 20), ("staf ahli", 21), ("sekretaris dprd", 21), ("inspektur", 22),
    ("kepala badan", 22), ("kepala dinas", 22), ("kepala bappeda", 22), ("camat", 30),
    ("kepala bagian", 30), ("kepala bidang", 31), ("sekretaris dinas", 31),
    ("sekretaris badan", 31), ("lurah", 40), ("kepala subbagian", 40), ("kepala seksi", 41),
    ("kepala subbidang", 41), ("analis", 50), ("pranata", 51), ("pengelola", 60),
    ("staf", 70), ("pengemudi", 80),
]


def upgrade():
    rules = op.create_table('precedence_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('keyword', sa.String(length=100), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_precedence_rules_rank_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_precedence_rules')),
    sa.UniqueConstraint('keyword', name=op.f('uq_precedence_rules_keyword'))
    )
    op.bulk_insert(rules, [{"keyword": keyword, "rank": rank} for keyword, rank in DEFAULT_RULES])


def downgrade():
    op.drop_table('precedence_rules')
