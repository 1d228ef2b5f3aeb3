"""certificate_seal: the issuer's seal an admin uploads, drawn on certificate PDFs

Revision ID: 8405ff48bb58
Revises: 5d0e7a1c2b3f
Create Date: 2026-12-07 17:54:35.588486
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '8405ff48bb58'
down_revision = '5d0e7a1c2b3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_seal',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_certificate_seal_single_row')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_certificate_seal_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_seal'))
    )


def downgrade():
    op.drop_table('certificate_seal')
