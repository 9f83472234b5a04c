package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/store"
)

// Periodic reports (app/report.go): the status board (/reports), a
// report's page (/reports/{id}) with its steps and files, and the JSON
// API (/api/v1/reports…). The routes ask for stats:read; the use cases
// decide each step (case:write on the unit, or on the level above).

// reportQuery reads the board's query: org (code or id), series, kind,
// year and month; the current year by default.
func (s *Server) reportQuery(r *http.Request, q map[string]string) (app.BoardQuery, error) {
	var v ktgs.Validation
	bq := app.BoardQuery{Series: ktgs.ReportSeries(q["series"]), Period: ktgs.Period{Kind: ktgs.PeriodKind(q["kind"])}}
	if bq.Period.Kind == "" {
		bq.Period.Kind = ktgs.PeriodYear
	}
	bq.Period.Year = s.App.Today().Year()
	if y := strings.TrimSpace(q["year"]); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			v.Add("year", "err.stats.period_year")
		}
		bq.Period.Year = n
	}
	if m := strings.TrimSpace(q["month"]); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			v.Add("month", "err.stats.period_month")
		}
		bq.Period.Month = n
	}
	if err := v.Err(); err != nil {
		return bq, err
	}
	if org := strings.TrimSpace(q["org"]); org != "" {
		id, err := s.orgRef(r, org)
		if err != nil {
			return bq, err
		}
		bq.OrgID = id
	}
	return bq, nil
}

// orgRef reads an organisation id or code.
func (s *Server) orgRef(r *http.Request, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	var id int64
	err := s.App.DB.View(r.Context(), func(tx *store.Tx) error {
		var err error
		id, err = tx.OrgIDByCode(r.Context(), ref)
		return err
	})
	if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
		return 0, ktgs.Invalid("org", "err.report.org_unknown")
	}
	return id, err
}

// periodFields moves the period's field errors onto the board form's
// fields.
func periodFields(err error) error {
	if e := ktgs.AsError(err); e != nil && e.Fields != nil {
		for from, to := range map[string]string{"period.kind": "kind", "period.year": "year", "period.month": "month", "period": "year", "org_id": "org"} {
			if fe, ok := e.Fields[from]; ok {
				e.Fields[to] = fe
				delete(e.Fields, from)
			}
		}
	}
	return err
}

type reportsPage struct {
	Board    *app.ReportBoard
	Kinds    []ktgs.PeriodKind
	Statuses []ktgs.ReportStatus
}

func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) error {
	q := map[string]string{}
	for _, k := range []string{"org", "series", "kind", "year", "month"} {
		q[k] = r.URL.Query().Get(k)
	}
	return s.reportsPage(w, r, &form{Q: q}, http.StatusOK)
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request, f *form, status int) error {
	data := reportsPage{Kinds: ktgs.ReportPeriodKinds, Statuses: ktgs.ReportStatuses}
	bq, err := s.reportQuery(r, f.Q)
	if err == nil {
		data.Board, err = s.App.ReportBoard(r.Context(), bq)
	}
	if err != nil {
		if ferr := s.formError(r, f, periodFields(err)); ferr != nil {
			return ferr
		}
		if status == http.StatusOK {
			status = formStatus(err)
		}
	}
	if data.Board != nil {
		f.Q["year"] = strconv.Itoa(data.Board.Period.Year)
		f.Q["kind"] = string(data.Board.Period.Kind)
		if f.Q["org"] == "" {
			f.Q["org"] = data.Board.Unit.Code
		}
	}
	f.Extra = data
	p := s.page(r, "report.board")
	p.Data = f
	s.render(w, r, status, "reports", p)
	return nil
}

func (s *Server) handleReportCreate(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"org", "series", "kind", "year", "month"} {
		f.Q[k] = r.PostFormValue(k)
	}
	bq, err := s.reportQuery(r, f.Q)
	var rep *ktgs.PeriodicReport
	if err == nil {
		rep, err = s.App.CreateReport(r.Context(), app.ReportInput{OrgID: bq.OrgID, Series: bq.Series, Period: bq.Period})
	}
	if err != nil {
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.ECONFLICT {
			f.Message = s.I18n.T(langOf(r.Context()), e.Message, e.Args...)
			return s.reportsPage(w, r, f, http.StatusConflict)
		}
		if ferr := s.formError(r, f, periodFields(err)); ferr != nil {
			return ferr
		}
		return s.reportsPage(w, r, f, formStatus(err))
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", rep.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) handleReportDeadline(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := &form{Q: map[string]string{}}
	for _, k := range []string{"org", "series", "kind", "year", "month", "due_on"} {
		f.Q[k] = r.PostFormValue(k)
	}
	bq, err := s.reportQuery(r, f.Q)
	if err == nil {
		var v ktgs.Validation
		due := formDate(&v, "due_on", f.Q["due_on"])
		if err = v.Err(); err == nil {
			err = s.App.SetReportDeadline(r.Context(), app.DeadlineInput{OrgID: bq.OrgID, Series: bq.Series, Period: bq.Period, DueOn: due})
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, periodFields(err)); ferr != nil {
			return ferr
		}
		return s.reportsPage(w, r, f, formStatus(err))
	}
	f.Notice = s.I18n.T(langOf(r.Context()), "report.deadline_saved")
	return s.reportsPage(w, r, f, http.StatusOK)
}

type reportPage struct {
	View     *app.ReportView
	Sections []string
	Title    string
	Lang     string
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, id int64, f *form, status int) error {
	v, err := s.App.Report(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
		for k, text := range v.Report.Sections {
			f.Q[k] = text
		}
	}
	f.Extra = reportPage{View: v, Sections: ktgs.ReportSections, Title: app.ReportTitle(v.Report.Series, v.Report.Period)}
	p := s.page(r, "")
	p.Title = v.Unit.Name + " — " + s.I18n.T(langOf(r.Context()), "report.title", app.PeriodPhrase(v.Report.Period))
	p.Data = f
	s.render(w, r, status, "report", p)
	return nil
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.reportPage(w, r, id, nil, http.StatusOK)
}

// reportStep runs one step of a report's page and shows the page again
// with the outcome.
func (s *Server) reportStep(step string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := readForm(w, r); err != nil {
			return err
		}
		f := &form{}
		ctx := r.Context()
		switch step {
		case "save":
			f.Q = map[string]string{}
			for _, k := range ktgs.ReportSections {
				f.Q[k] = r.PostFormValue(k)
			}
			_, err = s.App.SaveReport(ctx, id, f.Q)
		case "submit":
			_, err = s.App.SubmitReport(ctx, id)
		case "return":
			f.Q = map[string]string{"comment": r.PostFormValue("comment")}
			_, err = s.App.ReturnReport(ctx, id, f.Q["comment"])
			if err == nil {
				f.Q = nil
			}
		case "approve":
			_, err = s.App.ApproveReport(ctx, id)
		case "version":
			var nr *ktgs.PeriodicReport
			if nr, err = s.App.NewReportVersion(ctx, id); err == nil {
				http.Redirect(w, r, fmt.Sprintf("/reports/%d", nr.ID), http.StatusSeeOther)
				return nil
			}
		}
		if err != nil {
			e := ktgs.AsError(err)
			if e == nil || e.Code == ktgs.ENOTFOUND {
				return err
			}
			if e.Code == ktgs.ECONFLICT {
				f.Message = s.I18n.T(langOf(ctx), e.Message, e.Args...)
			} else if ferr := s.formError(r, f, err); ferr != nil {
				return ferr
			}
			if step == "return" && f.Q != nil {
				// Keep the typed comment; refill the sections.
				v, verr := s.App.Report(ctx, id)
				if verr == nil {
					for k, text := range v.Report.Sections {
						f.Q[k] = text
					}
				}
			} else if step != "save" {
				f.Q = nil
			}
			return s.reportPage(w, r, id, f, formStatus(err))
		}
		if step == "save" {
			f.Notice = s.I18n.T(langOf(ctx), "doc.saved")
			return s.reportPage(w, r, id, f, http.StatusOK)
		}
		http.Redirect(w, r, fmt.Sprintf("/reports/%d", id), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) handleReportFile(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		name, ctype, data, err := s.App.ReportFile(r.Context(), id, format)
		if err != nil {
			return err
		}
		sendAttachment(w, name, ctype, data)
		return nil
	}
}

// The JSON API.

func (s *Server) apiReports(w http.ResponseWriter, r *http.Request) error {
	q := map[string]string{}
	for _, k := range []string{"org", "series", "kind", "year", "month"} {
		q[k] = r.URL.Query().Get(k)
	}
	bq, err := s.reportQuery(r, q)
	if err != nil {
		return err
	}
	b, err := s.App.ReportBoard(r.Context(), bq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

// apiReportInput is the body of POST /api/v1/reports: the unit by id or
// code.
type apiReportInput struct {
	app.ReportInput
	Org string `json:"org,omitempty"`
}

func (s *Server) apiCreateReport(w http.ResponseWriter, r *http.Request) error {
	var in apiReportInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.OrgID == 0 && in.Org != "" {
		id, err := s.orgRef(r, in.Org)
		if err != nil {
			return err
		}
		in.OrgID = id
	}
	rep, err := s.App.CreateReport(r.Context(), in.ReportInput)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Report(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiUpdateReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Sections map[string]string `json:"sections"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rep, err := s.App.SaveReport(r.Context(), id, in.Sections)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) apiReportStep(step string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var rep *ktgs.PeriodicReport
		status := http.StatusOK
		switch step {
		case "submit":
			rep, err = s.App.SubmitReport(r.Context(), id)
		case "approve":
			rep, err = s.App.ApproveReport(r.Context(), id)
		case "return":
			var in struct {
				Comment string `json:"comment"`
			}
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
			rep, err = s.App.ReturnReport(r.Context(), id, in.Comment)
		case "version":
			rep, err = s.App.NewReportVersion(r.Context(), id)
			status = http.StatusCreated
		}
		if err != nil {
			return err
		}
		writeJSON(w, status, rep)
		return nil
	}
}

func (s *Server) apiReportDeadline(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		app.DeadlineInput
		Org string `json:"org,omitempty"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.OrgID == 0 && in.Org != "" {
		id, err := s.orgRef(r, in.Org)
		if err != nil {
			return err
		}
		in.OrgID = id
	}
	if err := s.App.SetReportDeadline(r.Context(), in.DeadlineInput); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"org_id": in.OrgID, "due_on": in.DueOn})
	return nil
}
