-- Suspension of party activity (đình chỉ sinh hoạt đảng, issue 6 item 6):
-- the suspension with what R15 decided, its accepted extensions, the
-- committee seats suspended with it and its history with the rule
-- decisions of each step.

CREATE TABLE suspensions (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL,
    member_id            INTEGER NOT NULL REFERENCES members (id),
    org_id               INTEGER NOT NULL REFERENCES orgs (id),
    subject_name         TEXT NOT NULL,
    body_id              INTEGER NOT NULL REFERENCES bodies (id),
    scope_path           TEXT NOT NULL,
    proceeding_id        INTEGER REFERENCES proceedings (id),
    reason               TEXT NOT NULL,
    criminal_proceedings INTEGER NOT NULL DEFAULT 0,
    mark                 TEXT NOT NULL DEFAULT 'MAT',
    status               TEXT NOT NULL,
    decided_on           TEXT NOT NULL,
    start_on             TEXT NOT NULL,
    unit                 TEXT NOT NULL DEFAULT '',
    initial_length       INTEGER NOT NULL DEFAULT 0,
    total_length         INTEGER NOT NULL DEFAULT 0,
    max_total            INTEGER NOT NULL DEFAULT 0,
    ends_on              TEXT,
    follows_law          INTEGER NOT NULL DEFAULT 0,
    extensions           INTEGER NOT NULL DEFAULT 0,
    dues_payable         INTEGER NOT NULL DEFAULT 0,
    rule_set             TEXT NOT NULL DEFAULT '',
    provisional          INTEGER NOT NULL DEFAULT 0,
    ended_on             TEXT,
    end_reason           TEXT NOT NULL DEFAULT '',
    created_by           INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX suspensions_code ON suspensions (code);
CREATE INDEX suspensions_scope ON suspensions (scope_path, id);
CREATE INDEX suspensions_member ON suspensions (member_id, start_on);
CREATE INDEX suspensions_ending ON suspensions (status, ends_on);
CREATE INDEX suspensions_proceeding ON suspensions (proceeding_id);

CREATE TABLE suspension_extensions (
    id            INTEGER PRIMARY KEY,
    suspension_id INTEGER NOT NULL REFERENCES suspensions (id),
    seq           INTEGER NOT NULL,
    length        INTEGER NOT NULL,
    decided_on    TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    ends_on       TEXT NOT NULL,
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX suspension_extensions_seq ON suspension_extensions (suspension_id, seq);

CREATE TABLE suspension_seats (
    suspension_id INTEGER NOT NULL REFERENCES suspensions (id),
    seat_id       INTEGER NOT NULL REFERENCES seats (id),
    PRIMARY KEY (suspension_id, seat_id)
);
CREATE INDEX suspension_seats_seat ON suspension_seats (seat_id);

CREATE TABLE suspension_events (
    id            INTEGER PRIMARY KEY,
    suspension_id INTEGER NOT NULL REFERENCES suspensions (id),
    at            TIMESTAMP NOT NULL,
    on_date       TEXT NOT NULL,
    actor_id      INTEGER NOT NULL DEFAULT 0,
    actor         TEXT NOT NULL,
    step          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    rules         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX suspension_events_susp ON suspension_events (suspension_id, id);
