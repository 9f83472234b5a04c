-- Organisations over time, bodies and terms, party members.
-- Dates are ISO text 'YYYY-MM-DD'; open intervals end on '9999-12-31'.

CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL,
    born       TEXT NOT NULL,
    ended      TEXT NOT NULL DEFAULT '9999-12-31',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX orgs_code ON orgs (code);

CREATE TABLE org_versions (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    parent_id   INTEGER REFERENCES orgs (id),
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    sort_key    BLOB NOT NULL,
    path        TEXT NOT NULL,
    depth       INTEGER NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    CHECK (valid_from < valid_to)
);
CREATE INDEX org_versions_org ON org_versions (org_id, valid_from);
CREATE INDEX org_versions_parent ON org_versions (parent_id, valid_to, valid_from);
CREATE INDEX org_versions_path ON org_versions (path, valid_to);

CREATE TABLE reorg_events (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    date       TEXT NOT NULL,
    decision   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE reorg_links (
    event_id    INTEGER NOT NULL REFERENCES reorg_events (id),
    from_org_id INTEGER REFERENCES orgs (id),
    to_org_id   INTEGER REFERENCES orgs (id),
    is_primary  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reorg_links_from ON reorg_links (from_org_id);
CREATE INDEX reorg_links_to ON reorg_links (to_org_id);

CREATE TABLE bodies (
    id     INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL
);
CREATE UNIQUE INDEX bodies_org_kind ON bodies (org_id, kind);

CREATE TABLE terms (
    id            INTEGER PRIMARY KEY,
    body_id       INTEGER NOT NULL REFERENCES bodies (id),
    name          TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    congress_date TEXT,
    CHECK (start_date <= end_date)
);
CREATE INDEX terms_body ON terms (body_id, start_date);

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    -- The party card number (6–12 digits) as digits × 16 + number of digits,
    -- lossless (leading zeros kept). See store.CardKey.
    card            INTEGER NOT NULL,
    full_name       TEXT NOT NULL,
    gender          TEXT NOT NULL DEFAULT '',
    birth_date      TEXT,
    admitted_on     TEXT NOT NULL,
    official_on     TEXT,
    home_org_id     INTEGER NOT NULL REFERENCES orgs (id),
    home_since      TEXT NOT NULL,
    managing_org_id INTEGER REFERENCES orgs (id),
    managing_body   TEXT NOT NULL DEFAULT '',
    retired_on      TEXT,
    ended_on        TEXT,
    end_reason      TEXT NOT NULL DEFAULT '',
    hometown        TEXT NOT NULL DEFAULT '',
    occupation      TEXT NOT NULL DEFAULT ''
);
-- One member per card number. A table keyed by the card, rather than a
-- unique index on members, lets bulk loads append the keys in order
-- (sorting 5.6 million random keys inside the database took 12 s).
CREATE TABLE member_cards (
    card      INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL -- no REFERENCES: checking it in card order means a random lookup per row; the store writes both rows together and "ktgs check" verifies the pairing
);
-- Chi bộ have tens of members: an integer index finds them and the
-- application sorts them by Vietnamese name order. Creation and change
-- times of members are in the audit trail, not on 5.6 million rows.
CREATE INDEX members_home ON members (home_org_id);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    org_id     INTEGER NOT NULL REFERENCES orgs (id),
    kind       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    CHECK (valid_from < valid_to)
);
CREATE INDEX attachments_member ON attachments (member_id, valid_from);
CREATE INDEX attachments_org ON attachments (org_id, kind, valid_to);
-- A member's current home chi bộ is members.home_org_id (since home_since);
-- this table holds the closed home periods before it and the temporary
-- attachments, at most one of them open.
CREATE UNIQUE INDEX attachments_one_temp ON attachments (member_id) WHERE kind = 'TEMP' AND valid_to = '9999-12-31';

CREATE TABLE seats (
    id         INTEGER PRIMARY KEY,
    term_id    INTEGER NOT NULL REFERENCES terms (id),
    member_id  INTEGER NOT NULL REFERENCES members (id),
    role       TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    CHECK (start_date <= end_date)
);
CREATE INDEX seats_term ON seats (term_id);
CREATE INDEX seats_member ON seats (member_id);

CREATE TABLE posts (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    title     TEXT NOT NULL,
    agency    TEXT NOT NULL DEFAULT '',
    level     TEXT NOT NULL,
    org_id    INTEGER REFERENCES orgs (id),
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    CHECK (from_date <= to_date)
);
CREATE INDEX posts_member ON posts (member_id);

CREATE TABLE member_events (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    from_org_id INTEGER REFERENCES orgs (id),
    to_org_id   INTEGER REFERENCES orgs (id),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX member_events_member ON member_events (member_id, date);
