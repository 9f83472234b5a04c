-- Official documents may also belong to a complaint about discipline (its
-- Quyết định giải quyết khiếu nại); exactly one owner. SQLite cannot change
-- a CHECK, so the table is rebuilt (nothing references it).
CREATE TABLE documents_new (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER REFERENCES cases (id),
    proceeding_id INTEGER REFERENCES proceedings (id),
    suspension_id INTEGER REFERENCES suspensions (id),
    complaint_id  INTEGER REFERENCES complaints (id),
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
    CHECK ((case_id IS NOT NULL) + (proceeding_id IS NOT NULL) + (suspension_id IS NOT NULL) + (complaint_id IS NOT NULL) = 1)
);
INSERT INTO documents_new (id, case_id, proceeding_id, suspension_id, type, body_id, term_name, number, number_text, status, fields, docx_hash, pdf_hash,
    issued_on, issued_by, created_at, updated_at)
    SELECT id, case_id, proceeding_id, suspension_id, type, body_id, term_name, number, number_text, status, fields, docx_hash, pdf_hash,
    issued_on, issued_by, created_at, updated_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_case ON documents (case_id);
CREATE INDEX documents_proceeding ON documents (proceeding_id);
CREATE INDEX documents_suspension ON documents (suspension_id);
CREATE INDEX documents_complaint ON documents (complaint_id);
CREATE UNIQUE INDEX documents_number ON documents (body_id, type, term_name, number) WHERE number > 0;
