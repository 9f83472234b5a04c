-- Yearly statistics sums (issue "Statistics and periodic reports", item
-- 6): stat_sums by year rather than by month, kept by the same writers
-- in the same transactions (store.sumsDelta). A national report or
-- drill-down count reads a period's whole years here, its other whole
-- months from stat_sums and its other days from stat_facts. On the
-- national dataset a year of CASE_CONCLUDED is 5,489 rows here against
-- 42,325 monthly sums, and grouping those was most of a national report's
-- time and of a national drill-down's count.
CREATE TABLE stat_sums_y (
    base        INTEGER NOT NULL,
    y           INTEGER NOT NULL,
    top         BIGINT NOT NULL,
    u_top       BIGINT NOT NULL,
    u_chg       DATE NOT NULL,
    u_top2      BIGINT NOT NULL,
    mark        TEXT NOT NULL,
    acc_mark    TEXT NOT NULL,
    dims        BIGINT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (base, y, top, u_top, u_chg, u_top2, mark, acc_mark, dims)
);

INSERT INTO stat_sums_y (base, y, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
SELECT base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims, SUM(n) FROM stat_sums
GROUP BY base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims HAVING SUM(n) <> 0;

ANALYZE stat_sums_y;
