-- Periodic reports, level by level (issue "Statistics and periodic
-- reports", item 3; ktgs/report.go, internal/store/report.go). One row per
-- version of a unit's report for a series and a period; a unit without a
-- row has not started. The report's document (DOCX and PDF of the last
-- submission) is stored by content in files; its hashes are on the row
-- and in the audit trail, its BC number is unique per issuing body and
-- committee term. report_deadlines holds the deadlines the level above
-- enters for its lower units.

CREATE TABLE periodic_reports (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs (id),
    body_id            INTEGER NOT NULL REFERENCES bodies (id),
    series             TEXT NOT NULL,
    period_kind        TEXT NOT NULL,
    period_year        INTEGER NOT NULL,
    period_month       INTEGER NOT NULL DEFAULT 0,
    period_from        TEXT NOT NULL,
    period_to          TEXT NOT NULL,
    version            INTEGER NOT NULL,
    parent_id          INTEGER REFERENCES periodic_reports (id),
    status             TEXT NOT NULL,
    scope_path         TEXT NOT NULL,
    sections           TEXT NOT NULL DEFAULT '{}',
    figures            TEXT,
    number             INTEGER NOT NULL DEFAULT 0,
    number_text        TEXT NOT NULL DEFAULT '',
    term_name          TEXT NOT NULL DEFAULT '',
    docx_hash          TEXT NOT NULL DEFAULT '',
    pdf_hash           TEXT NOT NULL DEFAULT '',
    audit_seq          INTEGER NOT NULL DEFAULT 0,
    audit_hash         TEXT NOT NULL DEFAULT '',
    first_submitted_on TEXT,
    submitted_on       TEXT,
    submitted_by       INTEGER NOT NULL DEFAULT 0,
    submitted_by_name  TEXT NOT NULL DEFAULT '',
    return_comment     TEXT NOT NULL DEFAULT '',
    returned_on        TEXT,
    returned_by_name   TEXT NOT NULL DEFAULT '',
    approved_on        TEXT,
    approved_by        INTEGER NOT NULL DEFAULT 0,
    approved_by_name   TEXT NOT NULL DEFAULT '',
    created_by         INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    CHECK (status IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED')),
    CHECK (version >= 1)
);
CREATE UNIQUE INDEX periodic_reports_version ON periodic_reports (org_id, series, period_kind, period_year, period_month, version);
CREATE UNIQUE INDEX periodic_reports_number ON periodic_reports (body_id, term_name, number) WHERE number > 0;
CREATE INDEX periodic_reports_period ON periodic_reports (series, period_kind, period_year, period_month, org_id);
CREATE INDEX periodic_reports_scope ON periodic_reports (scope_path, id);

CREATE TABLE report_deadlines (
    org_id       INTEGER NOT NULL REFERENCES orgs (id),
    series       TEXT NOT NULL,
    period_kind  TEXT NOT NULL,
    period_year  INTEGER NOT NULL,
    period_month INTEGER NOT NULL DEFAULT 0,
    due_on       TEXT NOT NULL,
    set_by       INTEGER NOT NULL DEFAULT 0,
    set_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, series, period_kind, period_year, period_month)
);
