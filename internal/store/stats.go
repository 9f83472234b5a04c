package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// The statistics engine's queries (ktgs/stats.go says what is counted).
//
// Each base (ktgs.StatsBase) is one SELECT over the records it counts
// (base) that yields per record its unit, its date, its keys for
// drill-down lists and its dimensions (case kind, body group, subject
// kind, committee member, finding flags, form, cause, level, outcome),
// packed into one integer. That SELECT only builds stat_facts, one row
// per counted record, in the transaction of every change and after bulk
// loads (see "The fast path" below). Counts (StatsGroups, StatsTops) and
// drill-down lists (StatsRecords) read stat_facts and its sums with the
// same conditions (facts), and StatsMatch is the one filter on
// dimensions, evaluated in Go on grouped counts (Matches) and in SQL on
// lists (where). That is what keeps a cell's count and its list equal.
//
// Units. In the TODAY view the records are grouped in SQL by the child
// unit their scope path lies under (a nested CASE over the children's
// path ranges, a binary search: log2(children) comparisons a row), so a
// report by units returns tens of rows, not one per unit. In the AS_THEN
// view they are grouped by the unit organisation, each with its path as
// of the period's last day (the latest version that began on or before
// it: the version in force then, or the last one of a unit that had
// ended), and the caller files each unit by its path's ids.
//
// Reads. The national report reads the sums (StatsTops); any other
// report or list reads a range of one index of stat_facts that holds
// every column it tests: the unit under the root today (top, TODAY), or
// the unit under the root as of the period's end (u_top, u_top2, AS_THEN;
// topWay), for a province and the units under it alike.

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
	// Under (AS_THEN, optional) keeps the records of the unit
	// organisations that ever lay under one of these paths (a unit's
	// paths over its history): the pre-filter of a unit below a province.
	Under []string
	// UTop (AS_THEN, optional) are units under the root: it keeps the
	// records whose unit organisation lay under one of them as of AsOf,
	// and those of organisations that lay under several units under the
	// root after the record (u_top2 −1), which the caller places by their
	// path. They are read by the unit-top indexes (migrations 0016, 0017),
	// not from the country's records of the period.
	UTop []int64
	// Central are the organisations whose committees are central bodies
	// (the root: BCH TW); their CAP_UY and BTV, and every BCT and BBT, are
	// GroupCentral.
	Central []int64
	// CaseKinds keeps the cases of these kinds (case bases; empty: all).
	CaseKinds []ktgs.CaseKind
	// Match (optional) keeps the records whose dimensions match it, so a
	// count of one row (app's StatsCell) groups only that row's records.
	Match StatsMatch

	// build, when set, makes base the source of stat_facts: every record
	// of the base (any date, no access filter) that passes this SQL
	// condition.
	build string
	// way, when set, is the one way of lying under the units under the
	// root (tops) that facts writes.
	way  topWay
	tops []int64
}

// topWay is one of the ways a record lies, as of AsOf, under a unit under
// the root X (0015: u_top is the one its unit organisation lay in on the
// record's day, u_chg the first day after when that changed, u_top2 the
// one from then, −1 if it changed again). Each way is one range of its
// own index (migrations 0016, 0017), read newest first.
type topWay int

const (
	wayNone   topWay = iota
	wayBefore        // u_top = X, u_chg after AsOf: no change by then
	wayAfter         // u_top2 = X, u_chg on or before AsOf
	wayMovers        // u_top2 = −1, u_chg on or before AsOf: placed by path
)

// cond writes the way's condition for the units tops as of asOf.
func (w topWay) cond(q *sqlBuf, tops []int64, asOf civil.Date) {
	switch w {
	case wayBefore:
		q.s(" AND x.u_top IN (" + ints(tops) + ") AND x.u_chg > ")
	case wayAfter:
		q.s(" AND x.u_top2 IN (" + ints(tops) + ") AND x.u_chg <= ")
	case wayMovers:
		// −1 is also the u_top2 of a unit that never changed (u_chg
		// 9999-12-31): the condition of stat_facts_movers, written as
		// that index is, leaves those out.
		q.s(" AND x.u_top2 = -1 AND x.u_chg < '9999-12-31' AND x.u_chg <= ")
	}
	q.arg(asOf)
}

// index is the index a way reads.
func (w topWay) index() string {
	switch w {
	case wayBefore:
		return "stat_facts_utop"
	case wayAfter:
		return "stat_facts_utop2"
	}
	return "stat_facts_movers"
}

// indexed makes SQLite read stat_facts x of query qs by index name: its
// planner, without statistics of the dimension sets and units, would
// often walk the period by date instead. PostgreSQL plans by itself.
func (tx *Tx) indexed(qs, name string) string {
	if tx.db.engine != SQLite || name == "" {
		return qs
	}
	return strings.Replace(qs, " FROM stat_facts x WHERE", " FROM stat_facts x INDEXED BY "+name+" WHERE", 1)
}

// topIndex reports whether f (TODAY) reads its records by
// stat_facts_top: Within lies under a unit under the root (is it or one
// of its units), whose records of the period that index holds in one
// range with every column a count or list tests. For a small unit the
// range is larger than its own records, but it is bounded by a
// province's, where stat_facts_scope ranges over the unit's whole
// history and reads a table row for each record.
func (f *StatsFilter) topIndex() bool {
	return f.AsOf.IsZero() && len(PathIDs(f.Within)) >= 2
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

// where returns the SQL twin of Matches over the packed dimensions of
// alias x (stat_facts.dims). The dimensions are integer codes (see
// dims), written inline.
func (m StatsMatch) where(q *sqlBuf) {
	in := func(dim int, vals, codes []string) {
		if len(vals) == 0 {
			return
		}
		c := make([]string, len(vals))
		for i, v := range vals {
			c[i] = strconv.Itoa(code(codes, v))
		}
		q.s(" AND " + dimExpr(dim) + " IN (" + strings.Join(c, ", ") + ")")
	}
	eq := func(dim int, v string, codes []string) {
		if v != "" {
			q.s(" AND " + dimExpr(dim) + " = " + strconv.Itoa(code(codes, v)))
		}
	}
	in(dimKind, strs(m.CaseKinds), kindCodes)
	in(dimGroup, strs(m.Groups), groupCodes)
	eq(dimSubject, string(m.Subject), subjectCodes)
	if m.Committee {
		q.s(" AND " + dimExpr(dimCM) + " = 1")
	}
	if m.Flag != 0 {
		// The flags are bits 1, 2 and 4 of a dimension of radix 8.
		for bit := 1; bit <= 4; bit <<= 1 {
			if m.Flag&bit != 0 {
				q.s(" AND (" + dimExpr(dimFlags) + " / " + strconv.Itoa(bit) + ") % 2 = 1")
			}
		}
	}
	eq(dimForm, string(m.Form), formCodes)
	eq(dimCause, string(m.Cause), causeCodes)
	eq(dimLevel, string(m.Level), levelCodes)
	eq(dimOutcome, string(m.Outcome), outcomeCodes)
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
	// pg writes PostgreSQL's form where the engines' plans differ.
	pg bool
	// inline writes paths and dates as literals, so that PostgreSQL plans
	// a list for the subtree and period at hand: with parameters its
	// generic plan read a national list by the scope index and sorted
	// 400,000 rows (280 ms) instead of reading the date index backwards.
	inline bool
}

func (q *sqlBuf) s(parts ...string) {
	for _, p := range parts {
		q.b.WriteString(p)
	}
}

func (q *sqlBuf) arg(v any) {
	if q.inline {
		switch x := v.(type) {
		case civil.Date:
			q.b.WriteString("'" + x.String() + "'")
			return
		case string:
			if strings.Trim(x, "0123456789/") == "" {
				q.b.WriteString("'" + x + "'")
				return
			}
		}
	}
	q.b.WriteString("?")
	q.args = append(q.args, v)
}

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

// base writes the SELECT of f's base. Its columns: u_path (today's path
// of the unit), u_org (the unit organisation), d (the date), k1, k2 (the
// record's keys), code, name, mark, and the dimensions d_kind, d_group,
// d_subject, d_cm, d_flags, d_form, d_cause, d_level, d_outcome.
func (f *StatsFilter) base(q *sqlBuf) error {
	var date string // the date column
	switch f.Base {
	case ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded:
		date = "c.decided_on"
		flags := "0"
		if f.Base == ktgs.BaseCaseConcluded {
			date, flags = "c.concluded_on", flagsExpr
		}
		q.s(`SELECT c.scope_path AS u_path, c.org_id AS u_org, `+date+` AS d, c.id AS k1, s.seq AS k2, c.code AS code, s.name AS name,
			c.mark AS mark, c.mark AS u_mark, c.scope_path AS a_path, c.mark AS a_mark, `, codeExpr("c.kind", kindCodes), ` AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `,
			codeExpr("s.kind", subjectCodes), ` AS d_subject, `, committeeExpr("s.member_id", date), ` AS d_cm, `, flags, ` AS d_flags,
			0 AS d_form, 0 AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM cases c JOIN bodies b ON b.id = c.body_id JOIN case_subjects s ON s.case_id = c.id
			WHERE c.status <> '`+string(ktgs.CaseCancelled)+`'`)
		f.kinds(q)
	case ktgs.BaseCaseDisciplined:
		date = "p.decided_on"
		q.s(`SELECT c.scope_path AS u_path, c.org_id AS u_org, p.decided_on AS d, p.id AS k1, 0 AS k2, p.code AS code, p.subject_name AS name,
			p.mark AS mark, c.mark AS u_mark, p.scope_path AS a_path, p.mark AS a_mark, `, codeExpr("c.kind", kindCodes), ` AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `,
			codeExpr("p.subject_kind", subjectCodes), ` AS d_subject, `, committeeExpr("p.member_id", "p.decided_on"), ` AS d_cm, 0 AS d_flags, `,
			codeExpr("p.form", formCodes), ` AS d_form, `, causeExpr("p.category"), ` AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM proceedings p JOIN cases c ON c.id = p.case_id JOIN bodies b ON b.id = c.body_id
			WHERE p.status = '`+string(ktgs.ProcDecided)+`'`)
		f.kinds(q)
	case ktgs.BaseDiscipline:
		date = "p.decided_on"
		q.s(`SELECT p.scope_path AS u_path, fb.org_id AS u_org, p.decided_on AS d, p.id AS k1, 0 AS k2, p.code AS code, p.subject_name AS name,
			p.mark AS mark, p.mark AS u_mark, p.scope_path AS a_path, p.mark AS a_mark, 0 AS d_kind, `, groupExpr("b", f.Central), ` AS d_group, `, codeExpr("p.subject_kind", subjectCodes), ` AS d_subject, `,
			committeeExpr("p.member_id", "p.decided_on"), ` AS d_cm, 0 AS d_flags, `, codeExpr("p.form", formCodes), ` AS d_form, `,
			causeExpr("p.category"), ` AS d_cause, 0 AS d_level, 0 AS d_outcome
			FROM proceedings p JOIN bodies b ON b.id = p.body_id JOIN bodies fb ON fb.id = p.first_body_id
			WHERE p.status = '`+string(ktgs.ProcDecided)+`'`)
	case ktgs.BaseLetterReceived, ktgs.BaseLetterResolved:
		date = "l.received_on"
		cond := " AND l.status <> '" + string(ktgs.LetterDuplicate) + "'"
		if f.Base == ktgs.BaseLetterResolved {
			date, cond = "l.concluded_on", ""
		}
		q.s(`SELECT l.scope_path AS u_path, l.holder_org_id AS u_org, `+date+` AS d, l.id AS k1, 0 AS k2, l.code AS code, l.title AS name,
			l.mark AS mark, l.mark AS u_mark, l.scope_path AS a_path, l.mark AS a_mark, 0 AS d_kind, 0 AS d_group, 0 AS d_subject, 0 AS d_cm, 0 AS d_flags, 0 AS d_form, 0 AS d_cause, `,
			levelExpr("l.holder_org_id"), ` AS d_level, 0 AS d_outcome
			FROM letters l WHERE l.kind = '`+string(ktgs.LetterDenunciation)+`'`+cond)
	case ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve:
		date = "k.filed_on"
		cond := ""
		if f.Base == ktgs.BaseComplaintResolve {
			date, cond = "k.resolved_on", " AND k.status IN ("+quoted(strs([]ktgs.ComplaintStatus{ktgs.ComplaintResolved, ktgs.ComplaintEscalated}))+") AND k.outcome <> ''"
		}
		q.s(`SELECT k.scope_path AS u_path, fb.org_id AS u_org, `+date+` AS d, k.id AS k1, 0 AS k2, k.code AS code, k.complainant_name AS name,
			k.mark AS mark, k.mark AS u_mark, k.scope_path AS a_path, k.mark AS a_mark, 0 AS d_kind, 0 AS d_group, `, codeExpr("k.complainant_kind", subjectCodes), ` AS d_subject, 0 AS d_cm, 0 AS d_flags,
			0 AS d_form, 0 AS d_cause, 0 AS d_level, `, codeExpr("k.outcome", outcomeCodes), ` AS d_outcome
			FROM complaints k JOIN proceedings p ON p.id = k.proceeding_id JOIN bodies fb ON fb.id = p.first_body_id
			WHERE 1 = 1`+cond)
	default:
		return fmt.Errorf("store: statistics base %q unknown", f.Base)
	}
	if f.build == "" {
		// Counts and lists read stat_facts (facts), never this SELECT.
		return fmt.Errorf("store: the SELECT of statistics base %q only builds stat_facts", f.Base)
	}
	q.s(" AND " + date + " IS NOT NULL AND (" + f.build + ")")
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

// The fast path: stat_facts (migration 0015_stats_summary) holds every
// record of every base with its dimensions packed, written by the
// engine's own SELECT (base in build mode) whenever a record or
// anything its dimensions depend on changes, in the same transaction
// (the stats* hooks below, called by the store's writers), and rebuilt
// in one statement per base after a bulk load. Counts and lists read
// only this table: a period is one range of its key (base, date), the
// readable subtrees and marks are compared on its columns, and no
// subject costs a seats or findings probe any more.

// statBases are the bases in the order of their codes in stat_facts.base.
var statBases = []ktgs.StatsBase{ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded, ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline,
	ktgs.BaseLetterReceived, ktgs.BaseLetterResolved, ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve}

// baseCode is the code of b in stat_facts.base, as SQL text.
func baseCode(b ktgs.StatsBase) (string, error) {
	if c := code(strs(statBases), string(b)); c > 0 {
		return strconv.Itoa(c), nil
	}
	return "", fmt.Errorf("store: statistics base %q unknown", b)
}

// The dimensions in the order of dims.
const (
	dimKind = iota
	dimGroup
	dimSubject
	dimCM
	dimFlags
	dimForm
	dimCause
	dimLevel
	dimOutcome
)

// dimExpr extracts dimension i from the packed x.dims.
func dimExpr(i int) string {
	mul := int64(1)
	for _, d := range dims[i+1:] {
		mul *= d.radix
	}
	e := "x.dims"
	if mul > 1 {
		e = "(x.dims / " + strconv.FormatInt(mul, 10) + ")"
	}
	if i > 0 {
		e = "(" + e + " % " + strconv.FormatInt(dims[i].radix, 10) + ")"
	}
	return e
}

// facts writes the FROM and WHERE of f's records in stat_facts x.
func (f *StatsFilter) facts(q *sqlBuf) error {
	b, err := baseCode(f.Base)
	if err != nil {
		return err
	}
	q.s(" FROM stat_facts x WHERE x.base = " + b + " AND x.d >= ")
	q.arg(f.From)
	q.s(" AND x.d <= ")
	q.arg(f.To)
	accessOn(q, "x.scope_path", "x.mark", f.Access)
	if f.Base == ktgs.BaseCaseDisciplined {
		// A proceeding counted with its case must be readable as well.
		accessOn(q, "x.acc_path", "x.acc_mark", f.Access)
	}
	if f.Within != "" {
		// top is the unit under the root that scope_path lies in: the
		// same condition, which stat_facts_top reads as one range.
		if t := topOf(f.Within); t != 0 {
			q.s(" AND x.top = " + strconv.FormatInt(t, 10))
		}
		q.s(" AND x.scope_path >= ")
		q.arg(f.Within)
		q.s(" AND x.scope_path < ")
		q.arg(pathUpper(f.Within))
	}
	if f.Under != nil {
		// A subquery, not a list: a large unit's organisations of ten
		// years run to thousands, and a list that long cost PostgreSQL
		// more to parse and plan than the count. PostgreSQL takes it as an
		// array computed once: as a semi-join it planned from a path range
		// estimated at 1 row instead of 2,420 and probed the facts once
		// per organisation (1.8 s against 17 ms, EXPLAIN ANALYZE on the
		// national dataset).
		if q.pg {
			q.s(" AND x.u_org = ANY (ARRAY(SELECT ov.org_id FROM org_versions ov WHERE ")
		} else {
			q.s(" AND x.u_org IN (SELECT ov.org_id FROM org_versions ov WHERE ")
		}
		for i, p := range f.Under {
			if i > 0 {
				q.s(" OR ")
			}
			q.s("(ov.path >= ")
			q.arg(p)
			q.s(" AND ov.path < ")
			q.arg(pathUpper(p))
			q.s(")")
		}
		q.s(")")
		if q.pg {
			q.s(")")
		}
	}
	if f.way != wayNone {
		f.way.cond(q, f.tops, f.AsOf)
	} else if f.UTop != nil {
		return fmt.Errorf("store: statistics by units under the root %v read without a way", f.UTop)
	}
	switch f.Base {
	case ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded, ktgs.BaseCaseDisciplined:
		StatsMatch{CaseKinds: f.CaseKinds}.where(q)
	}
	f.Match.where(q)
	return nil
}

// groups writes the grouped count of f: the unit organisation (AS_THEN)
// with its path, and the unit (TODAY) with the dimensions packed.
func (f *StatsFilter) groups(q *sqlBuf) error {
	if !f.AsOf.IsZero() {
		q.s(`SELECT y.u_org, COALESCE((SELECT v.path FROM org_versions v WHERE v.org_id = y.u_org AND v.valid_from <= `)
		q.arg(f.AsOf)
		q.s(` ORDER BY v.valid_from DESC LIMIT 1), (SELECT v.path FROM org_versions v WHERE v.org_id = y.u_org ORDER BY v.valid_from LIMIT 1)),
			y.dims, y.n FROM (SELECT x.u_org, x.dims, COUNT(*) AS n`)
		if err := f.facts(q); err != nil {
			return err
		}
		q.s(` GROUP BY x.u_org, x.dims) y`)
		return nil
	}
	// The unit and the dimensions in one integer.
	q.s(`SELECT 0, '', (`)
	f.unitExpr(q, "x.scope_path")
	q.s(`) * CAST(` + strconv.FormatInt(packRadix, 10) + ` AS BIGINT) + x.dims, COUNT(*)`)
	if err := f.facts(q); err != nil {
		return err
	}
	q.s(` GROUP BY 3`)
	return nil
}

// StatsGroups counts f's records by unit and dimensions.
func (tx *Tx) StatsGroups(ctx context.Context, f StatsFilter) ([]StatsGroup, error) {
	if err := tx.noJIT(ctx); err != nil {
		return nil, err
	}
	if f.UTop == nil || f.AsOf.IsZero() {
		index := ""
		if f.topIndex() {
			index = "stat_facts_top"
		}
		return tx.statsGroups(ctx, f, index)
	}
	// Each way of lying under the unit under the root counted by its
	// index; an organisation's records can take two of them (some dated
	// before a move and some after), so the groups are summed.
	type key struct {
		org  int64
		dims StatsDims
	}
	at := map[key]int{}
	var out []StatsGroup
	for _, w := range []topWay{wayBefore, wayAfter, wayMovers} {
		wf := f
		wf.way, wf.tops = w, f.UTop
		groups, err := tx.statsGroups(ctx, wf, w.index())
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			k := key{g.OrgID, g.Dims}
			if i, ok := at[k]; ok {
				out[i].N += g.N
				continue
			}
			at[k] = len(out)
			out = append(out, g)
		}
	}
	return out, nil
}

// statsGroups runs f's grouped count, read by index (SQLite; empty: the
// planner's choice).
func (tx *Tx) statsGroups(ctx context.Context, f StatsFilter, index string) ([]StatsGroup, error) {
	q := sqlBuf{pg: tx.db.engine == Postgres}
	if err := f.groups(&q); err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, tx.indexed(q.b.String(), index), q.args...)
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
	// UTop (optional) keeps the records whose unit organisation lay, in
	// every version, under one of these units under the root (0: the
	// root itself): the national AS_THEN columns (StatsTop.UTop).
	UTop  []int64
	After StatsCursor
	Limit int
}

// StatsRecords lists f's records that pass sel, newest first, one page
// of sel.Limit, and says whether more follow.
func (tx *Tx) StatsRecords(ctx context.Context, f StatsFilter, sel StatsSelect) ([]StatsRecord, bool, error) {
	if err := tx.noJIT(ctx); err != nil {
		return nil, false, err
	}
	limit := pageLimit(sel.Limit)
	// The records under one unit under the root today (TODAY): the list
	// of a province or of a unit in one (Within), or of a province's
	// column of the national report. They lie in one range of
	// stat_facts_top.
	var top int64
	if f.topIndex() {
		top = topOf(f.Within)
	} else if f.AsOf.IsZero() && sel.Unit >= 1 && sel.Unit <= len(f.Columns) && len(PathIDs(f.Columns[sel.Unit-1])) == 2 {
		top = topOf(f.Columns[sel.Unit-1])
	}
	// A cell of few records is read by its dimension sets (the sums of
	// the months of the period name them) rather than by scanning the
	// period newest first past every record of other cells.
	list, n, err := tx.statsCellDims(ctx, f, sel.Match, top)
	if err != nil {
		return nil, false, err
	} else if len(list) == 0 {
		return nil, false, nil
	}
	// The records that lay under units under the root as of AsOf are read
	// in their ways (topWay), each by its own index, and merged: a
	// province's (f.UTop, with the organisations that moved more than
	// once, which sel's OrgIn or Keep choose among) or a national
	// column's (sel.UTop).
	var tops []int64
	var ways []topWay
	switch {
	case f.UTop != nil && !f.AsOf.IsZero():
		tops, ways = f.UTop, []topWay{wayBefore, wayAfter, wayMovers}
	case sel.UTop != nil:
		tops, ways = sel.UTop, []topWay{wayBefore, wayAfter}
	}
	// Those indexes, and stat_facts_top, hold the dimensions: the sets
	// narrow their scans at any size.
	few := n <= statsFewRecords || ways != nil || top != 0
	// query writes the list's SELECT of one way (wayNone: all records).
	query := func(way topWay) (string, []any, error) {
		qf := f
		qf.way, qf.tops = way, tops
		q := sqlBuf{pg: tx.db.engine == Postgres, inline: tx.db.engine == Postgres}
		q.s(`SELECT x.k1, x.k2, x.d, x.u_org, x.acc_mark`)
		if err := qf.facts(&q); err != nil {
			return "", nil, err
		}
		sel.Match.where(&q)
		if top != 0 && !f.topIndex() {
			q.s(" AND x.top = " + strconv.FormatInt(top, 10))
		}
		if sel.Unit >= 0 && f.AsOf.IsZero() {
			q.s(" AND ")
			f.unitExpr(&q, "x.scope_path")
			q.s(" = " + strconv.Itoa(sel.Unit))
		}
		if sel.OrgIn != nil {
			q.s(" AND x.u_org IN (" + ints(sel.OrgIn) + ")")
		}
		if !sel.After.Date.IsZero() {
			q.s(" AND x.d <= ")
			q.arg(sel.After.Date)
			q.s(" AND (x.d < ")
			q.arg(sel.After.Date)
			q.s(" OR x.k1 < ")
			q.arg(sel.After.ID)
			q.s(" OR (x.k1 = ")
			q.arg(sel.After.ID)
			q.s(" AND x.k2 < ")
			q.arg(sel.After.Seq)
			q.s("))")
		}
		if few {
			q.s(" AND x.dims IN (" + ints(list) + ")")
		}
		q.s(" ORDER BY x.d DESC, x.k1 DESC, x.k2 DESC")
		if sel.Keep == nil {
			q.s(" LIMIT " + strconv.Itoa(limit+1))
		}
		index := ""
		switch {
		case way != wayNone:
			index = way.index()
		case top != 0:
			index = "stat_facts_top"
		case few:
			index = "stat_facts_dims"
		}
		return tx.indexed(q.b.String(), index), q.args, nil
	}
	var out []StatsRecord
	read := func(way topWay) error {
		qs, args, err := query(way)
		if err != nil {
			return err
		}
		rows, err := tx.query(ctx, qs, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			r := StatsRecord{Base: f.Base}
			var mark string
			if err := rows.Scan(&r.ID, &r.Seq, &r.Date, &r.OrgID, &mark); err != nil {
				return err
			}
			if sel.Keep != nil && !sel.Keep(r.OrgID) {
				continue
			}
			r.Mark, _ = authz.ParseMark(mark)
			out = append(out, r)
			if n++; n > limit {
				break
			}
		}
		return rows.Err()
	}
	if ways == nil {
		if err := read(wayNone); err != nil {
			return nil, false, err
		}
	}
	for _, w := range ways {
		if err := read(w); err != nil {
			return nil, false, err
		}
	}
	if len(ways) > 1 {
		slices.SortFunc(out, func(a, b StatsRecord) int {
			if c := cmp.Compare(b.Date, a.Date); c != 0 {
				return c
			}
			if c := cmp.Compare(b.ID, a.ID); c != 0 {
				return c
			}
			return cmp.Compare(b.Seq, a.Seq)
		})
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, tx.statsNames(ctx, f.Base, out)
}

// kindMatch is the filter of f's case kinds (case bases only, as facts
// writes it).
func (f *StatsFilter) kindMatch() StatsMatch {
	switch f.Base {
	case ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded, ktgs.BaseCaseDisciplined:
		return StatsMatch{CaseKinds: f.CaseKinds}
	}
	return StatsMatch{}
}

// statsFewRecords is the largest number of records (over the months
// the period touches) that a list reads by dimension sets.
const statsFewRecords = 20000

// statsCellDims returns the packed dimension sets of f's base that match
// m (and f's case kinds) among the sums of the months the period touches
// (a superset of the period's; its whole years from stat_sums_y), with
// their number of records; top, if not 0, keeps the records that lie
// under that unit under the root today.
func (tx *Tx) statsCellDims(ctx context.Context, f StatsFilter, m StatsMatch, top int64) ([]int64, int, error) {
	bc, err := baseCode(f.Base)
	if err != nil {
		return nil, 0, err
	}
	var cond sqlBuf
	if top != 0 {
		cond.s(" AND x.top = " + strconv.FormatInt(top, 10))
	}
	m.where(&cond)
	sums := map[int64]int{}
	for _, p := range sumsParts(bc, cond.b.String(), ym(f.From), ym(f.To)) {
		rows, err := tx.query(ctx, `SELECT x.dims, `+p.n+` `+p.from+` GROUP BY x.dims`, p.args...)
		if err != nil {
			return nil, 0, err
		}
		for rows.Next() {
			var d int64
			var n int
			if err := rows.Scan(&d, &n); err != nil {
				rows.Close()
				return nil, 0, err
			}
			sums[d] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	kinds := f.kindMatch()
	var list []int64
	total := 0
	for d, n := range sums {
		if dims := unpack(d); n > 0 && m.Matches(dims) && kinds.Matches(dims) {
			list, total = append(list, d), total+n
		}
	}
	slices.Sort(list)
	return list, total, nil
}

// statsNames fills the code and the name of one page of records.
func (tx *Tx) statsNames(ctx context.Context, base ktgs.StatsBase, recs []StatsRecord) error {
	if len(recs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	var query string
	switch base {
	case ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded:
		// The subjects' names here, the cases' codes below: two reads by
		// key whatever the planner's statistics (a join of the two was
		// planned as a scan on PostgreSQL before case_subjects was
		// analysed: 150–500 ms).
		query = `SELECT case_id, seq, '', name FROM case_subjects WHERE case_id IN (` + ints(ids) + `)`
	case ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline:
		query = `SELECT id, 0, code, subject_name FROM proceedings WHERE id IN (` + ints(ids) + `)`
	case ktgs.BaseLetterReceived, ktgs.BaseLetterResolved:
		query = `SELECT id, 0, code, title FROM letters WHERE id IN (` + ints(ids) + `)`
	default:
		query = `SELECT id, 0, code, complainant_name FROM complaints WHERE id IN (` + ints(ids) + `)`
	}
	type key struct {
		id  int64
		seq int
	}
	names := map[key][2]string{}
	rows, err := tx.query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var c, n string
		if err := rows.Scan(&k.id, &k.seq, &c, &n); err != nil {
			return err
		}
		names[k] = [2]string{c, n}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if base == ktgs.BaseCaseDecided || base == ktgs.BaseCaseConcluded {
		codes := map[int64]string{}
		rows, err := tx.query(ctx, `SELECT id, code FROM cases WHERE id IN (`+ints(ids)+`)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var c string
			if err := rows.Scan(&id, &c); err != nil {
				return err
			}
			codes[id] = c
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for k, cn := range names {
			names[k] = [2]string{codes[k.id], cn[1]}
		}
	}
	for i := range recs {
		cn := names[key{recs[i].ID, recs[i].Seq}]
		recs[i].Code, recs[i].Name = cn[0], cn[1]
	}
	return nil
}

// accessOn writes the readable-subtree condition on the path and mark
// columns given.
func accessOn(q *sqlBuf, pathCol, markCol string, acc []StatsAccess) {
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
		q.s("(" + pathCol + " >= ")
		q.arg(a.Path)
		q.s(" AND " + pathCol + " < ")
		q.arg(pathUpper(a.Path))
		q.s(" AND " + markCol + " IN (" + strings.Join(marks, ", ") + "))")
	}
	q.s(")")
}

// refreshFacts rewrites the facts of base b for the records whose keys
// (k1) the SQL keys selects, from those of them that cond (a condition
// on the base's tables) selects; args are the arguments of both.
func (tx *Tx) refreshFacts(ctx context.Context, b ktgs.StatsBase, keys, cond string, args ...any) error {
	bc, err := baseCode(b)
	if err != nil {
		return err
	}
	where := `base = ` + bc + ` AND k1 IN (` + keys + `)`
	if err := tx.sumsDelta(ctx, -1, "", where, args...); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM stat_facts WHERE `+where, args...); err != nil {
		return err
	}
	if err := tx.insertFacts(ctx, b, cond, "", args...); err != nil {
		return err
	}
	return tx.sumsDelta(ctx, 1, "", where, args...)
}

// sumsDelta adds sign × the facts that where selects to stat_sums and
// stat_sums_y, with their top replaced by the SQL top if it is set.
func (tx *Tx) sumsDelta(ctx context.Context, sign int, top, where string, args ...any) error {
	group := "top, " // a constant top is not grouped by (GROUP BY 5 would name a column)
	if top == "" {
		top = "top"
	} else {
		group = ""
	}
	for _, t := range []struct{ table, period string }{{"stat_sums", "ym"}, {"stat_sums_y", "y"}} {
		period := "ym"
		if t.period == "y" {
			period = "ym / 12"
		}
		if _, err := tx.exec(ctx, `INSERT INTO `+t.table+` (base, `+t.period+`, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
			SELECT base, `+period+`, `+top+`, u_top, u_chg, u_top2, mark, acc_mark, dims, `+strconv.Itoa(sign)+` * COUNT(*) FROM stat_facts WHERE `+where+`
			GROUP BY base, `+period+`, `+group+`u_top, u_chg, u_top2, mark, acc_mark, dims
			ON CONFLICT (base, `+t.period+`, top, u_top, u_chg, u_top2, mark, acc_mark, dims) DO UPDATE SET n = `+t.table+`.n + excluded.n`, args...); err != nil {
			return err
		}
	}
	return nil
}

// ymExpr is the month number (year × 12 + month − 1) of date column d.
func (tx *Tx) ymExpr(d string) string {
	if tx.db.engine == Postgres {
		return `CAST(EXTRACT(YEAR FROM ` + d + `) * 12 + EXTRACT(MONTH FROM ` + d + `) - 1 AS INTEGER)`
	}
	return `(CAST(substr(` + d + `, 1, 4) AS INTEGER) * 12 + CAST(substr(` + d + `, 6, 2) AS INTEGER) - 1)`
}

// ym is ymExpr in Go.
func ym(d civil.Date) int { return d.Year()*12 + int(d.Month()) - 1 }

// topExpr is the id of the unit under the root that path lies in (the
// second id of the path; 0 for the root itself).
func (tx *Tx) topExpr(path string) string {
	if tx.db.engine == Postgres {
		return `COALESCE(CAST(NULLIF(split_part(` + path + `, '/', 3), '') AS BIGINT), 0)`
	}
	rest := `substr(substr(` + path + `, 2), instr(substr(` + path + `, 2), '/') + 1)` // "top/…/" after the root
	return `CAST(substr(` + rest + `, 1, instr(` + rest + `, '/') - 1) AS INTEGER)`
}

// uTopExpr is the unit under the root that organisation org lay in as
// of day d: its latest version that began on or before d, or its first.
func (tx *Tx) uTopExpr(org, d string) string {
	t := tx.topExpr("tv.path")
	return `COALESCE((SELECT ` + t + ` FROM org_versions tv WHERE tv.org_id = ` + org + ` AND tv.valid_from <= ` + d + ` ORDER BY tv.valid_from DESC LIMIT 1),
		(SELECT ` + t + ` FROM org_versions tv WHERE tv.org_id = ` + org + ` ORDER BY tv.valid_from LIMIT 1), 0)`
}

// uChgExpr is the first day after d when organisation org lay under
// another unit under the root than top (9999-12-31: never).
func (tx *Tx) uChgExpr(org, d, top string) string {
	return `COALESCE((SELECT MIN(tv.valid_from) FROM org_versions tv WHERE tv.org_id = ` + org + ` AND tv.valid_from > ` + d + `
		AND ` + tx.topExpr("tv.path") + ` <> ` + top + `), ` + tx.forever() + `)`
}

// uTop2Expr is the unit under the root that organisation org lay in from
// day chg on (−1 if under several, and when chg is never: then u_top2 is
// never read).
func (tx *Tx) uTop2Expr(org, chg string) string {
	t := tx.topExpr("tv.path")
	return `COALESCE((SELECT CASE WHEN MIN(` + t + `) = MAX(` + t + `) THEN MIN(` + t + `) ELSE -1 END FROM org_versions tv
		WHERE tv.org_id = ` + org + ` AND tv.valid_from >= ` + chg + `), -1)`
}

// forever is 9999-12-31 as an SQL date.
func (tx *Tx) forever() string {
	if tx.db.engine == Postgres {
		return `DATE '9999-12-31'`
	}
	return `'9999-12-31'`
}

// topOf is topExpr in Go.
func topOf(path string) int64 {
	if ids := PathIDs(path); len(ids) > 1 {
		return ids[1]
	}
	return 0
}

// statsMoved recomputes u_top for the facts of the organisations now
// under path (a subtree moved across the units under the root).
func (tx *Tx) statsMoved(ctx context.Context, path string) error {
	return tx.statsUnitTops(ctx, `u_org IN (SELECT org_id FROM org_versions WHERE path >= ? AND path < ?)`, path, pathUpper(path))
}

// statsUnitTops recomputes u_top, u_chg and u_top2 of the facts that
// where selects (their organisations' versions changed).
func (tx *Tx) statsUnitTops(ctx context.Context, where string, args ...any) error {
	if err := tx.sumsDelta(ctx, -1, "", where, args...); err != nil {
		return err
	}
	for _, set := range []string{`u_top = ` + tx.uTopExpr("stat_facts.u_org", "stat_facts.d"),
		`u_chg = ` + tx.uChgExpr("stat_facts.u_org", "stat_facts.d", "stat_facts.u_top"),
		`u_top2 = ` + tx.uTop2Expr("stat_facts.u_org", "stat_facts.u_chg")} {
		if _, err := tx.exec(ctx, `UPDATE stat_facts SET `+set+` WHERE `+where, args...); err != nil {
			return err
		}
	}
	return tx.sumsDelta(ctx, 1, "", where, args...)
}

// insertFacts inserts the facts of base b's records that cond selects,
// in the order given (ORDER BY columns of the fact, or empty).
func (tx *Tx) insertFacts(ctx context.Context, b ktgs.StatsBase, cond, order string, args ...any) error {
	bc, err := baseCode(b)
	if err != nil {
		return err
	}
	central, err := tx.RootIDs(ctx)
	if err != nil {
		return err
	}
	f := StatsFilter{Base: b, Central: central, build: cond}
	var q sqlBuf
	// Three layers: the fact, then u_top, then u_chg from it, then u_top2.
	q.s(`INSERT INTO stat_facts (base, d, k1, k2, scope_path, u_org, mark, acc_path, acc_mark, dims, ym, top, u_top, u_chg, u_top2)
		SELECT w.*, ` + tx.uTop2Expr("w.u_org", "w.u_chg") + ` FROM (SELECT z.*, ` + tx.uChgExpr("z.u_org", "z.d", "z.u_top") + ` AS u_chg
		FROM (SELECT y.*, ` + tx.topExpr("y.scope_path") + ` AS top, ` + tx.uTopExpr("y.u_org", "y.d") + ` AS u_top FROM (SELECT ` + bc + ` AS base, x.d AS d, x.k1 AS k1, x.k2 AS k2,
		COALESCE(x.u_path, '') AS scope_path, COALESCE(x.u_org, 0) AS u_org, x.u_mark AS mark, COALESCE(x.a_path, '') AS acc_path,
		x.a_mark AS acc_mark, ` + packExpr() + ` AS dims, ` + tx.ymExpr("x.d") + ` AS ym FROM (`)
	if err := f.base(&q); err != nil {
		return err
	}
	q.s(`) x) y) z) w`)
	if order != "" {
		q.s(" ORDER BY " + strings.ReplaceAll(order, "x.", "w."))
	}
	_, err = tx.exec(ctx, q.b.String(), append(q.args, args...)...)
	return err
}

// The hooks: each store writer that changes what a fact is made of calls
// one of these in its transaction.

// statsCase refreshes the facts of case id: its subjects in both case
// bases and its proceedings counted with it.
func (tx *Tx) statsCase(ctx context.Context, id int64) error {
	for _, b := range []ktgs.StatsBase{ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded} {
		if err := tx.refreshFacts(ctx, b, `SELECT CAST(? AS BIGINT)`, `c.id = ?`, id); err != nil {
			return err
		}
	}
	return tx.refreshFacts(ctx, ktgs.BaseCaseDisciplined, `SELECT p.id FROM proceedings p WHERE p.case_id = ?`, `p.case_id = ?`, id)
}

// statsProceeding refreshes the facts of proceeding id and of its
// complaints.
func (tx *Tx) statsProceeding(ctx context.Context, id int64) error {
	for _, b := range []ktgs.StatsBase{ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline} {
		if err := tx.refreshFacts(ctx, b, `SELECT CAST(? AS BIGINT)`, `p.id = ?`, id); err != nil {
			return err
		}
	}
	for _, b := range []ktgs.StatsBase{ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve} {
		if err := tx.refreshFacts(ctx, b, `SELECT k.id FROM complaints k WHERE k.proceeding_id = ?`, `k.proceeding_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// statsComplaint refreshes the facts of complaint id.
func (tx *Tx) statsComplaint(ctx context.Context, id int64) error {
	for _, b := range []ktgs.StatsBase{ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve} {
		if err := tx.refreshFacts(ctx, b, `SELECT CAST(? AS BIGINT)`, `k.id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// statsLetter refreshes the facts of letter id.
func (tx *Tx) statsLetter(ctx context.Context, id int64) error {
	for _, b := range []ktgs.StatsBase{ktgs.BaseLetterReceived, ktgs.BaseLetterResolved} {
		if err := tx.refreshFacts(ctx, b, `SELECT CAST(? AS BIGINT)`, `l.id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// statsMember refreshes the facts whose committee-member flag depends on
// member id's seats.
func (tx *Tx) statsMember(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	for _, b := range []ktgs.StatsBase{ktgs.BaseCaseDecided, ktgs.BaseCaseConcluded} {
		if err := tx.refreshFacts(ctx, b, `SELECT s2.case_id FROM case_subjects s2 WHERE s2.member_id = ?`,
			`c.id IN (SELECT s2.case_id FROM case_subjects s2 WHERE s2.member_id = ?)`, id); err != nil {
			return err
		}
	}
	for _, b := range []ktgs.StatsBase{ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline} {
		if err := tx.refreshFacts(ctx, b, `SELECT p.id FROM proceedings p WHERE p.member_id = ?`, `p.member_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// statsHolder refreshes the facts of the letters organisation id holds
// (their level follows the organisation's latest type).
func (tx *Tx) statsHolder(ctx context.Context, id int64) error {
	for _, b := range []ktgs.StatsBase{ktgs.BaseLetterReceived, ktgs.BaseLetterResolved} {
		if err := tx.refreshFacts(ctx, b, `SELECT l.id FROM letters l WHERE l.holder_org_id = ?`, `l.holder_org_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// statsRehome rewrites the scope paths of the facts as rehome did the
// records' (from → to, the subtree or exactly from), then refreshes the
// proceedings counted with their case now under to, whose second path
// is the proceeding's.
func (tx *Tx) statsRehome(ctx context.Context, from, to string, subtree bool) error {
	ft, tt := topOf(from), topOf(to)
	for _, b := range statBases {
		bc, _ := baseCode(b)
		where, args := `base = `+bc+` AND scope_path = ?`, []any{from}
		set, setArgs := `scope_path = ?`, []any{to}
		if subtree {
			where, args = `base = `+bc+` AND scope_path >= ? AND scope_path < ?`, []any{from, pathUpper(from)}
			set, setArgs = `scope_path = CAST(? AS TEXT) || substr(scope_path, ?)`, []any{to, len(from) + 1}
		}
		if b != ktgs.BaseCaseDisciplined {
			// acc_path is scope_path but for a proceeding counted with
			// its case (the proceeding's path: refreshed below).
			if subtree {
				set, setArgs = set+`, acc_path = CAST(? AS TEXT) || substr(scope_path, ?)`, append(setArgs, to, len(from)+1)
			} else {
				set, setArgs = set+`, acc_path = ?`, append(setArgs, to)
			}
		}
		if ft != tt {
			// The facts change unit under the root: move their sums.
			if err := tx.sumsDelta(ctx, -1, "", where, args...); err != nil {
				return err
			}
			if err := tx.sumsDelta(ctx, 1, strconv.FormatInt(tt, 10), where, args...); err != nil {
				return err
			}
			set += `, top = ` + strconv.FormatInt(tt, 10)
		}
		if _, err := tx.exec(ctx, `UPDATE stat_facts SET `+set+` WHERE `+where, append(setArgs, args...)...); err != nil {
			return err
		}
	}
	if subtree {
		return tx.refreshFacts(ctx, ktgs.BaseCaseDisciplined, `SELECT p.id FROM proceedings p WHERE p.scope_path >= ? AND p.scope_path < ?`,
			`p.scope_path >= ? AND p.scope_path < ?`, to, pathUpper(to))
	}
	return tx.refreshFacts(ctx, ktgs.BaseCaseDisciplined, `SELECT p.id FROM proceedings p WHERE p.scope_path = ?`, `p.scope_path = ?`, to)
}

// noJIT turns PostgreSQL's JIT compilation off for the rest of the
// transaction: a national count is costed high enough to be compiled,
// which takes longer than the query (0.8 s of a 60 ms query, EXPLAIN
// ANALYZE on the province dataset before the fast path).
func (tx *Tx) noJIT(ctx context.Context) error {
	if tx.db.engine != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, `SET LOCAL jit = off`)
	return err
}

// statsFactIndexes are stat_facts' secondary indexes (as migrations
// 0015_stats_summary, 0016_stats_unit_top and 0017_stats_top leave them), dropped
// during a rebuild.
var statsFactIndexes = map[string][]string{
	SQLite: {`CREATE INDEX stat_facts_key ON stat_facts (base, k1, k2)`, `CREATE INDEX stat_facts_scope ON stat_facts (base, scope_path, d)`,
		`CREATE INDEX stat_facts_org ON stat_facts (u_org)`, `CREATE INDEX stat_facts_dims ON stat_facts (base, dims, d)`,
		`CREATE INDEX stat_facts_utop ON stat_facts (base, u_top, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark)`,
		`CREATE INDEX stat_facts_utop2 ON stat_facts (base, u_top2, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark)`,
		`CREATE INDEX stat_facts_top ON stat_facts (base, top, d, k1, k2, dims, u_org, mark, scope_path, acc_path, acc_mark)`,
		`CREATE INDEX stat_facts_movers ON stat_facts (base, d, k1, k2, u_chg, dims, u_org, mark, scope_path, acc_path, acc_mark) WHERE u_top2 = -1 AND u_chg < '9999-12-31'`},
	Postgres: {`CREATE INDEX stat_facts_date ON stat_facts (base, d, k1, k2) INCLUDE (scope_path, u_org, mark, acc_path, acc_mark, dims, u_top, u_chg, u_top2)`,
		`CREATE INDEX stat_facts_scope ON stat_facts (base, scope_path, d)`, `CREATE INDEX stat_facts_org ON stat_facts (u_org)`,
		`CREATE INDEX stat_facts_dims ON stat_facts (base, dims, d)`,
		`CREATE INDEX stat_facts_utop ON stat_facts (base, u_top, d, k1, k2) INCLUDE (u_chg, dims, scope_path, u_org, mark, acc_path, acc_mark)`,
		`CREATE INDEX stat_facts_utop2 ON stat_facts (base, u_top2, d, k1, k2) INCLUDE (u_chg, dims, scope_path, u_org, mark, acc_path, acc_mark)`,
		`CREATE INDEX stat_facts_top ON stat_facts (base, top, d, k1, k2) INCLUDE (scope_path, u_org, mark, acc_path, acc_mark, dims)`,
		`CREATE INDEX stat_facts_movers ON stat_facts (base, d, k1, k2) INCLUDE (u_chg, dims, scope_path, u_org, mark, acc_path, acc_mark) WHERE u_top2 = -1 AND u_chg < '9999-12-31'`},
}

// RebuildStatFacts rewrites stat_facts from the records in one
// transaction and returns the number of facts: after a bulk load, when
// migration 0015 runs, and for operators (`ktgs stats rebuild`).
func (db *DB) RebuildStatFacts(ctx context.Context) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		for _, t := range []string{"stat_facts", "stat_sums", "stat_sums_y"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, ddl := range statsFactIndexes[db.engine] {
			name := strings.Fields(ddl)[2]
			if _, err := tx.exec(ctx, `DROP INDEX IF EXISTS `+name); err != nil {
				return err
			}
		}
		for _, b := range statBases {
			if err := tx.insertFacts(ctx, b, "1 = 1", "x.d, x.k1, x.k2"); err != nil {
				return err
			}
		}
		for _, ddl := range statsFactIndexes[db.engine] {
			if _, err := tx.exec(ctx, ddl); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO stat_sums (base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
			SELECT base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims, COUNT(*) FROM stat_facts GROUP BY base, ym, top, u_top, u_chg, u_top2, mark, acc_mark, dims`); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO stat_sums_y (base, y, top, u_top, u_chg, u_top2, mark, acc_mark, dims, n)
			SELECT base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims, SUM(n) FROM stat_sums GROUP BY base, ym / 12, top, u_top, u_chg, u_top2, mark, acc_mark, dims`); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM stat_facts`).Scan(&n)
	})
	if err != nil {
		return 0, err
	}
	if db.engine == Postgres {
		// Index-only scans need the visibility map; the planner, counts.
		for _, t := range []string{"stat_facts", "stat_sums", "stat_sums_y"} {
			if _, err := db.w.ExecContext(ctx, `VACUUM ANALYZE `+t); err != nil {
				return n, err
			}
		}
	}
	return n, nil
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

// StatsTop is a number of records sharing the unit under the root that
// their scope path lies in today (Top), the one their unit organisation
// lay in (UTop; −1: in several) and their dimensions.
type StatsTop struct {
	Top, UTop int64
	Dims      StatsDims
	N         int
}

// statsTopKey is a row of stat_sums (or of facts grouped alike).
type statsTopKey struct {
	top, uTop, uTop2 int64
	uChg             civil.Date
	dims             int64
}

// topsPart is one read of the national fast path: a FROM … WHERE
// clause over stat_sums (n: its count column) or stat_facts.
type topsPart struct {
	from, n string
	args    []any
}

// topsParts splits f's period into the reads of the national fast path:
// its whole years from stat_sums_y, its other whole months from
// stat_sums, the days before and after them from stat_facts, each
// restricted to f's base, marks and Match.
func (f *StatsFilter) topsParts() ([]topsPart, error) {
	bc, err := baseCode(f.Base)
	if err != nil {
		return nil, err
	}
	if len(f.Access) != 1 {
		return nil, fmt.Errorf("store: the national fast path needs one access entry")
	}
	marks := []string{"'THUONG'"}
	if f.Access[0].Max >= authz.Secret {
		marks = append(marks, "'MAT'")
	}
	if f.Access[0].Max >= authz.TopSecret {
		marks = append(marks, "'TOI_MAT'")
	}
	cond := sqlBuf{}
	cond.s(` AND x.mark IN (` + strings.Join(marks, ", ") + `) AND x.acc_mark IN (` + strings.Join(marks, ", ") + `)`)
	f.Match.where(&cond)
	markCond := cond.b.String()
	facts := func(from, to civil.Date) topsPart {
		return topsPart{`FROM stat_facts x WHERE x.base = ` + bc + ` AND x.d >= ? AND x.d <= ?` + markCond, "COUNT(*)", []any{from, to}}
	}
	// Whole months: [first, last] by month number.
	first, last := ym(f.From), ym(f.To)
	if f.From.Day() != 1 {
		first++
	}
	if f.To.AddDays(1).Day() != 1 {
		last--
	}
	if first > last {
		return []topsPart{facts(f.From, f.To)}, nil
	}
	parts := sumsParts(bc, markCond, first, last)
	monthStart := func(m int) civil.Date { return civil.New(m/12, time.Month(m%12+1), 1) }
	if start := monthStart(first); f.From.Before(start) {
		parts = append(parts, facts(f.From, start.AddDays(-1)))
	}
	if end := monthStart(last + 1).AddDays(-1); end.Before(f.To) {
		parts = append(parts, facts(end.AddDays(1), f.To))
	}
	return parts, nil
}

// sumsParts reads the whole months [first, last] (month numbers) from
// the sums: the whole years among them from stat_sums_y, the other months
// from stat_sums; cond is the rest of the WHERE clause of each.
func sumsParts(bc, cond string, first, last int) []topsPart {
	months := func(a, b int) topsPart {
		return topsPart{`FROM stat_sums x WHERE x.base = ` + bc + ` AND x.ym >= ? AND x.ym <= ?` + cond, "SUM(x.n)", []any{a, b}}
	}
	fy, ly := (first+11)/12, (last+1)/12-1 // the years whose twelve months all lie in the range
	if fy > ly {
		return []topsPart{months(first, last)}
	}
	parts := []topsPart{{`FROM stat_sums_y x WHERE x.base = ` + bc + ` AND x.y >= ? AND x.y <= ?` + cond, "SUM(x.n)", []any{fy, ly}}}
	if first < fy*12 {
		parts = append(parts, months(first, fy*12-1))
	}
	if ly*12+11 < last {
		parts = append(parts, months(ly*12+12, last))
	}
	return parts
}

// StatsHasMovers reports whether some of f's records lay, as of f.AsOf,
// in an organisation that had lain under several units under the root
// (StatsTop.UTop −1), as StatsTops would count them; f as for StatsTops.
func (tx *Tx) StatsHasMovers(ctx context.Context, f StatsFilter) (bool, error) {
	parts, err := f.topsParts()
	if err != nil {
		return false, err
	}
	if err := tx.noJIT(ctx); err != nil {
		return false, err
	}
	for _, p := range parts {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 `+p.from+` AND ((x.u_chg > ? AND x.u_top < 0) OR (x.u_chg <= ? AND x.u_top2 < 0)) LIMIT 1`,
			append(p.args, f.AsOf, f.AsOf)...).Scan(&one)
		if err == nil {
			return true, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
	}
	return false, nil
}

// StatsTops counts f's records by StatsTop: the national fast path. The
// period is read in the parts of topsParts (yearly sums, monthly sums,
// facts). f.Access must be the root's subtree
// with one maximum mark (the caller checks), so that marks are the only
// access condition; AsOf tells the views apart (zero: TODAY); Within,
// Columns and Orgs are not read.
func (tx *Tx) StatsTops(ctx context.Context, f StatsFilter) ([]StatsTop, error) {
	parts, err := f.topsParts()
	if err != nil {
		return nil, err
	}
	kinds := f.kindMatch()
	// TODAY reads the unit under the root today (top) only: grouping by
	// the others as well would sort many more groups for nothing.
	cols, group := `x.top, x.u_top, x.u_chg, x.u_top2, x.dims`, `x.top, x.u_top, x.u_chg, x.u_top2, x.dims`
	if f.AsOf.IsZero() {
		cols, group = `x.top, 0, MIN(x.u_chg), 0, x.dims`, `x.top, x.dims`
	}
	if err := tx.noJIT(ctx); err != nil {
		return nil, err
	}
	counts := map[statsTopKey]int{}
	for _, p := range parts {
		rows, err := tx.query(ctx, `SELECT `+cols+`, `+p.n+` `+p.from+` GROUP BY `+group, p.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k statsTopKey
			var n int
			if err := rows.Scan(&k.top, &k.uTop, &k.uChg, &k.uTop2, &k.dims, &n); err != nil {
				rows.Close()
				return nil, err
			}
			counts[k] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// The unit under the root as of AsOf: u_top before u_chg, u_top2
	// from it (TODAY reads Top only).
	sum := map[StatsTop]int{}
	for k, n := range counts {
		if n == 0 {
			continue
		}
		t := StatsTop{Top: k.top, UTop: k.uTop, Dims: unpack(k.dims)}
		if !f.AsOf.IsZero() && !f.AsOf.Before(k.uChg) {
			t.UTop = k.uTop2
		} else if f.AsOf.IsZero() {
			t.UTop = 0
		}
		if kinds.Matches(t.Dims) {
			sum[t] += n
		}
	}
	out := make([]StatsTop, 0, len(sum))
	for t, n := range sum {
		t.N = n
		out = append(out, t)
	}
	return out, nil
}

// StatsMoverGroups counts, like StatsGroups in the AS_THEN view, f's
// records whose unit organisation changed unit under the root more than
// once after the record (u_top2 −1, from u_chg on or before AsOf), which
// StatsTops cannot place.
func (tx *Tx) StatsMoverGroups(ctx context.Context, f StatsFilter) ([]StatsGroup, error) {
	f.Under, f.UTop, f.way, f.tops = nil, nil, wayMovers, nil
	return tx.statsGroups(ctx, f, wayMovers.index())
}
