-- Inspection and supervision: programmes, cases, teams, conflicts,
-- findings, remediation, files, documents, reminders.
-- scope_path is the acting organisation's path in today's tree, rewritten
-- when the hierarchy is reorganised (store.Repath), for subtree filters.

CREATE TABLE programmes (
    id          INTEGER PRIMARY KEY,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    scope_path  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL DEFAULT 0,
    term_id     INTEGER REFERENCES terms (id),
    title       TEXT NOT NULL,
    adopted_on  TEXT NOT NULL,
    created_by  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX programmes_body ON programmes (body_id, year);
CREATE INDEX programmes_scope ON programmes (scope_path);

CREATE TABLE programme_items (
    id           INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    kind         TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_org  INTEGER REFERENCES orgs (id),
    subject_mem  INTEGER REFERENCES members (id),
    subject_name TEXT NOT NULL,
    content      TEXT NOT NULL,
    window_from  TEXT NOT NULL,
    window_to    TEXT NOT NULL,
    lead_user_id INTEGER REFERENCES users (id),
    case_id      INTEGER
);
CREATE INDEX programme_items_programme ON programme_items (programme_id);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    body_id           INTEGER NOT NULL REFERENCES bodies (id),
    org_id            INTEGER NOT NULL REFERENCES orgs (id),
    scope_path        TEXT NOT NULL,
    title             TEXT NOT NULL,
    content           TEXT NOT NULL DEFAULT '',
    mark              TEXT NOT NULL DEFAULT 'THUONG',
    status            TEXT NOT NULL,
    prev_status       TEXT NOT NULL DEFAULT '',
    year              INTEGER NOT NULL,
    proposed_on       TEXT NOT NULL,
    decided_on        TEXT,
    start_on          TEXT,
    duration_days     INTEGER NOT NULL DEFAULT 0,
    duration_unit     TEXT NOT NULL DEFAULT 'working_days',
    due_on            TEXT,
    concluded_on      TEXT,
    closed_on         TEXT,
    programme_item_id INTEGER REFERENCES programme_items (id),
    created_by        INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cases_code ON cases (code);
CREATE INDEX cases_scope ON cases (scope_path, id);
CREATE INDEX cases_year_status ON cases (year, status, scope_path);
CREATE INDEX cases_due ON cases (due_on, status);
CREATE INDEX cases_org ON cases (org_id);

CREATE TABLE case_subjects (
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    org_id         INTEGER NOT NULL REFERENCES orgs (id),
    member_id      INTEGER REFERENCES members (id),
    name           TEXT NOT NULL,
    self_report_on TEXT,
    comments_on    TEXT,
    PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_subjects_member ON case_subjects (member_id);
CREATE INDEX case_subjects_org ON case_subjects (org_id);

CREATE TABLE case_team (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    added_on   TEXT NOT NULL,
    removed_on TEXT,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_team_case ON case_team (case_id);
CREATE INDEX case_team_user ON case_team (user_id);

CREATE TABLE conflicts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    member_id  INTEGER REFERENCES members (id),
    org_id     INTEGER REFERENCES orgs (id),
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX conflicts_user ON conflicts (user_id);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor       TEXT NOT NULL,
    transition  TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE findings (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER NOT NULL REFERENCES cases (id),
    subject_seq           INTEGER NOT NULL,
    kind                  TEXT NOT NULL,
    text                  TEXT NOT NULL,
    text_folded           TEXT NOT NULL,
    responsible_member_id INTEGER REFERENCES members (id),
    is_head               INTEGER NOT NULL DEFAULT 0,
    spread                INTEGER NOT NULL DEFAULT 0,
    category              TEXT NOT NULL DEFAULT '',
    warrants_discipline   INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL
);
CREATE INDEX findings_case ON findings (case_id);
CREATE INDEX findings_spread ON findings (spread, kind);

CREATE TABLE remediations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    finding_id   INTEGER REFERENCES findings (id),
    subject_seq  INTEGER NOT NULL,
    text         TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    escalated_on TEXT,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX remediations_case ON remediations (case_id);
CREATE INDEX remediations_due ON remediations (status, due_on);

CREATE TABLE remediation_reports (
    id             INTEGER PRIMARY KEY,
    remediation_id INTEGER NOT NULL REFERENCES remediations (id),
    at             TIMESTAMP NOT NULL,
    user_id        INTEGER NOT NULL DEFAULT 0,
    kind           TEXT NOT NULL,
    text           TEXT NOT NULL
);
CREATE INDEX remediation_reports_rem ON remediation_reports (remediation_id);

-- Files are stored by content (SHA-256), once, in the database, so app
-- servers keep no state. case_files names them per case.
CREATE TABLE files (
    hash       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE case_files (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER NOT NULL REFERENCES cases (id),
    hash                  TEXT NOT NULL REFERENCES files (hash),
    name                  TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    subject_seq           INTEGER NOT NULL DEFAULT 0,
    remediation_report_id INTEGER REFERENCES remediation_reports (id),
    uploaded_by           INTEGER NOT NULL DEFAULT 0,
    uploaded_at           TIMESTAMP NOT NULL
);
CREATE INDEX case_files_case ON case_files (case_id);

-- Official documents: drafts are editable; issued ones are immutable and
-- their hash is in the audit trail. Numbers run per issuer body, type and
-- committee term (RULES.md §10, R17).
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    type        TEXT NOT NULL,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    term_name   TEXT NOT NULL DEFAULT '',
    number      INTEGER NOT NULL DEFAULT 0,
    number_text TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    docx_hash   TEXT,
    pdf_hash    TEXT,
    issued_on   TEXT,
    issued_by   INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX documents_case ON documents (case_id);
CREATE UNIQUE INDEX documents_number ON documents (body_id, type, term_name, number) WHERE number > 0;

-- Reminders and in-app notifications. A reminder key is inserted once:
-- the server whose insert succeeds sends it, so several servers never send
-- one reminder twice.
CREATE TABLE reminders (
    key     TEXT PRIMARY KEY,
    sent_at TIMESTAMP NOT NULL
);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    key        TEXT NOT NULL,
    text       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
