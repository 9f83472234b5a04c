package app_test

// Periodic reports, level by level, on the statistics fixture (stWorld,
// today 15/6/2026: TW → {NB → KBW → {B1, B2}, TH → G → GB}), on both
// engines: the workflow with its refusals, the late flag against the
// deadline the level above sets, consolidation, differences with the live
// figures, the document with the audit head in its footer (converted by
// LibreOffice when it is installed), and bad input.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/i18n"
	"ktgs/internal/store"
)

// rpActor acts as user uid of role with clearance over scope (codes),
// with two-factor authentication.
func (w *stWorld) rpActor(t *testing.T, uid int64, role authz.Role, scope ...string) context.Context {
	t.Helper()
	a := &authz.Actor{UserID: uid, Name: "u" + string(rune('a'+uid%26)) + strings.ToLower(string(role)), Role: role,
		Clearance: authz.TopSecret, TwoFactor: true}
	for _, c := range scope {
		a.Scope = append(a.Scope, w.org[c].ID)
	}
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		a.ScopeAncestry, err = w.s.ScopeAncestry(ctx, tx, a.Scope)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return app.WithActor(context.Background(), a)
}

// wantErr fails t unless err is a *ktgs.Error with code and message key
// (or, for EINVALID, the field with that key).
func wantErr(t *testing.T, what string, err error, code, field, key string) {
	t.Helper()
	e := ktgs.AsError(err)
	if e == nil {
		t.Fatalf("%s: err = %v, want %s %s %s", what, err, code, field, key)
	}
	if e.Code != code {
		t.Fatalf("%s: code %s (%v), want %s", what, e.Code, err, code)
	}
	got := e.Message
	if field != "" {
		got = e.Fields[field].Key
	}
	if got != key {
		t.Fatalf("%s: %v, want %s %q", what, err, field, key)
	}
	if !i18n.Default().Has("vi", key) || !i18n.Default().Has("en", key) {
		t.Errorf("%s: message %s is not in the catalogues", what, key)
	}
}

func (w *stWorld) setToday(day string) {
	t0 := d(day).Time().Add(2 * time.Hour)
	w.s.Clock = func() time.Time { return t0 }
}

func (w *stWorld) reportActions(t *testing.T, ids ...int64) []string {
	t.Helper()
	var out []string
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, ObjectType: "report", Limit: 500})
		for i := len(es) - 1; i >= 0; i-- {
			for _, id := range ids {
				if es[i].ObjectID == strconv.FormatInt(id, 10) {
					out = append(out, es[i].Action)
				}
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (w *stWorld) board(t *testing.T, actx context.Context, code string, p ktgs.Period) *app.ReportBoard {
	t.Helper()
	b, err := w.s.ReportBoard(actx, app.BoardQuery{OrgID: w.org[code].ID, Period: p})
	if err != nil {
		t.Fatalf("board of %s: %v", code, err)
	}
	return b
}

func lowerEntry(t *testing.T, b *app.ReportBoard, id int64) app.BoardEntry {
	t.Helper()
	for _, e := range b.Lower {
		if e.Org.ID == id {
			return e
		}
	}
	t.Fatalf("board of %s lacks unit %d", b.Unit.Name, id)
	return app.BoardEntry{}
}

const finOrg = "UBKT_FINANCE/INSPECTED/ORG"

// TestReportWorkflow: prepare, submit late, submitted twice refused,
// return with a comment, edit, resubmit, approve, edit refused, new
// version; every step audited.
func TestReportWorkflow(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		nb := w.rpActor(t, 101, authz.RoleChair, "NB")
		tw := w.rpActor(t, 201, authz.RoleChair, "TW")
		insp := w.rpActor(t, 102, authz.RoleInspector, "NB")

		// The level above sets the deadline: 30/6/2026.
		if err := w.s.SetReportDeadline(nb, app.DeadlineInput{OrgID: w.org["TW"].ID, Period: year(2025), DueOn: d("2026-06-30")}); err == nil {
			t.Fatal("NB's chair set TW's deadline")
		}
		if err := w.s.SetReportDeadline(tw, app.DeadlineInput{OrgID: w.org["TW"].ID, Period: year(2025), DueOn: d("2026-06-30")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.CreateReport(insp, app.ReportInput{OrgID: w.org["NB"].ID, Period: year(2025)}); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Fatalf("an inspection cadre prepared the report: %v", err)
		}
		r, err := w.s.CreateReport(nb, app.ReportInput{OrgID: w.org["NB"].ID, Period: year(2025)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != ktgs.ReportDraft || r.Version != 1 || r.Deadline != d("2026-06-30") || r.DeadlineAssumed || r.Late {
			t.Fatalf("new report: %+v", r)
		}
		if e := lowerEntry(t, w.board(t, tw, "TW", year(2025)), w.org["NB"].ID); e.Status != ktgs.ReportDraft || e.Late {
			t.Fatalf("board before the deadline: %+v", e)
		}
		if e := lowerEntry(t, w.board(t, tw, "TW", year(2025)), w.org["TH"].ID); e.Status != ktgs.ReportNotStarted || e.Report != nil {
			t.Fatalf("TH on the board: %+v", e)
		}
		if _, err := w.s.SaveReport(nb, r.ID, map[string]string{ktgs.SectionSituation: "Tình hình  chung\nổn định.", ktgs.SectionResults: "Kết quả tốt."}); err != nil {
			t.Fatal(err)
		}

		// The deadline passes: the board says late; the submission is late.
		w.setToday("2026-07-02")
		b := w.board(t, tw, "TW", year(2025))
		if e := lowerEntry(t, b, w.org["NB"].ID); !e.Late || e.Status != ktgs.ReportDraft {
			t.Fatalf("board after the deadline: %+v", e)
		}
		if b.Counts["LATE"] != 2 || b.Counts[string(ktgs.ReportNotStarted)] != 1 {
			t.Fatalf("counts: %v", b.Counts)
		}
		r, err = w.s.SubmitReport(nb, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != ktgs.ReportSubmitted || !r.Late || r.FirstSubmittedOn != d("2026-07-02") || r.Figures == nil || r.DocxHash == "" || r.AuditSeq == 0 {
			t.Fatalf("submitted: %+v", r)
		}
		if got := r.Figures.Rows[finOrg]; got.Total != 1 || got.Own != 1 {
			t.Fatalf("snapshot %s = %+v, want 1/1 (C6)", finOrg, got)
		}
		// A report submitted twice.
		_, err = w.s.SubmitReport(nb, r.ID)
		wantErr(t, "submitted twice", err, ktgs.ECONFLICT, "", "err.report.already_submitted")
		_, err = w.s.SaveReport(nb, r.ID, map[string]string{ktgs.SectionResults: "Sửa"})
		wantErr(t, "edit while submitted", err, ktgs.ECONFLICT, "", "err.report.submitted")
		// Only the level above reviews.
		_, err = w.s.ApproveReport(nb, r.ID)
		wantErr(t, "approve by the unit itself", err, ktgs.EFORBIDDEN, "", "err.report.not_level_above")
		_, err = w.s.ReturnReport(tw, r.ID, "  ")
		wantErr(t, "return without comment", err, ktgs.EINVALID, "comment", "err.report.comment_required")
		r, err = w.s.ReturnReport(tw, r.ID, "Bổ sung số liệu giám sát.")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != ktgs.ReportReturned || r.ReturnComment != "Bổ sung số liệu giám sát." {
			t.Fatalf("returned: %+v", r)
		}
		_, err = w.s.ApproveReport(tw, r.ID)
		wantErr(t, "approve a returned report", err, ktgs.ECONFLICT, "", "err.report.not_submitted")
		if _, err := w.s.SaveReport(nb, r.ID, map[string]string{ktgs.SectionResults: "Kết quả tốt, đã bổ sung."}); err != nil {
			t.Fatal(err)
		}
		w.setToday("2026-07-05")
		r, err = w.s.SubmitReport(nb, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != ktgs.ReportSubmitted || r.FirstSubmittedOn != d("2026-07-02") || r.SubmittedOn != d("2026-07-05") || r.ReturnComment != "" {
			t.Fatalf("resubmitted: %+v", r)
		}
		r, err = w.s.ApproveReport(tw, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != ktgs.ReportApproved || r.ApprovedOn != d("2026-07-05") || r.ApprovedBy != 201 {
			t.Fatalf("approved: %+v", r)
		}
		// An approved report is not edited; a new version is prepared.
		_, err = w.s.SaveReport(nb, r.ID, map[string]string{ktgs.SectionResults: "Sửa sau phê duyệt"})
		wantErr(t, "edit after approval", err, ktgs.ECONFLICT, "", "err.report.approved")
		_, err = w.s.SubmitReport(nb, r.ID)
		wantErr(t, "submit after approval", err, ktgs.ECONFLICT, "", "err.report.approved")
		_, err = w.s.CreateReport(nb, app.ReportInput{OrgID: w.org["NB"].ID, Period: year(2025)})
		wantErr(t, "prepared twice", err, ktgs.ECONFLICT, "", "err.report.exists")
		v2, err := w.s.NewReportVersion(nb, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.ParentID != r.ID || v2.Status != ktgs.ReportDraft || v2.Sections[ktgs.SectionResults] != "Kết quả tốt, đã bổ sung." {
			t.Fatalf("version 2: %+v", v2)
		}
		_, err = w.s.NewReportVersion(nb, r.ID)
		wantErr(t, "second new version", err, ktgs.ECONFLICT, "", "err.report.version_open")
		if _, err := w.s.SaveReport(nb, v2.ID, map[string]string{ktgs.SectionResults: "Bản sửa."}); err != nil {
			t.Fatal(err)
		}
		// The board shows the latest version; its first approval stays on record.
		if e := lowerEntry(t, w.board(t, tw, "TW", year(2025)), w.org["NB"].ID); e.Report == nil || e.Report.ID != v2.ID || e.Status != ktgs.ReportDraft {
			t.Fatalf("board after new version: %+v", e)
		}
		want := []string{"report.create", "report.edit", "report.submit", "report.return", "report.edit", "report.submit", "report.approve"}
		if got := w.reportActions(t, r.ID); !slices.Equal(got, want) {
			t.Errorf("audit of v1: %v, want %v", got, want)
		}
		if got := w.reportActions(t, v2.ID); !slices.Equal(got, []string{"report.version", "report.edit"}) {
			t.Errorf("audit of v2: %v", got)
		}
		// The page: the same reviewer may not review what they submitted.
		v, err := w.s.Report(nb, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.CanEdit || v.CanReview || v.CanNewVersion || len(v.Versions) != 2 {
			t.Errorf("v1 as seen by NB: edit %v review %v new %v versions %d", v.CanEdit, v.CanReview, v.CanNewVersion, len(v.Versions))
		}
	})
}

// approveNew prepares, submits (by sub) and approves (by rev) the report
// of code for p.
func (w *stWorld) approveNew(t *testing.T, sub, rev context.Context, code string, p ktgs.Period) *ktgs.PeriodicReport {
	t.Helper()
	r, err := w.s.CreateReport(sub, app.ReportInput{OrgID: w.org[code].ID, Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.SubmitReport(sub, r.ID); err != nil {
		t.Fatal(err)
	}
	if r, err = w.s.ApproveReport(rev, r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReportConsolidation: the consolidated report is the unit's own
// figures plus the approved lower reports, with the missing units
// listed; with every lower unit approved it equals the live total. The
// KL34 report of the root consolidates the same way. A new record after
// submission is flagged as a difference.
func TestReportConsolidation(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		nb := w.rpActor(t, 101, authz.RoleChair, "NB")
		th := w.rpActor(t, 111, authz.RoleChair, "TH")
		tw := w.rpActor(t, 201, authz.RoleChair, "TW")
		viewer := w.rpActor(t, 301, authz.RoleViewer, "NB")

		nbRep := w.approveNew(t, nb, tw, "NB", year(2025))
		twRep, err := w.s.CreateReport(tw, app.ReportInput{OrgID: w.org["TW"].ID, Period: year(2025)})
		if err != nil {
			t.Fatal(err)
		}
		// TH has a draft only: missing.
		thRep, err := w.s.CreateReport(th, app.ReportInput{OrgID: w.org["TH"].ID, Period: year(2025)})
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.s.Report(tw, twRep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Included) != 1 || v.Included[0].OrgID != w.org["NB"].ID || len(v.Missing) != 1 || v.Missing[0].OrgID != w.org["TH"].ID ||
			v.Missing[0].Status != ktgs.ReportDraft {
			t.Fatalf("included %+v, missing %+v", v.Included, v.Missing)
		}
		checked := 0
		for _, row := range v.Rows {
			if !row.Available {
				continue
			}
			want := row.Live.Own + nbRep.Figures.Rows[row.Key].Total
			if row.Consolidated != want {
				t.Errorf("%s: consolidated %d, want own %d + NB %d", row.Key, row.Consolidated, row.Live.Own, nbRep.Figures.Rows[row.Key].Total)
			}
			if row.Key == finOrg && row.Consolidated != 1 {
				t.Errorf("%s consolidated = %d, want 1 (C6 in NB)", finOrg, row.Consolidated)
			}
			checked++
		}
		if checked < 50 {
			t.Fatalf("only %d rows checked", checked)
		}
		// TH approved: the consolidation is the live total, row by row;
		// TH's UBKT has a term on record, so its report is numbered.
		if _, err := w.s.SubmitReport(th, thRep.ID); err != nil {
			t.Fatal(err)
		}
		thRep, err = w.s.ApproveReport(tw, thRep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if thRep.NumberText != "Số 01-BC/UBKTTU" {
			t.Errorf("TH's report number %q", thRep.NumberText)
		}
		for _, series := range []ktgs.ReportSeries{ktgs.SeriesKTGS, ktgs.SeriesKL34} {
			id := twRep.ID
			if series == ktgs.SeriesKL34 {
				kl, err := w.s.CreateReport(tw, app.ReportInput{OrgID: w.org["TW"].ID, Series: ktgs.SeriesKL34, Period: year(2025)})
				if err != nil {
					t.Fatal(err)
				}
				id = kl.ID
			}
			v, err = w.s.Report(tw, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Missing) != 0 || len(v.Included) != 2 {
				t.Fatalf("%s: missing %+v", series, v.Missing)
			}
			diff := 0
			for _, row := range v.Rows {
				if row.Available && row.Consolidated != row.Live.Total {
					diff++
					t.Errorf("%s %s: consolidated %d, live total %d", series, row.Key, row.Consolidated, row.Live.Total)
				}
			}
		}

		// A record after submission: NB's figures differ from the live ones.
		v, err = w.s.Report(nb, nbRep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Differences) != 0 {
			t.Fatalf("differences before any change: %+v", v.Differences)
		}
		w.update(t, func(tx *store.Tx) {
			w.kase(tx, t, "C20", ktgs.CaseKindKTTaiChinh, "NB", ktgs.BodyInspectionCommission, "2025-11-01", "", ktgs.CaseVerifying, authz.Normal,
				stSubj{org: "KBW"})
		})
		v, err = w.s.Report(nb, nbRep.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.ReportDifference{
			{Key: finOrg, Column: "total", Submitted: 1, Live: 2},
			{Key: finOrg, Column: "own", Submitted: 1, Live: 2},
		}
		var got []app.ReportDifference
		for _, d := range v.Differences {
			got = append(got, app.ReportDifference{Key: d.Key, Column: d.Column, Submitted: d.Submitted, Live: d.Live})
		}
		if !slices.Equal(got, want) {
			t.Fatalf("differences %+v, want %+v", got, want)
		}
		// A viewer who may count only unmarked records does not see
		// figures that counted marked ones.
		v, err = w.s.Report(viewer, nbRep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.FiguresHidden || len(v.Rows) != 0 {
			t.Fatalf("viewer sees the figures: hidden %v, %d rows", v.FiguresHidden, len(v.Rows))
		}
		_, _, _, err = w.s.ReportFile(viewer, nbRep.ID, "pdf")
		wantErr(t, "viewer downloads", err, ktgs.EFORBIDDEN, "", "err.report.figures_hidden")
		// Outside the scope, the report does not exist.
		if _, err := w.s.Report(th, nbRep.ID); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Fatalf("TH reads NB's report: %v", err)
		}
	})
}

// TestReportBadInput: each bad request gets its field or message.
func TestReportBadInput(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		nb := w.rpActor(t, 101, authz.RoleChair, "NB")
		tw := w.rpActor(t, 201, authz.RoleChair, "TW")
		in := func(code string, p ktgs.Period) app.ReportInput {
			return app.ReportInput{OrgID: w.org[code].ID, Period: p}
		}
		_, err := w.s.CreateReport(nb, in("NB", ktgs.Period{Kind: ktgs.PeriodCustom, From: d("2025-03-01"), To: d("2025-01-01")}))
		wantErr(t, "custom period", err, ktgs.EINVALID, "period.kind", "err.report.period_kind")
		_, err = w.s.CreateReport(nb, in("NB", ktgs.Period{Kind: ktgs.PeriodMonth, Year: 2025, Month: 13}))
		wantErr(t, "month 13", err, ktgs.EINVALID, "period.month", "err.stats.period_month")
		_, err = w.s.CreateReport(nb, in("NB", year(2024)))
		wantErr(t, "before the unit existed", err, ktgs.EINVALID, "period", "err.report.before_unit")
		if e := ktgs.AsError(err); !strings.Contains(i18n.Default().T("vi", e.Fields["period"].Key, e.Fields["period"].Args...), "01/07/2025") {
			t.Errorf("the message does not say when the unit was formed: %v", i18n.Default().T("vi", e.Fields["period"].Key, e.Fields["period"].Args...))
		}
		_, err = w.s.CreateReport(nb, in("NB", year(2027)))
		wantErr(t, "future period", err, ktgs.EINVALID, "period", "err.report.future")
		_, err = w.s.CreateReport(nb, in("TH", year(2025)))
		wantErr(t, "outside scope", err, ktgs.EFORBIDDEN, "", "err.report.scope")
		_, err = w.s.ReportBoard(nb, app.BoardQuery{OrgID: w.org["TH"].ID, Period: year(2025)})
		wantErr(t, "board outside scope", err, ktgs.EFORBIDDEN, "", "err.report.scope")
		_, err = w.s.CreateReport(nb, app.ReportInput{OrgID: w.org["NB"].ID, Series: ktgs.SeriesKL34, Period: year(2025)})
		wantErr(t, "KL34 below the centre", err, ktgs.EINVALID, "series", "err.report.kl34_root")
		_, err = w.s.CreateReport(nb, app.ReportInput{OrgID: w.org["NB"].ID, Series: "X", Period: year(2025)})
		wantErr(t, "unknown series", err, ktgs.EINVALID, "series", "err.report.series")
		_, err = w.s.CreateReport(nb, in("X1", year(2025)))
		wantErr(t, "ended unit", err, ktgs.EINVALID, "org_id", "err.report.org_ended")
		err = w.s.SetReportDeadline(tw, app.DeadlineInput{OrgID: w.org["TW"].ID, Period: year(2025), DueOn: d("2025-12-30")})
		wantErr(t, "deadline inside the period", err, ktgs.EINVALID, "due_on", "err.report.deadline_early")
		r, err := w.s.CreateReport(nb, in("NB", year(2025)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.SaveReport(nb, r.ID, map[string]string{"foo": "x"})
		wantErr(t, "unknown section", err, ktgs.EINVALID, "sections.foo", "err.report.section")
		_, err = w.s.SaveReport(nb, r.ID, map[string]string{ktgs.SectionLimits: strings.Repeat("ă", ktgs.ReportSectionMax+1)})
		wantErr(t, "long section", err, ktgs.EINVALID, "sections.limits", "err.too_long")
		_, _, _, err = w.s.ReportFile(nb, r.ID, "odt")
		wantErr(t, "format", err, ktgs.EINVALID, "format", "err.report.format")
		_, err = w.s.ReturnReport(tw, r.ID, "Chưa nộp")
		wantErr(t, "return a draft", err, ktgs.ECONFLICT, "", "err.report.not_submitted")
		// The submitter may not approve their own report, even from above.
		r2, err := w.s.CreateReport(tw, in("TH", year(2025)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.SubmitReport(tw, r2.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.s.ApproveReport(tw, r2.ID)
		wantErr(t, "own approval", err, ktgs.EFORBIDDEN, "", "err.report.own_review")
	})
}

// TestReportDocument: the submitted DOCX and PDF carry the title, the
// figures and the audit chain head in the footer; LibreOffice converts
// the DOCX (when installed; KTGS_REQUIRE_LIBREOFFICE=1 makes its absence
// a failure) and pdftotext finds the same text. A draft is marked.
func TestReportDocument(t *testing.T) {
	stRun(t, func(t *testing.T, w *stWorld) {
		th := w.rpActor(t, 111, authz.RoleChair, "TH")
		r, err := w.s.CreateReport(th, app.ReportInput{OrgID: w.org["TH"].ID, Period: year(2024)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.SaveReport(th, r.ID, map[string]string{ktgs.SectionSituation: "Đảng bộ tỉnh Thanh Hóa lãnh đạo chặt chẽ."}); err != nil {
			t.Fatal(err)
		}
		name, _, draft, err := w.s.ReportFile(th, r.ID, "docx")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, "-du-thao.docx") || !bytes.Contains(unzipPart(t, draft, "word/document.xml"), []byte("DỰ THẢO")) {
			t.Errorf("draft %s is not marked", name)
		}
		if r, err = w.s.SubmitReport(th, r.ID); err != nil {
			t.Fatal(err)
		}
		_, mime, docx, err := w.s.ReportFile(th, r.ID, "docx")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(mime, "wordprocessingml") {
			t.Errorf("mime %s", mime)
		}
		_, _, pdf, err := w.s.ReportFile(th, r.ID, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		footer := app.ReportAuditFooter(r.AuditSeq, r.AuditHash)
		if r.AuditSeq == 0 || len(r.AuditHash) < 16 || !strings.Contains(footer, r.AuditHash[:16]) {
			t.Fatalf("audit head %d %q, footer %q", r.AuditSeq, r.AuditHash, footer)
		}
		// The submission's audit entry follows the head in the footer and
		// names the files.
		if err := w.db.View(ctx, func(tx *store.Tx) error {
			es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, ObjectType: "report", Limit: 1})
			if err != nil {
				return err
			}
			e := es[0]
			if e.Action != "report.submit" || e.Seq != r.AuditSeq+1 || e.PrevHash != r.AuditHash ||
				!strings.Contains(string(e.After), r.DocxHash) || !strings.Contains(string(e.After), r.PDFHash) {
				return errors.New("submit entry " + e.Action + " " + string(e.After))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// Expected text: C5 (TH standing committee's thematic supervision,
		// 1/6/2024) inspected 1 organisation and 1 member.
		wants := []string{"BÁO CÁO", "kết quả công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm 2024", "Số 01-BC/UBKTTU",
			"I. TÌNH HÌNH CHUNG", "Đảng bộ tỉnh Thanh Hóa lãnh đạo chặt chẽ.", "MỘT SỐ CHỈ TIÊU CHỦ YẾU", "Cấp ủy giám sát chuyên đề",
			"Số được kiểm tra, giám sát: Tổ chức đảng", footer}
		if !bytes.Contains(unzipPart(t, docx, "word/footer1.xml"), []byte(footer)) {
			t.Errorf("the DOCX footer lacks %q", footer)
		}
		if bytes.Contains(unzipPart(t, docx, "word/document.xml"), []byte("DỰ THẢO")) {
			t.Error("the submitted DOCX is marked as a draft")
		}
		ours := pdfText(t, pdf)
		for _, want := range wants {
			if !strings.Contains(squeezeWS(ours), squeezeWS(want)) {
				t.Errorf("our PDF lacks %q", want)
			}
		}
		if !strings.Contains(squeezeWS(ours), squeezeWS("Cấp ủy giám sát chuyên đề")) || !rowHas(ours, "Số được kiểm tra, giám sát: Tổ chức đảng", "1") {
			t.Errorf("our PDF lacks the figure of C5:\n%s", ours)
		}
		// LibreOffice.
		lo := libreOfficePDF(t, docx)
		for _, want := range wants {
			if !strings.Contains(squeezeWS(lo), squeezeWS(want)) {
				t.Errorf("LibreOffice's PDF lacks %q", want)
			}
		}
		if t.Failed() {
			t.Logf("LibreOffice text:\n%s", lo)
		}
	})
}

// rowHas reports whether some line of text starting with label ends with
// figure.
func rowHas(text, label, figure string) bool {
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		if strings.Contains(l, label) && len(f) > 0 && f[len(f)-2] == figure {
			return true
		}
	}
	return false
}

func squeezeWS(s string) string { return strings.Join(strings.Fields(s), "") }

func unzipPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s in the DOCX", name)
	return nil
}

// rpTool returns the path of the first of names on PATH, or skips t
// (fails it when KTGS_REQUIRE_LIBREOFFICE=1), as the docgen tests do.
func rpTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("KTGS_REQUIRE_LIBREOFFICE") == "1" {
		t.Fatalf("KTGS_REQUIRE_LIBREOFFICE=1 but none of %v is on PATH", names)
	}
	t.Skipf("skipped: none of %v is on PATH (apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils)", names)
	return ""
}

func rpRun(t *testing.T, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	cctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", name, args, err, out.Bytes(), errb.Bytes())
	}
	return out.Bytes()
}

// pdfText extracts a PDF's text with pdftotext (layout kept, so a table
// row stays on one line).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := rpTool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return string(rpRun(t, 30*time.Second, bin, "-layout", "-enc", "UTF-8", file, "-"))
}

// libreOfficePDF converts a DOCX to PDF with LibreOffice headless and
// returns its text.
func libreOfficePDF(t *testing.T, docx []byte) string {
	t.Helper()
	soffice := rpTool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	file := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(file, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	rpRun(t, 120*time.Second, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless",
		"--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", out, file)
	pdf, err := os.ReadFile(filepath.Join(out, "report.pdf"))
	if err != nil {
		t.Fatalf("no PDF from LibreOffice: %v", err)
	}
	return pdfText(t, pdf)
}
