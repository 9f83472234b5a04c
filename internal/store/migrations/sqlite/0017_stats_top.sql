-- Statistics of a unit under the root, a province (issue "Statistics and
-- periodic reports", item 6).
--
-- TODAY: the records filed under a province are those with top = its id
-- (0015: top is the unit under the root that scope_path lies in), so a
-- province's report or list reads one range of stat_facts_top, newest
-- first, with every column it tests or returns in the index, instead of
-- the province's whole history by stat_facts_scope and a table read per
-- record.
--
-- AS_THEN: the records whose unit organisation lay under a province as
-- of the period's last day are read by stat_facts_utop and _utop2 (0016)
-- for the province's reports as well as its lists; grouping them by
-- organisation needs u_org, and the readable-subtree check needs the
-- paths and marks, so the two indexes now hold those too (index-only, as
-- on PostgreSQL). A probe on the national dataset counted a province's
-- 23,066 facts of a year in 8 ms by the index but took 581 ms to group
-- them by organisation through the table.
DROP INDEX stat_facts_utop;
DROP INDEX stat_facts_utop2;
CREATE INDEX stat_facts_utop ON stat_facts (base, u_top, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark);
CREATE INDEX stat_facts_utop2 ON stat_facts (base, u_top2, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark);
CREATE INDEX stat_facts_top ON stat_facts (base, top, d, k1, k2, dims, u_org, mark, scope_path, acc_path, acc_mark);
-- The organisations that lay under several units under the root after a
-- record (u_top2 = −1 with a change on record; u_top2 is −1 as well when
-- the unit never changed, which is most records) are read by their own
-- small index: a province's counts take them into account and place them
-- by path. Through stat_facts_utop2 they cost a scan of most of the
-- year's facts (292,342 of 415,648 for CASE_CONCLUDED in 2024).
CREATE INDEX stat_facts_movers ON stat_facts (base, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark) WHERE u_top2 = -1 AND u_chg < '9999-12-31';
