package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
)

// Statistics pages (issue 8): the report of the standard indicators for a
// unit and a period (/stats), the records behind one of its numbers
// (/stats/drill), and the same report as XLSX (stats_xlsx.go), CSV
// (stats_csv.go) and JSON (api_stats.go). The numbers, the notices and the
// drill-down lists all come from app.Service.Stats and StatsDrill, which
// apply the access filter; this file only reads the query and lays the
// report out.
//
// The query (the URL contract the dashboard links to): org (an
// organisation code; the actor's first scope unit by default), period
// (MONTH, Q1, H1, M9, YEAR, TERM, CUSTOM; YEAR by default), year (this
// year by default), month (this month by default), from and to
// (dd/mm/yyyy, for CUSTOM), view (TODAY, AS_THEN), breakdown (NONE,
// CHILDREN; CHILDREN by default); the drill-down adds cell (a cell key of
// the report), cursor (the position after the previous page) and limit.

// statsParams are the query parameters of a report, in URL order.
var statsParams = []string{"org", "period", "year", "month", "from", "to", "view", "breakdown"}

// statsFieldOf names the engine's field errors by the query parameter
// that carries the value, so that forms and API clients see their own
// names.
var statsFieldOf = map[string]string{
	"org_id": "org", "period.kind": "period", "period.year": "year", "period.month": "month",
	"period.from": "from", "period.to": "to", "period.term_id": "period", "period.start_day": "period",
	"after": "cursor",
}

// statsErr renames the field errors of err to query parameters.
func statsErr(err error) error {
	e := ktgs.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make(map[string]ktgs.FieldError, len(e.Fields))
	for k, f := range e.Fields {
		if n, ok := statsFieldOf[k]; ok {
			k = n
		}
		if _, dup := out.Fields[k]; !dup {
			out.Fields[k] = f
		}
	}
	return &out
}

// statsQuery reads the report query of r. vals holds the trimmed values as
// given (for the form); the defaults are filled in the query only.
func (s *Server) statsQuery(r *http.Request) (app.StatsQuery, map[string]string, error) {
	in := r.URL.Query()
	vals := map[string]string{}
	for _, k := range append(statsParams, "cell", "cursor", "limit") {
		vals[k] = strings.TrimSpace(in.Get(k))
	}
	for _, k := range []string{"period", "view", "breakdown"} {
		vals[k] = strings.ToUpper(vals[k])
	}
	var v ktgs.Validation
	today := s.App.Today()
	q := app.StatsQuery{View: ktgs.StatsView(vals["view"]), Breakdown: ktgs.StatsBreakdown(vals["breakdown"]), After: vals["cursor"]}
	if q.Breakdown == "" {
		q.Breakdown = ktgs.BreakdownChildren
	}
	q.Period.Kind = ktgs.PeriodKind(vals["period"])
	if q.Period.Kind == "" {
		q.Period.Kind = ktgs.PeriodYear
	}
	// The engine stops at its first kind of error; these three are
	// checked here too, so that a form shows every field's error at once.
	if q.View != "" && !q.View.Valid() {
		v.Add("view", "err.stats.view", vals["view"])
	}
	if !q.Breakdown.Valid() {
		v.Add("breakdown", "err.stats.breakdown", vals["breakdown"])
	}
	if !q.Period.Kind.Valid() {
		v.Add("period", "err.stats.period_kind", vals["period"])
	}
	if code := vals["org"]; code != "" {
		ids, err := s.App.OrgIDsByCodes(r.Context(), code)
		if err != nil || len(ids) != 1 {
			v.Add("org", "err.auth.scope_code", code)
		} else {
			q.OrgID = ids[0]
		}
	}
	q.Period.Year = today.Year()
	if y := vals["year"]; y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			v.Add("year", "err.stats.period_year")
		}
		q.Period.Year = n
	} else if q.Period.Kind == ktgs.PeriodTerm || q.Period.Kind == ktgs.PeriodCustom {
		q.Period.Year = 0 // TERM: the term running today; CUSTOM: from and to
	}
	if q.Period.Kind == ktgs.PeriodMonth {
		q.Period.Month = int(today.Month())
		if m := vals["month"]; m != "" {
			n, err := strconv.Atoi(m)
			if err != nil {
				v.Add("month", "err.stats.period_month")
			}
			q.Period.Month = n
		}
	}
	if q.Period.Kind == ktgs.PeriodCustom {
		for _, k := range []string{"from", "to"} {
			if vals[k] == "" {
				continue
			}
			d, err := civil.Parse(vals[k])
			switch {
			case err == civil.ErrRange:
				v.Add(k, "err.date_nonexistent")
			case err != nil:
				v.Add(k, "err.date_syntax")
			case d.Year() < 1930 || d.Year() > 2100:
				v.Add(k, "err.date_range", "01/01/1930", "31/12/2100")
			case k == "from":
				q.Period.From = d
			default:
				q.Period.To = d
			}
		}
	}
	if l := vals["limit"]; l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			v.Add("limit", "err.range", 1, 200)
		}
		q.Limit = n
	}
	return q, vals, v.Err()
}

// statsLink is the query of the report rep (its unit, period, view and
// breakdown as resolved) for links to its drill-downs, its exports and
// its child units' reports.
func statsLink(rep *app.StatsReport) url.Values {
	q := url.Values{}
	q.Set("org", rep.Unit.Code)
	p := rep.Query.Period
	q.Set("period", string(p.Kind))
	switch p.Kind {
	case ktgs.PeriodMonth:
		q.Set("year", strconv.Itoa(p.Year))
		q.Set("month", strconv.Itoa(p.Month))
	case ktgs.PeriodCustom:
		q.Set("from", p.From.VN())
		q.Set("to", p.To.VN())
	case ktgs.PeriodTerm:
		if p.Year != 0 {
			q.Set("year", strconv.Itoa(p.Year))
		}
	default:
		q.Set("year", strconv.Itoa(p.Year))
	}
	q.Set("view", string(rep.Query.View))
	q.Set("breakdown", string(rep.Query.Breakdown))
	return q
}

// statsCol is a column header of the table.
type statsCol struct {
	Key   string
	Name  string
	Child bool
	NA    bool
	// Link opens the child unit's own report with the same period.
	Link template.URL
}

// statsLine is a line of the table: a heading (a stage or a deciding-body
// group, without numbers) or a row of the report with its cells.
type statsLine struct {
	Heading bool
	Key     string // the row key (not for headings)
	Label   string // the line's own label
	// Context names the stage and group the line is under, for screen
	// readers and exports; Full is Context with the label.
	Context string
	Full    string
	Indent  int
	Row     *app.StatsLine
	// Links open the drill-down of each cell ("" when zero or not
	// applicable).
	Links []template.URL
}

// statsSection is one indicator of the table.
type statsSection struct {
	ID        string
	Ref       string
	Name      string // "Cấp ủy kiểm tra"
	Label     string // "1. Cấp ủy kiểm tra"
	Available bool
	Lines     []statsLine
}

// statsTable is a report laid out for people: labels in the request's
// language, headings, the lines of the title block and the notices.
type statsTable struct {
	Rep        *app.StatsReport
	Unit       string
	PeriodText string
	ViewText   string // the view and the day whose tree places the units
	Cols       []statsCol
	Children   int // child unit columns
	Lead       int // the other columns (total, own)
	Span       int // every column of the table, the labels included
	Sections   []statsSection
	Notices    []string
}

// statsTableOf lays rep out in lang.
func (s *Server) statsTableOf(lang string, rep *app.StatsReport) *statsTable {
	t := func(k string, args ...any) string { return s.I18n.T(lang, k, args...) }
	tb := &statsTable{Rep: rep, Unit: rep.Unit.Name}
	p := rep.Query.Period
	rng := t("stats.period_range", p.From.VN(), p.To.VN())
	y := strconv.Itoa(p.Year)
	switch p.Kind {
	case ktgs.PeriodMonth:
		tb.PeriodText = t("stats.period_line.month", strconv.Itoa(p.Month), y) + " (" + rng + ")"
	case ktgs.PeriodCustom:
		tb.PeriodText = rng
	case ktgs.PeriodTerm:
		tb.PeriodText = t("stats.period_line.term", p.TermName) + " (" + rng + ")"
	default:
		tb.PeriodText = t("stats.period_line."+strings.ToLower(string(p.Kind)), y) + " (" + rng + ")"
	}
	tb.ViewText = t("stats.view_asof", t("stats.view."+strings.ToLower(string(rep.Query.View))), rep.AsOf.VN())

	base := statsLink(rep)
	for _, c := range rep.Columns {
		col := statsCol{Key: c.Key, Name: c.Name, NA: c.NA}
		switch c.Key {
		case app.StatsColTotal:
			col.Name = t("stats.col.total")
		case app.StatsColOwn:
			col.Name = t("stats.col.own")
		default:
			col.Child = true
			tb.Children++
			q := statsClone(base)
			q.Set("org", c.Code)
			col.Link = template.URL("/stats?" + q.Encode())
		}
		tb.Cols = append(tb.Cols, col)
	}
	tb.Lead, tb.Span = len(tb.Cols)-tb.Children, len(tb.Cols)+1
	drill := "/stats/drill?" + base.Encode() + "&cell="

	byID := map[string]ktgs.StatsIndicator{}
	for _, ind := range ktgs.StatsIndicators {
		byID[ind.ID] = ind
	}
	var sec *statsSection
	var lastStage ktgs.StatsStage
	var lastGroup ktgs.StatsBodyGroup
	for i := range rep.Rows {
		row := &rep.Rows[i]
		if sec == nil || sec.ID != row.Indicator {
			ind := byID[row.Indicator]
			name := t(ind.LabelKey())
			tb.Sections = append(tb.Sections, statsSection{ID: ind.ID, Ref: ind.Ref, Name: name, Label: ind.Ref + ". " + name, Available: row.Available})
			sec = &tb.Sections[len(tb.Sections)-1]
			lastStage, lastGroup = "", ""
		}
		stageKey := "stats.stage." + strings.ToLower(string(row.Stage))
		stage := t(stageKey)
		// A stage is a heading above its rows unless it has a row of its
		// own with the levels or outcomes under it (letters, complaints).
		headed := row.LabelKey != stageKey && row.Level == "" && row.Outcome == ""
		indent := row.Depth
		if headed {
			indent++
			if row.Stage != lastStage {
				sec.Lines = append(sec.Lines, statsLine{Heading: true, Label: stage, Full: stage, Indent: 0})
				lastGroup = ""
			}
		}
		lastStage = row.Stage
		var ctx []string
		if row.LabelKey != stageKey {
			ctx = append(ctx, stage)
		}
		if row.Group != "" {
			g := t("stats.group." + strings.ToLower(string(row.Group)))
			if row.Group != lastGroup {
				sec.Lines = append(sec.Lines, statsLine{Heading: true, Label: g, Context: stage, Full: stage + " › " + g, Indent: 1})
			}
			ctx = append(ctx, g)
		}
		lastGroup = row.Group
		// The row's subject when the label is a narrower dimension (a
		// form, a cause, of which committee members).
		if row.Subject != "" && row.LabelKey != "stats.subject."+strings.ToLower(string(row.Subject)) {
			ctx = append(ctx, t("stats.subject."+strings.ToLower(string(row.Subject))))
		}
		label := t(row.LabelKey)
		ln := statsLine{Key: row.Key, Label: label, Context: strings.Join(ctx, " › "), Indent: indent, Row: row,
			Links: make([]template.URL, len(row.Cells))}
		ln.Full = strings.Join(append(ctx, label), " › ")
		for j, c := range row.Cells {
			if !c.NA && c.Count > 0 && c.Key != "" {
				ln.Links[j] = template.URL(drill + url.QueryEscape(c.Key))
			}
		}
		sec.Lines = append(sec.Lines, ln)
	}
	for _, n := range rep.Notices {
		key := n.Key
		if key == "stats.notice.not_existing" && len(n.Args) == 3 && n.Args[2] == "" {
			key = "stats.notice.not_yet_existing" // formed after the period, not ended
		}
		msg := t(key, n.Args...)
		if n.Indicator != "" {
			if ind, ok := byID[n.Indicator]; ok {
				msg = ind.Ref + ". " + t(ind.LabelKey()) + ": " + msg
			}
		}
		tb.Notices = append(tb.Notices, msg)
	}
	return tb
}

func statsClone(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

// statsOption is a choice of a select.
type statsOption struct{ Value, Label string }

func statsStrs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}

// statsPage is the report page: the filter form and, when the query was
// good and allowed, the table.
type statsPage struct {
	Table      *statsTable
	Periods    []statsOption
	Views      []statsOption
	Breakdowns []statsOption
	XLSXURL    template.URL
	CSVURL     template.URL
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	q, vals, err := s.statsQuery(r)
	if vals["period"] == "" {
		vals["period"] = string(ktgs.PeriodYear)
	}
	if vals["year"] == "" && vals["period"] != string(ktgs.PeriodTerm) {
		vals["year"] = strconv.Itoa(s.App.Today().Year())
	}
	if vals["month"] == "" && vals["period"] == string(ktgs.PeriodMonth) {
		vals["month"] = strconv.Itoa(int(s.App.Today().Month()))
	}
	if vals["breakdown"] == "" {
		vals["breakdown"] = string(ktgs.BreakdownChildren)
	}
	f := &form{Q: vals}
	lang := langOf(r.Context())
	opts := func(prefix string, vals ...string) []statsOption {
		out := make([]statsOption, len(vals))
		for i, v := range vals {
			out[i] = statsOption{Value: v, Label: s.I18n.T(lang, prefix+strings.ToLower(v))}
		}
		return out
	}
	data := statsPage{Periods: opts("stats.period.", statsStrs(ktgs.PeriodKinds)...),
		Views:      opts("stats.view.", string(ktgs.ViewToday), string(ktgs.ViewAsThen)),
		Breakdowns: opts("stats.breakdown.", string(ktgs.BreakdownChildren), string(ktgs.BreakdownNone))}
	if err == nil {
		var rep *app.StatsReport
		rep, err = s.App.Stats(r.Context(), q)
		if err == nil {
			data.Table = s.statsTableOf(lang, rep)
			link := statsLink(rep).Encode()
			data.XLSXURL = template.URL("/stats.xlsx?" + link)
			data.CSVURL = template.URL("/stats.csv?" + link)
			if f.Q["org"] == "" {
				f.Q["org"] = rep.Unit.Code
			}
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, statsErr(err)); ferr != nil {
			return ferr
		}
	}
	f.Extra = data
	p := s.page(r, "stats.title")
	p.Data = f
	s.render(w, r, formStatus(err), "stats", p)
	return nil
}

// statsDrillPage is one page of the records behind a number.
type statsDrillPage struct {
	Table   *statsTable
	Section string // the indicator's label
	Line    *statsLine
	Column  statsCol
	Count   int
	NA      bool
	Items   []app.StatsItem
	BackURL template.URL
	NextURL template.URL
}

// statsDrill answers a drill-down request: the cell's row of the report
// (for its count and labels), the cell's line and column, and
// one page of records. The count is the report's; the pages together list
// exactly that many records (app.StatsDrill).
func (s *Server) statsDrill(r *http.Request) (*statsDrillPage, string, error) {
	q, vals, err := s.statsQuery(r)
	if err != nil {
		return nil, "", err
	}
	cell := vals["cell"]
	// The cell's row of the report (for its count and labels) and one
	// page of its list, read side by side after one scope.
	rep, items, more, err := s.App.StatsDrillPage(r.Context(), q, cell)
	if err != nil {
		return nil, "", err
	}
	rowKey, colKey, _ := strings.Cut(cell, "@")
	tb := s.statsTableOf(langOf(r.Context()), rep)
	d := &statsDrillPage{Table: tb, Items: items}
	for _, sec := range tb.Sections {
		for i := range sec.Lines {
			if ln := &sec.Lines[i]; !ln.Heading && ln.Key == rowKey {
				d.Line, d.Section = ln, sec.Label
			}
		}
	}
	if d.Line == nil {
		return nil, "", ktgs.Invalid("cell", "err.stats.cell_unknown")
	}
	d.Column = statsCol{Key: colKey, Name: colKey}
	if col := slices.IndexFunc(tb.Cols, func(c statsCol) bool { return c.Key == colKey }); col >= 0 {
		d.Column = tb.Cols[col]
		d.Count, d.NA = d.Line.Row.Cells[col].Count, d.Line.Row.Cells[col].NA
	}
	d.BackURL = template.URL("/stats?" + statsLink(rep).Encode())
	next := ""
	if more && len(items) > 0 {
		next = items[len(items)-1].Cursor
		nq := statsLink(rep)
		nq.Set("cell", cell)
		nq.Set("cursor", next)
		if vals["limit"] != "" {
			nq.Set("limit", vals["limit"])
		}
		d.NextURL = template.URL("/stats/drill?" + nq.Encode())
	}
	return d, next, nil
}

func (s *Server) handleStatsDrill(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.statsDrill(r)
	if err != nil {
		return statsErr(err)
	}
	p := s.page(r, "stats.drill.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "stats_drill", p)
	return nil
}
