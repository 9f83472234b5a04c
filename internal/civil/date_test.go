package civil

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"01/07/2025", "2025-07-01", nil},
		{"1/7/2025", "2025-07-01", nil},
		{"01.07.2025", "2025-07-01", nil},
		{"01-07-2025", "2025-07-01", nil},
		{"2025-07-01", "2025-07-01", nil},
		{"2025-07-01T00:00:00Z", "2025-07-01", nil},
		{" 29/02/2024 ", "2024-02-29", nil},
		{"29/02/2025", "", ErrRange},
		{"31/04/2025", "", ErrRange},
		{"13/13/2025", "", ErrRange},
		{"07/01/25", "", ErrSyntax},
		{"", "", ErrSyntax},
		{"hôm nay", "", ErrSyntax},
		{"2025/07/01", "", ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != tc.wantErr {
				t.Fatalf("Parse(%q) err=%v, want %v", tc.in, err, tc.wantErr)
			}
			if got.String() != tc.want {
				t.Fatalf("Parse(%q)=%s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	d := MustParse("2025-01-31")
	if got := d.AddMonths(1).String(); got != "2025-02-28" {
		t.Errorf("AddMonths(1)=%s, want 2025-02-28", got)
	}
	if got := MustParse("2024-02-29").AddYears(1).String(); got != "2025-02-28" {
		t.Errorf("AddYears(1)=%s, want 2025-02-28", got)
	}
	if got := MustParse("2025-03-31").AddMonths(-1).String(); got != "2025-02-28" {
		t.Errorf("AddMonths(-1)=%s, want 2025-02-28", got)
	}
	if got := MustParse("2025-05-10").AddMonths(12).String(); got != "2026-05-10" {
		t.Errorf("AddMonths(12)=%s", got)
	}
	if got := MustParse("2025-01-15").AddMonths(-13).String(); got != "2023-12-15" {
		t.Errorf("AddMonths(-13)=%s", got)
	}
	if n := MustParse("2026-01-01").Sub(MustParse("2025-01-01")); n != 365 {
		t.Errorf("Sub=%d, want 365", n)
	}
	if MustParse("2025-07-01").Weekday() != time.Tuesday {
		t.Errorf("2025-07-01 is a Tuesday")
	}
	if !Forever.IsForever() || Forever.String() != "9999-12-31" {
		t.Errorf("Forever=%s", Forever)
	}
	if (Date(0)).String() != "" || MustParse("2025-07-01").VN() != "01/07/2025" {
		t.Errorf("formatting")
	}
}

func TestScan(t *testing.T) {
	var d Date
	for _, src := range []any{"2025-07-01", []byte("2025-07-01"), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)} {
		if err := d.Scan(src); err != nil || d.String() != "2025-07-01" {
			t.Fatalf("Scan(%v)=%s,%v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Fatalf("Scan(nil)=%v,%v", d, err)
	}
	if err := d.Scan(42); err == nil {
		t.Fatal("Scan(int) should fail")
	}
}

func TestYMDMatchesTime(t *testing.T) {
	for d := New(1600, 1, 1); d < New(2400, 12, 31); d += 37 {
		y, m, dd := d.YMD()
		ty, tm, td := d.Time().Date()
		if y != ty || m != tm || dd != td {
			t.Fatalf("YMD(%d)=%d-%d-%d, time says %d-%d-%d", d, y, m, dd, ty, tm, td)
		}
		if got := MustParse(d.String()); got != d {
			t.Fatalf("round trip %s → %d, want %d", d, got, d)
		}
	}
}

func TestParseFastPathAgrees(t *testing.T) {
	for _, s := range []string{"01/07/2025", "31/12/2099", "29/02/2024", "29/02/2025", "00/01/2025", "32/01/2025", "01/13/2025", "0a/01/2025",
		"2025-07-01", "2024-02-29", "2025-02-29", "2025-00-10", "0000-01-01", "01/01/0000"} {
		got, gerr := Parse(s)
		want, werr := Parse(" " + s) // the general path
		if got != want || gerr != werr {
			t.Errorf("Parse(%q)=%v,%v; general path %v,%v", s, got, gerr, want, werr)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse("01/07/2025")
	}
}
