package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// Suspension of party activity (đình chỉ sinh hoạt đảng) on the discipline
// world: the clock starts on 13/4/2026, so every suspension here falls
// under QĐ 21 (2026): 90 days, extendable once by at most 30.

// suspSnap is everything a refused suspension request must leave as it
// was: the suspensions, their extensions, seats and history, and the head
// of the audit trail.
func (w *dsWorld) suspSnap(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	err := w.db.View(ctx, func(tx *store.Tx) error {
		list, _, err := tx.Suspensions(ctx, store.SuspensionFilter{Paths: []string{w.root.Path}, MaxMark: authz.TopSecret, Limit: 200})
		if err != nil {
			return err
		}
		for _, sp := range list {
			exts, err := tx.SuspensionExtensions(ctx, sp.ID)
			if err != nil {
				return err
			}
			seats, err := tx.SuspensionSeats(ctx, sp.ID)
			if err != nil {
				return err
			}
			evs, err := tx.SuspensionEvents(ctx, sp.ID)
			if err != nil {
				return err
			}
			js, _ := json.Marshal([]any{sp, exts, seats, len(evs)})
			b.Write(js)
			b.WriteByte('\n')
		}
		seq, hash, err := tx.AuditHead(ctx)
		fmt.Fprintf(&b, "audit %d %s", seq, hash)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// suspRefused checks that do is refused as check says and stores nothing.
func (w *dsWorld) suspRefused(t *testing.T, what string, check func(*testing.T, error), do func() error) {
	t.Helper()
	before := w.suspSnap(t)
	err := do()
	if err == nil {
		t.Errorf("%s: accepted, want a refusal", what)
	} else {
		t.Run(what, func(t *testing.T) { check(t, err) })
	}
	if after := w.suspSnap(t); after != before {
		t.Errorf("%s: refused but stored something:\n%s\n→\n%s", what, before, after)
	}
}

// withRule checks an invalid-input error on field with key whose field
// error cites rule.
func withRule(field, key, rule string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		fieldErr(t, err, field, key)
		if got := ktgs.AsError(err).Fields[field].Rule; got != rule || rule == "" {
			t.Errorf("%s cites %q, want %q", field, got, rule)
		}
	}
}

// r15 asks the rules directly, for the expected values.
func r15(t *testing.T, req rules.SuspensionRequest) (*rules.Decision, *rules.SuspensionResult) {
	t.Helper()
	b, _ := json.Marshal(req)
	dec, err := rules.Default().Evaluate("R15", b)
	if err != nil {
		t.Fatal(err)
	}
	return dec, dec.Result.(*rules.SuspensionResult)
}

// citation returns "regulation, article" of the value key in dec.
func citation(t *testing.T, dec *rules.Decision, key string) string {
	t.Helper()
	for _, c := range dec.Citations {
		if c.ValueKey == key {
			return c.Regulation + ", " + c.Article
		}
	}
	t.Fatalf("%s does not cite %s: %+v", dec.Rule, key, dec.Citations)
	return ""
}

func (w *dsWorld) seatSuspended(t *testing.T, seatID int64, day string) bool {
	t.Helper()
	var got bool
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.SeatSuspendedOn(ctx, seatID, d(day))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func (w *dsWorld) endingBy(t *testing.T, day string) []string {
	t.Helper()
	var out []string
	if err := w.db.View(ctx, func(tx *store.Tx) error {
		list, err := tx.SuspensionsEndingBy(ctx, d(day), 100)
		for _, sp := range list {
			out = append(out, sp.Code)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (w *dsWorld) suspAudit(t *testing.T, id int64) []string {
	t.Helper()
	var out []string
	err := w.db.View(ctx, func(tx *store.Tx) error {
		es, err := tx.AuditEntries(ctx, store.AuditFilter{System: true, ObjectType: "suspension", ObjectID: fmt.Sprint(id), Limit: 100})
		for i := len(es) - 1; i >= 0; i-- {
			out = append(out, es[i].Action)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func codes(list []*ktgs.Suspension) []string {
	var out []string
	for _, sp := range list {
		out = append(out, sp.Code)
	}
	return out
}

// TestSuspensionExtensionLimit is the scenario: the commune UBKT
// suspends the party activity of a member who sits on the commune đảng
// ủy, from 4/5/2026. R15 gives the end date (QĐ 21: 90 days, so 2/8), the
// committee seat is suspended for the same period, and party dues remain
// payable. A first extension of 20 days is accepted (22/8); a second
// extension is refused with the rule's article and nothing is stored.
// Then the suspension is listed among those ending by 22/8, and ended
// early on 1/6, when the seat is restored.
func TestSuspensionExtensionLimit(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		seat, err := w.s.AddSeat(ctx, w.term[w.commCapUy], app.SeatInput{MemberID: w.mA1.ID, Role: ktgs.RoleMember})
		if err != nil {
			t.Fatal(err)
		}
		chair := w.as(t, w.chair)
		in := app.SuspensionInput{MemberID: w.mA1.ID, BodyID: w.ubkt1, StartOn: d("2026-05-04"),
			Reason: "  Cố tình cản trở  công tác kiểm tra của Ủy ban Kiểm tra.\n"}
		suspend := func(actx context.Context, in app.SuspensionInput) func() error {
			return func() error { _, err := w.s.Suspend(actx, in); return err }
		}
		with := func(f func(*app.SuspensionInput)) app.SuspensionInput { x := in; f(&x); return x }

		// Refusals: nothing is stored.
		w.suspRefused(t, "a viewer", csErr(ktgs.EFORBIDDEN, authz.ReasonRole), suspend(w.as(t, w.viewer), in))
		w.suspRefused(t, "the member on their own suspension", csErr(ktgs.EFORBIDDEN, authz.ReasonAccused),
			suspend(w.as(t, w.sameOrg), with(func(x *app.SuspensionInput) { x.MemberID = w.mA2.ID })))
		w.suspRefused(t, "no reason", invalid("reason", "err.required"), suspend(chair, with(func(x *app.SuspensionInput) { x.Reason = " \n " })))
		w.suspRefused(t, "a start before the decision", invalid("start_on", "err.date_not_before"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.StartOn = d("2026-04-01") })))
		w.suspRefused(t, "a date out of range", invalid("decided_on", "err.date_range"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.DecidedOn = d("1900-01-01") })))
		initDec, _ := r15(t, rules.SuspensionRequest{SubjectKind: "MEMBER", StartDate: "2026-05-04"})
		w.suspRefused(t, "an initial length over R15's", withRule("initial", "rules.err.range", citation(t, initDec, "suspension.member_initial")),
			suspend(chair, with(func(x *app.SuspensionInput) { x.Initial = 120 })))
		w.suspRefused(t, "a seat the member does not hold", invalid("seat_ids", "err.suspension.seat_not_held"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.SeatIDs = []int64{seat.ID + 1000} })))
		w.suspRefused(t, "a member outside the body's organisation", invalid("member_id", "err.proceeding.outside_body"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.BodyID = w.chiboB })))
		w.suspRefused(t, "an unknown body", invalid("body_id", "err.not_found"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.BodyID = 999999 })))
		w.suspRefused(t, "an unknown proceeding", invalid("proceeding_id", "err.not_found"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.ProceedingID = 999999 })))

		// The suspension: its end date is R15's.
		sp, err := w.s.Suspend(chair, in)
		if err != nil {
			t.Fatalf("Suspend: %v", err)
		}
		_, want := r15(t, rules.SuspensionRequest{SubjectKind: "MEMBER", StartDate: "2026-05-04"})
		if sp.EndsOn != want.EndsOn || sp.EndsOn != d("2026-08-02") || sp.Total != 90 || sp.Initial != 90 || sp.MaxTotal != 120 ||
			sp.Unit != calendar.CalendarDays || sp.RuleSet != "QD21_2026" || !sp.Provisional || sp.FollowsLaw {
			t.Errorf("suspension: ends %s (R15 %s) total %d/%d %s %s", sp.EndsOn, want.EndsOn, sp.Total, sp.MaxTotal, sp.Unit, sp.RuleSet)
		}
		if !strings.HasPrefix(sp.Code, "DC-2026-") || sp.Status != ktgs.SuspensionActive || !sp.DuesPayable || sp.DecidedOn != d("2026-04-13") ||
			sp.Reason != "Cố tình cản trở công tác kiểm tra của Ủy ban Kiểm tra." || sp.OrgID != w.a.ID || sp.Mark != authz.Secret ||
			sp.CreatedBy != w.chair.ID {
			t.Errorf("suspension: %+v", sp)
		}
		if sp.StateOn(d("2026-05-03")) != ktgs.SuspensionScheduled || !sp.InForce(d("2026-08-02")) || sp.StateOn(d("2026-08-03")) != ktgs.SuspensionLapsed {
			t.Errorf("states around %s–%s", sp.StartOn, sp.EndsOn)
		}
		// The committee seat is suspended for the suspension's period.
		for day, want := range map[string]bool{"2026-05-03": false, "2026-05-04": true, "2026-08-02": true, "2026-08-03": false} {
			if got := w.seatSuspended(t, seat.ID, day); got != want {
				t.Errorf("seat suspended on %s: %v, want %v", day, got, want)
			}
		}
		if err := w.db.View(ctx, func(tx *store.Tx) error {
			ids, err := tx.SuspendedSeatIDs(ctx, w.mA1.ID, d("2026-06-01"))
			if err != nil || !slices.Equal(ids, []int64{seat.ID}) {
				t.Errorf("suspended seats of the member: %v %v", ids, err)
			}
			on, err := tx.MemberSuspendedOn(ctx, w.mA1.ID, d("2026-06-01"))
			if err != nil || !on {
				t.Errorf("member suspended on 1/6: %v %v", on, err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		det, err := w.s.SuspensionDetail(chair, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Seats) != 1 || det.Seats[0].ID != seat.ID || det.Seats[0].BodyKind != ktgs.BodyCommittee || !det.CanWrite ||
			!slices.Equal(det.Next, []string{"extend", "end"}) || det.State != ktgs.SuspensionScheduled || det.R15 == nil {
			t.Errorf("detail: seats %+v, next %v, state %s", det.Seats, det.Next, det.State)
		}
		if len(det.Events) != 1 || det.Events[0].Step != "suspend" || !strings.Contains(det.Events[0].Rules, `"R15"`) ||
			!strings.Contains(det.Events[0].Rules, "suspension.member_total") {
			t.Errorf("history: %+v", det.Events)
		}
		w.suspRefused(t, "a second suspension over the first", invalid("start_on", "err.suspension.overlap"),
			suspend(chair, with(func(x *app.SuspensionInput) { x.StartOn = d("2026-06-01") })))

		// The first extension: accepted.
		extend := func(actx context.Context, in app.SuspensionExtendInput) func() error {
			return func() error { _, err := w.s.ExtendSuspension(actx, sp.ID, in); return err }
		}
		w.setDay("2026-07-20")
		w.suspRefused(t, "an extension without a reason", invalid("reason", "err.required"), extend(chair, app.SuspensionExtendInput{Length: 20}))
		w.suspRefused(t, "an extension by a viewer", csErr(ktgs.EFORBIDDEN, authz.ReasonRole),
			extend(w.as(t, w.viewer), app.SuspensionExtendInput{Length: 20, Reason: "Cần thêm thời gian xác minh."}))
		w.suspRefused(t, "an extension by an inspector off the team", csErr(ktgs.EFORBIDDEN, authz.ReasonTeam),
			extend(w.as(t, w.insp), app.SuspensionExtendInput{Length: 20, Reason: "Cần thêm thời gian xác minh."}))
		w.suspRefused(t, "an extension of no days", invalid("length", "rules.err.range"),
			extend(chair, app.SuspensionExtendInput{Length: 0, Reason: "Cần thêm thời gian xác minh."}))
		sp, err = w.s.ExtendSuspension(chair, sp.ID, app.SuspensionExtendInput{Length: 20, Reason: "Cần thêm thời gian xác minh."})
		if err != nil {
			t.Fatalf("first extension: %v", err)
		}
		_, want = r15(t, rules.SuspensionRequest{SubjectKind: "MEMBER", StartDate: "2026-05-04", Extensions: []rules.ExtensionIn{{N: 20}}})
		if sp.EndsOn != want.EndsOn || sp.EndsOn != d("2026-08-22") || sp.Total != 110 || sp.Extensions != 1 || sp.Status != ktgs.SuspensionActive {
			t.Errorf("after the first extension: ends %s (R15 %s), total %d, %d extension(s)", sp.EndsOn, want.EndsOn, sp.Total, sp.Extensions)
		}
		if !w.seatSuspended(t, seat.ID, "2026-08-22") || w.seatSuspended(t, seat.ID, "2026-08-23") {
			t.Errorf("the seat's suspension does not follow the extension")
		}

		// The second extension: beyond the limit, refused with the
		// article of the limit on extensions; nothing stored.
		dec, _ := r15(t, rules.SuspensionRequest{SubjectKind: "MEMBER", StartDate: "2026-05-04", Extensions: []rules.ExtensionIn{{N: 20}, {N: 10}}})
		if dec.Outcome != "EXTENSION_REJECTED" {
			t.Fatalf("R15 on a second extension: %s", dec.Outcome)
		}
		second := extend(chair, app.SuspensionExtendInput{Length: 10, Reason: "Chưa kết thúc xác minh."})
		w.suspRefused(t, "a second extension", withRule("length", "err.suspension.extension_refused",
			citation(t, dec, "suspension.max_extensions")), second)
		if e := ktgs.AsError(second()); e == nil || len(e.Fields["length"].Args) == 0 ||
			!strings.Contains(fmt.Sprint(e.Fields["length"].Args[0]), "Gia hạn lần 2") {
			t.Errorf("the refusal does not give R15's reason: %v", e)
		}
		det, err = w.s.SuspensionDetail(chair, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Extensions) != 1 || det.Extensions[0].Seq != 1 || det.Extensions[0].Length != 20 || det.Extensions[0].EndsOn != d("2026-08-22") ||
			len(det.Events) != 2 || det.Suspension.EndsOn != d("2026-08-22") || det.State != ktgs.SuspensionInForce {
			t.Errorf("after the refusal: extensions %+v, %d events, ends %s", det.Extensions, len(det.Events), det.Suspension.EndsOn)
		}

		// Suspensions ending by a date, for the reminders.
		if got := w.endingBy(t, "2026-08-22"); !slices.Equal(got, []string{sp.Code}) {
			t.Errorf("ending by 22/8: %v", got)
		}
		if got := w.endingBy(t, "2026-08-21"); len(got) != 0 {
			t.Errorf("ending by 21/8: %v", got)
		}
		list, err := w.s.SuspensionsEndingBy(chair, d("2026-08-31"), 0)
		if err != nil || !slices.Equal(codes(list), []string{sp.Code}) {
			t.Errorf("the chair's list ending by 31/8: %v %v", codes(list), err)
		}
		if list, err := w.s.SuspensionsEndingBy(w.as(t, w.sec), d("2026-08-31"), 0); err != nil || len(list) != 0 {
			t.Errorf("a chi bộ secretary sees the commune UBKT's suspension: %v %v", codes(list), err)
		}
		if list, err := w.s.SuspensionsEndingBy(ctx, d("2026-08-31"), 10); err != nil || !slices.Equal(codes(list), []string{sp.Code}) {
			t.Errorf("the system's list ending by 31/8: %v %v", codes(list), err)
		}
		if _, err := w.s.SuspensionsEndingBy(chair, 0, 0); ktgs.ErrorCode(err) != ktgs.EINVALID {
			t.Errorf("no date: %v", err)
		}
		if mine, err := w.s.MemberSuspensions(chair, w.mA1.ID); err != nil || !slices.Equal(codes(mine), []string{sp.Code}) {
			t.Errorf("the member's suspensions: %v %v", codes(mine), err)
		}

		// An early end: party activity and the seat resume on 1/8.
		w.setDay("2026-08-01")
		end := func(actx context.Context, in app.SuspensionEndInput) func() error {
			return func() error { _, err := w.s.EndSuspension(actx, sp.ID, in); return err }
		}
		w.suspRefused(t, "an end without a reason", invalid("reason", "err.required"), end(chair, app.SuspensionEndInput{}))
		w.suspRefused(t, "an end before the start", invalid("ended_on", "err.suspension.before_start"),
			end(chair, app.SuspensionEndInput{EndedOn: d("2026-05-01"), Reason: "Đã hoàn thành kiểm tra."}))
		w.suspRefused(t, "an end after the last day", invalid("ended_on", "err.suspension.lapsed"),
			end(chair, app.SuspensionEndInput{EndedOn: d("2026-09-01"), Reason: "Đã hoàn thành kiểm tra."}))
		w.suspRefused(t, "an end by a viewer", csErr(ktgs.EFORBIDDEN, authz.ReasonRole),
			end(w.as(t, w.viewer), app.SuspensionEndInput{Reason: "Đã hoàn thành kiểm tra."}))
		sp, err = w.s.EndSuspension(chair, sp.ID, app.SuspensionEndInput{Reason: "Đã hoàn thành kiểm tra, không còn cần đình chỉ."})
		if err != nil {
			t.Fatalf("EndSuspension: %v", err)
		}
		if sp.Status != ktgs.SuspensionEnded || sp.EndedOn != d("2026-08-01") || sp.LastDay() != d("2026-07-31") ||
			sp.StateOn(d("2026-08-01")) != ktgs.SuspensionEndedEarly || !sp.InForce(d("2026-07-31")) {
			t.Errorf("after the end: %s on %s, last day %s", sp.Status, sp.EndedOn, sp.LastDay())
		}
		if !w.seatSuspended(t, seat.ID, "2026-07-31") || w.seatSuspended(t, seat.ID, "2026-08-01") {
			t.Errorf("the seat is not restored on the end")
		}
		if got := w.endingBy(t, "2026-12-31"); len(got) != 0 {
			t.Errorf("an ended suspension is still listed as ending: %v", got)
		}
		w.suspRefused(t, "an extension after the end", csErr(ktgs.ECONFLICT, "err.suspension.not_active"),
			extend(chair, app.SuspensionExtendInput{Length: 5, Reason: "Gia hạn."}))
		w.suspRefused(t, "a second end", csErr(ktgs.ECONFLICT, "err.suspension.not_active"),
			end(chair, app.SuspensionEndInput{Reason: "Lần nữa."}))
		det, err = w.s.SuspensionDetail(chair, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(det.Next) != 0 || det.State != ktgs.SuspensionEndedEarly || len(det.Events) != 3 || det.Events[2].Step != "end" {
			t.Errorf("detail after the end: next %v, state %s, events %+v", det.Next, det.State, det.Events)
		}
		if got := w.suspAudit(t, sp.ID); !slices.Equal(got, []string{"suspension.suspend", "suspension.extend", "suspension.end"}) {
			t.Errorf("audit: %v", got)
		}
		// A new suspension may start once the first has ended.
		if _, err := w.s.Suspend(chair, with(func(x *app.SuspensionInput) { x.DecidedOn, x.StartOn = d("2026-08-01"), d("2026-08-05") })); err != nil {
			t.Errorf("a suspension after the early end: %v", err)
		}
	})
}

// TestSuspensionProceedingCriminal: a suspension within a discipline
// proceeding of a member who is prosecuted follows the legal time limits
// (R15): it has no end date of its own, is never listed as ending, and
// cannot be extended here; dues remain payable. The member takes the
// proceeding's, and may not act on their own suspension.
func TestSuspensionProceedingCriminal(t *testing.T) {
	dsRun(t, func(t *testing.T, w *dsWorld) {
		sec, chair := w.as(t, w.sec), w.as(t, w.chair)
		p := w.open(t, sec, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: w.mB2.ID, BodyID: w.chiboB,
			Origin: ktgs.OriginDirect, Category: "DAO_DUC_LOI_SONG", Violation: "Vi phạm quy định về những điều đảng viên không được làm.",
			ViolationOn: d("2026-02-14"), WarrantedForm: ktgs.FormReprimand})
		in := app.SuspensionInput{BodyID: w.ubkt1, ProceedingID: p.ID, CriminalProceedings: true, Reason: "Đảng viên bị khởi tố, tạm giam."}
		w.suspRefused(t, "a proceeding of another member", invalid("proceeding_id", "err.suspension.proceeding_member"), func() error {
			x := in
			x.MemberID = w.mA2.ID
			_, err := w.s.Suspend(chair, x)
			return err
		})
		sp, err := w.s.Suspend(chair, in)
		if err != nil {
			t.Fatalf("Suspend: %v", err)
		}
		if sp.MemberID != w.mB2.ID || sp.ProceedingID != p.ID || !sp.FollowsLaw || !sp.EndsOn.IsZero() || !sp.DuesPayable ||
			sp.Mark != p.Mark || sp.StartOn != d("2026-04-13") || sp.LastDay() != civil.Date(0) || !sp.InForce(d("2027-04-13")) {
			t.Errorf("suspension: %+v", sp)
		}
		if got := w.endingBy(t, "2100-12-31"); len(got) != 0 {
			t.Errorf("a suspension under the legal time limits is listed as ending: %v", got)
		}
		dec, _ := r15(t, rules.SuspensionRequest{SubjectKind: "MEMBER", StartDate: "2026-04-13", CriminalProceedings: true})
		w.suspRefused(t, "an extension under the legal time limits", withRule("length", "err.suspension.follows_law",
			citation(t, dec, "suspension.criminal_legal_limits")), func() error {
			_, err := w.s.ExtendSuspension(chair, sp.ID, app.SuspensionExtendInput{Length: 10, Reason: "Gia hạn."})
			return err
		})
		w.suspRefused(t, "the suspended member ends their own suspension", csErr(ktgs.EFORBIDDEN, authz.ReasonAccused), func() error {
			_, err := w.s.EndSuspension(w.as(t, w.sameMem), sp.ID, app.SuspensionEndInput{Reason: "Tự chấm dứt."})
			return err
		})
		det, err := w.s.SuspensionDetail(chair, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if det.ProceedingCode != p.Code || !slices.Equal(det.Next, []string{"end"}) || det.R15 == nil || det.R15.Outcome != "FOLLOWS_LEGAL_TIME_LIMITS" {
			t.Errorf("detail: proceeding %q, next %v", det.ProceedingCode, det.Next)
		}
		// The scope is the deciding body's organisation: the chi bộ's
		// secretary does not see the commune UBKT's suspension.
		if _, err := w.s.SuspensionDetail(sec, sp.ID); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("the chi bộ secretary reads the suspension: %v", err)
		}
		if list, err := w.s.MemberSuspensions(chair, w.mB2.ID); err != nil || !slices.Equal(codes(list), []string{sp.Code}) {
			t.Errorf("the member's suspensions: %v %v", codes(list), err)
		}
	})
}
