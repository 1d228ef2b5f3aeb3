"""hours claims: the proof's bytes in hours_claim_proof, and the certificate number folded
(no spaces, lower case) in an indexed column, so a repeated number is found by the index

Revision ID: 47da3b2c8df0
Revises: 5c0d2e7a91b4
Create Date: 2026-12-08 00:27:04.323264
"""

import warnings

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '47da3b2c8df0'
down_revision = '5c0d2e7a91b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hours_claim_proof',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['hours_claim.id'], name=op.f('fk_hours_claim_proof_claim_id_hours_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_hours_claim_proof'))
    )
    with op.batch_alter_table('hours_claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_key', sa.String(length=100), server_default='', nullable=False))
        batch_op.drop_index(batch_op.f('ix_hours_claim_certificate_number'))
        batch_op.create_index(batch_op.f('ix_hours_claim_certificate_key'), ['certificate_key'], unique=False)
    # Claims saved before this revision (none outside development): spaces and case folded.
    op.execute("UPDATE hours_claim SET certificate_key = lower(replace(certificate_number, ' ', ''))")


def downgrade():
    with warnings.catch_warnings():  # batch mode reflects the tables it copies
        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
        with op.batch_alter_table('hours_claim', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f('ix_hours_claim_certificate_key'))
            batch_op.create_index(batch_op.f('ix_hours_claim_certificate_number'), ['certificate_number'], unique=False)
            batch_op.drop_column('certificate_key')

    op.drop_table('hours_claim_proof')
