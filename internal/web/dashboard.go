package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
)

// The dashboard (bảng điều khiển; issue 8 item 5): charts of the standard
// indicators for a unit's subtree — ten-year trends, forms of discipline,
// a comparison across the child units, the inspection funnel and overdue
// work. Every chart has an accessible table beside it with the same
// numbers, and every number links to the records behind it: a statistics
// cell to its drill-down list (/stats/drill, same query as the report
// /stats), an overdue count to the filtered register list. The charts are
// drawn by static/js/dashboard.js (Apache ECharts, vendored) from the JSON
// block the page carries; without JavaScript the tables are the page.
//
// Access: stats:read (routes.go). The statistics engine decides what
// counts (app.Service.Stats: only unmarked records for roles without
// case:read); overdue work comes from the register lists and is shown only
// to roles with case:read, under the same scope filter as those lists.

// dashYears is the length of the trend charts. One statistics call per
// year, three indicators each, run a few at a time.
const dashYears = 10

// dashParallel bounds the statistics calls run at once for one page.
const dashParallel = 4

// dashListMax bounds the counting of an overdue list (pages of 200): a
// longer list shows the bound with "+".
const dashListMax = 2000

// A dashboard series is a row of the statistics report: its key and the
// message key of its short label.
type dashRow struct{ key, label string }

var (
	// dashTrendInspection are the inspection series of the trends.
	dashTrendInspection = []dashRow{
		{"COMMITTEE_INSPECTION/INSPECTED/ORG", "dash.s.ci_org"},
		{"COMMITTEE_INSPECTION/INSPECTED/MEMBER", "dash.s.ci_mem"},
		{"UBKT_DHVP/INSPECTED/ORG", "dash.s.dhvp_org"},
		{"UBKT_DHVP/INSPECTED/MEMBER", "dash.s.dhvp_mem"},
	}
	// dashTrendDiscipline are the discipline series of the trends.
	dashTrendDiscipline = []dashRow{
		{"DISCIPLINE/DISCIPLINED/ORG", "dash.s.disc_org"},
		{"DISCIPLINE/DISCIPLINED/MEMBER", "dash.s.disc_mem"},
		{"DISCIPLINE/DISCIPLINED/MEMBER/cm", "dash.s.disc_cm"},
	}
	// dashCompareRows are the indicators the comparison across child
	// units may show; the first is the default.
	dashCompareRows = []dashRow{
		{"COMMITTEE_INSPECTION/INSPECTED/MEMBER", "dash.s.ci_mem"},
		{"COMMITTEE_INSPECTION/INSPECTED/ORG", "dash.s.ci_org"},
		{"DISCIPLINE/DISCIPLINED/MEMBER", "dash.s.disc_mem"},
		{"DISCIPLINE/DISCIPLINED/ORG", "dash.s.disc_org"},
		{"COMMITTEE_DHVP/INSPECTED/MEMBER", "dash.s.cdhvp_mem"},
		{"UBKT_DHVP/INSPECTED/ORG", "dash.s.dhvp_org"},
		{"UBKT_DHVP/INSPECTED/MEMBER", "dash.s.dhvp_mem"},
		{"UBKT_SUPERVISION/INSPECTED/MEMBER", "dash.s.sup_mem"},
		{"DENUNCIATIONS/RECEIVED", "dash.s.den_rec"},
		{"DENUNCIATIONS/RESOLVED", "dash.s.den_res"},
		{"COMPLAINTS/RECEIVED", "dash.s.compl_rec"},
	}
	// dashFunnels are the indicators with the whole funnel; the first is
	// the default.
	dashFunnels = []string{"UBKT_DHVP", "COMMITTEE_DHVP", "COMMITTEE_INSPECTION"}
	// dashForms are the forms of discipline, lightest first.
	dashForms = []ktgs.DisciplineForm{ktgs.FormReprimand, ktgs.FormWarning, ktgs.FormRemoval, ktgs.FormExpulsion, ktgs.FormDissolution}
)

// dashCell is one number of a chart and of its table.
type dashCell struct {
	Count int `json:"count"`
	// NA: not applicable (an organisation is not expelled); shown "—".
	NA bool `json:"na,omitempty"`
	// More: a list longer than dashListMax; Count is the bound.
	More bool `json:"more,omitempty"`
	// Link lists the records behind the number; Cell is the statistics
	// cell key it drills into ("" for a register list).
	Link string `json:"link,omitempty"`
	Cell string `json:"cell,omitempty"`
}

// dashSeries is a line of a chart: a column of its table.
type dashSeries struct {
	Name  string     `json:"name"`
	Cells []dashCell `json:"cells"` // one per category
}

// dashChart is one chart and its table: the categories are the table's
// rows, the series its columns.
type dashChart struct {
	ID         string       `json:"id"`
	Kind       string       `json:"kind"` // line, bar, hbar
	Title      string       `json:"title"`
	Caption    string       `json:"caption"`
	Head       string       `json:"head"` // the header of the categories' column
	Categories []string     `json:"categories"`
	Series     []dashSeries `json:"series"`
	// Note says something about the chart's numbers (under the table).
	Note string `json:"-"`
}

// Row returns the cells of category i, in series order (for the table).
func (c *dashChart) Row(i int) []dashCell {
	out := make([]dashCell, len(c.Series))
	for j, s := range c.Series {
		out[j] = s.Cells[i]
	}
	return out
}

// dashData is the JSON block dashboard.js reads.
type dashData struct {
	Lang   string       `json:"lang"`
	Charts []*dashChart `json:"charts"`
}

type dashOption struct {
	Value, Label string
	Selected     bool
}

// dashPage is the page's data.
type dashPage struct {
	Org, Year      string // the form's values
	Unit           app.StatsColumn
	PeriodLabel    string
	Notices        []string
	Charts         []*dashChart
	NoCases        bool // overdue work is not shown: the role has no case:read
	CompareOptions []dashOption
	FunnelOptions  []dashOption
	ReportLink     string
	XLSXLink       string
	Data           dashData
}

// dashQuery is what the dashboard was asked for.
type dashQuery struct {
	orgID   int64
	org     string
	year    int
	compare dashRow
	funnel  string
}

func (s *Server) readDashQuery(r *http.Request) (dashQuery, error) {
	q := r.URL.Query()
	var v ktgs.Validation
	dq := dashQuery{org: strings.TrimSpace(q.Get("org")), year: s.App.Today().Year(), compare: dashCompareRows[0], funnel: dashFunnels[0]}
	if dq.org != "" {
		ids, err := s.App.OrgIDsByCodes(r.Context(), dq.org)
		if err != nil || len(ids) != 1 {
			v.Add("org", "err.auth.scope_code", dq.org)
		} else {
			dq.orgID = ids[0]
		}
	}
	if y := strings.TrimSpace(q.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1930+dashYears || n > 2100 {
			v.Add("year", "err.range", 1930+dashYears, 2100)
		}
		dq.year = n
	}
	if c := q.Get("compare"); c != "" {
		i := slices.IndexFunc(dashCompareRows, func(d dashRow) bool { return d.key == c })
		if i < 0 {
			v.Add("compare", "err.stats.indicator_unknown", c)
		} else {
			dq.compare = dashCompareRows[i]
		}
	}
	if f := q.Get("funnel"); f != "" {
		if !slices.Contains(dashFunnels, f) {
			v.Add("funnel", "err.stats.indicator_unknown", f)
		}
		dq.funnel = f
	}
	return dq, v.Err()
}

// indicatorOf is the indicator of a row key.
func indicatorOf(row string) string {
	ind, _, _ := strings.Cut(row, "/")
	return ind
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	dq, err := s.readDashQuery(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := s.page(r, "dash.title")
	t := func(key string, args ...any) string { return p.T(key, args...) }

	// The year's report with the child units: forms, comparison, funnel.
	snapInds := []string{"DISCIPLINE", dq.funnel}
	if ind := indicatorOf(dq.compare.key); !slices.Contains(snapInds, ind) {
		snapInds = append(snapInds, ind)
	}
	snapQ := app.StatsQuery{OrgID: dq.orgID, Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: dq.year}, View: ktgs.ViewToday,
		Breakdown: ktgs.BreakdownChildren, Indicators: snapInds}
	snap, err := s.App.Stats(ctx, snapQ)
	if err != nil {
		return err
	}
	unit := snap.Unit
	dq.orgID = snap.Query.OrgID

	// The trends: one report per year, a few at a time.
	years := make([]int, dashYears)
	for i := range years {
		years[i] = dq.year - dashYears + 1 + i
	}
	var trendInds []string
	for _, row := range append(slices.Clone(dashTrendInspection), dashTrendDiscipline...) {
		if ind := indicatorOf(row.key); !slices.Contains(trendInds, ind) {
			trendInds = append(trendInds, ind)
		}
	}
	trend := make([]*app.StatsReport, len(years))
	errs := make([]error, len(years))
	var wg sync.WaitGroup
	sem := make(chan struct{}, dashParallel)
	for i, y := range years {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			trend[i], errs[i] = s.App.Stats(ctx, app.StatsQuery{OrgID: dq.orgID, Period: ktgs.Period{Kind: ktgs.PeriodYear, Year: y},
				View: ktgs.ViewToday, Breakdown: ktgs.BreakdownNone, Indicators: trendInds})
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}

	data := &dashPage{Org: unit.Code, Year: strconv.Itoa(dq.year), Unit: unit,
		PeriodLabel: t("dash.period_year", strconv.Itoa(dq.year))}
	seen := map[string]bool{}
	for _, n := range snap.Notices {
		if msg := p.TA(n.Key, n.Args); !seen[msg] {
			seen[msg] = true
			data.Notices = append(data.Notices, msg)
		}
	}
	link := func(year int, breakdown ktgs.StatsBreakdown, cell string) string {
		return "/stats/drill?" + statsLinkQuery(unit.Code, year, breakdown, cell)
	}
	data.ReportLink = "/stats?" + statsLinkQuery(unit.Code, dq.year, ktgs.BreakdownChildren, "")
	data.XLSXLink = "/stats.xlsx?" + statsLinkQuery(unit.Code, dq.year, ktgs.BreakdownChildren, "")
	yearCats := make([]string, len(years))
	for i, y := range years {
		yearCats[i] = strconv.Itoa(y)
	}
	trendChart := func(id, title string, rows []dashRow) *dashChart {
		c := &dashChart{ID: id, Kind: "line", Title: title, Head: t("dash.col.year"), Categories: yearCats,
			Caption: t("dash.caption_years", title, unit.Name, yearCats[0], yearCats[len(yearCats)-1])}
		for _, row := range rows {
			sr := dashSeries{Name: t(row.label)}
			for i, rep := range trend {
				sr.Cells = append(sr.Cells, statsCell(rep, row.key, app.StatsColTotal, func(key string) string {
					return link(years[i], ktgs.BreakdownNone, key)
				}))
			}
			c.Series = append(c.Series, sr)
		}
		return c
	}
	snapLink := func(key string) string { return link(dq.year, ktgs.BreakdownChildren, key) }
	caption := func(title string) string { return t("dash.caption", title, unit.Name, strconv.Itoa(dq.year)) }

	data.Charts = append(data.Charts,
		trendChart("trend-inspection", t("dash.chart.trend_inspection"), dashTrendInspection),
		trendChart("trend-discipline", t("dash.chart.trend_discipline"), dashTrendDiscipline))

	// Forms of discipline: organisations and members by form.
	forms := &dashChart{ID: "forms", Kind: "bar", Title: t("dash.chart.forms"), Head: t("dash.col.form")}
	forms.Caption = caption(forms.Title)
	for _, f := range dashForms {
		forms.Categories = append(forms.Categories, t("stats.form."+strings.ToLower(string(f))))
	}
	for _, sk := range []ktgs.SubjectKind{ktgs.SubjectOrg, ktgs.SubjectMember} {
		sr := dashSeries{Name: t("stats.subject." + strings.ToLower(string(sk)))}
		for _, f := range dashForms {
			if !slices.Contains(ktgs.SubjectForms[sk], f) {
				sr.Cells = append(sr.Cells, dashCell{NA: true})
				continue
			}
			sr.Cells = append(sr.Cells, statsCell(snap, "DISCIPLINE/DISCIPLINED/"+string(sk)+"/f="+string(f), app.StatsColTotal, snapLink))
		}
		forms.Series = append(forms.Series, sr)
	}
	data.Charts = append(data.Charts, forms)

	// Comparison across the child units (and the unit's own records).
	cmp := &dashChart{ID: "compare", Kind: "hbar", Title: t("dash.chart.compare", t(dq.compare.label)), Head: t("dash.col.unit")}
	cmp.Caption = caption(cmp.Title)
	sr := dashSeries{Name: t(dq.compare.label)}
	for _, col := range snap.Columns[1:] {
		name := col.Name
		if col.Key == app.StatsColOwn {
			name = t("dash.own", col.Name)
		}
		cmp.Categories = append(cmp.Categories, name)
		sr.Cells = append(sr.Cells, statsCell(snap, dq.compare.key, col.Key, snapLink))
	}
	cmp.Series = []dashSeries{sr}
	if len(snap.Columns) <= 2 {
		cmp.Note = t("dash.no_children")
	}
	data.Charts = append(data.Charts, cmp)

	// The funnel of one indicator: organisations and members, stage by
	// stage. Drawn as bars, not as a funnel: each stage counts what
	// happened in the year (decisions, conclusions, discipline decided),
	// not one cohort, so a later stage may exceed an earlier one.
	ind, _ := ktgs.StatsIndicatorByID(dq.funnel)
	fun := &dashChart{ID: "funnel", Kind: "hbar", Title: t("dash.chart.funnel", t(ind.LabelKey())), Head: t("dash.col.stage")}
	fun.Caption = caption(fun.Title)
	for _, st := range ind.Stages {
		fun.Categories = append(fun.Categories, t("stats.stage."+strings.ToLower(string(st))))
	}
	for _, sk := range ind.Subjects {
		sr := dashSeries{Name: t("stats.subject." + strings.ToLower(string(sk)))}
		for _, st := range ind.Stages {
			sr.Cells = append(sr.Cells, statsCell(snap, ind.ID+"/"+string(st)+"/"+string(sk), app.StatsColTotal, snapLink))
		}
		fun.Series = append(fun.Series, sr)
	}
	data.Charts = append(data.Charts, fun)

	// Overdue work, from the register lists (case:read only).
	if au := authOf(ctx); au != nil && slices.Contains(authz.Matrix[au.Actor.Role], authz.CaseRead) {
		od, err := s.dashOverdue(ctx, dq.orgID, unit, t)
		switch e := ktgs.AsError(err); {
		case e != nil && e.Code == ktgs.EFORBIDDEN: // case:read nowhere in scope (no second factor …)
			data.NoCases = true
		case err != nil:
			return err
		default:
			data.Charts = append(data.Charts, od)
		}
	} else {
		data.NoCases = true
	}

	for _, row := range dashCompareRows {
		data.CompareOptions = append(data.CompareOptions, dashOption{Value: row.key, Label: t(row.label), Selected: row.key == dq.compare.key})
	}
	for _, id := range dashFunnels {
		ind, _ := ktgs.StatsIndicatorByID(id)
		data.FunnelOptions = append(data.FunnelOptions, dashOption{Value: id, Label: t(ind.LabelKey()), Selected: id == dq.funnel})
	}
	data.Data = dashData{Lang: p.Lang, Charts: data.Charts}
	p.Data = data
	s.render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

// statsLinkQuery is the query of the report pages (/stats, /stats/drill,
// /stats.xlsx) for a calendar year of unit code in today's tree.
func statsLinkQuery(code string, year int, breakdown ktgs.StatsBreakdown, cell string) string {
	v := url.Values{"org": {code}, "period": {string(ktgs.PeriodYear)}, "year": {strconv.Itoa(year)},
		"view": {string(ktgs.ViewToday)}, "breakdown": {string(breakdown)}}
	if cell != "" {
		v.Set("cell", cell)
	}
	return v.Encode()
}

// statsCell is the cell of row in column col of rep, with its drill link.
func statsCell(rep *app.StatsReport, row, col string, link func(cell string) string) dashCell {
	ci := slices.IndexFunc(rep.Columns, func(c app.StatsColumn) bool { return c.Key == col })
	for _, l := range rep.Rows {
		if l.Key != row || ci < 0 {
			continue
		}
		c := l.Cells[ci]
		if c.NA || c.Key == "" {
			return dashCell{NA: true}
		}
		return dashCell{Count: c.Count, Cell: c.Key, Link: link(c.Key)}
	}
	return dashCell{NA: true}
}

// dashOverdue counts the overdue work under unit in the register lists
// the numbers link to.
func (s *Server) dashOverdue(ctx context.Context, orgID int64, unit app.StatsColumn, t func(string, ...any) string) (*dashChart, error) {
	org := url.QueryEscape(unit.Code)
	c := &dashChart{ID: "overdue", Kind: "bar", Title: t("dash.chart.overdue"), Head: t("dash.col.work"),
		Caption: t("dash.caption_today", t("dash.chart.overdue"), unit.Name, s.App.Today().VN()), Note: t("dash.overdue_note")}
	sr := dashSeries{Name: t("dash.col.count")}
	count := func(list func(before int64) (int, int64, bool, error)) (dashCell, error) {
		var cell dashCell
		var before int64
		for {
			n, last, more, err := list(before)
			if err != nil {
				return cell, err
			}
			cell.Count += n
			if !more {
				return cell, nil
			}
			if cell.Count >= dashListMax {
				cell.More = true
				return cell, nil
			}
			before = last
		}
	}
	add := func(label, link string, list func(before int64) (int, int64, bool, error)) error {
		cell, err := count(list)
		if err != nil {
			return err
		}
		cell.Link = link
		c.Categories = append(c.Categories, t(label))
		sr.Cells = append(sr.Cells, cell)
		return nil
	}
	if err := add("dash.od.cases", "/cases?overdue=1&org="+org, func(before int64) (int, int64, bool, error) {
		l, more, err := s.App.ListCases(ctx, app.CaseQuery{SubtreeOrgID: orgID, Overdue: true, BeforeID: before, Limit: 200})
		if err != nil || len(l) == 0 {
			return 0, 0, false, err
		}
		return len(l), l[len(l)-1].ID, more, nil
	}); err != nil {
		return nil, err
	}
	if err := add("dash.od.letters", "/letters?overdue=1&org="+org, func(before int64) (int, int64, bool, error) {
		l, more, err := s.App.ListLetters(ctx, app.LetterQuery{SubtreeOrgID: orgID, Overdue: true, BeforeID: before, Limit: 200})
		if err != nil || len(l) == 0 {
			return 0, 0, false, err
		}
		return len(l), l[len(l)-1].ID, more, nil
	}); err != nil {
		return nil, err
	}
	for _, st := range []ktgs.ComplaintStatus{ktgs.ComplaintPending, ktgs.ComplaintForwarded} {
		if err := add("dash.od.complaints_"+strings.ToLower(string(st)), "/complaints?status="+string(st)+"&org="+org,
			func(before int64) (int, int64, bool, error) {
				l, more, err := s.App.ListComplaints(ctx, app.ComplaintQuery{SubtreeOrgID: orgID, Status: st, BeforeID: before, Limit: 200})
				if err != nil || len(l) == 0 {
					return 0, 0, false, err
				}
				return len(l), l[len(l)-1].ID, more, nil
			}); err != nil {
			return nil, err
		}
	}
	c.Series = []dashSeries{sr}
	return c, nil
}
