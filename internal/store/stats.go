package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// The statistics engine's queries (ktgs/stats.go says what is counted).
//
// Each base (ktgs.StatsBase) is one SELECT over the records it counts,
// restricted to the period by the base's date column (an index range:
// migration 0013_stats) and to what the actor may read (scope paths and
// marks), that yields per record its unit, its date, its keys for
// drill-down lists and its dimensions (case kind, body group, subject
// kind, committee member, finding flags, form, cause, level, outcome).
// The same SELECT, wrapped, serves both the grouped counts (StatsGroups)
// and the drill-down lists (StatsRecords): a dimension is one SQL
// expression whatever the caller does with it, and StatsMatch is the one
// filter on dimensions, evaluated in Go on grouped counts (matches) and in
// SQL on lists (where). That is what keeps a cell's count and its list
// equal.
//
// Units. In the TODAY view the records are grouped in SQL by the child
// unit their scope path lies under (a nested CASE over the children's
// path ranges, a binary search: log2(children) comparisons a row), so a
// national report by province returns tens of rows, not one per unit. In
// the AS_THEN view they are grouped by the unit organisation, each with
// its path as of the period's last day (the latest version that began on
// or before it: the version in force then, or the last one of a unit
// that had ended), and the caller files each unit by its path's ids.
//
// Cost. The dimensions are small integer codes and a group key is one
// integer (the unit and the dimensions packed), because SQLite groups by
// sorting and sorting rows of strings was half the time of a count. What
// remains per counted case subject is the covering-index range, the body,
// the subject, one seats probe (committee member) and, for conclusions,
// one findings probe: about 1.7 µs (decisions) and 2.6 µs (conclusions)
// a subject on SQLite (province dataset, 12,800 subjects a year).

// StatsAccess is a subtree the actor may read, with the highest mark it
// may read there.
type StatsAccess struct {
	Path string
	Max  authz.Mark
}

// StatsFilter selects the records of one base.
type StatsFilter struct {
	Base     ktgs.StatsBase
	From, To civil.Date
	// Access lists the readable subtrees; a record counts if it lies in one
	// of them with a mark at most that entry's Max. Empty means nothing.
	Access []StatsAccess
	// Within (TODAY) keeps the records filed under this path.
	Within string
	// Columns (TODAY) are child paths: a record's unit is 1 + the index of
	// the one it lies under, 0 if none (the unit's own records).
	Columns []string
	// AsOf (AS_THEN) groups by unit organisation with its path as of
	// AsOf: its latest version that began on or before AsOf (in force
	// then, or its last if it had ended), or its first if it began later.
	AsOf civil.Date
	// Orgs (AS_THEN, optional) keeps the records of these unit
	// organisations only.
	Orgs []int64
	// Central are the organisations whose committees are central bodies
	// (the root: BCH TW); their CAP_UY and BTV, and every BCT and BBT, are
	// GroupCentral.
	Central []int64
	// CaseKinds keeps the cases of these kinds (case bases; empty: all).
	CaseKinds []ktgs.CaseKind
}

// StatsDims are the dimensions of one counted record.
type StatsDims struct {
	CaseKind  ktgs.CaseKind
	Group     ktgs.StatsBodyGroup
	Subject   ktgs.SubjectKind
	Committee bool
	Flags     int
	Form      ktgs.DisciplineForm
	Cause     ktgs.StatsCause
	Level     ktgs.StatsLevel
	Outcome   ktgs.ComplaintOutcome
}

// StatsGroup is a number of records sharing a unit and dimensions.
type StatsGroup struct {
	Unit  int    // TODAY: 0 own records, i ≥ 1 under Columns[i-1]
	OrgID int64  // AS_THEN: the unit organisation
	Path  string // AS_THEN: its path as of AsOf (its first path if it began later)
	Dims  StatsDims
	N     int
}

// StatsMatch is a filter on dimensions; zero fields match anything.
type StatsMatch struct {
	CaseKinds []ktgs.CaseKind
	Groups    []ktgs.StatsBodyGroup
	Subject   ktgs.SubjectKind
	Committee bool // members who held a committee seat on the date only
	Flag      int  // finding flags that must all be set
	Form      ktgs.DisciplineForm
	Cause     ktgs.StatsCause
	Level     ktgs.StatsLevel
	Outcome   ktgs.ComplaintOutcome
}

// Matches reports whether d passes m. It is the Go twin of where.
func (m StatsMatch) Matches(d StatsDims) bool {
	switch {
	case len(m.CaseKinds) > 0 && !contains(m.CaseKinds, d.CaseKind),
		len(m.Groups) > 0 && !contains(m.Groups, d.Group),
		m.Subject != "" && d.Subject != m.Subject,
		m.Committee && !d.Committee,
		d.Flags&m.Flag != m.Flag,
		m.Form != "" && d.Form != m.Form,
		m.Cause != "" && d.Cause != m.Cause,
		m.Level != "" && d.Level != m.Level,
		m.Outcome != "" && d.Outcome != m.Outcome:
		return false
	}
	return true
}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// where returns the SQL twin of Matches over the columns of alias x.
// The dimensions are integer codes (see dims), written inline.
func (m StatsMatch) where(q *sqlBuf) {
	in := func(col string, vals, codes []string) {
		if len(vals) == 0 {
			return
		}
		c := make([]string, len(vals))
		for i, v := range vals {
			c[i] = strconv.Itoa(code(codes, v))
		}
		q.s(" AND " + col + " IN (" + strings.Join(c, ", ") + ")")
	}
	eq := func(col, v string, codes []string) {
		if v != "" {
			q.s(" AND " + col + " = " + strconv.Itoa(code(codes, v)))
		}
	}
	in("x.d_kind", strs(m.CaseKinds), kindCodes)
	in("x.d_group", strs(m.Groups), groupCodes)
	eq("x.d_subject", string(m.Subject), subjectCodes)
	if m.Committee {
		q.s(" AND x.d_cm = 1")
	}
	if m.Flag != 0 {
		q.s(" AND (x.d_flags & " + strconv.Itoa(m.Flag) + ") = " + strconv.Itoa(m.Flag))
	}
	eq("x.d_form", string(m.Form), formCodes)
	eq("x.d_cause", string(m.Cause), causeCodes)
	eq("x.d_level", string(m.Level), levelCodes)
	eq("x.d_outcome", string(m.Outcome), outcomeCodes)
}

// The dimensions travel as small integers: a code list's value at index
// i is i+1, 0 is none (or unknown). A whole record's dimensions pack
// into one integer (pack), so that SQLite groups by sorting integers
// rather than rows of strings: that halves the time of a grouped count.
var (
	kindCodes    = strs(ktgs.CaseKinds)
	groupCodes   = strs(ktgs.StatsBodyGroups)
	subjectCodes = []string{string(ktgs.SubjectOrg), string(ktgs.SubjectMember)}
	formCodes    = strs(ktgs.DisciplineForms)
	causeCodes   = strs(ktgs.StatsCauses)
	levelCodes   = strs(ktgs.StatsLevels)
	outcomeCodes = strs(ktgs.ComplaintOutcomes)
)

// code returns the code of v in codes (0 if absent).
func code(codes []string, v string) int {
	for i, c := range codes {
		if c == v {
			return i + 1
		}
	}
	return 0
}

// codeExpr maps the text column col to its code in codes.
func codeExpr(col string, codes []string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, c := range codes {
		b.WriteString(" WHEN '" + c + "' THEN " + strconv.Itoa(i+1))
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// dims are the dimension columns in packing order with their radix.
var dims = []struct {
	col   string
	radix int64
}{
	{"d_kind", int64(len(kindCodes) + 1)}, {"d_group", int64(len(groupCodes) + 1)}, {"d_subject", int64(len(subjectCodes) + 1)},
	{"d_cm", 2}, {"d_flags", 8}, {"d_form", int64(len(formCodes) + 1)}, {"d_cause", int64(len(causeCodes) + 1)},
	{"d_level", int64(len(levelCodes) + 1)}, {"d_outcome", int64(len(outcomeCodes) + 1)},
}

// packRadix is the number of distinct packed dimensions.
var packRadix = func() int64 {
	n := int64(1)
	for _, d := range dims {
		n *= d.radix
	}
	return n
}()

// packExpr is the packed dimensions of alias x.
func packExpr() string {
	var terms []string
	mul := packRadix
	for _, d := range dims {
		mul /= d.radix
		terms = append(terms, "x."+d.col+" * "+strconv.FormatInt(mul, 10))
	}
	return strings.Join(terms, " + ")
}

// unpack reads packed dimensions.
func unpack(p int64) StatsDims {
	v := make([]int64, len(dims))
	for i := len(dims) - 1; i >= 0; i-- {
		v[i], p = p%dims[i].radix, p/dims[i].radix
	}
	at := func(codes []string, c int64) string {
		if c <= 0 || int(c) > len(codes) {
			return ""
		}
		return codes[c-1]
	}
	return StatsDims{CaseKind: ktgs.CaseKind(at(kindCodes, v[0])), Group: ktgs.StatsBodyGroup(at(groupCodes, v[1])),
		Subject: ktgs.SubjectKind(at(subjectCodes, v[2])), Committee: v[3] == 1, Flags: int(v[4]),
		Form: ktgs.DisciplineForm(at(formCodes, v[5])), Cause: ktgs.StatsCause(at(causeCodes, v[6])),
		Level: ktgs.StatsLevel(at(levelCodes, v[7])), Outcome: ktgs.ComplaintOutcome(at(outcomeCodes, v[8]))}
}

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}

// sqlBuf builds a query and its arguments in textual order.
type sqlBuf struct {
	b    strings.Builder
	args []any
}

func (q *sqlBuf) s(parts ...string) {
	for _, p := range parts {
		q.b.WriteString(p)
	}
}

func (q *sqlBuf) arg(v any) { q.b.WriteString("?"); q.args = append(q.args, v) }

// ints writes a list of integers inline (ids read from the database).
func ints(ids []int64) string {
	if len(ids) == 0 {
		return "0"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// quoted writes string constants from the domain package inline.
func quoted(vals []string) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(s, ", ")
}

// groupExpr is the body group (code) of body alias b.
func groupExpr(b string, central []int64) string {
	g := func(x ktgs.StatsBodyGroup) string { return strconv.Itoa(code(groupCodes, string(x))) }
	return `CASE WHEN ` + b + `.kind IN ('BCT', 'BBT') OR (` + b + `.kind IN ('CAP_UY', 'BTV') AND ` + b + `.org_id IN (` + ints(central) + `)) THEN ` +
		g(ktgs.GroupCentral) + ` WHEN ` + b + `.kind = 'UBKT' THEN ` + g(ktgs.GroupUBKT) + ` ELSE ` + g(ktgs.GroupCommittee) + ` END`
}

// committeeExpr is 1 when member m held a committee seat (any body but a
// UBKT) on day d, else 0.
func committeeExpr(m, d string) string {
	return `CASE WHEN ` + m + ` IS NOT NULL AND EXISTS (SELECT 1 FROM seats st JOIN terms stt ON stt.id = st.term_id
		JOIN bodies sb ON sb.id = stt.body_id WHERE st.member_id = ` + m + ` AND st.start_date <= ` + d + ` AND st.end_date >= ` + d + `
		AND sb.kind <> 'UBKT') THEN 1 ELSE 0 END`
}

// flagsExpr is the finding flags of subject s of case c.
const flagsExpr = `(SELECT COALESCE(MAX(CASE WHEN f.kind IN ('SHORTCOMING', 'VIOLATION') THEN 1 ELSE 0 END)
		+ MAX(CASE WHEN f.kind = 'VIOLATION' THEN 2 ELSE 0 END) + MAX(CASE WHEN f.warrants_discipline THEN 4 ELSE 0 END), 0)
		FROM findings f WHERE f.case_id = c.id AND f.subject_seq = s.seq)`

// causeExpr maps the category column col to a cause code (ktgs.CauseOf).
func causeExpr(col string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, c := range ktgs.StatsCauses {
		if cats := ktgs.CategoriesOf(c); len(cats) > 0 {
			b.WriteString(" WHEN " + col + " IN (" + quoted(cats) + ") THEN " + strconv.Itoa(code(causeCodes, string(c))))
		}
	}
	b.WriteString(" ELSE " + strconv.Itoa(code(causeCodes, string(ktgs.CauseOther))) + " END")
	return b.String()
}

// levelExpr maps organisation org to its level code by its latest type
// (ktgs.LevelOf).
func levelExpr(org string) string {
	var b strings.Builder
	b.WriteString(`CASE (SELECT lv.type FROM org_versions lv WHERE lv.org_id = ` + org + ` ORDER BY lv.valid_from DESC LIMIT 1)`)
	for _, t := range ktgs.OrgTypes {
		if l := ktgs.LevelOf(t); l != ktgs.StatsLevelGrassroots {
			b.WriteString(" WHEN '" + string(t) + "' THEN " + strconv.Itoa(code(levelCodes, string(l))))
		}
	}
	b.WriteString(" ELSE " + strconv.Itoa(code(levelCodes, string(ktgs.StatsLevelGrassroots))) + " END")
	return b.String()
}

// access writes the readable-subtree condition on table alias t.
func access(q *sqlBuf, t string, acc []StatsAccess) {
	if len(acc) == 0 {
		q.s(" AND 1 = 0")
		return
	}
	q.s(" AND (")
	for i, a := range acc {
		if i > 0 {
			q.s(" OR ")
		}
		marks := []string{"'THUONG'"}
		if a.Max >= authz.Secret {
			marks = append(marks, "'MAT'")
		}
		if a.Max >= authz.TopSecret {
			marks = append(marks, "'TOI_MAT'")
		}
		q.s("(" + t + ".scope_path >= ")
		q.arg(a.Path)
		q.s(" AND " + t + ".scope_path < ")
		q.arg(pathUpper(a.Path))
		q.s(" AND " + t + ".mark IN (" + strings.Join(marks, ", ") + "))")
	}
	q.s(")")
}

// base writes the SELECT of f's base. Its columns: u_path (today's path
// of the unit), u_org (the unit organisation), d (the date), k1, k2 (the
// record's keys), code, name, mark, and the dimensions d_kind, d_group,
// d_subject, d_cm, d_flags, d_form, d_cause, d_level, d_outcome.
func (f *StatsFilter) base(q *sqlBuf) error {
	var unit, date string // the unit table alias and the date column
	switch f.Base {
	case ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded:
		date = "c.decided_on"
		flags := "0"
		if f.Base == ktgs.BaseCaseConcluded {
			date, flags = "c.concluded_on", flagsExpr
		}
		q.s(`SELECT c.scope_path AS u_path, c.org_id AS u_org, `+date+` AS d, c.id AS k1, s.seq AS k2, c.code AS code, s.name AS name,
			c.mark AS mark, `, codeExpr("c.kind", kindCodes), ` AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `,
			codeExpr("s.kind", subjectCodes), ` AS d_subject, `, committeeExpr("s.member_id", date), ` AS d_cm, `, flags, ` AS d_flags,
			0 AS d_form, 0 AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM cases c JOIN bodies b ON b.id = c.body_id JOIN case_subjects s ON s.case_id = c.id
			WHERE c.status <> '`+string(ktgs.CaseCancelled)+`'`)
		unit = "c"
		f.kinds(q)
	case ktgs.BaseCaseDisciplined:
		date = "p.decided_on"
		q.s(`SELECT c.scope_path AS u_path, c.org_id AS u_org, p.decided_on AS d, p.id AS k1, 0 AS k2, p.code AS code, p.subject_name AS name,
			p.mark AS mark, `, codeExpr("c.kind", kindCodes), ` AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `,
			codeExpr("p.subject_kind", subjectCodes), ` AS d_subject, `, committeeExpr("p.member_id", "p.decided_on"), ` AS d_cm, 0 AS d_flags, `,
			codeExpr("p.form", formCodes), ` AS d_form, `, causeExpr("p.category"), ` AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM proceedings p JOIN cases c ON c.id = p.case_id JOIN bodies b ON b.id = c.body_id
			WHERE p.status = '`+string(ktgs.ProcDecided)+`'`)
		unit = "c"
		f.kinds(q)
		access(q, "p", f.Access)
	case ktgs.BaseDiscipline:
		date = "p.decided_on"
		q.s(`SELECT p.scope_path AS u_path, fb.org_id AS u_org, p.decided_on AS d, p.id AS k1, 0 AS k2, p.code AS code, p.subject_name AS name,
			p.mark AS mark, 0 AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `, codeExpr("p.subject_kind", subjectCodes), ` AS d_subject, `,
			committeeExpr("p.member_id", "p.decided_on"), ` AS d_cm, 0 AS d_flags, `, codeExpr("p.form", formCodes), ` AS d_form, `,
			causeExpr("p.category"), ` AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM proceedings p JOIN bodies b ON b.id = p.body_id JOIN bodies fb ON fb.id = p.first_body_id
			WHERE p.status = '`+string(ktgs.ProcDecided)+`'`)
		unit = "p"
	case ktgs.BaseLetterReceived, ktgs.BaseLetterResolved:
		date = "l.received_on"
		cond := " AND l.status <> '" + string(ktgs.LetterDuplicate) + "'"
		if f.Base == ktgs.BaseLetterResolved {
			date, cond = "l.concluded_on", ""
		}
		q.s(`SELECT l.scope_path AS u_path, l.holder_org_id AS u_org, `+date+` AS d, l.id AS k1, 0 AS k2, l.code AS code, l.title AS name,
			l.mark AS mark, 0 AS d_kind, 0 AS d_group, 0 AS d_subject, 0 AS d_cm, 0 AS d_flags, 0 AS d_form, 0 AS d_cause, `,
			levelExpr("l.holder_org_id"), ` AS d_level, 0 AS d_outcome
			FROM letters l WHERE l.kind = '`+string(ktgs.LetterDenunciation)+`'`+cond)
		unit = "l"
	case ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve:
		date = "k.filed_on"
		cond := ""
		if f.Base == ktgs.BaseComplaintResolve {
			date, cond = "k.resolved_on", " AND k.status IN ("+quoted(strs([]ktgs.ComplaintStatus{ktgs.ComplaintResolved, ktgs.ComplaintEscalated}))+") AND k.outcome <> ''"
		}
		q.s(`SELECT k.scope_path AS u_path, fb.org_id AS u_org, `+date+` AS d, k.id AS k1, 0 AS k2, k.code AS code, k.complainant_name AS name,
			k.mark AS mark, 0 AS d_kind, 0 AS d_group, `, codeExpr("k.complainant_kind", subjectCodes), ` AS d_subject, 0 AS d_cm, 0 AS d_flags,
			0 AS d_form, 0 AS d_cause, 0 AS d_level, `, codeExpr("k.outcome", outcomeCodes), ` AS d_outcome
			FROM complaints k JOIN proceedings p ON p.id = k.proceeding_id JOIN bodies fb ON fb.id = p.first_body_id
			WHERE 1 = 1`+cond)
		unit = "k"
	default:
		return fmt.Errorf("store: statistics base %q unknown", f.Base)
	}
	q.s(" AND " + date + " >= ")
	q.arg(f.From)
	q.s(" AND " + date + " <= ")
	q.arg(f.To)
	access(q, unit, f.Access)
	if f.Within != "" {
		q.s(" AND " + unit + ".scope_path >= ")
		q.arg(f.Within)
		q.s(" AND " + unit + ".scope_path < ")
		q.arg(pathUpper(f.Within))
	}
	if f.Orgs != nil {
		col := map[string]string{"c": "c.org_id", "p": "fb.org_id", "l": "l.holder_org_id", "k": "fb.org_id"}[unit]
		q.s(" AND " + col + " IN (" + ints(f.Orgs) + ")")
	}
	return nil
}

func (f *StatsFilter) kinds(q *sqlBuf) {
	if len(f.CaseKinds) > 0 {
		q.s(" AND c.kind IN (" + quoted(strs(f.CaseKinds)) + ")")
	}
}

// unitExpr writes the TODAY unit of the path column col: a binary search
// over the sorted, disjoint ranges of f.Columns.
func (f *StatsFilter) unitExpr(q *sqlBuf, col string) {
	type rng struct {
		lo, hi string
		unit   int
	}
	rs := make([]rng, len(f.Columns))
	for i, p := range f.Columns {
		rs[i] = rng{p, pathUpper(p), i + 1}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	var search func(rs []rng)
	search = func(rs []rng) {
		if len(rs) == 1 {
			q.s("CASE WHEN " + col + " >= ")
			q.arg(rs[0].lo)
			q.s(" AND " + col + " < ")
			q.arg(rs[0].hi)
			q.s(" THEN " + strconv.Itoa(rs[0].unit) + " ELSE 0 END")
			return
		}
		mid := len(rs) / 2
		q.s("CASE WHEN " + col + " < ")
		q.arg(rs[mid].lo)
		q.s(" THEN ")
		search(rs[:mid])
		q.s(" ELSE ")
		search(rs[mid:])
		q.s(" END")
	}
	if len(rs) == 0 {
		q.s("0")
		return
	}
	search(rs)
}

// groups writes the grouped count of f: the unit organisation (AS_THEN)
// with its path, and the unit (TODAY) with the dimensions packed.
func (f *StatsFilter) groups(q *sqlBuf) error {
	asThen := !f.AsOf.IsZero()
	if asThen {
		q.s(`SELECT x.u_org, COALESCE((SELECT v.path FROM org_versions v WHERE v.org_id = x.u_org AND v.valid_from <= `)
		q.arg(f.AsOf)
		q.s(` ORDER BY v.valid_from DESC LIMIT 1), (SELECT v.path FROM org_versions v WHERE v.org_id = x.u_org ORDER BY v.valid_from LIMIT 1)), ` +
			packExpr() + `, COUNT(*) FROM (`)
	} else {
		// The unit and the dimensions in one integer.
		q.s(`SELECT 0, '', (`)
		f.unitExpr(q, "x.u_path")
		q.s(`) * CAST(` + strconv.FormatInt(packRadix, 10) + ` AS BIGINT) + ` + packExpr() + `, COUNT(*) FROM (`)
	}
	if err := f.base(q); err != nil {
		return err
	}
	if asThen {
		q.s(`) x GROUP BY x.u_org, 3`)
	} else {
		q.s(`) x GROUP BY 3`)
	}
	return nil
}

// StatsGroups counts f's records by unit and dimensions.
func (tx *Tx) StatsGroups(ctx context.Context, f StatsFilter) ([]StatsGroup, error) {
	var q sqlBuf
	if err := f.groups(&q); err != nil {
		return nil, err
	}
	if err := tx.noJIT(ctx); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, q.b.String(), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatsGroup
	for rows.Next() {
		var g StatsGroup
		var path sql.NullString
		var packed int64
		if err := rows.Scan(&g.OrgID, &path, &packed, &g.N); err != nil {
			return nil, err
		}
		g.Path = path.String
		g.Unit, g.Dims = int(packed/packRadix), unpack(packed%packRadix)
		out = append(out, g)
	}
	return out, rows.Err()
}

// noJIT turns PostgreSQL's JIT compilation off for the rest of the
// transaction: the correlated subqueries make the planner's cost of a
// grouped count high enough to compile it, which took 0.8 s of a query
// that runs in 60 ms (province dataset, EXPLAIN ANALYZE).
func (tx *Tx) noJIT(ctx context.Context) error {
	if tx.db.engine != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, `SET LOCAL jit = off`)
	return err
}

// StatsRecord is one record behind a count: a case subject (ID the
// case, Seq the subject), a proceeding, a letter or a complaint.
type StatsRecord struct {
	Base  ktgs.StatsBase
	ID    int64
	Seq   int
	Code  string
	Name  string
	Date  civil.Date
	OrgID int64 // the unit organisation
	Mark  authz.Mark
}

// StatsCursor is where a list page starts: after the record with this
// date and keys (lists run newest first).
type StatsCursor struct {
	Date civil.Date
	ID   int64
	Seq  int
}

// StatsSelect narrows a list to one cell and pages it.
type StatsSelect struct {
	Match StatsMatch
	// Unit (TODAY): -1 every unit, else the unit number of StatsGroup.
	Unit int
	// OrgIn (AS_THEN, optional) keeps the records of these unit
	// organisations; Keep (optional) is asked about every other record's
	// unit organisation, for sets too large to send.
	OrgIn []int64
	Keep  func(orgID int64) bool
	After StatsCursor
	Limit int
}

// StatsRecords lists f's records that pass sel, newest first, one page
// of sel.Limit, and says whether more follow.
func (tx *Tx) StatsRecords(ctx context.Context, f StatsFilter, sel StatsSelect) ([]StatsRecord, bool, error) {
	var q sqlBuf
	q.s(`SELECT x.k1, x.k2, x.code, x.name, x.d, x.u_org, x.mark FROM (`)
	if err := f.base(&q); err != nil {
		return nil, false, err
	}
	q.s(`) x WHERE 1 = 1`)
	sel.Match.where(&q)
	if sel.Unit >= 0 && f.AsOf.IsZero() {
		q.s(" AND ")
		f.unitExpr(&q, "x.u_path")
		q.s(" = " + strconv.Itoa(sel.Unit))
	}
	if sel.OrgIn != nil {
		q.s(" AND x.u_org IN (" + ints(sel.OrgIn) + ")")
	}
	if !sel.After.Date.IsZero() {
		q.s(" AND (x.d < ")
		q.arg(sel.After.Date)
		q.s(" OR (x.d = ")
		q.arg(sel.After.Date)
		q.s(" AND (x.k1 < ")
		q.arg(sel.After.ID)
		q.s(" OR (x.k1 = ")
		q.arg(sel.After.ID)
		q.s(" AND x.k2 < ")
		q.arg(sel.After.Seq)
		q.s("))))")
	}
	if err := tx.noJIT(ctx); err != nil {
		return nil, false, err
	}
	limit := pageLimit(sel.Limit)
	q.s(" ORDER BY x.d DESC, x.k1 DESC, x.k2 DESC")
	if sel.Keep == nil {
		q.s(" LIMIT " + strconv.Itoa(limit+1))
	}
	rows, err := tx.query(ctx, q.b.String(), q.args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []StatsRecord
	for rows.Next() {
		r := StatsRecord{Base: f.Base}
		var mark string
		if err := rows.Scan(&r.ID, &r.Seq, &r.Code, &r.Name, &r.Date, &r.OrgID, &mark); err != nil {
			return nil, false, err
		}
		if sel.Keep != nil && !sel.Keep(r.OrgID) {
			continue
		}
		r.Mark, _ = authz.ParseMark(mark)
		out = append(out, r)
		if len(out) > limit {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// StatsOrgsUnder returns every organisation that ever lay under one of
// paths (the historical paths of a unit), at most limit+1 of them: the
// AS_THEN pre-filter of a small unit.
func (tx *Tx) StatsOrgsUnder(ctx context.Context, paths []string, limit int) ([]int64, error) {
	seen := map[int64]bool{}
	var out []int64
	for _, p := range paths {
		rows, err := tx.query(ctx, `SELECT DISTINCT org_id FROM org_versions WHERE path >= ? AND path < ? LIMIT ?`, p, pathUpper(p), limit+1)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(out) > limit {
			break
		}
	}
	return out, nil
}

// StatsChildrenDuring returns the organisations that were children of
// parent at some time in [from, to], each as its latest version that began
// on or before to, in Vietnamese name order.
func (tx *Tx) StatsChildrenDuring(ctx context.Context, parent int64, from, to civil.Date) ([]*ktgs.Org, error) {
	list, err := tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
		WHERE v.org_id IN (SELECT w.org_id FROM org_versions w WHERE w.parent_id = ? AND w.valid_from <= ? AND w.valid_to > ?)
		AND v.valid_from <= ? ORDER BY v.org_id, v.valid_from DESC`, parent, to, from, to)
	if err != nil {
		return nil, err
	}
	var out []*ktgs.Org
	for _, o := range list {
		if len(out) == 0 || out[len(out)-1].ID != o.ID {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return bytes.Compare(vn.SortKey(out[i].Name), vn.SortKey(out[j].Name)) < 0 })
	return out, nil
}

// StatsOrgsAsOf returns, for each id, the organisation's latest version
// that began on or before d, or its first version if it began later.
func (tx *Tx) StatsOrgsAsOf(ctx context.Context, ids []int64, d civil.Date) (map[int64]*ktgs.Org, error) {
	out := make(map[int64]*ktgs.Org, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		list, err := tx.orgs(ctx, `SELECT `+orgCols+` FROM org_versions v JOIN orgs o ON o.id = v.org_id
			WHERE v.org_id IN (`+ints(ids[:n])+`) ORDER BY v.org_id, v.valid_from`)
		if err != nil {
			return nil, err
		}
		for _, o := range list {
			if cur, ok := out[o.ID]; !ok || !o.ValidFrom.After(d) && cur.ValidFrom.Before(o.ValidFrom) {
				out[o.ID] = o
			}
		}
		ids = ids[n:]
	}
	return out, nil
}
