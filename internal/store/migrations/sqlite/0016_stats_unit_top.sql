-- Statistics drill-down lists of the units as they were (issue
-- "Statistics and periodic reports", item 6): the records that lay under
-- one unit under the root as of the end of the period are those with
-- u_top = X before u_chg and u_top2 = X from it (0015). A list reads
-- each of the two by these indexes, newest first, with the columns its
-- conditions test, instead of walking the whole country's records of the
-- period by date (store.StatsRecords).
CREATE INDEX stat_facts_utop ON stat_facts (base, u_top, d, k1, k2, u_chg, dims);
CREATE INDEX stat_facts_utop2 ON stat_facts (base, u_top2, d, k1, k2, u_chg, dims);
