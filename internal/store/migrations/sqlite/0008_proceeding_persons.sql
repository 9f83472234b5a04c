-- The individuals assessed in a proceeding against an organisation: each
-- responsible person, the head (người đứng đầu) above all, with the
-- assessment of their responsibility.
CREATE TABLE proceeding_persons (
    id            INTEGER PRIMARY KEY,
    proceeding_id INTEGER NOT NULL REFERENCES proceedings (id),
    member_id     INTEGER NOT NULL REFERENCES members (id),
    name          TEXT NOT NULL,
    is_head       INTEGER NOT NULL DEFAULT 0,
    assessment    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX proceeding_persons_member ON proceeding_persons (proceeding_id, member_id);
