-- Where reminders are e-mailed (optional).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
