package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Periodic reports, level by level (ktgs/report.go). The use cases below
// prepare a unit's report (statistics from the engine, narrative typed
// in), submit it (a snapshot of the figures, the numbered BC document as
// DOCX and PDF with the audit chain head in its footer, both stored by
// content and their hashes audited), return it with comments or approve
// it at the level above, and open a new version of an approved report.
// The status board shows a unit's own report and each direct lower
// unit's; a report's page shows the consolidation (own figures plus the
// approved lower reports, with the units missing) and the differences
// between the submitted and the live figures.
//
// Access (docs/SECURITY.md). Reading a report or a board is stats:read
// on the unit. Preparing, editing and submitting it is case:write on the
// unit: the commission chair or the chi bộ secretary of the unit (or of
// a unit above it), since case:write on an organisation, outside a case
// team, is the head's; an inspection cadre prepares the text with them
// but does not submit. Returning and approving is case:write on the
// level above (the unit's parent today; for the root, the root itself,
// whose report goes to the Politburo and Secretariat outside KTGS), by
// someone other than the submitter. No new action was added: the report
// is the commission head's act over case data already in their scope.
//
// Figures count what the preparer may count (app.Stats): a reader who
// may count only unmarked records does not see the figures of a report
// that counted marked ones.

// ReportInput names a report to prepare.
type ReportInput struct {
	OrgID  int64             `json:"org_id"`
	Series ktgs.ReportSeries `json:"series,omitempty"` // KTGS when empty
	Period ktgs.Period       `json:"period"`           // kind, year (and month)
}

// reportKey is the store key of r's series and period.
func reportKey(series ktgs.ReportSeries, p ktgs.Period) store.ReportKey {
	return store.ReportKey{Series: series, Kind: p.Kind, Year: p.Year, Month: p.Month}
}

// resolveReportPeriod checks a report's series and period and fills the
// period's dates. Field errors: series, period.kind, period.year,
// period.month.
func resolveReportPeriod(series *ktgs.ReportSeries, p ktgs.Period) (ktgs.Period, error) {
	if *series == "" {
		*series = ktgs.SeriesKTGS
	}
	if !series.Valid() {
		return p, ktgs.Invalid("series", "err.report.series", string(*series))
	}
	if !ktgs.ReportPeriodValid(p.Kind) {
		return p, ktgs.Invalid("period.kind", "err.report.period_kind", string(p.Kind))
	}
	if p.Kind != ktgs.PeriodMonth {
		p.Month = 0
	}
	p.TermID, p.TermName, p.From, p.To = 0, "", 0, 0
	return ktgs.PeriodBoundaries{}.Resolve(p)
}

// reportOrg loads a reporting unit: it must exist today.
func reportOrg(ctx context.Context, tx *store.Tx, id int64) (*ktgs.Org, error) {
	o, err := tx.OrgLatest(ctx, id)
	if notFound(err) {
		return nil, ktgs.Invalid("org_id", "err.report.org_unknown")
	} else if err != nil {
		return nil, err
	}
	if !o.Current() {
		return nil, ktgs.Invalid("org_id", "err.report.org_ended", o.Name, o.Ended.VN())
	}
	return o, nil
}

// authorizeReportOrg decides act on organisation id; a unit outside the
// actor's scope is EFORBIDDEN err.report.scope (the unit exists: the
// board names it).
func (s *Service) authorizeReportOrg(ctx context.Context, tx *store.Tx, act authz.Action, id int64) error {
	if isSystem(ctx) {
		return nil
	}
	obj, err := s.OrgObject(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := s.Authorize(ctx, act, obj); err != nil {
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.report.scope"}
		}
		return err
	}
	return nil
}

// reviewerOrg is the unit whose case:write returns and approves org's
// reports: its parent today, or the root itself.
func reviewerOrg(org *ktgs.Org) int64 {
	if org.ParentID != 0 {
		return org.ParentID
	}
	return org.ID
}

// reportBody is the issuer of a unit's report: its inspection commission,
// else its committee, else the chi bộ.
func reportBody(ctx context.Context, tx *store.Tx, orgID int64) (*ktgs.Body, error) {
	for _, k := range []ktgs.BodyKind{ktgs.BodyInspectionCommission, ktgs.BodyCommittee, ktgs.BodyBranch} {
		b, err := tx.BodyByKind(ctx, orgID, k)
		if notFound(err) {
			continue
		}
		return b, err
	}
	return nil, ktgs.Invalid("org_id", "err.report.no_body")
}

// reportDeadline is the deadline of org's report for a key: the one the
// level above entered, or the assumed default (assumed true).
func reportDeadline(ctx context.Context, tx *store.Tx, org *ktgs.Org, series ktgs.ReportSeries, p ktgs.Period) (civil.Date, bool, error) {
	d, err := tx.ReportDeadline(ctx, reviewerOrg(org), reportKey(series, p))
	if err != nil {
		return 0, false, err
	}
	if d.IsZero() {
		return ktgs.DefaultReportDeadline(p), true, nil
	}
	return d, false, nil
}

// fillReport computes the deadline and the late flag of r.
func (s *Service) fillReport(ctx context.Context, tx *store.Tx, r *ktgs.PeriodicReport, org *ktgs.Org) error {
	var err error
	if r.Deadline, r.DeadlineAssumed, err = reportDeadline(ctx, tx, org, r.Series, r.Period); err != nil {
		return err
	}
	r.Late = ktgs.ReportLate(r.Deadline, r.FirstSubmittedOn, s.Today())
	return nil
}

// CreateReport prepares the first version of a unit's report for a
// period, as a DRAFT; its figures come from the statistics engine when
// it is read and are frozen at submission. Refused: a period kind that
// is not a reporting period, a period that starts after today or ends
// before the unit existed, a unit outside the actor's scope, and a
// report already prepared (ECONFLICT err.report.exists: edit it, or
// prepare a new version of the approved one).
func (s *Service) CreateReport(ctx context.Context, in ReportInput) (*ktgs.PeriodicReport, error) {
	p, err := resolveReportPeriod(&in.Series, in.Period)
	if err != nil {
		return nil, err
	}
	var r *ktgs.PeriodicReport
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		if in.OrgID == 0 {
			return ktgs.Invalid("org_id", "err.required")
		}
		org, err := reportOrg(ctx, tx, in.OrgID)
		if err != nil {
			return err
		}
		if err := s.authorizeReportOrg(ctx, tx, authz.CaseWrite, org.ID); err != nil {
			return err
		}
		if org.Born.After(p.To) {
			return ktgs.Invalid("period", "err.report.before_unit", org.Name, org.Born.VN(), p.From.VN(), p.To.VN())
		}
		if p.From.After(s.Today()) {
			return ktgs.Invalid("period", "err.report.future", p.From.VN())
		}
		if in.Series == ktgs.SeriesKL34 && org.ParentID != 0 {
			return ktgs.Invalid("series", "err.report.kl34_root")
		}
		body, err := reportBody(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		prev, err := tx.ReportVersions(ctx, org.ID, reportKey(in.Series, p))
		if err != nil {
			return err
		}
		if len(prev) > 0 {
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.report.exists", Args: []any{prev[len(prev)-1].ID}}
		}
		r = &ktgs.PeriodicReport{OrgID: org.ID, BodyID: body.ID, Series: in.Series, Period: p, Version: 1, Status: ktgs.ReportDraft,
			ScopePath: org.Path, Sections: map[string]string{}}
		if a := ActorFrom(ctx); a != nil {
			r.CreatedBy = a.UserID
		}
		if err := tx.InsertReport(ctx, r); err != nil {
			if ktgs.ErrorCode(err) == ktgs.ECONFLICT {
				return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.report.exists"}
			}
			return err
		}
		if err := s.fillReport(ctx, tx, r, org); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "report.create", ObjectType: "report", ObjectID: r.ID, OrgID: org.ID,
			After: map[string]any{"series": r.Series, "period": p.Key(), "version": r.Version}})
	})
	return r, err
}

// loadReportFor loads report id with its unit, authorising act on the
// unit.
func (s *Service) loadReportFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.PeriodicReport, *ktgs.Org, error) {
	r, err := tx.Report(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.OrgLatest(ctx, r.OrgID)
	if err != nil {
		return nil, nil, err
	}
	// A report the actor may not read does not exist for them; then the
	// action itself.
	if err := s.authorizeReportOrg(ctx, tx, authz.StatsRead, org.ID); err != nil {
		if ktgs.ErrorCode(err) == ktgs.EFORBIDDEN {
			return nil, nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "report")
		}
		return nil, nil, err
	}
	if act != authz.StatsRead {
		if err := s.authorizeReportOrg(ctx, tx, act, org.ID); err != nil {
			return nil, nil, err
		}
	}
	if err := s.fillReport(ctx, tx, r, org); err != nil {
		return nil, nil, err
	}
	return r, org, nil
}

// refuseChange returns the error for changing a report in status st, or
// nil if its narrative may change.
func refuseChange(st ktgs.ReportStatus) error {
	switch st {
	case ktgs.ReportApproved:
		return ktgs.Errorf(ktgs.ECONFLICT, "err.report.approved")
	case ktgs.ReportSubmitted:
		return ktgs.Errorf(ktgs.ECONFLICT, "err.report.submitted")
	}
	return nil
}

// cleanSections checks a report's narrative: known keys, each at most
// ktgs.ReportSectionMax characters. Field errors name "sections.KEY".
func cleanSections(in map[string]string) (map[string]string, error) {
	var v ktgs.Validation
	out := map[string]string{}
	for k, text := range in {
		if !slices.Contains(ktgs.ReportSections, k) {
			v.Add("sections."+k, "err.report.section", k)
			continue
		}
		text = strings.TrimSpace(vn.CleanText(text))
		if n := len([]rune(text)); n > ktgs.ReportSectionMax {
			v.Add("sections."+k, "err.too_long", ktgs.ReportSectionMax)
			continue
		}
		if text != "" {
			out[k] = text
		}
	}
	return out, v.Err()
}

// SaveReport replaces the narrative of a draft or returned report.
// Refused on a submitted report (ECONFLICT err.report.submitted: it is
// with the level above) and on an approved one (ECONFLICT
// err.report.approved: prepare a new version).
func (s *Service) SaveReport(ctx context.Context, id int64, sections map[string]string) (*ktgs.PeriodicReport, error) {
	var r *ktgs.PeriodicReport
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var org *ktgs.Org
		var err error
		if r, org, err = s.loadReportFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := refuseChange(r.Status); err != nil {
			return err
		}
		clean, err := cleanSections(sections)
		if err != nil {
			return err
		}
		before := r.Sections
		r.Sections = clean
		if err := tx.UpdateReport(ctx, r, r.Status); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "report.edit", ObjectType: "report", ObjectID: r.ID, OrgID: org.ID,
			Before: before, After: clean})
	})
	return r, err
}

// reportStats computes the live figures of a unit for a period inside
// tx, as the actor may count them: the unit's total and its own column.
func (s *Service) reportStats(ctx context.Context, tx *store.Tx, orgID int64, p ktgs.Period) (*StatsReport, error) {
	q := StatsQuery{OrgID: orgID, Period: ktgs.Period{Kind: p.Kind, Year: p.Year, Month: p.Month}, View: ktgs.ViewToday,
		Breakdown: ktgs.BreakdownChildren}
	inds, err := normaliseStats(&q)
	if err != nil {
		return nil, err
	}
	sc, err := s.statsScope(ctx, tx, &q)
	if err != nil {
		return nil, err
	}
	return sc.report(ctx, tx, inds)
}

// figuresOf turns a statistics report into a snapshot.
func figuresOf(rep *StatsReport) *ktgs.ReportFigures {
	f := &ktgs.ReportFigures{Rows: map[string]ktgs.ReportCell{}, Marked: !rep.UnmarkedOnly, TakenAt: rep.GeneratedAt}
	for _, line := range rep.Rows {
		if !line.Available {
			if !slices.Contains(f.Unavailable, line.Indicator) {
				f.Unavailable = append(f.Unavailable, line.Indicator)
			}
			continue
		}
		c := ktgs.ReportCell{Total: line.Cells[0].Count}
		if len(line.Cells) > 1 {
			c.Own = line.Cells[1].Count
		}
		f.Rows[line.Key] = c
	}
	return f
}

// SubmitReport submits a draft or returned report to the level above:
// its figures are frozen from the engine, its document is numbered (BC,
// R17, when the issuer has a committee term on record; the number of a
// first submission is kept on resubmission), rendered as DOCX and PDF
// with the audit chain head in the footer and stored by content; the
// hashes go into the audit entry. A report submitted twice is refused
// (ECONFLICT err.report.already_submitted), as is an approved one
// (err.report.approved).
func (s *Service) SubmitReport(ctx context.Context, id int64) (*ktgs.PeriodicReport, error) {
	var r *ktgs.PeriodicReport
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var org *ktgs.Org
		var err error
		if r, org, err = s.loadReportFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		switch r.Status {
		case ktgs.ReportSubmitted:
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.report.already_submitted", Args: []any{r.SubmittedOn.VN()}}
		case ktgs.ReportApproved:
			return ktgs.Errorf(ktgs.ECONFLICT, "err.report.approved")
		}
		from := r.Status
		rep, err := s.reportStats(ctx, tx, org.ID, r.Period)
		if err != nil {
			return err
		}
		today := s.Today()
		r.Figures = figuresOf(rep)
		r.Status, r.SubmittedOn = ktgs.ReportSubmitted, today
		if r.FirstSubmittedOn.IsZero() {
			r.FirstSubmittedOn = today
		}
		if a := ActorFrom(ctx); a != nil {
			r.SubmittedBy, r.SubmittedByName = a.UserID, a.Name
		} else {
			r.SubmittedBy, r.SubmittedByName = 0, SystemActor
		}
		r.ReturnComment, r.ReturnedOn, r.ReturnedByName = "", 0, ""
		body, err := tx.Body(ctx, r.BodyID)
		if err != nil {
			return err
		}
		if r.Number == 0 {
			if r.Number, r.NumberText, r.TermName, err = s.reportNumber(ctx, tx, body, org, today); err != nil {
				return err
			}
		}
		if r.AuditSeq, r.AuditHash, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		docx, pdf, err := s.renderReportFiles(ctx, tx, r, org, body, false)
		if err != nil {
			return err
		}
		if r.DocxHash, err = putBlob(ctx, tx, docx, mimeDOCX); err != nil {
			return err
		}
		if r.PDFHash, err = putBlob(ctx, tx, pdf, "application/pdf"); err != nil {
			return err
		}
		r.Late = ktgs.ReportLate(r.Deadline, r.FirstSubmittedOn, today)
		if err := tx.UpdateReport(ctx, r, from); err != nil {
			if ktgs.ErrorCode(err) == ktgs.ECONFLICT && ktgs.AsError(err).Message != "err.report.changed" {
				return ktgs.Invalid("number", "err.document.number_used", r.NumberText)
			}
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "report.submit", ObjectType: "report", ObjectID: r.ID, OrgID: org.ID,
			After: map[string]any{"number": r.NumberText, "period": r.Period.Key(), "version": r.Version, "late": r.Late,
				"deadline": r.Deadline, "docx_sha256": r.DocxHash, "pdf_sha256": r.PDFHash,
				"audit_head": map[string]any{"seq": r.AuditSeq, "hash": r.AuditHash}}})
	})
	return r, err
}

const mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// reportNumber asks R17 for the next BC number of body in the committee
// term of day; a body without a term on record gets no number (the
// document shows the blank "Số   -BC/…" to fill by hand).
func (s *Service) reportNumber(ctx context.Context, tx *store.Tx, body *ktgs.Body, org *ktgs.Org, day civil.Date) (int, string, string, error) {
	terms, err := numberingTerms(ctx, tx, body)
	if err != nil {
		return 0, "", "", err
	}
	if len(terms) == 0 {
		return 0, "", "", nil
	}
	req := rules.NumberingRequest{Date: day.String(), Issuer: issuerCode(body.Kind, org.Type), DocType: "BC", Terms: terms}
	first, err := s.nextNumber(req, func(term string) (int, error) { return tx.LastReportNumber(ctx, body.ID, term) })
	if ktgs.ErrorCode(err) == ktgs.EINVALID {
		// A day outside every term on record: no number.
		return 0, "", "", nil
	} else if err != nil {
		return 0, "", "", err
	}
	return first.Number, first.Formatted, first.Term, nil
}

// ReturnReport returns a submitted report to its unit with comments (the
// level above). The comment is required.
func (s *Service) ReturnReport(ctx context.Context, id int64, comment string) (*ktgs.PeriodicReport, error) {
	return s.reviewReport(ctx, id, false, comment)
}

// ApproveReport approves a submitted report (the level above). An
// approved report is final: changing it needs a new version.
func (s *Service) ApproveReport(ctx context.Context, id int64) (*ktgs.PeriodicReport, error) {
	return s.reviewReport(ctx, id, true, "")
}

func (s *Service) reviewReport(ctx context.Context, id int64, approve bool, comment string) (*ktgs.PeriodicReport, error) {
	comment = strings.TrimSpace(vn.CleanText(comment))
	var r *ktgs.PeriodicReport
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var org *ktgs.Org
		var err error
		if r, org, err = s.loadReportFor(ctx, tx, id, authz.StatsRead); err != nil {
			return err
		}
		if err := s.authorizeReportOrg(ctx, tx, authz.CaseWrite, reviewerOrg(org)); err != nil {
			if ktgs.ErrorCode(err) == ktgs.EFORBIDDEN {
				return ktgs.Errorf(ktgs.EFORBIDDEN, "err.report.not_level_above")
			}
			return err
		}
		if r.Status != ktgs.ReportSubmitted {
			if r.Status == ktgs.ReportApproved {
				return ktgs.Errorf(ktgs.ECONFLICT, "err.report.approved")
			}
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.report.not_submitted"}
		}
		a := ActorFrom(ctx)
		if a != nil && a.UserID == r.SubmittedBy {
			return ktgs.Errorf(ktgs.EFORBIDDEN, "err.report.own_review")
		}
		name := SystemActor
		var uid int64
		if a != nil {
			name, uid = a.Name, a.UserID
		}
		action := "report.approve"
		if approve {
			r.Status, r.ApprovedOn, r.ApprovedBy, r.ApprovedByName = ktgs.ReportApproved, s.Today(), uid, name
		} else {
			if comment == "" {
				return ktgs.Invalid("comment", "err.report.comment_required")
			}
			if len([]rune(comment)) > ktgs.ReportSectionMax {
				return ktgs.Invalid("comment", "err.too_long", ktgs.ReportSectionMax)
			}
			action = "report.return"
			r.Status, r.ReturnComment, r.ReturnedOn, r.ReturnedByName = ktgs.ReportReturned, comment, s.Today(), name
		}
		if err := tx.UpdateReport(ctx, r, ktgs.ReportSubmitted); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: action, ObjectType: "report", ObjectID: r.ID, OrgID: org.ID, Reason: comment,
			After: map[string]any{"status": r.Status, "period": r.Period.Key(), "version": r.Version}})
	})
	return r, err
}

// NewReportVersion prepares version n+1 of an approved report as a
// DRAFT with its narrative, to correct it; only the latest version, and
// only once it is approved (an unapproved report is edited or returned
// instead: ECONFLICT err.report.version_open).
func (s *Service) NewReportVersion(ctx context.Context, id int64) (*ktgs.PeriodicReport, error) {
	var nr *ktgs.PeriodicReport
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		r, org, err := s.loadReportFor(ctx, tx, id, authz.CaseWrite)
		if err != nil {
			return err
		}
		versions, err := tx.ReportVersions(ctx, r.OrgID, reportKey(r.Series, r.Period))
		if err != nil {
			return err
		}
		latest := versions[len(versions)-1]
		if latest.ID != r.ID || r.Status != ktgs.ReportApproved {
			return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.report.version_open", Args: []any{latest.ID}}
		}
		body, err := reportBody(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		nr = &ktgs.PeriodicReport{OrgID: r.OrgID, BodyID: body.ID, Series: r.Series, Period: r.Period, Version: r.Version + 1,
			ParentID: r.ID, Status: ktgs.ReportDraft, ScopePath: org.Path, Sections: r.Sections}
		if a := ActorFrom(ctx); a != nil {
			nr.CreatedBy = a.UserID
		}
		if err := tx.InsertReport(ctx, nr); err != nil {
			return err
		}
		if err := s.fillReport(ctx, tx, nr, org); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "report.version", ObjectType: "report", ObjectID: nr.ID, OrgID: org.ID,
			After: map[string]any{"period": nr.Period.Key(), "version": nr.Version, "revises": r.ID}})
	})
	return nr, err
}

// DeadlineInput sets the deadline of the lower units' reports of a unit
// for a period.
type DeadlineInput struct {
	OrgID  int64             `json:"org_id"` // the level above
	Series ktgs.ReportSeries `json:"series,omitempty"`
	Period ktgs.Period       `json:"period"`
	DueOn  civil.Date        `json:"due_on"`
}

// SetReportDeadline records the deadline a unit sets for its lower
// units' reports (case:write on the unit). It must not fall before the
// period's last day.
func (s *Service) SetReportDeadline(ctx context.Context, in DeadlineInput) error {
	p, err := resolveReportPeriod(&in.Series, in.Period)
	if err != nil {
		return err
	}
	var v ktgs.Validation
	checkDate(&v, "due_on", in.DueOn, true)
	if err := v.Err(); err != nil {
		return err
	}
	if in.DueOn.Before(p.To) {
		return ktgs.Invalid("due_on", "err.report.deadline_early", p.To.VN())
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		org, err := reportOrg(ctx, tx, in.OrgID)
		if err != nil {
			return err
		}
		if err := s.authorizeReportOrg(ctx, tx, authz.CaseWrite, org.ID); err != nil {
			return err
		}
		var by int64
		if a := ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		old, err := tx.SetReportDeadline(ctx, org.ID, reportKey(in.Series, p), in.DueOn, by)
		if err != nil {
			return err
		}
		var before any
		if !old.IsZero() {
			before = map[string]any{"due_on": old}
		}
		return s.audit(ctx, tx, auditEntry{Action: "report.deadline", ObjectType: "org", ObjectID: org.ID, OrgID: org.ID,
			Before: before, After: map[string]any{"series": in.Series, "period": p.Key(), "due_on": in.DueOn}})
	})
}

// BoardQuery asks for a status board.
type BoardQuery struct {
	OrgID  int64             `json:"org_id,omitempty"` // the actor's first scope unit when 0
	Series ktgs.ReportSeries `json:"series,omitempty"`
	Period ktgs.Period       `json:"period"`
}

// BoardEntry is one unit's report status for the period.
type BoardEntry struct {
	Org             *ktgs.Org            `json:"org"`
	Report          *ktgs.PeriodicReport `json:"report,omitempty"` // the latest version; nil: not started
	Status          ktgs.ReportStatus    `json:"status"`
	Late            bool                 `json:"late"`
	Deadline        civil.Date           `json:"deadline"`
	DeadlineAssumed bool                 `json:"deadline_assumed,omitempty"`
	Approved        *ktgs.PeriodicReport `json:"-"` // the latest approved version, if any
	NotExisting     bool                 `json:"not_existing,omitempty"`
}

// ReportBoard is the status board of a unit for a period: its own
// report and each direct lower unit's.
type ReportBoard struct {
	Unit   *ktgs.Org         `json:"unit"`
	Series ktgs.ReportSeries `json:"series"`
	Period ktgs.Period       `json:"period"`
	Own    BoardEntry        `json:"own"`
	Lower  []BoardEntry      `json:"lower"`
	// LowerDeadline is the deadline this unit set for its lower units
	// (zero: none, the assumed default applies).
	LowerDeadline civil.Date `json:"lower_deadline,omitempty"`
	// Counts counts the lower units by status, LATE counting the late
	// ones whatever their status.
	Counts map[string]int `json:"counts"`
	// CanWrite: the actor may prepare the unit's own report and set the
	// lower units' deadline.
	CanWrite bool `json:"can_write"`
}

// ReportBoard returns the status board of q.
func (s *Service) ReportBoard(ctx context.Context, q BoardQuery) (*ReportBoard, error) {
	p, err := resolveReportPeriod(&q.Series, q.Period)
	if err != nil {
		return nil, err
	}
	var b *ReportBoard
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		id := q.OrgID
		if id == 0 {
			if id, err = s.defaultStatsUnit(ctx, tx, false); err != nil {
				return err
			}
		}
		org, err := reportOrg(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.authorizeReportOrg(ctx, tx, authz.StatsRead, org.ID); err != nil {
			return err
		}
		b = &ReportBoard{Unit: org, Series: q.Series, Period: p, Counts: map[string]int{}}
		b.CanWrite = s.authorizeReportOrg(ctx, tx, authz.CaseWrite, org.ID) == nil
		kids, err := tx.Children(ctx, org.ID, s.Today())
		if err != nil {
			return err
		}
		ids := []int64{org.ID}
		for _, k := range kids {
			ids = append(ids, k.ID)
		}
		key := reportKey(q.Series, p)
		latest, err := tx.LatestReports(ctx, ids, key)
		if err != nil {
			return err
		}
		if b.LowerDeadline, err = tx.ReportDeadline(ctx, org.ID, key); err != nil {
			return err
		}
		entry := func(o *ktgs.Org) (BoardEntry, error) {
			e := BoardEntry{Org: o, Status: ktgs.ReportNotStarted, NotExisting: o.Born.After(p.To)}
			if e.Deadline, e.DeadlineAssumed, err = reportDeadline(ctx, tx, o, q.Series, p); err != nil {
				return e, err
			}
			var first civil.Date
			if r := latest[o.ID]; r != nil {
				r.Deadline, r.DeadlineAssumed = e.Deadline, e.DeadlineAssumed
				r.Late = ktgs.ReportLate(e.Deadline, r.FirstSubmittedOn, s.Today())
				e.Report, e.Status, first = r, r.Status, r.FirstSubmittedOn
			}
			e.Late = !e.NotExisting && ktgs.ReportLate(e.Deadline, first, s.Today())
			return e, nil
		}
		if b.Own, err = entry(org); err != nil {
			return err
		}
		for _, k := range kids {
			e, err := entry(k)
			if err != nil {
				return err
			}
			b.Lower = append(b.Lower, e)
			b.Counts[string(e.Status)]++
			if e.Late {
				b.Counts["LATE"]++
			}
		}
		return nil
	})
	return b, err
}

// ReportRow is one row of a report's statistics: the submitted and the
// live figures of the unit (total and own records).
type ReportRow struct {
	ktgs.StatsRow
	IndicatorKey string           `json:"indicator_label_key"` // message key of the indicator's name
	Available    bool             `json:"available"`
	Submitted    *ktgs.ReportCell `json:"submitted,omitempty"` // nil before submission
	Live         ktgs.ReportCell  `json:"live"`
	// Consolidated is the unit's own figure plus the approved lower
	// reports' totals.
	Consolidated int  `json:"consolidated"`
	Differs      bool `json:"differs,omitempty"`
}

// ReportDifference is a figure that changed since submission.
type ReportDifference struct {
	Key          string `json:"key"`
	LabelKey     string `json:"label_key"`
	Indicator    string `json:"indicator"`
	IndicatorKey string `json:"indicator_label_key"`
	Column       string `json:"column"` // total or own
	Submitted    int    `json:"submitted"`
	Live         int    `json:"live"`
}

// ReportUnit is a lower unit in a consolidation.
type ReportUnit struct {
	OrgID    int64             `json:"org_id"`
	Name     string            `json:"name"`
	ReportID int64             `json:"report_id,omitempty"`
	Version  int               `json:"version,omitempty"`
	Status   ktgs.ReportStatus `json:"status"`
}

// ReportView is a report with everything its page shows.
type ReportView struct {
	Report   *ktgs.PeriodicReport   `json:"report"`
	Unit     *ktgs.Org              `json:"unit"`
	Versions []*ktgs.PeriodicReport `json:"versions"`
	// FiguresHidden: the figures counted marked records the reader may
	// not count; Rows, differences and consolidation are then empty.
	FiguresHidden bool               `json:"figures_hidden,omitempty"`
	Rows          []ReportRow        `json:"rows,omitempty"`
	Differences   []ReportDifference `json:"differences,omitempty"`
	// Included and Missing are the lower units whose approved reports
	// the consolidation adds, and those it lacks.
	Included []ReportUnit  `json:"included,omitempty"`
	Missing  []ReportUnit  `json:"missing,omitempty"`
	Notices  []StatsNotice `json:"notices,omitempty"`
	// What the reader may do now.
	CanEdit, CanSubmit, CanReview, CanNewVersion bool
}

// Report returns report id with its live figures, the differences from
// the submitted ones, the consolidation and the versions.
func (s *Service) Report(ctx context.Context, id int64) (*ReportView, error) {
	var v *ReportView
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		r, org, err := s.loadReportFor(ctx, tx, id, authz.StatsRead)
		if err != nil {
			return err
		}
		v = &ReportView{Report: r, Unit: org}
		key := reportKey(r.Series, r.Period)
		if v.Versions, err = tx.ReportVersions(ctx, org.ID, key); err != nil {
			return err
		}
		latest := v.Versions[len(v.Versions)-1].ID == r.ID
		write := s.authorizeReportOrg(ctx, tx, authz.CaseWrite, org.ID) == nil
		review := s.authorizeReportOrg(ctx, tx, authz.CaseWrite, reviewerOrg(org)) == nil
		v.CanEdit = write && r.Status.Editable()
		v.CanSubmit = v.CanEdit
		v.CanReview = review && r.Status == ktgs.ReportSubmitted && !isActor(ctx, r.SubmittedBy)
		v.CanNewVersion = write && latest && r.Status == ktgs.ReportApproved

		_, marked, err := s.statsAccess(ctx, tx)
		if err != nil {
			return err
		}
		if r.Figures != nil && r.Figures.Marked && !marked {
			v.FiguresHidden = true
			return nil
		}
		live, err := s.reportStats(ctx, tx, org.ID, r.Period)
		if err != nil {
			return err
		}
		v.Notices = live.Notices
		// The consolidation: own figures (submitted, else live) plus the
		// latest approved report of each direct lower unit.
		kids, err := tx.Children(ctx, org.ID, s.Today())
		if err != nil {
			return err
		}
		var ids []int64
		for _, k := range kids {
			ids = append(ids, k.ID)
		}
		// Lower units report in the KTGS series: the KL34 report
		// consolidates their periodic reports.
		kidKey := reportKey(ktgs.SeriesKTGS, r.Period)
		approved, err := tx.LatestApprovedReports(ctx, ids, kidKey)
		if err != nil {
			return err
		}
		latestKids, err := tx.LatestReports(ctx, ids, kidKey)
		if err != nil {
			return err
		}
		for _, k := range kids {
			if a := approved[k.ID]; a != nil {
				v.Included = append(v.Included, ReportUnit{OrgID: k.ID, Name: k.Name, ReportID: a.ID, Version: a.Version, Status: a.Status})
				continue
			}
			u := ReportUnit{OrgID: k.ID, Name: k.Name, Status: ktgs.ReportNotStarted}
			if l := latestKids[k.ID]; l != nil {
				u.ReportID, u.Version, u.Status = l.ID, l.Version, l.Status
			}
			v.Missing = append(v.Missing, u)
		}
		for _, line := range live.Rows {
			indKey := "stats.ind." + strings.ToLower(line.Indicator)
			row := ReportRow{StatsRow: line.StatsRow, IndicatorKey: indKey, Available: line.Available}
			if line.Available {
				row.Live = ktgs.ReportCell{Total: line.Cells[0].Count, Own: line.Cells[1].Count}
			}
			own := row.Live.Own
			if r.Figures != nil {
				c, ok := r.Figures.Rows[line.Key]
				if ok || line.Available {
					row.Submitted = &c
					own = c.Own
				}
				if line.Available {
					if c.Total != row.Live.Total {
						v.Differences = append(v.Differences, ReportDifference{Key: line.Key, LabelKey: line.LabelKey, Indicator: line.Indicator,
							IndicatorKey: indKey, Column: StatsColTotal, Submitted: c.Total, Live: row.Live.Total})
						row.Differs = true
					}
					if c.Own != row.Live.Own {
						v.Differences = append(v.Differences, ReportDifference{Key: line.Key, LabelKey: line.LabelKey, Indicator: line.Indicator,
							IndicatorKey: indKey, Column: StatsColOwn, Submitted: c.Own, Live: row.Live.Own})
						row.Differs = true
					}
				}
			}
			row.Consolidated = own
			for _, a := range approved {
				if a.Figures != nil {
					row.Consolidated += a.Figures.Rows[line.Key].Total
				}
			}
			v.Rows = append(v.Rows, row)
		}
		return nil
	})
	return v, err
}

// isActor reports whether the acting user is user id (never for 0).
func isActor(ctx context.Context, id int64) bool {
	a := ActorFrom(ctx)
	return id != 0 && a != nil && a.UserID == id
}

// ReportFile returns a report's document as DOCX or PDF: the stored file
// of the last submission (its hash is in the audit trail), or, for a
// draft or a returned report, a fresh rendering marked "DỰ THẢO" with the
// current audit chain head.
func (s *Service) ReportFile(ctx context.Context, id int64, format string) (name, mime string, data []byte, err error) {
	if format != "docx" && format != "pdf" {
		return "", "", nil, ktgs.Invalid("format", "err.report.format")
	}
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		r, org, err := s.loadReportFor(ctx, tx, id, authz.StatsRead)
		if err != nil {
			return err
		}
		_, marked, err := s.statsAccess(ctx, tx)
		if err != nil {
			return err
		}
		if r.Figures != nil && r.Figures.Marked && !marked {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.report.figures_hidden"}
		}
		name = fmt.Sprintf("BC-%s-%s-v%d", org.Code, r.Period.Key(), r.Version)
		if r.Status == ktgs.ReportSubmitted || r.Status == ktgs.ReportApproved {
			h := r.DocxHash
			if format == "pdf" {
				h = r.PDFHash
			}
			data, mime, err = tx.File(ctx, h)
			name += "." + format
			return err
		}
		if r.AuditSeq, r.AuditHash, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		rep, err := s.reportStats(ctx, tx, org.ID, r.Period)
		if err != nil {
			return err
		}
		r.Figures = figuresOf(rep)
		body, err := tx.Body(ctx, r.BodyID)
		if err != nil {
			return err
		}
		docx, pdf, err := s.renderReportFiles(ctx, tx, r, org, body, true)
		if err != nil {
			return err
		}
		data, mime = docx, mimeDOCX
		if format == "pdf" {
			data, mime = pdf, "application/pdf"
		}
		name += "-du-thao." + format
		return nil
	})
	return name, mime, data, err
}
