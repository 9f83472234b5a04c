-- Statistics (issue "Statistics and periodic reports"; internal/store/stats.go):
-- each base of the statistics engine reads its records by the date that
-- places them in a period, so every base has an index that starts with
-- that date. The two case indexes also carry every column the grouped
-- counts read (scope path, kind, acting body, status, mark, organisation)
-- and the code the drill-down lists show, so a year of cases is one range
-- scan of an index without visiting the table, and a list page is read in
-- date order (without the code SQLite preferred cases_scope and sorted
-- the whole subtree: 81 ms instead of 0.8 ms for a province's first page);
-- subjects and findings are read by the case's key with the columns the
-- counts need; seats by member and dates for "of which committee members".

CREATE INDEX cases_stats_decided ON cases (decided_on, scope_path, kind, body_id, status, mark, org_id, code);
CREATE INDEX cases_stats_concluded ON cases (concluded_on, scope_path, kind, body_id, status, mark, org_id, code);
CREATE INDEX case_subjects_stats ON case_subjects (case_id, seq, kind, member_id);
CREATE INDEX findings_stats ON findings (case_id, subject_seq, kind, warrants_discipline);
CREATE INDEX proceedings_stats ON proceedings (decided_on, status);
CREATE INDEX seats_stats ON seats (member_id, start_date, end_date, term_id);
CREATE INDEX letters_stats_received ON letters (received_on);
CREATE INDEX letters_stats_concluded ON letters (concluded_on);
CREATE INDEX complaints_stats_filed ON complaints (filed_on);
CREATE INDEX complaints_stats_resolved ON complaints (resolved_on);
