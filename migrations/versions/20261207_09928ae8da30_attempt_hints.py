"""attempt_hint: the exercise-task hints a cadre opened (each costs a share of the points)

Revision ID: 09928ae8da30
Revises: 8405ff48bb58
Create Date: 2026-12-07 18:22:04.253616
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '09928ae8da30'
down_revision = "8405ff48bb58"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt_hint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('opened_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('number BETWEEN 1 AND 3', name=op.f('ck_attempt_hint_hint_number')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_attempt_hint_attempt_id_attempt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_hint')),
    sa.UniqueConstraint('attempt_id', 'position', 'number', name=op.f('uq_attempt_hint_attempt_id_position_number'))
    )


def downgrade():
    op.drop_table('attempt_hint')
