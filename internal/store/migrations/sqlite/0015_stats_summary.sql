-- Statistics fast path (issue "Statistics and periodic reports", item 6;
-- internal/store/stats.go). One row per counted record of each base of
-- the statistics engine (a case subject by the decision date, a case
-- subject by the conclusion date, a proceeding, a letter, a complaint),
-- with its dimensions already computed and packed into one integer (the
-- committee-member flag from seats, the finding flags, the form, the
-- cause, the level ...), so that a count is a range scan of this table
-- rather than the joins and the seats and findings probes per subject.
--
-- The rows are written by the store in the transaction of every change
-- that can alter them (cases, subjects, findings, proceedings,
-- complaints, letters, seats, organisation versions) from the engine's
-- own SELECT, rebuilt after a bulk load (seed, import) and when this
-- migration runs (store.RebuildStatFacts, `ktgs stats rebuild`), and
-- their scope paths are rewritten with the records' on a
-- reorganisation (store's scopedTables). acc_path and acc_mark are the
-- second readable-subtree check of a proceeding counted with its case
-- (the proceeding's own scope and mark); for every other base they equal
-- scope_path and mark. ym is the month of d (year × 12 + month − 1); top
-- is the unit under the root that scope_path lies in (0: the root
-- itself). u_top is the one the unit organisation u_org lay in as of d
-- (its version then, or its first), u_chg the first day after d when it
-- lay under another one (9999-12-31: never) and u_top2 that one (−1 if
-- it changed again later: counted record by record), so the AS_THEN
-- unit under the root as of any day D ≥ d is u_top before u_chg and
-- u_top2 from it.
--
-- stat_sums holds the same facts counted by base, month, top, u_top,
-- marks and dimensions, kept by the same writers (delta upserts), so a
-- national report by province reads a few thousand sums for its whole
-- months and the facts of its partial months only.
--
-- The table is keyed by base and date, so a period is one range of the
-- table itself (WITHOUT ROWID: no second read) in list order.

CREATE TABLE stat_facts (
    base        INTEGER NOT NULL,
    d           TEXT NOT NULL,
    k1          INTEGER NOT NULL,
    k2          INTEGER NOT NULL,
    scope_path  TEXT NOT NULL,
    u_org       INTEGER NOT NULL,
    mark        TEXT NOT NULL,
    acc_path    TEXT NOT NULL,
    acc_mark    TEXT NOT NULL,
    dims        INTEGER NOT NULL,
    ym          INTEGER NOT NULL,
    top         INTEGER NOT NULL,
    u_top       INTEGER NOT NULL,
    u_chg       TEXT NOT NULL,
    u_top2      INTEGER NOT NULL,
    PRIMARY KEY (base, d, k1, k2)
) WITHOUT ROWID;

CREATE TABLE stat_sums (
    base        INTEGER NOT NULL,
    ym          INTEGER NOT NULL,
    top         INTEGER NOT NULL,
    u_top       INTEGER NOT NULL,
    u_chg       TEXT NOT NULL,
    u_top2      INTEGER NOT NULL,
    mark        TEXT NOT NULL,
    acc_mark    TEXT NOT NULL,
    dims        INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims)
) WITHOUT ROWID;

CREATE INDEX stat_facts_key ON stat_facts (base, k1, k2);
CREATE INDEX stat_facts_scope ON stat_facts (base, scope_path, d);
CREATE INDEX stat_facts_org ON stat_facts (u_org);
CREATE INDEX stat_facts_dims ON stat_facts (base, dims, d);

-- The facts of a case's proceedings and of the letters a unit holds are
-- refreshed by these keys (a case changes, a unit changes type).
CREATE INDEX proceedings_case ON proceedings (case_id);
CREATE INDEX letters_holder_org ON letters (holder_org_id);
