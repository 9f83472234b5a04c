-- Letters (đơn thư; issue "Denunciations and petitions"; RULES.md §5):
-- denunciations, complaints, petitions and anonymous letters from staff
-- intake, the public form and integrations. The sender's identity is
-- only stored sealed (sender_sealed, internal/sealed) with a key kept
-- outside the database; sender_tag and denouncer_tag are keyed blind
-- indexes (the same sender; "the sender is member N") that reveal nothing
-- without the key. The public receipt code is stored as its SHA-256 only.
-- scope_path is the holding organisation's path (store.Repath rewrites it
-- on a reorganisation, as for cases).

CREATE TABLE letters (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL,
    receipt_hash          TEXT NOT NULL,
    channel               TEXT NOT NULL,
    kind                  TEXT NOT NULL DEFAULT '',
    sender_mode           TEXT NOT NULL,
    sender_sealed         TEXT NOT NULL DEFAULT '',
    sender_tag            TEXT NOT NULL DEFAULT '',
    denouncer_tag         TEXT NOT NULL DEFAULT '',
    signers               INTEGER NOT NULL DEFAULT 1,
    not_personally_signed INTEGER NOT NULL DEFAULT 0,
    lacks_civil_capacity  INTEGER NOT NULL DEFAULT 0,
    address_unclear       INTEGER NOT NULL DEFAULT 0,
    read_back_signed      INTEGER NOT NULL DEFAULT 0,
    congress_related      INTEGER NOT NULL DEFAULT 0,
    title                 TEXT NOT NULL,
    content               TEXT NOT NULL,
    fingerprint           TEXT NOT NULL DEFAULT '',
    received_on           TEXT NOT NULL,
    received_org_id       INTEGER NOT NULL REFERENCES orgs (id),
    holder_body_id        INTEGER NOT NULL REFERENCES bodies (id),
    holder_org_id         INTEGER NOT NULL REFERENCES orgs (id),
    scope_path            TEXT NOT NULL,
    competent_body_id     INTEGER REFERENCES bodies (id),
    competent_on          TEXT,
    due_on                TEXT,
    extensions            INTEGER NOT NULL DEFAULT 0,
    status                TEXT NOT NULL,
    duplicate_of          INTEGER REFERENCES letters (id),
    resubmission_of       INTEGER REFERENCES letters (id),
    intake                TEXT NOT NULL DEFAULT '',
    clock                 TEXT NOT NULL DEFAULT '',
    concluded_on          TEXT,
    notified_on           TEXT,
    withdrawn_on          TEXT,
    mark                  TEXT NOT NULL DEFAULT 'MAT',
    created_by            INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX letters_code ON letters (code);
CREATE UNIQUE INDEX letters_receipt ON letters (receipt_hash);
CREATE INDEX letters_scope ON letters (scope_path, id);
CREATE INDEX letters_holder ON letters (holder_body_id, status, id);
CREATE INDEX letters_due ON letters (due_on) WHERE status IN ('ACCEPTED', 'VERIFYING');
CREATE INDEX letters_denouncer ON letters (denouncer_tag) WHERE denouncer_tag <> '';

CREATE TABLE letter_allegations (
    id            INTEGER PRIMARY KEY,
    letter_id     INTEGER NOT NULL REFERENCES letters (id),
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    member_id     INTEGER REFERENCES members (id),
    org_id        INTEGER REFERENCES orgs (id),
    accused_name  TEXT NOT NULL DEFAULT '',
    accused_unit  TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL,
    result        TEXT NOT NULL DEFAULT '',
    conclusion    TEXT NOT NULL DEFAULT '',
    proceeding_id INTEGER REFERENCES proceedings (id),
    case_id       INTEGER REFERENCES cases (id),
    UNIQUE (letter_id, seq)
);
CREATE INDEX letter_allegations_member ON letter_allegations (member_id) WHERE member_id IS NOT NULL;

-- Keys for finding duplicates: 'sender:<tag>', 'accused:m:<id>',
-- 'accused:o:<id>', 'accused:n:<folded name>'.
CREATE TABLE letter_keys (
    key       TEXT NOT NULL,
    letter_id INTEGER NOT NULL REFERENCES letters (id),
    PRIMARY KEY (key, letter_id)
);

CREATE TABLE letter_team (
    letter_id INTEGER NOT NULL REFERENCES letters (id),
    user_id   INTEGER NOT NULL REFERENCES users (id),
    member_id INTEGER REFERENCES members (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (letter_id, user_id)
);

CREATE TABLE letter_events (
    id          INTEGER PRIMARY KEY,
    letter_id   INTEGER NOT NULL REFERENCES letters (id),
    at          TIMESTAMP NOT NULL,
    on_date     TEXT NOT NULL,
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor       TEXT NOT NULL,
    step        TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    note        TEXT NOT NULL DEFAULT '',
    rules       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letter_events_letter ON letter_events (letter_id, id);

-- Attachments are sealed like the identity: a signed scan names its sender.
CREATE TABLE letter_files (
    id          INTEGER PRIMARY KEY,
    letter_id   INTEGER NOT NULL REFERENCES letters (id),
    name_sealed TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    data_sealed TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX letter_files_letter ON letter_files (letter_id);

CREATE TABLE letter_notices (
    id        INTEGER PRIMARY KEY,
    letter_id INTEGER NOT NULL REFERENCES letters (id),
    kind      TEXT NOT NULL,
    on_date   TEXT NOT NULL,
    to_whom   TEXT NOT NULL,
    text      TEXT NOT NULL,
    delivered TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letter_notices_letter ON letter_notices (letter_id, id);

-- Fixed-window counters for the public form's rate limits, shared by every
-- app server.
CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
