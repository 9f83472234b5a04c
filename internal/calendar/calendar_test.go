package calendar

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"ktgs/internal/civil"
)

func TestIsWorkingDay(t *testing.T) {
	c := Default()
	tests := []struct {
		date string
		want bool
		why  string
	}{
		// 2024
		{"2024-01-01", false, "Tết Dương lịch"},
		{"2024-02-07", true, "Wednesday before Tết"},
		{"2024-02-08", false, "Tết 2024 off 08/02–14/02"},
		{"2024-02-12", false, "Tết 2024"},
		{"2024-02-14", false, "Tết 2024, day in lieu"},
		{"2024-02-15", true, "first working day after Tết 2024"},
		{"2024-04-18", false, "Giỗ Tổ 2024"},
		{"2024-04-29", false, "Monday swapped for Saturday 04/05"},
		{"2024-05-01", false, "Labour Day 2024"},
		{"2024-05-04", true, "make-up Saturday 2024"},
		{"2024-09-03", false, "National Day adjacent day 2024"},
		// 2025
		{"2025-01-01", false, "Tết Dương lịch"},
		{"2025-01-24", true, "Friday before Tết 2025"},
		{"2025-01-25", false, "Tết 2025 off 25/01–02/02 (Saturday)"},
		{"2025-01-27", false, "Tết 2025"},
		{"2025-01-31", false, "Tết 2025"},
		{"2025-02-02", false, "Tết 2025 (Sunday)"},
		{"2025-02-03", true, "first working day after Tết 2025"},
		{"2025-02-08", false, "plain Saturday (no make-up day for Tết 2025)"},
		{"2025-04-07", false, "Giỗ Tổ 2025"},
		{"2025-04-26", true, "make-up Saturday for 02/05/2025"},
		{"2025-04-30", false, "Reunification Day 2025"},
		{"2025-05-02", false, "Friday swapped for Saturday 26/04"},
		{"2025-05-05", true, "Monday after 30/4–4/5"},
		{"2025-09-01", false, "National Day adjacent day 2025"},
		{"2025-09-02", false, "National Day 2025"},
		{"2025-09-03", true, "Wednesday after National Day"},
		{"2025-03-12", true, "ordinary Wednesday"},
		{"2025-03-15", false, "ordinary Saturday"},
		{"2025-03-16", false, "ordinary Sunday"},
		// 2026
		{"2026-01-02", false, "Friday swapped for Saturday 10/01/2026"},
		{"2026-01-10", true, "make-up Saturday 2026"},
		{"2026-02-13", true, "Friday before Tết 2026"},
		{"2026-02-16", false, "Tết 2026 (29 tháng Chạp)"},
		{"2026-02-20", false, "Tết 2026 (mùng 4)"},
		{"2026-02-23", true, "first working day after Tết 2026"},
		{"2026-04-27", false, "day in lieu of Giỗ Tổ 2026 (Sunday)"},
		{"2026-08-22", true, "make-up Saturday for 31/08/2026"},
		{"2026-08-31", false, "Monday swapped for Saturday 22/08"},
		{"2026-09-01", false, "National Day adjacent day 2026"},
		{"2026-09-03", true, "Thursday after National Day 2026"},
		// Computed (no official schedule): 2027
		{"2027-02-05", false, "computed Tết 2027: last day of the lunar year"},
		{"2027-02-09", false, "computed Tết 2027: mùng 4"},
		{"2027-02-10", false, "computed day in lieu of Tết 2027 (mùng 1 on Saturday)"},
		{"2027-02-11", false, "computed day in lieu of Tết 2027 (mùng 2 on Sunday)"},
		{"2027-02-12", true, "Friday after computed Tết 2027"},
		{"2027-05-03", false, "computed day in lieu of 01/05/2027 (Saturday)"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := c.IsWorkingDay(civil.MustParse(tc.date)); got != tc.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tc.date, got, tc.want, tc.why)
			}
		})
	}
}

func TestHoliday(t *testing.T) {
	c := Default()
	tests := []struct {
		date       string
		wantOK     bool
		wantNameVI string
		wantSource string // prefix
	}{
		{"2025-05-02", true, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)", "https://www.vietnamplus.vn/"},
		{"2022-04-30", true, "Ngày Chiến thắng", "https://qbtv.vn/"}, // a holiday on a Saturday
		{"2023-05-02", true, "Nghỉ bù Giỗ Tổ Hùng Vương (trùng thứ Bảy)", "https://nghetinhplus.vn/"},
		{"2025-04-26", false, "", ""}, // make-up Saturday
		{"2025-03-15", false, "", ""}, // plain Saturday
		{"2025-03-12", false, "", ""}, // ordinary weekday
		{"2027-04-16", true, "Giỗ Tổ Hùng Vương", "computed: "},
		{"2027-05-03", true, "Nghỉ bù Ngày Quốc tế lao động (01/05/2027)", "computed: "},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			d := civil.MustParse(tc.date)
			h, ok := c.Holiday(d)
			if ok != tc.wantOK {
				t.Fatalf("Holiday(%s) ok = %v, want %v (got %+v)", tc.date, ok, tc.wantOK, h)
			}
			if !ok {
				return
			}
			if h.Date != d || h.NameVI != tc.wantNameVI || h.NameEN == "" || !strings.HasPrefix(h.Source, tc.wantSource) {
				t.Errorf("Holiday(%s) = %+v, want date %s, NameVI %q, Source prefix %q", tc.date, h, tc.date, tc.wantNameVI, tc.wantSource)
			}
		})
	}
}

func TestHolidays(t *testing.T) {
	c := Default()
	tests := []struct {
		year int
		want []string
	}{
		{2025, []string{
			"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
			"2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
		}},
		{2020, []string{ // Labour Code 2012: one day for National Day
			"2020-01-01", "2020-01-23", "2020-01-24", "2020-01-25", "2020-01-26", "2020-01-27",
			"2020-01-28", "2020-01-29", "2020-04-02", "2020-04-30", "2020-05-01", "2020-09-02",
		}},
		{2027, []string{ // computed
			"2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09",
			"2027-02-10", "2027-02-11", "2027-04-16", "2027-04-30", "2027-05-01", "2027-05-03",
			"2027-09-02", "2027-09-03",
		}},
		{2029, []string{ // computed: 02/9 on Sunday, 03/9 adjacent, day in lieu on Tuesday
			"2029-01-01", "2029-02-12", "2029-02-13", "2029-02-14", "2029-02-15", "2029-02-16",
			"2029-04-23", "2029-04-30", "2029-05-01", "2029-09-02", "2029-09-03", "2029-09-04",
		}},
		{2012, nil}, // before Labour Code 2012 took effect: nothing encoded
	}
	for _, tc := range tests {
		t.Run(time.Date(tc.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			hs := c.Holidays(tc.year)
			var got []string
			for i, h := range hs {
				got = append(got, h.Date.String())
				if i > 0 && hs[i-1].Date >= h.Date {
					t.Errorf("Holidays(%d) not sorted at %d: %s after %s", tc.year, i, h.Date, hs[i-1].Date)
				}
				if h.NameVI == "" || h.NameEN == "" || h.Source == "" {
					t.Errorf("Holidays(%d)[%d] = %+v: missing name or source", tc.year, i, h)
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("Holidays(%d) =\n  %v\nwant\n  %v", tc.year, got, tc.want)
			}
		})
	}
	// The slice is the caller's.
	hs := c.Holidays(2025)
	hs[0].NameVI = "changed"
	if h, _ := c.Holiday(civil.MustParse("2025-01-01")); h.NameVI != "Tết Dương lịch" {
		t.Errorf("modifying the result of Holidays changed the calendar: %q", h.NameVI)
	}
}

func TestComputedTetMatchesLunar(t *testing.T) {
	// In a year without a schedule, the five Tết days are the last day of
	// the lunar year and mùng 1–4.
	c := Default()
	for y := 2027; y <= 2050; y++ {
		tet := Tet(y)
		for i := -1; i <= 3; i++ {
			d := tet.AddDays(i)
			if h, ok := c.Holiday(d); !ok || h.NameVI != "Tết Âm lịch" {
				t.Errorf("Holiday(%s) = %+v, %v; want computed Tết Âm lịch (Tết %d is %s)", d, h, ok, y, tet)
			}
		}
	}
}

func TestCovered(t *testing.T) {
	c := Default()
	for y := 2015; y <= 2030; y++ {
		want := y >= 2020 && y <= 2026
		if got := c.Covered(y); got != want {
			t.Errorf("Covered(%d) = %v, want %v", y, got, want)
		}
	}
}

func TestDefaultIsShared(t *testing.T) {
	if Default() != Default() {
		t.Error("Default() returned two different calendars")
	}
}

func TestAdd(t *testing.T) {
	c := Default()
	tests := []struct {
		start string
		n     int
		unit  Unit
		want  string
	}{
		{"2025-01-10", 0, CalendarDays, "2025-01-10"},
		{"2025-01-10", 0, WorkingDays, "2025-01-10"},
		{"2025-01-10", -5, WorkingDays, "2025-01-10"},
		{"2025-01-10", -5, Months, "2025-01-10"},
		{"2025-01-31", 30, CalendarDays, "2025-03-02"},
		{"2025-01-25", 1, CalendarDays, "2025-01-26"}, // holidays do not matter
		{"2025-01-31", 1, Months, "2025-02-28"},
		{"2024-01-31", 1, Months, "2024-02-29"},
		{"2025-03-31", 1, Months, "2025-04-30"},
		{"2025-05-10", 12, Months, "2026-05-10"},
		{"2024-02-29", 1, Years, "2025-02-28"},
		{"2025-07-01", 5, Years, "2030-07-01"},
		{"2025-01-24", 1, WorkingDays, "2025-02-03"}, // over Tết 2025
		{"2025-01-25", 1, WorkingDays, "2025-02-03"}, // start day off: still not counted
		{"2025-04-25", 1, WorkingDays, "2025-04-26"}, // make-up Saturday counts
		{"2025-04-29", 1, WorkingDays, "2025-05-05"}, // over 30/4–4/5
		{"2025-03-14", 1, WorkingDays, "2025-03-17"}, // Friday to Monday
		{"2025-03-10", 5, WorkingDays, "2025-03-17"},
		{"2025-12-30", 3, WorkingDays, "2026-01-06"}, // 01/01 holiday, 02/01 swapped
	}
	for _, tc := range tests {
		t.Run(tc.start+"+"+string(tc.unit), func(t *testing.T) {
			got := c.Add(civil.MustParse(tc.start), tc.n, tc.unit)
			if got.String() != tc.want {
				t.Errorf("Add(%s, %d, %s) = %s, want %s", tc.start, tc.n, tc.unit, got, tc.want)
			}
		})
	}
}

func TestAddPanicsOnUnknownUnit(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Add with unit \"weeks\" did not panic")
		}
	}()
	Default().Add(civil.MustParse("2025-01-10"), 1, Unit("weeks"))
}

func TestParseUnit(t *testing.T) {
	for _, s := range []string{"calendar_days", "working_days", "months", "years"} {
		if u, err := ParseUnit(s); err != nil || string(u) != s {
			t.Errorf("ParseUnit(%q) = %q, %v; want %q, nil", s, u, err, s)
		}
	}
	for _, s := range []string{"", "weeks", "Working_Days"} {
		if _, err := ParseUnit(s); err == nil || !strings.HasPrefix(err.Error(), "calendar: ") || !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("ParseUnit(%q) err = %v, want a calendar: error naming the unit", s, err)
		}
	}
}

// referenceDays reads data/holidays.json directly, without the package's
// parser, and returns the days off and the make-up working days it lists.
func referenceDays(t testing.TB) (off, makeup map[civil.Date]bool) {
	t.Helper()
	raw, err := os.ReadFile("data/holidays.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Years []struct {
			Entries []struct {
				Date, From, To, Kind string
			}
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	off, makeup = map[civil.Date]bool{}, map[civil.Date]bool{}
	for _, y := range doc.Years {
		for _, e := range y.Entries {
			from, to := e.Date, e.Date
			if from == "" {
				from, to = e.From, e.To
			}
			for d := civil.MustParse(from); d <= civil.MustParse(to); d++ {
				if e.Kind == "makeup" {
					makeup[d] = true
				} else {
					off[d] = true
				}
			}
		}
	}
	return off, makeup
}

// referenceAdd is the obvious day-by-day count over the reference sets.
func referenceAdd(off, makeup map[civil.Date]bool, d civil.Date, n int) civil.Date {
	for n > 0 {
		d++
		wd := d.Weekday()
		if makeup[d] || (wd != time.Saturday && wd != time.Sunday && !off[d]) {
			n--
		}
	}
	return d
}

func TestAdd90WorkingDays(t *testing.T) {
	c := Default()
	off, makeup := referenceDays(t)
	start := civil.MustParse("2025-01-10")
	want := referenceAdd(off, makeup, start, 90)
	got := c.Add(start, 90, WorkingDays)
	if got != want {
		t.Fatalf("Add(%s, 90, WorkingDays) = %s, reference gives %s", start, got, want)
	}
	// By hand: 90 working days from Friday 10/01/2025 skip Tết (27–31/01),
	// Giỗ Tổ (07/04), 30/04, 01/05 and 02/05 and count Saturday 26/04.
	if got.String() != "2025-05-28" {
		t.Errorf("Add(%s, 90, WorkingDays) = %s, want 2025-05-28", start, got)
	}
}

// TestAddAgainstReference compares Add and WorkingDaysBetween with the
// reference over every start day of the covered years.
func TestAddAgainstReference(t *testing.T) {
	c := Default()
	off, makeup := referenceDays(t)
	for d := civil.MustParse("2020-01-01"); d <= civil.MustParse("2025-12-31"); d++ {
		for _, n := range []int{1, 2, 5, 10, 30, 90} {
			want := referenceAdd(off, makeup, d, n)
			got := c.Add(d, n, WorkingDays)
			if got != want {
				t.Fatalf("Add(%s, %d, WorkingDays) = %s, reference gives %s", d, n, got, want)
			}
			if !c.IsWorkingDay(got) {
				t.Fatalf("Add(%s, %d, WorkingDays) = %s, which is not a working day", d, n, got)
			}
			if k := c.WorkingDaysBetween(d, got); k != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", d, got, k, n)
			}
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Default()
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-01-24", "2025-02-03", 1}, // (Fri, Mon] over Tết: only 03/02
		{"2025-01-24", "2025-02-02", 0},
		{"2025-02-03", "2025-02-03", 0},
		{"2025-02-10", "2025-02-03", 0}, // b before a
		{"2025-03-09", "2025-03-16", 5}, // Sunday to Sunday
		{"2025-04-25", "2025-04-27", 1}, // make-up Saturday 26/04
		{"2024-12-31", "2026-01-01", 250},
	}
	for _, tc := range tests {
		t.Run(tc.a+".."+tc.b, func(t *testing.T) {
			if got := c.WorkingDaysBetween(civil.MustParse(tc.a), civil.MustParse(tc.b)); got != tc.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	c, err := Load(strings.NewReader(string(embedded)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan civil.Date)
	for range 8 {
		go func() { done <- c.Add(civil.MustParse("2030-01-02"), 250, WorkingDays) }()
	}
	first := <-done
	for range 7 {
		if d := <-done; d != first {
			t.Errorf("concurrent Add gave %s and %s", first, d)
		}
	}
}

func BenchmarkAdd90WorkingDays(b *testing.B) {
	c := Default()
	start := civil.MustParse("2025-01-10")
	c.Add(start, 90, WorkingDays) // resolve the year once
	b.ResetTimer()
	for b.Loop() {
		c.Add(start, 90, WorkingDays)
	}
}
