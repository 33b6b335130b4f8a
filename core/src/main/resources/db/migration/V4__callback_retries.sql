-- Stored callbacks that could not be applied are retried with a growing delay and given up after a
-- bounded number of tries, so one poisoned row can never block the others.
ALTER TABLE daraja_callbacks
    ADD COLUMN apply_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN next_apply_at  TIMESTAMPTZ;

ALTER TABLE daraja_callbacks DROP CONSTRAINT daraja_callbacks_outcome_check;
ALTER TABLE daraja_callbacks ADD CONSTRAINT daraja_callbacks_outcome_check
    CHECK (outcome IN ('RECEIVED', 'APPLIED', 'DUPLICATE', 'ORPHAN', 'UNREADABLE', 'RECORDED', 'GAVE_UP'));

DROP INDEX daraja_callbacks_unapplied;
CREATE INDEX daraja_callbacks_unapplied ON daraja_callbacks (COALESCE(next_apply_at, received_at))
    WHERE outcome = 'RECEIVED';

-- Lookups of an invoice's attention items, resolved or not.
CREATE INDEX attention_items_subject ON attention_items (subject_type, subject_id, kind);
