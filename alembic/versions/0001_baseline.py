"""baseline: the schema of the foundation

Revision ID: 0001
Revises:
Create Date: 2026-11-30 22:58:03.554663

"""
from typing import Sequence, Union

import sqlalchemy as sa

import lkk_integration.db
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('export_counter',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_counter'))
    )
    op.create_table('mail_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_message'))
    )
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.create_index('ix_mail_message_due', ['sent_at', 'next_attempt_at'], unique=False)

    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('billing_id', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=500), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=False),
    sa.Column('org_type', sa.String(length=100), nullable=False),
    sa.Column('inn', sa.String(length=12), nullable=False),
    sa.Column('kpp', sa.String(length=9), nullable=True),
    sa.Column('ogrn', sa.String(length=15), nullable=True),
    sa.Column('contract_number', sa.String(length=50), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('billing_id', name=op.f('uq_organization_billing_id')),
    sa.UniqueConstraint('contract_number', name=op.f('uq_organization_contract_number'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('soap_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('secret_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_soap_client')),
    sa.UniqueConstraint('name', name=op.f('uq_soap_client_name'))
    )
    op.create_table('contact_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('mobile_phone', sa.String(length=30), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_normalized', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('password_changed_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_contact_person_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_person')),
    sa.UniqueConstraint('email_normalized', name=op.f('uq_contact_person_email_normalized')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_contact_person_organization_id'))
    )
    op.create_table('house',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('billing_id', sa.String(length=64), nullable=False),
    sa.Column('settlement', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('house_number', sa.String(length=50), nullable=False),
    sa.Column('removed_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_house_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_house')),
    sa.UniqueConstraint('billing_id', name=op.f('uq_house_billing_id'))
    )
    with op.batch_alter_table('house', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_house_organization_id'), ['organization_id'], unique=False)

    op.create_table('soap_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=100), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=False),
    sa.Column('response_json', sa.Text(), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['soap_client.id'], name=op.f('fk_soap_request_client_id_soap_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_soap_request')),
    sa.UniqueConstraint('client_id', 'request_id', name='uq_soap_request_id')
    )
    op.create_table('action_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("purpose IN ('activation', 'recovery')", name=op.f('ck_action_token_purpose')),
    sa.ForeignKeyConstraint(['person_id'], ['contact_person.id'], name=op.f('fk_action_token_person_id_contact_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_token')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_action_token_token_sha256'))
    )
    with op.batch_alter_table('action_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_token_person_id'), ['person_id'], unique=False)

    op.create_table('login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('public_id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['contact_person.id'], name=op.f('fk_login_session_person_id_contact_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('public_id', name=op.f('uq_login_session_public_id')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_login_session_token_sha256'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_person_id'), ['person_id'], unique=False)

    op.create_table('personal_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('apartment', sa.String(length=20), nullable=False),
    sa.Column('consumer_name', sa.String(length=300), nullable=True),
    sa.Column('metering_type', sa.String(length=100), nullable=True),
    sa.Column('removed_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['house_id'], ['house.id'], name=op.f('fk_personal_account_house_id_house')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_account')),
    sa.UniqueConstraint('number', name=op.f('uq_personal_account_number'))
    )
    with op.batch_alter_table('personal_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_account_house_id'), ['house_id'], unique=False)

    op.create_table('upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('sent_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('checked', 'sent', 'discarded')", name=op.f('ck_upload_status')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_upload_organization_id_organization')),
    sa.ForeignKeyConstraint(['person_id'], ['contact_person.id'], name=op.f('fk_upload_person_id_contact_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload'))
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.create_index('ix_upload_organization_hash', ['organization_id', 'content_sha256'], unique=False)

    op.create_table('meter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('billing_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('personal_account_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('zones', sa.SmallInteger(), nullable=False),
    sa.Column('capacity', sa.SmallInteger(), nullable=False),
    sa.Column('transformation_ratio', lkk_integration.db.Kwh(precision=18, scale=4), nullable=False),
    sa.Column('verification_due', sa.Date(), nullable=True),
    sa.Column('last_accounted_reading_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('archived_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'individual') = (personal_account_id IS NOT NULL)", name=op.f('ck_meter_account_of_individual')),
    sa.CheckConstraint("kind IN ('individual', 'common_house')", name=op.f('ck_meter_kind')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 12', name=op.f('ck_meter_capacity')),
    sa.CheckConstraint('zones BETWEEN 1 AND 3', name=op.f('ck_meter_zones')),
    sa.ForeignKeyConstraint(['house_id'], ['house.id'], name=op.f('fk_meter_house_id_house')),
    sa.ForeignKeyConstraint(['last_accounted_reading_id'], ['reading.id'], name=op.f('fk_meter_last_accounted_reading_id_reading'), use_alter=True),
    sa.ForeignKeyConstraint(['personal_account_id'], ['personal_account.id'], name=op.f('fk_meter_personal_account_id_personal_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meter')),
    sa.UniqueConstraint('billing_id', name=op.f('uq_meter_billing_id'))
    )
    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.create_index('ix_meter_house_number', ['house_id', 'number'], unique=False)
        batch_op.create_index(batch_op.f('ix_meter_personal_account_id'), ['personal_account_id'], unique=False)

    op.create_table('reading',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('meter_id', sa.Integer(), nullable=False),
    sa.Column('reading_date', sa.Date(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('t1', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('t2', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('t3', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('submitted_by_person_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_client_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('login_session_id', sa.String(length=64), nullable=True),
    sa.Column('replaces_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('deleted_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('manual', 'file', 'billing')", name=op.f('ck_reading_channel')),
    sa.ForeignKeyConstraint(['meter_id'], ['meter.id'], name=op.f('fk_reading_meter_id_meter')),
    sa.ForeignKeyConstraint(['replaces_id'], ['reading.id'], name=op.f('fk_reading_replaces_id_reading')),
    sa.ForeignKeyConstraint(['submitted_by_client_id'], ['soap_client.id'], name=op.f('fk_reading_submitted_by_client_id_soap_client')),
    sa.ForeignKeyConstraint(['submitted_by_person_id'], ['contact_person.id'], name=op.f('fk_reading_submitted_by_person_id_contact_person')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_reading_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading'))
    )
    with op.batch_alter_table('reading', schema=None) as batch_op:
        batch_op.create_index('ix_reading_meter_period', ['meter_id', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_upload_id'), ['upload_id'], unique=False)
        batch_op.create_index('uq_reading_current', ['meter_id', 'period'], unique=True, postgresql_where=sa.text('is_current'), sqlite_where=sa.text('is_current'))

    op.create_table('upload_row',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('sheet_name', sa.String(length=31), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=True),
    sa.Column('meter_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('apartment', sa.String(length=20), nullable=True),
    sa.Column('account_number', sa.String(length=30), nullable=True),
    sa.Column('meter_number', sa.String(length=50), nullable=True),
    sa.Column('reading_date', sa.Date(), nullable=True),
    sa.Column('raw_date', sa.String(length=50), nullable=True),
    sa.Column('raw_t1', sa.String(length=50), nullable=True),
    sa.Column('raw_t2', sa.String(length=50), nullable=True),
    sa.Column('raw_t3', sa.String(length=50), nullable=True),
    sa.Column('t1', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('t2', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('t3', lkk_integration.db.Kwh(precision=18, scale=4), nullable=True),
    sa.Column('is_valid', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('individual', 'common_house')", name=op.f('ck_upload_row_kind')),
    sa.ForeignKeyConstraint(['house_id'], ['house.id'], name=op.f('fk_upload_row_house_id_house')),
    sa.ForeignKeyConstraint(['meter_id'], ['meter.id'], name=op.f('fk_upload_row_meter_id_meter')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_upload_row_upload_id_upload'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_row'))
    )
    with op.batch_alter_table('upload_row', schema=None) as batch_op:
        batch_op.create_index('ix_upload_row_upload_house', ['upload_id', 'house_id'], unique=False)

    op.create_table('export_event',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('reading_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', lkk_integration.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('submitted', 'deleted')", name=op.f('ck_export_event_kind')),
    sa.ForeignKeyConstraint(['reading_id'], ['reading.id'], name=op.f('fk_export_event_reading_id_reading')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_export_event'))
    )
    with op.batch_alter_table('export_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_event_reading_id'), ['reading_id'], unique=False)

    if op.get_bind().dialect.name != "sqlite":
        # meter ↔ reading refer to each other; SQLite keeps this key inline in CREATE TABLE.
        op.create_foreign_key(op.f("fk_meter_last_accounted_reading_id_reading"), "meter",
                              "reading", ["last_accounted_reading_id"], ["id"])
    op.execute("INSERT INTO export_counter (id, last_seq) VALUES (1, 0)")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_meter_last_accounted_reading_id_reading"), "meter",
                           type_="foreignkey")
    with op.batch_alter_table('export_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_event_reading_id'))

    op.drop_table('export_event')
    with op.batch_alter_table('upload_row', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_row_upload_house')

    op.drop_table('upload_row')
    with op.batch_alter_table('reading', schema=None) as batch_op:
        batch_op.drop_index('uq_reading_current', postgresql_where=sa.text('is_current'), sqlite_where=sa.text('is_current'))
        batch_op.drop_index(batch_op.f('ix_reading_upload_id'))
        batch_op.drop_index('ix_reading_meter_period')

    op.drop_table('reading')
    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meter_personal_account_id'))
        batch_op.drop_index('ix_meter_house_number')

    op.drop_table('meter')
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_organization_hash')

    op.drop_table('upload')
    with op.batch_alter_table('personal_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_account_house_id'))

    op.drop_table('personal_account')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_person_id'))

    op.drop_table('login_session')
    with op.batch_alter_table('action_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_token_person_id'))

    op.drop_table('action_token')
    op.drop_table('soap_request')
    with op.batch_alter_table('house', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_house_organization_id'))

    op.drop_table('house')
    op.drop_table('contact_person')
    op.drop_table('soap_client')
    op.drop_table('setting')
    op.drop_table('organization')
    with op.batch_alter_table('mail_message', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_message_due')

    op.drop_table('mail_message')
    op.drop_table('export_counter')
