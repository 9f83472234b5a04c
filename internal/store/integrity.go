package store

import (
	"context"
	"fmt"
)

// integrityChecks are SQL queries that count rows breaking an invariant of
// the hierarchy and membership model. Each must return 0.
var integrityChecks = []struct{ name, query string }{
	{"overlapping versions of one organisation", `SELECT COUNT(*) FROM org_versions a JOIN org_versions b
		ON a.org_id = b.org_id AND a.id < b.id AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to`},
	{"versions outside the organisation's life", `SELECT COUNT(*) FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.valid_from < o.born OR v.valid_to > o.ended`},
	{"versions whose parent does not exist when they start", `SELECT COUNT(*) FROM org_versions v WHERE v.parent_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM org_versions p WHERE p.org_id = v.parent_id AND p.valid_from <= v.valid_from AND p.valid_to > v.valid_from)`},
	{"versions outliving their parent", `SELECT COUNT(*) FROM org_versions v JOIN orgs po ON po.id = v.parent_id WHERE v.valid_to > po.ended`},
	{"paths that disagree with the parent's path", `SELECT COUNT(*) FROM org_versions v JOIN org_versions p
		ON p.org_id = v.parent_id AND p.valid_from < v.valid_to AND v.valid_from < p.valid_to
		WHERE v.path <> p.path || CAST(v.org_id AS TEXT) || '/' OR v.depth <> p.depth + 1`},
	{"root versions with a wrong path", `SELECT COUNT(*) FROM org_versions v WHERE v.parent_id IS NULL
		AND (v.path <> '/' || CAST(v.org_id AS TEXT) || '/' OR v.depth <> 0)`},
	{"members whose home chi bộ does not exist when they join it", `SELECT COUNT(*) FROM members m WHERE NOT EXISTS
		(SELECT 1 FROM org_versions v WHERE v.org_id = m.home_org_id AND v.valid_from <= m.home_since AND v.valid_to > m.home_since)`},
	{"members whose home is not a chi bộ", `SELECT COUNT(*) FROM members m JOIN org_versions v ON v.org_id = m.home_org_id
		AND v.valid_from <= m.home_since AND v.valid_to > m.home_since WHERE v.type NOT IN ('CHI_BO_CO_SO', 'CHI_BO_TRUC_THUOC')`},
	{"closed home periods overlapping each other or the current home", `SELECT COUNT(*) FROM attachments a JOIN members m ON m.id = a.member_id
		WHERE a.kind = 'HOME' AND (a.valid_to > m.home_since OR EXISTS (SELECT 1 FROM attachments b WHERE b.member_id = a.member_id
		AND b.kind = 'HOME' AND b.id <> a.id AND b.valid_from < a.valid_to AND a.valid_from < b.valid_to))`},
	{"attachments to a unit that is not a chi bộ", `SELECT COUNT(*) FROM attachments a JOIN org_versions v ON v.org_id = a.org_id
		AND v.valid_from < a.valid_to AND a.valid_from < v.valid_to WHERE v.type NOT IN ('CHI_BO_CO_SO', 'CHI_BO_TRUC_THUOC')`},
	{"members without their card entry", `SELECT COUNT(*) FROM members m WHERE NOT EXISTS
		(SELECT 1 FROM member_cards c WHERE c.card = m.card AND c.member_id = m.id)`},
	{"card entries without their member", `SELECT COUNT(*) FROM member_cards c WHERE NOT EXISTS
		(SELECT 1 FROM members m WHERE m.id = c.member_id AND m.card = c.card)`},
	{"seats outside their term", `SELECT COUNT(*) FROM seats s JOIN terms t ON t.id = s.term_id WHERE s.start_date < t.start_date OR s.end_date > t.end_date`},
}

// Integrity runs the model's invariant checks and returns one line per
// broken invariant ("3 overlapping versions of one organisation"); none
// means the data is consistent.
func (tx *Tx) Integrity(ctx context.Context) ([]string, error) {
	var out []string
	for _, c := range integrityChecks {
		n, err := tx.count(ctx, c.query)
		if err != nil {
			return nil, fmt.Errorf("store: integrity %q: %w", c.name, err)
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, c.name))
		}
	}
	return out, nil
}
