-- Complaints about discipline (issue "Discipline" 5; RULES.md §4): one row
-- per filing before one level, linked to the complaint of the level below
-- (prev_id), with its history and the rule decisions of each step. No rule
-- set gives a time limit to resolve a complaint, so there is no due date.

CREATE TABLE complaints (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL,
    proceeding_id         INTEGER NOT NULL REFERENCES proceedings (id),
    level                 INTEGER NOT NULL,
    prev_id               INTEGER REFERENCES complaints (id),
    complainant_kind      TEXT NOT NULL,
    complainant_member_id INTEGER REFERENCES members (id),
    complainant_org_id    INTEGER REFERENCES orgs (id),
    complainant_name      TEXT NOT NULL,
    content               TEXT NOT NULL,
    filed_on              TEXT NOT NULL,
    received_decision_on  TEXT,
    decision_announced_on TEXT NOT NULL,
    deadline_on           TEXT NOT NULL,
    resolver_body_id      INTEGER NOT NULL REFERENCES bodies (id),
    final_level           INTEGER NOT NULL DEFAULT 0,
    scope_path            TEXT NOT NULL,
    mark                  TEXT NOT NULL DEFAULT 'MAT',
    status                TEXT NOT NULL,
    form_before           TEXT NOT NULL,
    outcome               TEXT NOT NULL DEFAULT '',
    new_form              TEXT NOT NULL DEFAULT '',
    resolved_on           TEXT,
    result_announced_on   TEXT,
    resolution            TEXT NOT NULL DEFAULT '',
    withdrawn_on          TEXT,
    withdrawal_reason     TEXT NOT NULL DEFAULT '',
    created_by            INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX complaints_code ON complaints (code);
CREATE INDEX complaints_proceeding ON complaints (proceeding_id, level);
CREATE INDEX complaints_scope ON complaints (scope_path, id);
CREATE INDEX complaints_resolver ON complaints (resolver_body_id, status);

CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           TIMESTAMP NOT NULL,
    on_date      TEXT NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor        TEXT NOT NULL,
    step         TEXT NOT NULL,
    from_status  TEXT NOT NULL DEFAULT '',
    to_status    TEXT NOT NULL DEFAULT '',
    body_id      INTEGER NOT NULL REFERENCES bodies (id),
    note         TEXT NOT NULL DEFAULT '',
    rules        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
