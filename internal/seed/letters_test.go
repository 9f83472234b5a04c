package seed_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/seed"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// seedKeys is the identity key ring the letters are sealed with: one for
// the whole test binary, so both engines seal under the same key and
// their blind-index tags agree.
var seedKeys = func() *sealed.Keyring {
	k, err := sealed.Parse("k1 " + strings.Repeat("QUJD", 10) + "QUI=")
	if err != nil {
		panic(err)
	}
	return k
}()

// listAll reads every page of a service list that pages by id (newest
// first, BeforeID), 200 at a time.
func listAll[T any](t *testing.T, list func(before int64) ([]T, bool, error), id func(T) int64) []T {
	t.Helper()
	var all []T
	for before := int64(0); ; {
		page, more, err := list(before)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if !more {
			return all
		}
		before = id(page[len(page)-1])
	}
}

// checkIntegrity reports every problem the store's integrity check
// finds.
func checkIntegrity(t *testing.T, db *store.DB) {
	t.Helper()
	err := db.View(ctx, func(tx *store.Tx) error {
		problems, err := tx.Integrity(ctx)
		for _, p := range problems {
			t.Error(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// allLetters reads every letter through the service, as a commission
// chair of the whole tree sees the inbox.
func allLetters(t *testing.T, svc *app.Service, actx context.Context) []*ktgs.Letter {
	t.Helper()
	all := listAll(t, func(before int64) ([]*ktgs.Letter, bool, error) {
		return svc.ListLetters(actx, app.LetterQuery{BeforeID: before, Limit: 200})
	}, func(l *ktgs.Letter) int64 { return l.ID })
	slices.SortFunc(all, func(a, b *ktgs.Letter) int { return int(a.ID - b.ID) })
	return all
}

// TestLettersDemo generates the demo hierarchy, its activity and letters
// on each engine and checks the letters: the same seed gives the same
// letters on both engines; every kind and the statuses of a working inbox
// are there; every sender opens with the key ring and no identity is in
// clear text in the letters table; a duplicate points to an earlier
// letter of the same sender; a clocked letter is due when R14 says from
// the day the competent UBKT received it.
func TestLettersDemo(t *testing.T) {
	var first *seed.LetterStats
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: seedKeys})
		if err != nil {
			t.Fatal(err)
		}
		ls := st.Letters
		t.Logf("%s: %+v", db.Engine(), ls)
		if first == nil {
			first = &ls
		} else if ls != *first {
			t.Errorf("the same seed gave different letters on another engine:\n%+v\n%+v", ls, *first)
		}
		if ls.Skipped != "" || ls.Sizing == "" || ls.Letters < 400 {
			t.Fatalf("demo letters: %+v", ls)
		}
		for i, n := range ls.ByKind {
			if n == 0 {
				t.Errorf("no letter of kind %s", ktgs.LetterKinds[i])
			}
		}
		for _, s := range []ktgs.LetterStatus{ktgs.LetterReceived, ktgs.LetterAccepted, ktgs.LetterVerifying, ktgs.LetterClosed,
			ktgs.LetterDuplicate, ktgs.LetterInformation, ktgs.LetterNotResolved} {
			if ls.ByStatus[slices.Index(ktgs.LetterStatuses, s)] == 0 {
				t.Errorf("no letter %s: %v", s, ls.ByStatus)
			}
		}
		if share := float64(ls.Duplicates) / float64(ls.Letters); share < .07 || share > .17 {
			t.Errorf("duplicates %d of %d letters, want about 12%%", ls.Duplicates, ls.Letters)
		}
		if ls.ByStatus[slices.Index(ktgs.LetterStatuses, ktgs.LetterClosed)] < ls.Letters/4 {
			t.Errorf("ten years of letters should be mostly closed: %v", ls.ByStatus)
		}

		svc := app.New(db, nil)
		svc.Keys = seedKeys
		actx := rootReader(t, db, svc)
		all := allLetters(t, svc, actx)
		if int64(len(all)) != ls.Letters {
			t.Fatalf("the inbox shows %d letters to a reader of the whole tree, the seed wrote %d", len(all), ls.Letters)
		}
		byID := map[int64]*ktgs.Letter{}
		var kinds [4]int64
		var statuses [11]int64
		for _, l := range all {
			byID[l.ID] = l
			kinds[slices.Index(ktgs.LetterKinds, l.Kind)]++
			statuses[slices.Index(ktgs.LetterStatuses, l.Status)]++
		}
		if kinds != ls.ByKind || statuses != ls.ByStatus {
			t.Errorf("histograms read back %v %v, stats %v %v", kinds, statuses, ls.ByKind, ls.ByStatus)
		}
		senders := map[int64]*ktgs.Sender{}
		for _, l := range all {
			snd, err := app.OpenLetterSender(seedKeys, l)
			if err != nil {
				t.Fatalf("letter %s: the sender does not open with the key ring: %v", l.Code, err)
			}
			senders[l.ID] = snd
			switch {
			case l.Mode == ktgs.SenderNamed && (snd.Name == "" || l.SenderTag == ""):
				t.Errorf("letter %s: named without a sealed name or tag: %+v", l.Code, snd)
			case l.Mode == ktgs.SenderAnonymous && (l.SenderSealed != "" || l.SenderTag != ""):
				t.Errorf("letter %s: anonymous with a sealed sender", l.Code)
			case l.Mode != ktgs.SenderNamed && l.Kind != ktgs.LetterAnonymous:
				t.Errorf("letter %s: sender %s but kind %s", l.Code, l.Mode, l.Kind)
			}
			if snd.MemberID != 0 && l.DenouncerTag == "" {
				t.Errorf("letter %s: a member denounced without a denouncer tag", l.Code)
			}
			if !strings.HasPrefix(l.Code, "ĐT-"+civil.Date.String(l.ReceivedOn)[:4]+"-") {
				t.Errorf("letter code %s received %s", l.Code, l.ReceivedOn)
			}
			if len(l.Allegations) == 0 {
				t.Errorf("letter %s without allegations", l.Code)
			}
			if l.DuplicateOf != 0 {
				o := byID[l.DuplicateOf]
				switch {
				case o == nil:
					t.Errorf("letter %s: duplicate of unknown letter %d", l.Code, l.DuplicateOf)
				case o.ID >= l.ID || o.ReceivedOn.After(l.ReceivedOn) || o.DuplicateOf != 0:
					t.Errorf("duplicate %s (%s) of %s (%s): not an earlier first letter", l.Code, l.ReceivedOn, o.Code, o.ReceivedOn)
				case o.SenderTag == "" || o.SenderTag != l.SenderTag:
					t.Errorf("duplicate %s of %s: another sender", l.Code, o.Code)
				}
				if l.Status != ktgs.LetterDuplicate {
					t.Errorf("letter %s: linked as a duplicate but %s", l.Code, l.Status)
				}
			}
			checkClock(t, svc.Rules, l)
		}
		// A letter's page: its history replays through the step table,
		// and nothing in it gives its sender away.
		checked := 0
		for _, l := range all {
			d, err := svc.LetterDetail(actx, l.ID)
			if err != nil {
				t.Fatalf("letter %s: %v", l.Code, err)
			}
			checkLetterHistory(t, d)
			checked += checkNoClearIdentity(t, d, senders[l.ID])
		}
		if checked == 0 {
			t.Error("no sender identity to check")
		}
	})
}

// checkClock checks that a letter that was accepted is due when R14
// says, from the competent UBKT's receipt, with the extension it got.
func checkClock(t *testing.T, reg *rules.Registry, l *ktgs.Letter) {
	t.Helper()
	if !l.Status.Clocked() {
		return
	}
	if l.DueOn.IsZero() || l.CompetentOn.IsZero() || l.Clock == "" {
		t.Errorf("letter %s %s: due %s, competent receipt %s, clock %q", l.Code, l.Status, l.DueOn, l.CompetentOn, l.Clock)
		return
	}
	var cs struct {
		Request rules.ClockRequest `json:"request"`
	}
	if err := json.Unmarshal([]byte(l.Clock), &cs); err != nil {
		t.Errorf("letter %s: clock %v", l.Code, err)
		return
	}
	if cs.Request.ReceivedByCompetentOn != l.CompetentOn.String() || len(cs.Request.Extensions) != l.Extensions {
		t.Errorf("letter %s: clock request %+v, competent receipt %s, %d extensions", l.Code, cs.Request, l.CompetentOn, l.Extensions)
	}
	b, _ := json.Marshal(cs.Request)
	dec, err := reg.Evaluate("R14", b)
	if err != nil {
		t.Fatal(err)
	}
	if want := dec.Result.(*rules.ClockResult).Deadline; l.DueOn != want {
		t.Errorf("letter %s: due %s, R14 gives %s from %s", l.Code, l.DueOn, want, l.CompetentOn)
	}
}

// checkNoClearIdentity checks that nothing of the sender of d's letter
// (name, phone, e-mail, identity number, address) is stored in clear
// text: not in any column of its row (read through the store as it is
// stored: sealed sender, tags, title, content, intake, clock), its
// allegations, history or notices.
func checkNoClearIdentity(t *testing.T, d *app.LetterDetail, snd *ktgs.Sender) int {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range []string{snd.Name, snd.Phone, snd.Email, snd.IDNumber, snd.Address} {
		if x == "" {
			continue
		}
		n++
		if strings.Contains(string(b), x) {
			t.Errorf("letter %s: the sender's %q is stored in clear text", d.Letter.Code, x)
		}
	}
	return n
}

// checkLetterHistory replays the history of a letter through the step
// table.
func checkLetterHistory(t *testing.T, d *app.LetterDetail) {
	t.Helper()
	l := d.Letter
	if len(d.Events) == 0 || d.Events[0].Step != ktgs.StepLetterReceive {
		t.Errorf("letter %s: the history does not open with the receipt", l.Code)
		return
	}
	cur := d.Events[0].To
	for i, e := range d.Events[1:] {
		if e.From != cur || !ktgs.LetterStepAllowed(e.Step, cur) {
			t.Errorf("letter %s event %d: %s from %s (recorded %s) is not in the step table", l.Code, i+1, e.Step, cur, e.From)
			return
		}
		if e.At.Before(d.Events[i].At) || e.On.Before(d.Events[i].On) {
			t.Errorf("letter %s event %d: %s on %s before the previous event", l.Code, i+1, e.Step, e.On)
		}
		cur = e.To
	}
	if cur != l.Status {
		t.Errorf("letter %s: the history ends at %s, the letter is %s", l.Code, cur, l.Status)
	}
	if l.Status == ktgs.LetterClosed {
		accused := 0
		for _, n := range d.Notices {
			if n.Kind == ktgs.NoticeAccused {
				accused++
			}
		}
		if !slices.ContainsFunc(d.Notices, func(n ktgs.LetterNotice) bool { return n.Kind == ktgs.NoticeResult }) {
			t.Errorf("letter %s: closed without a result notice", l.Code)
		}
		for _, a := range l.Allegations {
			if a.Kind == ktgs.LetterDenunciation && (a.Result == "" || a.Conclusion == "") {
				t.Errorf("letter %s: closed with allegation %d unconcluded", l.Code, a.Seq)
			}
		}
		if accused == 0 && slices.ContainsFunc(l.Allegations, func(a ktgs.Allegation) bool {
			return a.Kind == ktgs.LetterDenunciation && a.Subject != ktgs.AllegedUnknown
		}) {
			t.Errorf("letter %s: closed without a notice to the accused", l.Code)
		}
	}
	if (l.Status == ktgs.LetterVerifying || l.Status == ktgs.LetterClosed) && len(l.Team) > 0 &&
		!slices.ContainsFunc(l.Team, func(m ktgs.LetterTeamMember) bool { return m.Role == "PRESIDE" }) {
		t.Errorf("letter %s: a team without anyone presiding", l.Code)
	}
}

// TestLettersWithoutKey: no key ring, no letters, and the stats say why.
func TestLettersWithoutKey(t *testing.T) {
	db := testdb.OpenSQLite(t)
	if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.Letters.Letters != 0 || st.Letters.Skipped == "" {
		t.Errorf("letters without a key: %+v", st.Letters)
	}
}

// TestDemoLetterStories runs the demonstration stories with an identity
// key, after the activity (as serve --demo does) and without it (as the
// web tests do), and finds each letter story in the demo commune's UBKT
// in the state the story left it.
func TestDemoLetterStories(t *testing.T) {
	run := func(t *testing.T, db *store.DB, activity bool) {
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		if activity {
			if _, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleDemo, Seed: 1, Keys: seedKeys}); err != nil {
				t.Fatal(err)
			}
		}
		svc := app.New(db, nil)
		svc.Clock = func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, app.Zone) }
		svc.Keys = seedKeys
		if err := seed.DemoStories(ctx, svc); err != nil {
			t.Fatal(err)
		}
		actx := rootReader(t, db, svc)
		var ubkt int64
		db.View(ctx, func(tx *store.Tx) error {
			id, err := tx.OrgIDByCode(ctx, "P19-O1-D01-C01")
			if err != nil {
				t.Fatal(err)
			}
			b, err := tx.BodyByKind(ctx, id, ktgs.BodyInspectionCommission)
			if err != nil {
				t.Fatal(err)
			}
			ubkt = b.ID
			return nil
		})
		byTitle := map[string][]*ktgs.Letter{}
		for _, l := range allLetters(t, svc, actx) {
			if l.CreatedBy == 0 && l.ReceivedOn.Year() == 2026 && !l.ReceivedOn.Before(civil.MustParse("2026-06-15")) {
				byTitle[l.Title] = append(byTitle[l.Title], l)
			}
		}
		story := func(title string, want ktgs.LetterStatus, n int) []*ktgs.Letter {
			t.Helper()
			ls := byTitle[title]
			if len(ls) != n {
				t.Fatalf("story %q: %d letters, want %d", title, len(ls), n)
			}
			if ls[0].Status != want {
				t.Errorf("story %q: %s, want %s", title, ls[0].Status, want)
			}
			return ls
		}
		today := svc.Today()
		pub := story("Phản ánh việc xét hộ nghèo không đúng đối tượng", ktgs.LetterReceived, 1)[0]
		if pub.Channel != ktgs.ChannelPublicForm || pub.HolderBodyID != ubkt || pub.ReceivedOn != today {
			t.Errorf("public letter: %s at body %d on %s", pub.Channel, pub.HolderBodyID, pub.ReceivedOn)
		}
		pair := story("Tố cáo việc thu các khoản đóng góp trái quy định", ktgs.LetterVerifying, 2)
		first, dup := pair[0], pair[1]
		if dup.Status != ktgs.LetterDuplicate || dup.DuplicateOf != first.ID || dup.SenderTag != first.SenderTag {
			t.Errorf("duplicate: %s of %d (first %d)", dup.Status, dup.DuplicateOf, first.ID)
		}
		d, err := svc.LetterDetail(actx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Letter.Team) < 2 || d.Overdue {
			t.Errorf("accepted letter: team %v, overdue %v", d.Letter.Team, d.Overdue)
		}
		checkClock(t, svc.Rules, first)
		late := story("Tố cáo việc chi sai kinh phí hỗ trợ sản xuất", ktgs.LetterVerifying, 1)[0]
		if !late.Overdue(today) {
			t.Errorf("overdue story: due %s, today %s", late.DueOn, today)
		}
		checkClock(t, svc.Rules, late)
		story("Đơn không ký tên phản ánh việc đánh bạc", ktgs.LetterInformation, 1)
		closed := story("Tố cáo việc xác nhận sai nguồn gốc đất ở thôn Thắng Lợi", ktgs.LetterClosed, 1)[0]
		if d, err = svc.LetterDetail(actx, closed.ID); err != nil {
			t.Fatal(err)
		}
		kinds := map[ktgs.NoticeKind]int{}
		for _, n := range d.Notices {
			kinds[n.Kind]++
		}
		if kinds[ktgs.NoticeAccused] != 1 || kinds[ktgs.NoticeResult] != 1 {
			t.Errorf("closed letter notices: %v", kinds)
		}
		snd, err := app.OpenLetterSender(seedKeys, closed)
		if err != nil || snd.Name == "" {
			t.Fatalf("closed letter sender: %+v %v", snd, err)
		}
		checkNoClearIdentity(t, d, snd)
		moved := story("Tố cáo việc lấn chiếm đất hành lang giao thông", ktgs.LetterTransferred, 1)[0]
		if moved.HolderBodyID == ubkt || moved.CompetentBodyID != moved.HolderBodyID || !moved.CompetentOn.IsZero() {
			t.Errorf("transferred letter: holder %d competent %d on %s", moved.HolderBodyID, moved.CompetentBodyID, moved.CompetentOn)
		}
	}
	testdb.Run(t, func(t *testing.T, db *store.DB) { run(t, db, true) })
	t.Run("without activity", func(t *testing.T) { run(t, testdb.OpenSQLite(t), false) })
}

// BenchmarkActivityProvinceLetters is BenchmarkActivityProvince with an
// identity key, so with the letters: the difference is their cost.
func BenchmarkActivityProvinceLetters(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := testdb.OpenSQLite(b)
		if _, err := seed.Generate(ctx, db, seed.Options{Scale: seed.ScaleProvince, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := seed.GenerateActivity(ctx, db, seed.Options{Scale: seed.ScaleProvince, Seed: 1, Keys: seedKeys})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Cases), "cases")
		b.ReportMetric(float64(st.Letters.Letters), "letters")
	}
}
