-- Africa's Talking delivery reports name a message by the id that the send reply gave it.
-- delivery_status keeps the latest report's status word (Sent, Submitted, Buffered, Success,
-- Rejected, Failed); the final words move status to DELIVERED or REJECTED.
ALTER TABLE sms_messages ADD COLUMN delivery_status TEXT;
ALTER TABLE sms_messages ADD COLUMN delivery_reported_at TIMESTAMPTZ;
CREATE INDEX sms_messages_provider_id ON sms_messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;

-- Merchants may ask for SMS receipts to their customers for invoices made through the API too.
-- USSD and SMS invoices always get one.
ALTER TABLE merchants ADD COLUMN sms_receipts_for_api BOOLEAN NOT NULL DEFAULT false;
