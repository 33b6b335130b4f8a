-- The language of the receipt SMS for a USSD or SMS invoice: the language the customer chose in the
-- USSD menu, else the business's default_language. An invoice without a row gets English.
CREATE TABLE invoice_languages (
    invoice_id  TEXT PRIMARY KEY REFERENCES invoices (id),
    language    TEXT NOT NULL CHECK (language IN ('en', 'sw'))
);
