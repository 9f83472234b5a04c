package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
)

// Periodic reports (ktgs.PeriodicReport; migration 0014_reports).

const reportCols = `id, org_id, body_id, series, period_kind, period_year, period_month, period_from, period_to, version,
	COALESCE(parent_id, 0), status, scope_path, sections, COALESCE(figures, ''), number, number_text, term_name, docx_hash, pdf_hash,
	audit_seq, audit_hash, first_submitted_on, submitted_on, submitted_by, submitted_by_name, return_comment, returned_on,
	returned_by_name, approved_on, approved_by, approved_by_name, created_by, created_at, updated_at`

func scanReport(sc interface{ Scan(...any) error }) (*ktgs.PeriodicReport, error) {
	r := &ktgs.PeriodicReport{}
	var sections, figures, series, kind, status string
	if err := sc.Scan(&r.ID, &r.OrgID, &r.BodyID, &series, &kind, &r.Period.Year, &r.Period.Month, &r.Period.From, &r.Period.To,
		&r.Version, &r.ParentID, &status, &r.ScopePath, &sections, &figures, &r.Number, &r.NumberText, &r.TermName, &r.DocxHash,
		&r.PDFHash, &r.AuditSeq, &r.AuditHash, &r.FirstSubmittedOn, &r.SubmittedOn, &r.SubmittedBy, &r.SubmittedByName,
		&r.ReturnComment, &r.ReturnedOn, &r.ReturnedByName, &r.ApprovedOn, &r.ApprovedBy, &r.ApprovedByName, &r.CreatedBy,
		&r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.Series, r.Period.Kind, r.Status = ktgs.ReportSeries(series), ktgs.PeriodKind(kind), ktgs.ReportStatus(status)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Sections = map[string]string{}
	if err := json.Unmarshal([]byte(sections), &r.Sections); err != nil {
		return nil, fmt.Errorf("report %d: sections: %w", r.ID, err)
	}
	if figures != "" {
		r.Figures = &ktgs.ReportFigures{}
		if err := json.Unmarshal([]byte(figures), r.Figures); err != nil {
			return nil, fmt.Errorf("report %d: figures: %w", r.ID, err)
		}
	}
	return r, nil
}

func reportJSON(r *ktgs.PeriodicReport) (sections string, figures sql.NullString, err error) {
	if r.Sections == nil {
		r.Sections = map[string]string{}
	}
	b, err := json.Marshal(r.Sections)
	if err != nil {
		return "", figures, err
	}
	if r.Figures != nil {
		f, err := json.Marshal(r.Figures)
		if err != nil {
			return "", figures, err
		}
		figures = sql.NullString{String: string(f), Valid: true}
	}
	return string(b), figures, nil
}

// InsertReport stores a new version of a report. A second row for the
// same unit, series, period and version is refused (ECONFLICT).
func (tx *Tx) InsertReport(ctx context.Context, r *ktgs.PeriodicReport) error {
	sections, figures, err := reportJSON(r)
	if err != nil {
		return err
	}
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO periodic_reports (org_id, body_id, series, period_kind, period_year, period_month,
		period_from, period_to, version, parent_id, status, scope_path, sections, figures, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.OrgID, r.BodyID, string(r.Series), string(r.Period.Kind), r.Period.Year, r.Period.Month, r.Period.From, r.Period.To,
		r.Version, nullID(r.ParentID), string(r.Status), r.ScopePath, sections, figures, r.CreatedBy, tx.now, tx.now)
	if err != nil {
		return err
	}
	r.ID = id
	return nil
}

// UpdateReport writes every mutable column of r. The row must still be
// in status from (the status r was read in): a concurrent change makes
// the update fail with ECONFLICT rather than overwrite it.
func (tx *Tx) UpdateReport(ctx context.Context, r *ktgs.PeriodicReport, from ktgs.ReportStatus) error {
	sections, figures, err := reportJSON(r)
	if err != nil {
		return err
	}
	r.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE periodic_reports SET status = ?, sections = ?, figures = ?, number = ?, number_text = ?,
		term_name = ?, docx_hash = ?, pdf_hash = ?, audit_seq = ?, audit_hash = ?, first_submitted_on = ?, submitted_on = ?,
		submitted_by = ?, submitted_by_name = ?, return_comment = ?, returned_on = ?, returned_by_name = ?, approved_on = ?,
		approved_by = ?, approved_by_name = ?, updated_at = ? WHERE id = ? AND status = ?`,
		string(r.Status), sections, figures, r.Number, r.NumberText, r.TermName, r.DocxHash, r.PDFHash, r.AuditSeq, r.AuditHash,
		r.FirstSubmittedOn, r.SubmittedOn, r.SubmittedBy, r.SubmittedByName, r.ReturnComment, r.ReturnedOn, r.ReturnedByName,
		r.ApprovedOn, r.ApprovedBy, r.ApprovedByName, tx.now, r.ID, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ECONFLICT, "err.report.changed")
	}
	return nil
}

// Report returns report id.
func (tx *Tx) Report(ctx context.Context, id int64) (*ktgs.PeriodicReport, error) {
	r, err := scanReport(tx.queryRow(ctx, `SELECT `+reportCols+` FROM periodic_reports WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "report")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return r, nil
}

// ReportKey names a report's unit, series and period (every version).
type ReportKey struct {
	Series ktgs.ReportSeries
	Kind   ktgs.PeriodKind
	Year   int
	Month  int
}

// LatestReports returns the latest version of the report of each of
// orgs for key, by organisation (absent: not started).
func (tx *Tx) LatestReports(ctx context.Context, orgs []int64, k ReportKey) (map[int64]*ktgs.PeriodicReport, error) {
	return tx.reportsBy(ctx, orgs, k, "")
}

// LatestApprovedReports returns, for each of orgs, the latest APPROVED
// version of its report for key.
func (tx *Tx) LatestApprovedReports(ctx context.Context, orgs []int64, k ReportKey) (map[int64]*ktgs.PeriodicReport, error) {
	return tx.reportsBy(ctx, orgs, k, string(ktgs.ReportApproved))
}

func (tx *Tx) reportsBy(ctx context.Context, orgs []int64, k ReportKey, status string) (map[int64]*ktgs.PeriodicReport, error) {
	out := map[int64]*ktgs.PeriodicReport{}
	if len(orgs) == 0 {
		return out, nil
	}
	args := []any{string(k.Series), string(k.Kind), k.Year, k.Month}
	marks := make([]string, len(orgs))
	for i, id := range orgs {
		marks[i] = "?"
		args = append(args, id)
	}
	where := `series = ? AND period_kind = ? AND period_year = ? AND period_month = ? AND org_id IN (` + strings.Join(marks, ", ") + `)`
	if status != "" {
		where += ` AND status = ?`
		args = append(args, status)
	}
	rows, err := tx.query(ctx, `SELECT `+reportCols+` FROM periodic_reports WHERE `+where+` ORDER BY org_id, version`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, tx.db.d.translate(err)
		}
		out[r.OrgID] = r // versions ascend: the last one wins
	}
	return out, tx.db.d.translate(rows.Err())
}

// ReportVersions returns every version of a unit's report for key, oldest
// first.
func (tx *Tx) ReportVersions(ctx context.Context, orgID int64, k ReportKey) ([]*ktgs.PeriodicReport, error) {
	rows, err := tx.query(ctx, `SELECT `+reportCols+` FROM periodic_reports WHERE org_id = ? AND series = ? AND period_kind = ?
		AND period_year = ? AND period_month = ? ORDER BY version`, orgID, string(k.Series), string(k.Kind), k.Year, k.Month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ktgs.PeriodicReport
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, tx.db.d.translate(err)
		}
		out = append(out, r)
	}
	return out, tx.db.d.translate(rows.Err())
}

// LastReportNumber is the highest BC number body used in term (0 for
// none).
func (tx *Tx) LastReportNumber(ctx context.Context, bodyID int64, term string) (int, error) {
	return tx.count(ctx, `SELECT COALESCE(MAX(number), 0) FROM periodic_reports WHERE body_id = ? AND term_name = ?`, bodyID, term)
}

// ReportDeadline returns the deadline the level above (orgID) entered for
// its lower units' reports of key, or zero.
func (tx *Tx) ReportDeadline(ctx context.Context, orgID int64, k ReportKey) (civil.Date, error) {
	var d civil.Date
	err := tx.queryRow(ctx, `SELECT due_on FROM report_deadlines WHERE org_id = ? AND series = ? AND period_kind = ?
		AND period_year = ? AND period_month = ?`, orgID, string(k.Series), string(k.Kind), k.Year, k.Month).Scan(&d)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, tx.db.d.translate(err)
	}
	return d, nil
}

// SetReportDeadline records (or replaces) a deadline; it returns the one
// it replaced (zero for none).
func (tx *Tx) SetReportDeadline(ctx context.Context, orgID int64, k ReportKey, due civil.Date, by int64) (civil.Date, error) {
	old, err := tx.ReportDeadline(ctx, orgID, k)
	if err != nil {
		return 0, err
	}
	if old.IsZero() {
		_, err = tx.exec(ctx, `INSERT INTO report_deadlines (org_id, series, period_kind, period_year, period_month, due_on, set_by, set_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, string(k.Series), string(k.Kind), k.Year, k.Month, due, by, tx.now)
	} else {
		_, err = tx.exec(ctx, `UPDATE report_deadlines SET due_on = ?, set_by = ?, set_at = ? WHERE org_id = ? AND series = ?
			AND period_kind = ? AND period_year = ? AND period_month = ?`, due, by, tx.now, orgID, string(k.Series), string(k.Kind), k.Year, k.Month)
	}
	return old, err
}
