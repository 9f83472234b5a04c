-- Discipline proceedings (issue "Discipline"): the proceeding, its
-- history with the rule decisions of each step, the ballots and the duties
-- a decision creates. Official documents may now belong to a proceeding
-- instead of a case.

CREATE TABLE proceedings (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL,
    subject_kind       TEXT NOT NULL,
    member_id          INTEGER REFERENCES members (id),
    org_id             INTEGER NOT NULL REFERENCES orgs (id),
    subject_name       TEXT NOT NULL,
    origin             TEXT NOT NULL,
    case_id            INTEGER REFERENCES cases (id),
    finding_id         INTEGER REFERENCES findings (id),
    notice_ref         TEXT NOT NULL DEFAULT '',
    notice_decision_on TEXT,
    notice_received_on TEXT,
    notice_due_on      TEXT,
    notice_late        INTEGER NOT NULL DEFAULT 0,
    body_id            INTEGER NOT NULL REFERENCES bodies (id),
    first_body_id      INTEGER NOT NULL REFERENCES bodies (id),
    scope_path         TEXT NOT NULL,
    category           TEXT NOT NULL,
    violation_scope    TEXT NOT NULL DEFAULT '',
    violation          TEXT NOT NULL,
    violation_on       TEXT NOT NULL,
    continuing_until   TEXT,
    warranted_form     TEXT NOT NULL,
    mark               TEXT NOT NULL DEFAULT 'MAT',
    status             TEXT NOT NULL,
    prev_status        TEXT NOT NULL DEFAULT '',
    opened_on          TEXT NOT NULL,
    heard_on           TEXT,
    self_criticism_on  TEXT,
    form               TEXT NOT NULL DEFAULT '',
    voted_on           TEXT,
    decided_on         TEXT,
    announced_on       TEXT,
    removed_posts      TEXT NOT NULL DEFAULT '',
    document_id        INTEGER,
    reason             TEXT NOT NULL DEFAULT '',
    created_by         INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX proceedings_code ON proceedings (code);
CREATE INDEX proceedings_scope ON proceedings (scope_path, id);
CREATE INDEX proceedings_member ON proceedings (member_id, status);
CREATE INDEX proceedings_finding ON proceedings (finding_id);
CREATE INDEX proceedings_org ON proceedings (org_id);

CREATE TABLE proceeding_events (
    id            INTEGER PRIMARY KEY,
    proceeding_id INTEGER NOT NULL REFERENCES proceedings (id),
    at            TIMESTAMP NOT NULL,
    on_date       TEXT NOT NULL,
    actor_id      INTEGER NOT NULL DEFAULT 0,
    actor         TEXT NOT NULL,
    step          TEXT NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL DEFAULT '',
    body_id       INTEGER NOT NULL REFERENCES bodies (id),
    note          TEXT NOT NULL DEFAULT '',
    rules         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proceeding_events_proc ON proceeding_events (proceeding_id, id);

CREATE TABLE proceeding_votes (
    id            INTEGER PRIMARY KEY,
    proceeding_id INTEGER NOT NULL REFERENCES proceedings (id),
    body_id       INTEGER NOT NULL REFERENCES bodies (id),
    held_on       TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    official      INTEGER NOT NULL,
    probationary  INTEGER NOT NULL DEFAULT 0,
    absent_temp   INTEGER NOT NULL DEFAULT 0,
    absent_exempt INTEGER NOT NULL DEFAULT 0,
    absent_other  INTEGER NOT NULL DEFAULT 0,
    votes         TEXT NOT NULL,
    denominator   INTEGER NOT NULL,
    adopted_form  TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL
);
CREATE INDEX proceeding_votes_proc ON proceeding_votes (proceeding_id, id);

CREATE TABLE discipline_tasks (
    id            INTEGER PRIMARY KEY,
    proceeding_id INTEGER NOT NULL REFERENCES proceedings (id),
    kind          TEXT NOT NULL,
    to_body_id    INTEGER REFERENCES bodies (id),
    text          TEXT NOT NULL,
    citation      TEXT NOT NULL DEFAULT '',
    due_on        TEXT,
    done_on       TEXT
);
CREATE INDEX discipline_tasks_proc ON discipline_tasks (proceeding_id);
CREATE INDEX discipline_tasks_due ON discipline_tasks (done_on, due_on);

-- documents: case_id becomes optional and proceeding_id is added; exactly
-- one of them names the owner. SQLite cannot drop NOT NULL, so the table is
-- rebuilt (nothing references it).
CREATE TABLE documents_new (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER REFERENCES cases (id),
    proceeding_id INTEGER REFERENCES proceedings (id),
    type          TEXT NOT NULL,
    body_id       INTEGER NOT NULL REFERENCES bodies (id),
    term_name     TEXT NOT NULL DEFAULT '',
    number        INTEGER NOT NULL DEFAULT 0,
    number_text   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    fields        TEXT NOT NULL,
    docx_hash     TEXT,
    pdf_hash      TEXT,
    issued_on     TEXT,
    issued_by     INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK ((case_id IS NULL) <> (proceeding_id IS NULL))
);
INSERT INTO documents_new (id, case_id, type, body_id, term_name, number, number_text, status, fields, docx_hash, pdf_hash,
    issued_on, issued_by, created_at, updated_at)
    SELECT id, case_id, type, body_id, term_name, number, number_text, status, fields, docx_hash, pdf_hash,
    issued_on, issued_by, created_at, updated_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_case ON documents (case_id);
CREATE INDEX documents_proceeding ON documents (proceeding_id);
CREATE UNIQUE INDEX documents_number ON documents (body_id, type, term_name, number) WHERE number > 0;
