-- Statistics of a unit under the root, a province (issue "Statistics and
-- periodic reports", item 6).
--
-- TODAY: the records filed under a province are those with top = its id
-- (0015: top is the unit under the root that scope_path lies in), so a
-- province's report or list reads one range of this index, newest first,
-- index-only, instead of the province's whole history by
-- stat_facts_scope.
--
-- AS_THEN: a province's reports and lists read stat_facts_utop and
-- _utop2 (0016), which already hold every column they need here.
CREATE INDEX stat_facts_top ON stat_facts (base, top, d, k1, k2) INCLUDE (scope_path, u_org, mark, acc_path, acc_mark, dims);
--
-- The organisations that lay under several units under the root after a
-- record (u_top2 = −1 with a change on record; u_top2 is −1 as well when
-- the unit never changed, which is most records) are read by their own
-- small index: a province's counts take them into account and place them
-- by path. Through stat_facts_utop2 they cost a scan of most of the
-- year's facts (292,342 of 415,648 for CASE_CONCLUDED in 2024).
CREATE INDEX stat_facts_movers ON stat_facts (base, d, k1, k2) INCLUDE (u_chg, dims, scope_path, u_org, mark, acc_path, acc_mark) WHERE u_top2 = -1 AND u_chg < '9999-12-31';
