-- One open STK prompt per phone. Daraja rejects a push to a customer who already has a prompt
-- open (result 1001, "Unable to lock subscriber"), so the push worker sends a push only after it
-- has taken the phone's row here. The primary key makes that row one per phone across all
-- instances. Test and live pushes are kept apart because test pushes never reach a real phone.
CREATE TABLE phone_prompts (
    environment  TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    phone        TEXT NOT NULL,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    held_until   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (environment, phone)
);

-- When a queued push was first found waiting for another invoice's prompt. Its PUSH_HELD
-- timeline entry is written only when this column is set, so it is written once.
ALTER TABLE push_jobs ADD COLUMN held_since TIMESTAMPTZ;
