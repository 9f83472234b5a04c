package web

import (
	"net/http"

	"ktgs/internal/app"
)

// The statistics JSON API (docs/openapi.yaml): the report and the
// drill-down list behind one of its cells, with the same query as the
// pages (stats.go) and labels in the request's language.

// statsRowJSON is a row of the report with its labels.
type statsRowJSON struct {
	app.StatsLine
	// Label is the row's own label, Path the stage, group and subject it
	// is under followed by the label, IndicatorLabel the indicator's.
	Label          string `json:"label"`
	Path           string `json:"path"`
	IndicatorLabel string `json:"indicator_label"`
}

// statsNoticeJSON is a notice with its text.
type statsNoticeJSON struct {
	app.StatsNotice
	Message string `json:"message"`
}

// statsReportJSON is the report as the API returns it.
type statsReportJSON struct {
	*app.StatsReport
	Title   string            `json:"title"`
	Period  string            `json:"period_label"`
	View    string            `json:"view_label"`
	Rows    []statsRowJSON    `json:"rows"`
	Notices []statsNoticeJSON `json:"notices"`
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.statsQuery(r)
	if err != nil {
		return statsErr(err)
	}
	rep, err := s.App.Stats(r.Context(), q)
	if err != nil {
		return statsErr(err)
	}
	lang := langOf(r.Context())
	tb := s.statsTableOf(lang, rep)
	out := statsReportJSON{StatsReport: rep, Title: s.I18n.T(lang, "stats.report_title"), Period: tb.PeriodText, View: tb.ViewText,
		Rows: make([]statsRowJSON, 0, len(rep.Rows)), Notices: make([]statsNoticeJSON, 0, len(rep.Notices))}
	for _, sec := range tb.Sections {
		for _, ln := range sec.Lines {
			if !ln.Heading {
				out.Rows = append(out.Rows, statsRowJSON{StatsLine: *ln.Row, Label: ln.Label, Path: ln.Full, IndicatorLabel: sec.Label})
			}
		}
	}
	for i, n := range rep.Notices {
		out.Notices = append(out.Notices, statsNoticeJSON{StatsNotice: n, Message: tb.Notices[i]})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// statsDrillJSON is one page of the records behind a cell.
type statsDrillJSON struct {
	Cell  string          `json:"cell"`
	Row   string          `json:"row_label"`
	Col   string          `json:"column_label"`
	Count int             `json:"count"`
	NA    bool            `json:"na,omitempty"`
	Items []app.StatsItem `json:"items"`
	// Next is the cursor of the next page, absent on the last.
	Next string `json:"next,omitempty"`
}

func (s *Server) apiStatsDrill(w http.ResponseWriter, r *http.Request) error {
	d, next, err := s.statsDrill(r)
	if err != nil {
		return statsErr(err)
	}
	out := statsDrillJSON{Cell: r.URL.Query().Get("cell"), Row: d.Section + ": " + d.Line.Full, Col: d.Column.Name, Count: d.Count, NA: d.NA,
		Items: d.Items, Next: next}
	if out.Items == nil {
		out.Items = []app.StatsItem{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
