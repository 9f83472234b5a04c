package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// Statistics: the standard indicators (ktgs.StatsIndicators) counted live
// for a unit's subtree and a period, with a drill-down list behind every
// cell. Reports, exports and dashboards read StatsReport; the numbers and
// the lists come from the same queries under the same access filter, so a
// cell's count is always the length of its list.
//
// Access. The actor needs stats:read on the unit. Records count where the
// actor may read them: within the subtrees of its scope where it has
// stats:read, and marked at most its clearance where it also has
// case:read (two-factor authentication included); elsewhere, and for
// roles without case:read (viewer, administrator), only unmarked
// (THUONG) records count. Totals therefore never include what the actor
// could not open.

// StatsQuery asks for a statistics report (or, with StatsDrill, for the
// records behind one of its cells).
type StatsQuery struct {
	// OrgID is the unit whose subtree is counted; 0 means the actor's
	// first scope unit.
	OrgID int64 `json:"org_id,omitempty"`
	// Period: MONTH, Q1, H1, M9 and YEAR need Year (and Month); CUSTOM
	// needs From and To; TERM takes TermID or the unit's committee term
	// running at the end of Year (or today).
	Period ktgs.Period `json:"period"`
	// Boundaries say where periods begin (calendar periods when zero).
	Boundaries ktgs.PeriodBoundaries `json:"boundaries"`
	View       ktgs.StatsView        `json:"view,omitempty"`       // TODAY when empty
	Breakdown  ktgs.StatsBreakdown   `json:"breakdown,omitempty"`  // NONE when empty
	Indicators []string              `json:"indicators,omitempty"` // every indicator when empty
	// After and Limit page a drill-down list: After is the Cursor of the
	// last item of the previous page; Limit 1–200, 50 by default.
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// StatsReport is a statistics table: rows of indicators by columns of
// units.
type StatsReport struct {
	// Query is the query with its defaults filled and its period resolved.
	Query StatsQuery `json:"query"`
	// Unit is the unit counted, as the view shows it.
	Unit StatsColumn `json:"unit"`
	// Columns: the total first; with BreakdownChildren, the unit's own
	// records (acting at the unit itself, or filed under it but under none
	// of its children) and one column per child unit.
	Columns []StatsColumn `json:"columns"`
	Rows    []StatsLine   `json:"rows"`
	Notices []StatsNotice `json:"notices,omitempty"`
	// UnmarkedOnly is true when only unmarked (THUONG) records were
	// counted: the actor may not read case data.
	UnmarkedOnly bool `json:"unmarked_only,omitempty"`
	// AsOf is the day whose tree places the units: today (TODAY) or the
	// period's last day (AS_THEN).
	AsOf        civil.Date `json:"as_of"`
	GeneratedAt time.Time  `json:"generated_at"`
}

// Column keys.
const (
	StatsColTotal = "total"
	StatsColOwn   = "own"
)

// StatsColumn is a column of a report: the total, the unit's own records,
// or a child unit.
type StatsColumn struct {
	Key   string       `json:"key"` // "total", "own" or "org:ID"
	OrgID int64        `json:"org_id,omitempty"`
	Code  string       `json:"code,omitempty"`
	Name  string       `json:"name,omitempty"`
	Type  ktgs.OrgType `json:"type,omitempty"`
	Born  civil.Date   `json:"born,omitempty"`
	Ended civil.Date   `json:"ended,omitempty"`
	// NA marks a unit that did not exist in the period (AS_THEN): its
	// cells are not applicable, not zero.
	NA bool `json:"na,omitempty"`
}

// StatsLine is a row of a report with its cells, in column order.
type StatsLine struct {
	ktgs.StatsRow
	// Available is false for an indicator KTGS holds no records for: its
	// cells are not applicable.
	Available bool        `json:"available"`
	Cells     []StatsCell `json:"cells"`
}

// StatsCell is one number and the key that lists the records behind it.
type StatsCell struct {
	Count int    `json:"count"`
	NA    bool   `json:"na,omitempty"`
	Key   string `json:"key,omitempty"` // row key "@" column key; empty when NA
}

// StatsNotice is something a reader of the report must know: a unit that
// did not exist in the period, a unit formed or ended during it, counts
// limited to unmarked records, an indicator without records.
type StatsNotice struct {
	Column    string `json:"column,omitempty"`    // the column concerned, or "" for the report
	Indicator string `json:"indicator,omitempty"` // the indicator concerned, or ""
	Key       string `json:"key"`
	Args      []any  `json:"args,omitempty"`
}

// StatsItem is one record behind a cell: a case subject, a proceeding, a
// letter or a complaint.
type StatsItem struct {
	Kind    string     `json:"kind"` // case, proceeding, letter, complaint
	ID      int64      `json:"id"`
	Seq     int        `json:"seq,omitempty"` // the subject's number in the case
	Code    string     `json:"code"`
	Link    string     `json:"link"`
	Name    string     `json:"name"` // the subject, the complainant, or the letter's title
	Date    civil.Date `json:"date"` // the date that places it in the period
	OrgID   int64      `json:"org_id"`
	OrgName string     `json:"org_name"`
	Mark    authz.Mark `json:"-"`
	Cursor  string     `json:"cursor"`
}

// statsInListMax is the largest set of unit organisations an AS_THEN
// drill-down sends to the database; larger sets are filtered while
// reading.
var statsInListMax = 1000

// Stats computes the report asked for.
//
// Returns EINVALID with field errors for a bad period (period.to:
// err.stats.period_order when it ends before it starts), view, breakdown
// or indicator (indicators: err.stats.indicator_unknown); EFORBIDDEN
// (err.stats.scope) for a unit outside the actor's scope; ENOTFOUND for a
// unit that does not exist. A unit that did not exist in the period
// (AS_THEN) is reported with NA cells and a notice, not zeros.
func (s *Service) Stats(ctx context.Context, q StatsQuery) (*StatsReport, error) {
	inds, err := normaliseStats(&q)
	if err != nil {
		return nil, err
	}
	var rep *StatsReport
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		sc, err := s.statsScope(ctx, tx, &q)
		if err != nil {
			return err
		}
		rep, err = sc.report(ctx, tx, inds)
		return err
	})
	return rep, err
}

// StatsCell reports the one row of the report q asks for that holds cell
// (a StatsCell.Key): its counts in every column, with the columns and the
// notices of the full report. A drill-down page needs this much for its
// count and labels, and reads only the base of that row — a funnel
// indicator's full report reads four.
func (s *Service) StatsCell(ctx context.Context, q StatsQuery, cell string) (*StatsReport, error) {
	ind, row, _, err := statsCellOf(&q, cell)
	if err != nil {
		return nil, err
	}
	var rep *StatsReport
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		sc, err := s.statsScope(ctx, tx, &q)
		if err != nil {
			return err
		}
		rep, err = sc.rowReport(ctx, tx, ind, row)
		return err
	})
	return rep, err
}

// statsCellOf reads cell (a StatsCell.Key) into its row, the row's
// indicator and the column key, and narrows q to that indicator.
func statsCellOf(q *StatsQuery, cell string) (ktgs.StatsIndicator, ktgs.StatsRow, string, error) {
	rowKey, colKey, ok := strings.Cut(cell, "@")
	if cell == "" {
		return ktgs.StatsIndicator{}, ktgs.StatsRow{}, "", ktgs.Invalid("cell", "err.required")
	} else if !ok {
		return ktgs.StatsIndicator{}, ktgs.StatsRow{}, "", ktgs.Invalid("cell", "err.stats.cell_unknown")
	}
	ind, row, ok := statsRowOf(rowKey)
	if !ok {
		return ktgs.StatsIndicator{}, ktgs.StatsRow{}, "", ktgs.Invalid("cell", "err.stats.cell_unknown")
	}
	q.Indicators = []string{ind.ID}
	if _, err := normaliseStats(q); err != nil {
		return ktgs.StatsIndicator{}, ktgs.StatsRow{}, "", err
	}
	return ind, row, colKey, nil
}

// rowReport reports only row (of indicator ind), reading only its base.
func (sc *statsScope) rowReport(ctx context.Context, tx *store.Tx, ind ktgs.StatsIndicator, row ktgs.StatsRow) (*StatsReport, error) {
	sc.row, sc.rowDims = row.Key, statsMatch(ind, row)
	return sc.report(ctx, tx, []ktgs.StatsIndicator{ind})
}

// statsRowOf finds the row keyed rowKey and its indicator.
func statsRowOf(rowKey string) (ktgs.StatsIndicator, ktgs.StatsRow, bool) {
	for _, ind := range ktgs.StatsIndicators {
		for _, r := range ind.Rows() {
			if r.Key == rowKey {
				return ind, r, true
			}
		}
	}
	return ktgs.StatsIndicator{}, ktgs.StatsRow{}, false
}

// StatsDrill lists the records behind cell (a StatsCell.Key of the report
// q asks for), newest first, one page at a time; the bool says whether
// more follow. The full list has exactly the cell's count of items.
func (s *Service) StatsDrill(ctx context.Context, q StatsQuery, cell string) ([]StatsItem, bool, error) {
	inds, err := normaliseStats(&q)
	if err != nil {
		return nil, false, err
	}
	rowKey, colKey, ok := strings.Cut(cell, "@")
	if !ok {
		return nil, false, ktgs.Invalid("cell", "err.stats.cell_unknown")
	}
	after, err := parseStatsCursor(q.After)
	if err != nil {
		return nil, false, err
	}
	var ind ktgs.StatsIndicator
	var row *ktgs.StatsRow
	for _, in := range inds {
		for _, r := range in.Rows() {
			if r.Key == rowKey {
				ind, row = in, &r
			}
		}
	}
	var items []StatsItem
	var more bool
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		sc, err := s.statsScope(ctx, tx, &q)
		if err != nil {
			return err
		}
		if row == nil {
			return ktgs.Invalid("cell", "err.stats.cell_unknown")
		}
		items, more, err = sc.drill(ctx, tx, ind, *row, colKey, after)
		return err
	})
	return items, more, err
}

// StatsDrillPage reads what a drill-down page shows: the row of the
// report that holds cell, as StatsCell does, and one page of the cell's
// list, as StatsDrill does. The scope (access, unit, period, columns) is
// worked out once, and the two reads then run side by side, each in its
// own read transaction, so the page costs the scope and the slower read.
func (s *Service) StatsDrillPage(ctx context.Context, q StatsQuery, cell string) (*StatsReport, []StatsItem, bool, error) {
	ind, row, colKey, err := statsCellOf(&q, cell)
	if err != nil {
		return nil, nil, false, err
	}
	after, err := parseStatsCursor(q.After)
	if err != nil {
		return nil, nil, false, err
	}
	var sc *statsScope
	if err := s.DB.View(ctx, func(tx *store.Tx) error {
		sc, err = s.statsScope(ctx, tx, &q)
		return err
	}); err != nil {
		return nil, nil, false, err
	}
	var (
		items   []StatsItem
		more    bool
		listErr error
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		listErr = s.DB.View(ctx, func(tx *store.Tx) error {
			var err error
			items, more, err = sc.clone().drill(ctx, tx, ind, row, colKey, after)
			return err
		})
	}()
	var rep *StatsReport
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		rep, err = sc.clone().rowReport(ctx, tx, ind, row)
		return err
	})
	<-done
	if listErr != nil {
		return nil, nil, false, listErr
	}
	if err != nil {
		return nil, nil, false, err
	}
	return rep, items, more, nil
}

// clone copies the scope for a read of its own: report adds columns and
// notices as it meets children that ended before the period.
func (sc *statsScope) clone() *statsScope {
	c := *sc
	q := *sc.q
	c.q = &q
	c.cols, c.paths, c.notices = slices.Clone(sc.cols), slices.Clone(sc.paths), slices.Clone(sc.notices)
	c.colOf = maps.Clone(sc.colOf)
	return &c
}

// drill lists one page of the records behind the cell of row (of
// indicator ind) in the column keyed colKey, after the cursor.
func (sc *statsScope) drill(ctx context.Context, tx *store.Tx, ind ktgs.StatsIndicator, row ktgs.StatsRow, colKey string, after store.StatsCursor) ([]StatsItem, bool, error) {
	col, child, ok := sc.drillColumn(colKey)
	if !ok {
		return nil, false, ktgs.Invalid("cell", "err.stats.cell_unknown")
	}
	if sc.na || !ind.Available() || sc.cols[col].NA {
		return nil, false, nil
	}
	base := ind.Base(row.Stage)
	f := sc.filter(base, ind.CaseKinds)
	sel := store.StatsSelect{Match: statsMatch(ind, row), Unit: -1, After: after, Limit: sc.q.Limit}
	if sc.asThen && sc.national() && (child >= 0 || col == 0) {
		// The records of one unit under the root (child 0: the
		// root's own), unless some of the row's lay under several.
		rf := f
		rf.Match = sel.Match
		movers, err := tx.StatsHasMovers(ctx, rf)
		if err != nil {
			return nil, false, err
		}
		if !movers {
			if child >= 0 {
				sel.UTop = []int64{child}
			}
			recs, more, err := tx.StatsRecords(ctx, f, sel)
			if err != nil {
				return nil, false, err
			}
			items, err := sc.items(ctx, tx, recs)
			return items, more, err
		}
	}
	if sc.asThen {
		groups, err := tx.StatsGroups(ctx, f)
		if err != nil {
			return nil, false, err
		}
		keep := map[int64]bool{}
		for _, g := range groups {
			if c, ok := sc.childOf(g.Path); ok && (child < 0 || c == child) && sel.Match.Matches(g.Dims) {
				keep[g.OrgID] = true
			}
		}
		if len(keep) == 0 {
			return nil, false, nil
		}
		if len(keep) <= statsInListMax {
			sel.OrgIn = make([]int64, 0, len(keep))
			for id := range keep {
				sel.OrgIn = append(sel.OrgIn, id)
			}
			slices.Sort(sel.OrgIn)
		} else {
			sel.Keep = func(id int64) bool { return keep[id] }
		}
	} else if col > 0 {
		sel.Unit = col - 1
	}
	recs, more, err := tx.StatsRecords(ctx, f, sel)
	if err != nil {
		return nil, false, err
	}
	items, err := sc.items(ctx, tx, recs)
	return items, more, err
}

// normaliseStats fills the defaults of q, checks what needs no database
// and resolves a calendar period; it returns the indicators asked for.
func normaliseStats(q *StatsQuery) ([]ktgs.StatsIndicator, error) {
	if q.View == "" {
		q.View = ktgs.ViewToday
	}
	if q.Breakdown == "" {
		q.Breakdown = ktgs.BreakdownNone
	}
	var v ktgs.Validation
	if !q.View.Valid() {
		v.Add("view", "err.stats.view", string(q.View))
	}
	if !q.Breakdown.Valid() {
		v.Add("breakdown", "err.stats.breakdown", string(q.Breakdown))
	}
	var inds []ktgs.StatsIndicator
	if len(q.Indicators) == 0 {
		inds = ktgs.StatsIndicators
	}
	for _, id := range q.Indicators {
		ind, ok := ktgs.StatsIndicatorByID(id)
		if !ok {
			v.Add("indicators", "err.stats.indicator_unknown", id)
			continue
		}
		if !slices.ContainsFunc(inds, func(x ktgs.StatsIndicator) bool { return x.ID == id }) {
			inds = append(inds, ind)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if q.Period.Kind != ktgs.PeriodTerm {
		p, err := q.Boundaries.Resolve(q.Period)
		if err != nil {
			return nil, err
		}
		q.Period = p
	}
	return inds, nil
}

// statsScope is everything a report or a drill-down needs to know before
// counting: what the actor may read, the unit as the view shows it, the
// period and the columns.
type statsScope struct {
	q       *StatsQuery
	now     time.Time
	today   civil.Date
	asOf    civil.Date
	asThen  bool
	access  []store.StatsAccess
	marked  bool // some records above THUONG may count
	central []int64
	unit    *ktgs.Org
	na      bool // AS_THEN: the unit did not exist in the period
	cols    []StatsColumn
	paths   []string      // TODAY: the child columns' paths (cols[2:])
	colOf   map[int64]int // AS_THEN: child org → column
	under   []string      // AS_THEN: the pre-filter, the unit's paths (nil: none)
	utops   []int64       // AS_THEN: the units under the root the unit's paths name
	notices []StatsNotice
	row     string           // report only the row with this key (StatsCell)
	rowDims store.StatsMatch // and read only the records of that row
}

func (s *Service) statsScope(ctx context.Context, tx *store.Tx, q *StatsQuery) (*statsScope, error) {
	sc := &statsScope{q: q, now: s.now(), today: s.Today(), asThen: q.View == ktgs.ViewAsThen, colOf: map[int64]int{}}
	var err error
	if sc.access, sc.marked, err = s.statsAccess(ctx, tx); err != nil {
		return nil, err
	}
	if sc.central, err = tx.RootIDs(ctx); err != nil {
		return nil, err
	}
	id := q.OrgID
	if id == 0 {
		if id, err = s.defaultStatsUnit(ctx, tx, sc.asThen); err != nil {
			return nil, err
		}
		q.OrgID = id
	}
	hist, err := tx.OrgHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "org")
	}
	if !isSystem(ctx) {
		obj, err := s.OrgObject(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := s.Authorize(ctx, authz.StatsRead, obj); err != nil {
			if e := ktgs.AsError(err); e != nil && e.Code == ktgs.ENOTFOUND {
				return nil, &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.stats.scope"}
			}
			return nil, err
		}
	}
	if q.Period.Kind == ktgs.PeriodTerm {
		if err := s.statsTerm(ctx, tx, q, hist[len(hist)-1]); err != nil {
			return nil, err
		}
	}
	last := hist[len(hist)-1]
	if !sc.asThen {
		sc.asOf = sc.today
		if !last.Current() {
			return nil, ktgs.Invalid("org_id", "err.stats.org_ended", last.Name, last.Ended.VN())
		}
		sc.unit = last
		if last.Born.After(q.Period.To) {
			sc.notice("", "stats.notice.formed_after", last.Name, last.Born.VN())
		}
	} else {
		sc.asOf = q.Period.To
		sc.unit = hist[0]
		existed := false
		for _, v := range hist {
			if !v.ValidFrom.After(q.Period.To) {
				sc.unit = v
			}
			if !v.ValidFrom.After(q.Period.To) && v.ValidTo.After(q.Period.From) {
				existed = true
			}
		}
		switch {
		case !existed:
			sc.na = true
			sc.notice("", "stats.notice.not_existing", sc.unit.Name, sc.unit.Born.VN(), endedVN(sc.unit.Ended))
		case !sc.unit.Ended.IsForever() && !sc.unit.Ended.After(q.Period.To):
			sc.notice("", "stats.notice.ended", sc.unit.Name, sc.unit.Ended.VN())
		}
	}
	sc.cols = []StatsColumn{{Key: StatsColTotal, NA: sc.na}}
	if q.Breakdown == ktgs.BreakdownChildren {
		sc.cols = append(sc.cols, StatsColumn{Key: StatsColOwn, OrgID: sc.unit.ID, Code: sc.unit.Code, Name: sc.unit.Name, NA: sc.na})
		var kids []*ktgs.Org
		if sc.asThen {
			if !sc.na {
				kids, err = tx.StatsChildrenDuring(ctx, sc.unit.ID, q.Period.From, q.Period.To)
			}
		} else {
			kids, err = tx.Children(ctx, sc.unit.ID, sc.today)
		}
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			sc.addColumn(k)
		}
	}
	// A unit below the root reads the records that lay, as of the
	// period's end, under the units under the root its paths name (a
	// province: itself) by the unit-top indexes. The pre-filter narrows a
	// unit below a province further; everything lies under a root, so a
	// root's would list every organisation in vain.
	if sc.asThen && !sc.na && len(sc.central) == 1 && sc.unit.ID != sc.central[0] {
		for _, v := range hist {
			ids := store.PathIDs(v.Path)
			if len(ids) < 2 || ids[0] != sc.central[0] {
				sc.utops = nil
				break
			}
			if !slices.Contains(sc.utops, ids[1]) {
				sc.utops = append(sc.utops, ids[1])
			}
		}
		if sc.utops != nil {
			slices.Sort(sc.utops)
			statsUnitTopScopes.Add(1)
		}
	}
	if ids := store.PathIDs(sc.unit.Path); sc.asThen && !sc.na && !slices.Contains(sc.central, sc.unit.ID) && (sc.utops == nil || len(ids) > 2) {
		for _, v := range hist {
			if !slices.Contains(sc.under, v.Path) {
				sc.under = append(sc.under, v.Path)
			}
		}
		slices.Sort(sc.under)
	}
	if !sc.marked {
		sc.notice("", "stats.notice.unmarked_only")
	}
	return sc, nil
}

func endedVN(d civil.Date) string {
	if d.IsForever() {
		return ""
	}
	return d.VN()
}

func (sc *statsScope) notice(col, key string, args ...any) {
	sc.notices = append(sc.notices, StatsNotice{Column: col, Key: key, Args: args})
}

// addColumn adds the column of child unit o and says what a reader must
// know about it.
func (sc *statsScope) addColumn(o *ktgs.Org) int {
	c := StatsColumn{Key: "org:" + strconv.FormatInt(o.ID, 10), OrgID: o.ID, Code: o.Code, Name: o.Name, Type: o.Type, Born: o.Born}
	if !o.Ended.IsForever() {
		c.Ended = o.Ended
	}
	p := sc.q.Period
	if sc.asThen {
		if !c.Ended.IsZero() && !c.Ended.After(p.To) {
			sc.notice(c.Key, "stats.notice.ended", o.Name, o.Ended.VN())
		}
		sc.colOf[o.ID] = len(sc.cols)
	} else {
		if o.Born.After(p.To) {
			sc.notice(c.Key, "stats.notice.formed_after", o.Name, o.Born.VN())
		}
		sc.paths = append(sc.paths, o.Path)
	}
	sc.cols = append(sc.cols, c)
	return len(sc.cols) - 1
}

// column returns the index of the column with key, or -1.
func (sc *statsScope) column(key string) int {
	for i, c := range sc.cols {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// drillColumn reads a column key: the column's index (0 for a child
// column the report added for a unit that ended before the period) and,
// in the AS_THEN view, the child whose records it holds (-1: every unit
// of the subtree, 0: the unit's own records).
func (sc *statsScope) drillColumn(key string) (int, int64, bool) {
	if col := sc.column(key); col >= 0 {
		child := int64(-1)
		if col > 0 {
			child = sc.cols[col].OrgID
			if key == StatsColOwn {
				child = 0
			}
		}
		return col, child, true
	}
	if !sc.asThen || sc.q.Breakdown != ktgs.BreakdownChildren || !strings.HasPrefix(key, "org:") {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(key, "org:"), 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, false
	}
	return 0, id, true
}

// place files a unit whose path (as of the period's end) is path in the
// AS_THEN view: the column of the unit's own records (1) or of the child
// it lies under; 0 (the total only) without breakdown or while the child
// has no column yet (report adds one); false outside the unit's subtree.
func (sc *statsScope) place(path string) (int, bool) {
	child, ok := sc.childOf(path)
	if !ok {
		return 0, false
	}
	if sc.q.Breakdown != ktgs.BreakdownChildren {
		return 0, true
	}
	if child == 0 {
		return 1, true
	}
	if c, ok := sc.colOf[child]; ok {
		return c, true
	}
	return 0, true
}

// childOf returns the child of the unit that path lies under (0 for the
// unit itself), by the ids on the path: a unit that moved or ended stays
// under the units its path names.
func (sc *statsScope) childOf(path string) (int64, bool) {
	ids := store.PathIDs(path)
	for i, id := range ids {
		if id == sc.unit.ID {
			if i == len(ids)-1 {
				return 0, true
			}
			return ids[i+1], true
		}
	}
	return 0, false
}

// filter is the store filter of one base for this scope.
func (sc *statsScope) filter(base ktgs.StatsBase, kinds []ktgs.CaseKind) store.StatsFilter {
	f := store.StatsFilter{Base: base, From: sc.q.Period.From, To: sc.q.Period.To, Access: sc.access, Central: sc.central, CaseKinds: kinds,
		Match: sc.rowDims}
	if sc.asThen {
		f.AsOf, f.Under, f.UTop = sc.q.Period.To, sc.under, sc.utops
	} else {
		f.Within, f.Columns = sc.unit.Path, sc.paths
	}
	return f
}

// statsAccess returns the subtrees where the actor may read statistics,
// each with the highest mark counted there, and whether any is above
// THUONG.
func (s *Service) statsAccess(ctx context.Context, tx *store.Tx) ([]store.StatsAccess, bool, error) {
	paths, _, err := s.readablePaths(ctx, tx, authz.StatsRead, 0)
	if err != nil {
		return nil, false, err
	}
	cases, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, 0)
	if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EFORBIDDEN {
		cases, err = nil, nil
	}
	if err != nil {
		return nil, false, err
	}
	var acc []store.StatsAccess
	for _, p := range paths {
		acc = append(acc, store.StatsAccess{Path: p, Max: authz.Normal})
	}
	for _, c := range cases {
		for _, p := range paths {
			switch {
			case strings.HasPrefix(c, p):
				acc = append(acc, store.StatsAccess{Path: c, Max: mark})
			case strings.HasPrefix(p, c):
				acc = append(acc, store.StatsAccess{Path: p, Max: mark})
			}
		}
	}
	// Drop an entry that another, as wide and cleared as high, covers.
	var out []store.StatsAccess
	marked := false
	for i, a := range acc {
		covered := false
		for j, b := range acc {
			if i != j && strings.HasPrefix(a.Path, b.Path) && b.Max >= a.Max && (len(b.Path) < len(a.Path) || b.Max > a.Max || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, a)
			marked = marked || a.Max > authz.Normal
		}
	}
	return out, marked, nil
}

// defaultStatsUnit is the actor's first scope unit (the root for the
// system); in the TODAY view a unit that ended gives way to its primary
// successor.
func (s *Service) defaultStatsUnit(ctx context.Context, tx *store.Tx, asThen bool) (int64, error) {
	var id int64
	if isSystem(ctx) {
		roots, err := tx.RootIDs(ctx)
		if err != nil {
			return 0, err
		}
		if len(roots) == 0 {
			return 0, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "org")
		}
		id = roots[0]
	} else if a := ActorFrom(ctx); a == nil {
		return 0, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	} else if len(a.Scope) == 0 {
		return 0, &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.stats.scope"}
	} else {
		id = a.Scope[0]
	}
	if asThen {
		return id, nil
	}
	succ, err := s.CurrentSuccessors(ctx, tx, id, s.Today())
	if err != nil {
		return 0, err
	}
	if len(succ) > 0 {
		id = succ[0].ID
	}
	return id, nil
}

// statsTerm resolves a TERM period: the term named, or the unit's
// committee term running at the end of the period's year (today without a
// year). A term still running ends today.
func (s *Service) statsTerm(ctx context.Context, tx *store.Tx, q *StatsQuery, unit *ktgs.Org) error {
	var t *ktgs.Term
	var err error
	if q.Period.TermID != 0 {
		if t, err = tx.Term(ctx, q.Period.TermID); notFound(err) {
			return ktgs.Invalid("period.term_id", "err.stats.term_not_found")
		} else if err != nil {
			return err
		}
	} else {
		on := s.Today()
		if q.Period.Year != 0 {
			on = civil.Min(civil.New(q.Period.Year, 12, 31), on)
		}
		for _, k := range []ktgs.BodyKind{ktgs.BodyCommittee, ktgs.BodyBranch} {
			b, err := tx.BodyByKind(ctx, unit.ID, k)
			if notFound(err) {
				continue
			} else if err != nil {
				return err
			}
			if t, err = tx.TermOn(ctx, b.ID, on); notFound(err) {
				t = nil
				continue
			} else if err != nil {
				return err
			}
			break
		}
		if t == nil {
			return ktgs.Invalid("period.term_id", "err.stats.term_none", unit.Name, on.VN())
		}
	}
	q.Period.TermID, q.Period.TermName, q.Period.From, q.Period.To = t.ID, t.Name, t.Start, t.End
	if t.End.IsForever() || t.End.After(s.Today()) {
		q.Period.To = civil.Max(s.Today(), t.Start)
	}
	p, err := q.Boundaries.Resolve(q.Period)
	if err != nil {
		return err
	}
	q.Period = p
	return nil
}

// statsMatch is the dimension filter of a row of indicator ind.
func statsMatch(ind ktgs.StatsIndicator, r ktgs.StatsRow) store.StatsMatch {
	m := store.StatsMatch{Subject: r.Subject, Committee: r.Committee, Form: r.Form, Cause: r.Cause, Level: r.Level, Outcome: r.Outcome}
	switch ind.Source {
	case ktgs.SourceCases:
		m.CaseKinds, m.Groups, m.Flag = ind.CaseKinds, ind.Groups, ktgs.StageFlag(r.Stage)
	case ktgs.SourceDiscipline:
		if r.Group != "" {
			m.Groups = []ktgs.StatsBodyGroup{r.Group}
		}
	}
	return m
}

// cellKey keys the records of the AS_THEN groups once filed in columns.
type cellKey struct {
	base ktgs.StatsBase
	col  int
	dims store.StatsDims
}

// report counts every row of inds in every column.
func (sc *statsScope) report(ctx context.Context, tx *store.Tx, inds []ktgs.StatsIndicator) (*StatsReport, error) {
	rep := &StatsReport{Query: *sc.q, Unit: StatsColumn{Key: StatsColTotal, OrgID: sc.unit.ID, Code: sc.unit.Code, Name: sc.unit.Name,
		Type: sc.unit.Type, Born: sc.unit.Born, NA: sc.na}, UnmarkedOnly: !sc.marked, AsOf: sc.asOf, GeneratedAt: sc.now}
	if !sc.unit.Ended.IsForever() {
		rep.Unit.Ended = sc.unit.Ended
	}
	// The bases to read, with the case kinds their indicators count.
	kinds := map[ktgs.StatsBase][]ktgs.CaseKind{}
	var bases []ktgs.StatsBase
	for _, ind := range inds {
		for _, r := range ind.Rows() {
			b := ind.Base(r.Stage)
			if b == "" || (sc.row != "" && r.Key != sc.row) {
				continue
			}
			if _, ok := kinds[b]; !ok {
				bases = append(bases, b)
				kinds[b] = nil
			}
			for _, k := range ind.CaseKinds {
				if !slices.Contains(kinds[b], k) {
					kinds[b] = append(kinds[b], k)
				}
			}
		}
	}
	counts := map[cellKey]int{}
	if !sc.na {
		var pending []store.StatsGroup
		var pendingBase []ktgs.StatsBase
		for _, b := range bases {
			var groups []store.StatsGroup
			var err error
			if sc.national() {
				groups, err = sc.topGroups(ctx, tx, b, kinds[b])
			} else {
				groups, err = tx.StatsGroups(ctx, sc.filter(b, kinds[b]))
			}
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				if !sc.asThen {
					col := 0
					if sc.q.Breakdown == ktgs.BreakdownChildren {
						col = g.Unit + 1
					}
					counts[cellKey{b, col, g.Dims}] += g.N
					continue
				}
				if sc.q.Breakdown == ktgs.BreakdownChildren {
					if child, ok := sc.childOf(g.Path); ok && child != 0 {
						if _, known := sc.colOf[child]; !known {
							pending, pendingBase = append(pending, g), append(pendingBase, b)
							continue
						}
					}
				}
				if col, ok := sc.place(g.Path); ok {
					counts[cellKey{b, col, g.Dims}] += g.N
				}
			}
		}
		// Children that ended before the period began can still hold
		// records dated in it (a case concluded after its unit merged):
		// they get a column of their own, as they stood when they ended.
		if len(pending) > 0 {
			var ids []int64
			for _, g := range pending {
				child, _ := sc.childOf(g.Path)
				if !slices.Contains(ids, child) {
					ids = append(ids, child)
				}
			}
			slices.Sort(ids)
			orgs, err := tx.StatsOrgsAsOf(ctx, ids, sc.q.Period.To)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				if o := orgs[id]; o != nil {
					sc.addColumn(o)
				}
			}
			for i, g := range pending {
				if col, ok := sc.place(g.Path); ok {
					counts[cellKey{pendingBase[i], col, g.Dims}] += g.N
				}
			}
		}
	}
	rep.Columns = sc.cols
	// The counts by base and dimensions, a number per column: a row
	// tests each distinct dimension set once, not once per column.
	byBase := map[ktgs.StatsBase]map[store.StatsDims][]int{}
	for k, n := range counts {
		m := byBase[k.base]
		if m == nil {
			m = map[store.StatsDims][]int{}
			byBase[k.base] = m
		}
		v := m[k.dims]
		if v == nil {
			v = make([]int, len(sc.cols))
			m[k.dims] = v
		}
		v[0] += n
		if k.col > 0 {
			v[k.col] += n
		}
	}
	for _, ind := range inds {
		if !ind.Available() {
			sc.notices = append(sc.notices, StatsNotice{Indicator: ind.ID, Key: "stats.notice.unavailable"})
		}
		for _, r := range ind.Rows() {
			if sc.row != "" && r.Key != sc.row {
				continue
			}
			line := StatsLine{StatsRow: r, Available: ind.Available(), Cells: make([]StatsCell, len(sc.cols))}
			m, base := statsMatch(ind, r), ind.Base(r.Stage)
			for dims, v := range byBase[base] {
				if m.Matches(dims) {
					for i, n := range v {
						line.Cells[i].Count += n
					}
				}
			}
			for i, c := range sc.cols {
				if c.NA || !line.Available {
					line.Cells[i] = StatsCell{NA: true}
				} else {
					line.Cells[i].Key = r.Key + "@" + c.Key
				}
			}
			rep.Rows = append(rep.Rows, line)
		}
	}
	rep.Notices = sc.notices
	return rep, nil
}

// statsNationalCounts counts the bases counted by the national fast
// path, so the recount test can tell that it was exercised.
var statsNationalCounts atomic.Int64

// statsUnitTopScopes counts the AS_THEN reports and lists of a unit
// below the root (read by the unit-top indexes), so the recount test can
// tell that they were exercised.
var statsUnitTopScopes atomic.Int64

// national reports whether the national fast path answers: the unit is
// the only root, and the actor reads its whole subtree with one
// clearance, so counts by the units under the root (stat_sums) and marks
// are all a report needs.
func (sc *statsScope) national() bool {
	return !sc.na && len(sc.central) == 1 && sc.unit.ID == sc.central[0] && len(sc.access) == 1 && sc.access[0].Path == sc.unit.Path
}

// topGroups counts base b by the units under the root (store.StatsTops)
// as StatsGroups of the view: TODAY, the column of the unit under the
// root today; AS_THEN, a path naming the unit under the root that the
// unit organisation lay in, which place and childOf read like any other.
// Records of organisations that lay under several (moved across them)
// are counted by organisation as the engine does.
func (sc *statsScope) topGroups(ctx context.Context, tx *store.Tx, b ktgs.StatsBase, kinds []ktgs.CaseKind) ([]store.StatsGroup, error) {
	statsNationalCounts.Add(1)
	f := sc.filter(b, kinds)
	tops, err := tx.StatsTops(ctx, f)
	if err != nil {
		return nil, err
	}
	colOfTop := map[int64]int{}
	for i, c := range sc.cols {
		if i >= 2 {
			colOfTop[c.OrgID] = i - 1 // the unit number of StatsGroup
		}
	}
	movers := false
	var out []store.StatsGroup
	for _, t := range tops {
		if !sc.asThen {
			out = append(out, store.StatsGroup{Unit: colOfTop[t.Top], Dims: t.Dims, N: t.N})
			continue
		}
		if t.UTop < 0 {
			movers = true
			continue
		}
		path := sc.unit.Path
		if t.UTop > 0 {
			path += strconv.FormatInt(t.UTop, 10) + "/"
		}
		out = append(out, store.StatsGroup{OrgID: t.UTop, Path: path, Dims: t.Dims, N: t.N})
	}
	if movers {
		g, err := tx.StatsMoverGroups(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, g...)
	}
	return out, nil
}

// items turns records into list items with their units' names.
func (sc *statsScope) items(ctx context.Context, tx *store.Tx, recs []store.StatsRecord) ([]StatsItem, error) {
	var ids []int64
	for _, r := range recs {
		if !slices.Contains(ids, r.OrgID) {
			ids = append(ids, r.OrgID)
		}
	}
	orgs, err := tx.StatsOrgsAsOf(ctx, ids, sc.asOf)
	if err != nil {
		return nil, err
	}
	out := make([]StatsItem, len(recs))
	for i, r := range recs {
		kind, link := "case", "/cases/"
		switch r.Base {
		case ktgs.BaseCaseDisciplined, ktgs.BaseDiscipline:
			kind, link = "proceeding", "/proceedings/"
		case ktgs.BaseLetterReceived, ktgs.BaseLetterResolved:
			kind, link = "letter", "/letters/"
		case ktgs.BaseComplaintFiled, ktgs.BaseComplaintResolve:
			kind, link = "complaint", "/complaints/"
		}
		it := StatsItem{Kind: kind, ID: r.ID, Seq: r.Seq, Code: r.Code, Link: link + strconv.FormatInt(r.ID, 10), Name: r.Name,
			Date: r.Date, OrgID: r.OrgID, Mark: r.Mark, Cursor: fmt.Sprintf("%s.%d.%d", r.Date, r.ID, r.Seq)}
		if o := orgs[r.OrgID]; o != nil {
			it.OrgName = o.Name
		}
		out[i] = it
	}
	return out, nil
}

// parseStatsCursor reads a StatsItem.Cursor.
func parseStatsCursor(s string) (store.StatsCursor, error) {
	var c store.StatsCursor
	if s == "" {
		return c, nil
	}
	bad := ktgs.Invalid("after", "err.stats.cursor")
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return c, bad
	}
	d, err := civil.Parse(parts[0])
	if err != nil {
		return c, bad
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	seq, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return c, bad
	}
	return store.StatsCursor{Date: d, ID: id, Seq: seq}, nil
}
