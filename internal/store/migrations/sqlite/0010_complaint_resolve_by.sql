-- The last day to resolve a complaint before its resolver (R11, from the
-- rule set's time limit and the day the complaint was received); NULL when
-- the rule set has none.
ALTER TABLE complaints ADD COLUMN resolve_by TEXT;
CREATE INDEX complaints_resolve_by ON complaints (status, resolve_by);
