package web_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestLetterPagesEscape: what a stranger writes into a letter (title,
// content, the accused's name and unit) comes back escaped on every page
// that shows it — the inbox, the letter page, the CSV and the JSON — and
// never as markup. The public form is the one place where anyone may
// write without an account.
func TestLetterPagesEscape(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, svc := demoServer(t, db)
		const payload = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`
		l, _, err := svc.ReceiveLetter(app.AsSystem(ctx), app.LetterInput{Channel: ktgs.ChannelPost, Mode: ktgs.SenderNamed,
			Sender: ktgs.Sender{Name: "Người gửi " + payload}, Title: "Tiêu đề " + payload,
			Content: "Nội dung đơn tố cáo có đoạn mã " + payload + " cần xem xét.", OrgCode: "P19-O1-D01-C01",
			BodyKind: ktgs.BodyInspectionCommission, Allegations: []app.AllegationInput{{AccusedName: "Ông A " + payload, AccusedUnit: "Đơn vị " + payload}}})
		if err != nil {
			t.Fatal(err)
		}
		// A title a spreadsheet would run as a formula.
		if _, _, err := svc.ReceiveLetter(app.AsSystem(ctx), app.LetterInput{Channel: ktgs.ChannelPost, Mode: ktgs.SenderNamed,
			Sender: ktgs.Sender{Name: "Người gửi thứ hai"}, Title: `=HYPERLINK("http://evil.example/x","Tiêu đề")`,
			Content: "Một đơn khác với tiêu đề là công thức bảng tính, nội dung đủ dài.", OrgCode: "P19-O1-D01-C01",
			BodyKind: ktgs.BodyInspectionCommission, Allegations: []app.AllegationInput{{AccusedName: "Ông B"}}}); err != nil {
			t.Fatal(err)
		}
		c := client(t, ts, "chunhiem")
		for _, path := range []string{"/letters", fmt.Sprintf("/letters/%d", l.ID), "/letters.csv", fmt.Sprintf("/api/v1/letters/%d", l.ID)} {
			resp, err := c.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", path, resp.StatusCode)
				continue
			}
			// The CSV is not markup (its text is the text); every other
			// answer must escape it.
			if !strings.HasSuffix(path, ".csv") && (strings.Contains(string(body), "<script>window.__xss") || strings.Contains(string(body), "<img src=x")) {
				t.Errorf("%s returns the payload as markup", path)
			}
			if strings.HasSuffix(path, ".csv") {
				recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff"))).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				formulas := 0
				for _, rec := range recs {
					for _, cell := range rec {
						if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
							t.Errorf("%s: a spreadsheet would read %q as a formula", path, cell)
						}
						if strings.Contains(cell, "HYPERLINK") {
							formulas++
						}
					}
				}
				if formulas != 1 {
					t.Errorf("%s: the formula-like title appears %d times, want once (neutralised)", path, formulas)
				}
			}
			if !strings.Contains(string(body), "Tiêu đề") {
				t.Errorf("%s does not show the letter at all", path)
			}
		}
	})
}
