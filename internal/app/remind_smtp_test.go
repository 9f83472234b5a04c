package app_test

import (
	"context"
	"mime"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/mail"
	"ktgs/internal/mail/mailtest"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestRemindersByEmail sends the reminders of a case due soon through a
// real SMTP exchange on loopback: one e-mail per reminder to the team
// members with an address, in Vietnamese, and never twice, also when
// several servers run the reminders at once.
func TestRemindersByEmail(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone)
		s := app.New(db, nil)
		s.Clock = func() time.Time { return now }
		s.Auth.Hasher = &auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
		if err := seed.DemoStories(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateDemoAccounts(ctx); err != nil {
			t.Fatal(err)
		}
		srv := mailtest.Start(t)
		sender, err := mail.New(mail.Config{Addr: srv.Addr, From: "KTGS <ktgs@localhost>", TLS: "none", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		s.Mailer = sender
		var lead *ktgs.User
		db.Update(ctx, func(tx *store.Tx) error {
			lead, err = tx.UserByName(ctx, "kiemtra")
			if err != nil {
				t.Fatal(err)
			}
			lead.Email = "kiemtra@ubkt.example.vn"
			return tx.UpdateUser(ctx, lead)
		})
		c, err := s.ProposeCase(ctx, app.CaseInput{Kind: ktgs.CaseKindKTDHVP, OrgCode: "P19-O1-D01-C01", BodyKind: ktgs.BodyInspectionCommission,
			Title: "Kiểm tra quỹ Chi bộ thôn Đoàn Kết", ProposedOn: civil.MustParse("2026-11-20"),
			Subjects: []app.SubjectInput{{Kind: ktgs.SubjectOrg, OrgCode: "P19-O1-D01-C01-VM1"}}})
		if err != nil {
			t.Fatal(err)
		}
		// Five working days from Monday 23/11 end on Monday 30/11: within
		// the three days of the reminder on Friday 27/11.
		if _, err := s.Transition(ctx, c.ID, app.TransitionInput{Name: ktgs.TransDecide, Date: civil.MustParse("2026-11-21"),
			StartOn: civil.MustParse("2026-11-23"), DurationDays: 5}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddTeamMember(ctx, c.ID, lead.ID, ktgs.TeamRoleLead); err != nil {
			t.Fatal(err)
		}
		done := make(chan int, 4)
		for range 4 {
			go func() {
				n, err := s.RunReminders(ctx, civil.MustParse("2026-11-27"))
				if err != nil {
					t.Error(err)
				}
				done <- n
			}()
		}
		total := 0
		for range 4 {
			total += <-done
		}
		msgs := srv.Messages()
		if total != 1 || len(msgs) != 1 {
			t.Fatalf("4 concurrent runs notified %d people and sent %d e-mails, want 1 and 1", total, len(msgs))
		}
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != "kiemtra@ubkt.example.vn" || m.Parsed == nil {
			t.Fatalf("e-mail to %v, parsed %v", m.To, m.Parsed != nil)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Parsed.Header.Get("Subject"))
		if err != nil || !strings.Contains(subject, "Kiểm tra quỹ Chi bộ thôn Đoàn Kết") || !strings.Contains(subject, "30/11/2026") {
			t.Errorf("subject %q (%v)", subject, err)
		}
		// Another run the same day sends nothing more.
		if n, err := s.RunReminders(ctx, civil.MustParse("2026-11-27")); err != nil || n != 0 || len(srv.Messages()) != 1 {
			t.Errorf("second run: %d, %v, %d e-mails", n, err, len(srv.Messages()))
		}
		// The in-app notification is there too.
		notes, err := s.Notifications(app.WithActor(context.Background(), &authz.Actor{UserID: lead.ID, Name: lead.Username, Role: lead.Role, Scope: lead.Scope}))
		if err != nil || len(notes) != 1 || !strings.Contains(notes[0].Text, "đến hạn") {
			t.Errorf("notifications %+v, %v", notes, err)
		}
	})
}
