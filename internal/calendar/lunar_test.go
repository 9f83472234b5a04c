package calendar

import (
	"fmt"
	"testing"

	"ktgs/internal/civil"
)

// tetDates is the Gregorian date of Tết Nguyên Đán (lunar 1/1) for every
// year 1990–2050, as published in the python-holidays project
// (https://github.com/vacanza/holidays/blob/main/holidays/calendars/chinese.py:
// LUNAR_NEW_YEAR_DATES with the VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES
// overrides for 2007 and 2030). Cross-checked: the Vietnamese/Chinese
// differences of 2007 (17/02) and 2030 (02/02, a day before China) are
// described at https://zaidap.com/tai-sao-tet-viet-nam-va-trung-quoc-lech-nhau-1-ngay-d123948.htm
// and https://scimyst.com/why-vietnam-and-china-tet-differ-by-1-day-90779;
// the 2020–2026 dates agree with the official holiday announcements cited in
// data/holidays.json.
var tetDates = map[int]string{
	1990: "01-27", 1991: "02-15", 1992: "02-04", 1993: "01-23", 1994: "02-10",
	1995: "01-31", 1996: "02-19", 1997: "02-07", 1998: "01-28", 1999: "02-16",
	2000: "02-05", 2001: "01-24", 2002: "02-12", 2003: "02-01", 2004: "01-22",
	2005: "02-09", 2006: "01-29", 2007: "02-17", 2008: "02-07", 2009: "01-26",
	2010: "02-14", 2011: "02-03", 2012: "01-23", 2013: "02-10", 2014: "01-31",
	2015: "02-19", 2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05",
	2020: "01-25", 2021: "02-12", 2022: "02-01", 2023: "01-22", 2024: "02-10",
	2025: "01-29", 2026: "02-17", 2027: "02-06", 2028: "01-26", 2029: "02-13",
	2030: "02-02", 2031: "01-23", 2032: "02-11", 2033: "01-31", 2034: "02-19",
	2035: "02-08", 2036: "01-28", 2037: "02-15", 2038: "02-04", 2039: "01-24",
	2040: "02-12", 2041: "02-01", 2042: "01-22", 2043: "02-10", 2044: "01-30",
	2045: "02-17", 2046: "02-06", 2047: "01-26", 2048: "02-14", 2049: "02-02",
	2050: "01-23",
}

// hungKingsDates is Giỗ Tổ Hùng Vương (lunar 10/3) for 1990–2050 from the
// same file (HUNG_KINGS_DATES with the VIETNAMESE_CALENDAR_HUNG_KINGS_DATES
// overrides for 2009, 2037 and 2038, where Vietnam and China differ).
var hungKingsDates = map[int]string{
	1990: "04-05", 1991: "04-24", 1992: "04-12", 1993: "04-01", 1994: "04-20",
	1995: "04-09", 1996: "04-27", 1997: "04-16", 1998: "04-06", 1999: "04-25",
	2000: "04-14", 2001: "04-03", 2002: "04-22", 2003: "04-11", 2004: "04-28",
	2005: "04-18", 2006: "04-07", 2007: "04-26", 2008: "04-15", 2009: "04-04",
	2010: "04-23", 2011: "04-12", 2012: "03-31", 2013: "04-19", 2014: "04-09",
	2015: "04-28", 2016: "04-16", 2017: "04-06", 2018: "04-25", 2019: "04-14",
	2020: "04-02", 2021: "04-21", 2022: "04-10", 2023: "04-29", 2024: "04-18",
	2025: "04-07", 2026: "04-26", 2027: "04-16", 2028: "04-04", 2029: "04-23",
	2030: "04-12", 2031: "04-01", 2032: "04-19", 2033: "04-09", 2034: "04-28",
	2035: "04-17", 2036: "04-06", 2037: "04-24", 2038: "04-13", 2039: "04-03",
	2040: "04-20", 2041: "04-10", 2042: "04-29", 2043: "04-19", 2044: "04-07",
	2045: "04-26", 2046: "04-15", 2047: "04-04", 2048: "04-22", 2049: "04-11",
	2050: "04-01",
}

func TestTet(t *testing.T) {
	for y := 1990; y <= 2050; y++ {
		want := fmt.Sprintf("%d-%s", y, tetDates[y])
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			if got := Tet(y).String(); got != want {
				t.Errorf("Tet(%d) = %s, want %s", y, got, want)
			}
			if got := Lunar(civil.MustParse(want)); got != (LunarDate{Year: y, Month: 1, Day: 1}) {
				t.Errorf("Lunar(%s) = %v, want 1/1/%d", want, got, y)
			}
		})
	}
}

// TestTetDiffersFromChina checks years where the UTC+7 meridian moves Tết
// away from the Chinese New Year (Chinese dates in the comment).
func TestTetDiffersFromChina(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{1985, "1985-01-21"}, // China 1985-02-20
		{2007, "2007-02-17"}, // China 2007-02-18
		{2030, "2030-02-02"}, // China 2030-02-03
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			if got := Tet(tc.year).String(); got != tc.want {
				t.Errorf("Tet(%d) = %s, want %s", tc.year, got, tc.want)
			}
		})
	}
}

func TestHungKings(t *testing.T) {
	for y := 1990; y <= 2050; y++ {
		want := fmt.Sprintf("%d-%s", y, hungKingsDates[y])
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			got, ok := FromLunar(LunarDate{Year: y, Month: 3, Day: 10})
			if !ok || got.String() != want {
				t.Errorf("FromLunar(10/3/%d) = %s, %v; want %s, true", y, got, ok, want)
			}
		})
	}
	// The dates named in the brief, spelled out.
	for _, s := range []string{"2024-04-18", "2025-04-07", "2026-04-26"} {
		t.Run(s, func(t *testing.T) {
			d := civil.MustParse(s)
			if got, want := Lunar(d), (LunarDate{Year: d.Year(), Month: 3, Day: 10}); got != want {
				t.Errorf("Lunar(%s) = %v, want %v", s, got, want)
			}
		})
	}
}

func TestLeapMonths(t *testing.T) {
	tests := []struct {
		date string
		want LunarDate
	}{
		{"2012-05-21", LunarDate{2012, 4, 1, true}},
		{"2017-07-23", LunarDate{2017, 6, 1, true}},
		{"2020-05-23", LunarDate{2020, 4, 1, true}},
		{"2020-05-22", LunarDate{2020, 4, 30, false}},
		{"2020-06-21", LunarDate{2020, 5, 1, false}},
		{"2023-03-22", LunarDate{2023, 2, 1, true}},
		{"2023-04-20", LunarDate{2023, 3, 1, false}},
		{"2025-07-25", LunarDate{2025, 6, 1, true}},
		{"2025-08-22", LunarDate{2025, 6, 29, true}},
		{"2025-08-23", LunarDate{2025, 7, 1, false}},
		// A leap 11th month, the "2033 problem" of the Chinese calendar.
		{"2033-12-22", LunarDate{2033, 11, 1, true}},
		{"2034-01-20", LunarDate{2033, 12, 1, false}},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			d := civil.MustParse(tc.date)
			if got := Lunar(d); got != tc.want {
				t.Errorf("Lunar(%s) = %v, want %v", tc.date, got, tc.want)
			}
			if got, ok := FromLunar(tc.want); !ok || got != d {
				t.Errorf("FromLunar(%v) = %s, %v; want %s, true", tc.want, got, ok, tc.date)
			}
		})
	}
}

func TestFromLunarNonexistent(t *testing.T) {
	tests := []struct {
		name string
		l    LunarDate
	}{
		{"leap month the year lacks", LunarDate{2024, 3, 1, true}},
		{"leap 4 in 2025", LunarDate{2025, 4, 1, true}},
		{"day 30 of a 29-day month", LunarDate{2025, 12, 30, false}}, // Tết 2026 follows 29/12
		{"day 31", LunarDate{2025, 1, 31, false}},
		{"day 0", LunarDate{2025, 1, 0, false}},
		{"month 13", LunarDate{2025, 13, 1, false}},
		{"month 0", LunarDate{2025, 0, 1, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := FromLunar(tc.l); ok {
				t.Errorf("FromLunar(%v) = %s, true; want false", tc.l, got)
			}
		})
	}
}

// TestLunarRoundTrip converts every day of 1990–2050 and back, and checks
// that consecutive days make well-formed months.
func TestLunarRoundTrip(t *testing.T) {
	first, last := civil.MustParse("1990-01-01"), civil.MustParse("2050-12-31")
	prev := Lunar(first - 1)
	monthLen := 0
	for d := first; d <= last; d++ {
		l := Lunar(d)
		if back, ok := FromLunar(l); !ok || back != d {
			t.Fatalf("FromLunar(Lunar(%s) = %v) = %s, %v", d, l, back, ok)
		}
		monthLen++
		switch {
		case l.Day == prev.Day+1 && l.Month == prev.Month && l.Leap == prev.Leap && l.Year == prev.Year:
			// next day of the same month
		case l.Day == 1:
			if monthLen != 1 && (prev.Day < 29 || prev.Day > 30) {
				t.Fatalf("%s: month %v ended on day %d", d, prev, prev.Day)
			}
			if l.Month == 1 && !l.Leap && Tet(l.Year) != d {
				t.Fatalf("%s is 1/1/%d but Tet(%d) = %s", d, l.Year, l.Year, Tet(l.Year))
			}
			monthLen = 1
		default:
			t.Fatalf("%s: %v does not follow %v", d, l, prev)
		}
		prev = l
	}
}

func TestJulianDayNumber(t *testing.T) {
	// J2000.0 falls on JDN 2451545 (Meeus, ch. 7).
	if got := jdn(civil.New(2000, 1, 1)); got != 2451545 {
		t.Errorf("jdn(2000-01-01) = %d, want 2451545", got)
	}
	if got := dateOf(2451545).String(); got != "2000-01-01" {
		t.Errorf("dateOf(2451545) = %s, want 2000-01-01", got)
	}
}

func TestLunarDateString(t *testing.T) {
	tests := []struct {
		l    LunarDate
		want string
	}{
		{LunarDate{2024, 3, 10, false}, "10/3/2024"},
		{LunarDate{2025, 6, 15, true}, "15/6N/2025"},
	}
	for _, tc := range tests {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.l, got, tc.want)
		}
	}
}
