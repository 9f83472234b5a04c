package calendar

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"ktgs/internal/civil"
)

// Unit is how a rule counts a duration.
type Unit string

// The units a deadline can be counted in.
const (
	// CalendarDays counts every day (ngày).
	CalendarDays Unit = "calendar_days"
	// WorkingDays counts only working days (ngày làm việc): not Saturday,
	// Sunday, a public holiday or an official day off, but including an
	// official make-up working Saturday.
	WorkingDays Unit = "working_days"
	// Months counts calendar months (tháng), clamping to the month's end.
	Months Unit = "months"
	// Years counts calendar years (năm), clamping 29/02 to 28/02.
	Years Unit = "years"
)

// Valid reports whether u is one of the four units.
func (u Unit) Valid() bool {
	switch u {
	case CalendarDays, WorkingDays, Months, Years:
		return true
	}
	return false
}

// ParseUnit returns the Unit spelled s, or an error naming s when it is
// not one of the four units. Use it on units read from data before calling
// Add.
func ParseUnit(s string) (Unit, error) {
	if u := Unit(s); u.Valid() {
		return u, nil
	}
	return "", fmt.Errorf("calendar: unknown unit %q (want calendar_days, working_days, months or years)", s)
}

// Holiday is a day off: a public holiday, or an official day off with its
// reason (nghỉ bù, nghỉ hoán đổi). Source is the URL of the announcement;
// for a day computed from the Labour Code (a year without an official
// schedule) it starts with "computed: " followed by the URL of the rule.
type Holiday struct {
	Date           civil.Date
	NameVI, NameEN string
	Source         string
}

// Calendar answers which days are working days. It is immutable after
// Default or Load and safe for concurrent use.
type Calendar struct {
	rules        []rule
	inLieu       *period // when statutory days in lieu apply; nil: never
	inLieuSource string
	explicit     map[civil.Date]dayEntry // days of official schedules
	covered      map[int]bool            // years with an official schedule

	mu    sync.Mutex
	years map[int]*yearInfo // computed lazily
}

// yearInfo is the resolved calendar of one Gregorian year.
type yearInfo struct {
	first    civil.Date // 1 January
	working  []bool     // working[d-first]
	holidays []Holiday  // days off other than plain weekends, sorted
}

//go:embed data/holidays.json
var embedded []byte

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := Load(bytes.NewReader(embedded))
	if err != nil {
		panic(err) // the embedded data is checked by the tests
	}
	return c
})

// Default returns the calendar built from the embedded data: the statutory
// holidays of the Labour Code and the official schedules of the years it
// covers. Every call returns the same Calendar.
func Default() *Calendar { return defaultCalendar() }

// Load builds a calendar from data in the format of the embedded
// data/holidays.json (see the package documentation). It rejects malformed
// data with an error that names the offending entry: a bad date, an unknown
// calendar, kind or confidence, a make-up day that is not a weekend day, or
// one date listed twice (as two days off, or as a day off and a working
// day).
func Load(r io.Reader) (*Calendar, error) { return parse(r) }

// Covered reports whether the data has an official schedule for year y.
// For other years only the statutory holidays computed from the Labour Code
// are used (Tết on its default days, 03/9 as the adjacent National Day),
// so callers may mark a deadline that reaches into such a year as
// provisional.
func (c *Calendar) Covered(y int) bool { return c.covered[y] }

// IsWorkingDay reports whether d is a working day: a Monday to Friday that
// is not a holiday or official day off, or an official make-up working day.
func (c *Calendar) IsWorkingDay(d civil.Date) bool {
	yi := c.year(d.Year())
	return yi.working[d-yi.first]
}

// Holiday returns the holiday or official day off on d, if any. Plain
// Saturdays and Sundays are not holidays; a holiday that falls on one is.
func (c *Calendar) Holiday(d civil.Date) (Holiday, bool) {
	hs := c.year(d.Year()).holidays
	i := sort.Search(len(hs), func(i int) bool { return hs[i].Date >= d })
	if i < len(hs) && hs[i].Date == d {
		return hs[i], true
	}
	return Holiday{}, false
}

// Holidays returns the holidays and official days off of Gregorian year
// year, sorted by date. The slice is a copy the caller may keep.
func (c *Calendar) Holidays(year int) []Holiday {
	hs := c.year(year).holidays
	return append([]Holiday(nil), hs...)
}

// Add returns the deadline that falls n units after d.
//
// The start day d is not counted ("trong thời hạn n ngày kể từ ngày d"):
// for CalendarDays the result is d+n; for WorkingDays it is the n-th
// working day after d, whatever d itself is; Months and Years follow
// civil.Date.AddMonths, clamping to the last day of a shorter month
// (31/01 + 1 month = 28/02, or 29/02 in a leap year). For n <= 0 Add
// returns d unchanged: a deadline never lies before its start. Add panics
// if u is not one of the four units (see ParseUnit).
func (c *Calendar) Add(d civil.Date, n int, u Unit) civil.Date {
	if !u.Valid() {
		panic(fmt.Sprintf("calendar: Add with unknown unit %q", string(u)))
	}
	if n <= 0 {
		return d
	}
	switch u {
	case CalendarDays:
		return d.AddDays(n)
	case Months:
		return d.AddMonths(n)
	case Years:
		return d.AddYears(n)
	}
	yi := c.year(d.Year())
	for n > 0 {
		d++
		if d-yi.first >= civil.Date(len(yi.working)) {
			yi = c.year(d.Year())
		}
		if yi.working[d-yi.first] {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days in (a, b]: a is excluded and
// b included, so that Add(a, n, WorkingDays) = b exactly when the count is
// n and b is a working day. It returns 0 if b <= a.
func (c *Calendar) WorkingDaysBetween(a, b civil.Date) int {
	if b <= a {
		return 0
	}
	n := 0
	for y := a.AddDays(1).Year(); y <= b.Year(); y++ {
		yi := c.year(y)
		lo, hi := 0, len(yi.working)-1
		if y == a.AddDays(1).Year() {
			lo = int(a + 1 - yi.first)
		}
		if y == b.Year() {
			hi = int(b - yi.first)
		}
		for i := lo; i <= hi; i++ {
			if yi.working[i] {
				n++
			}
		}
	}
	return n
}

// year returns the resolved calendar of Gregorian year y, computing it on
// first use.
func (c *Calendar) year(y int) *yearInfo {
	c.mu.Lock()
	yi, ok := c.years[y]
	c.mu.Unlock()
	if ok {
		return yi
	}
	yi = c.resolve(y)
	c.mu.Lock()
	if prev, ok := c.years[y]; ok {
		yi = prev // another goroutine won; keep one copy
	} else {
		c.years[y] = yi
	}
	c.mu.Unlock()
	return yi
}

// resolve computes year y: weekends, then either the official schedule
// (covered years) or the statutory holidays with days in lieu, and finally
// any official entries dated in y from a neighbouring year's schedule
// (a make-up Saturday in late December for a swap in January).
func (c *Calendar) resolve(y int) *yearInfo {
	first := civil.New(y, 1, 1)
	days := civil.New(y+1, 1, 1).Sub(first)
	yi := &yearInfo{first: first, working: make([]bool, days)}
	for i := range yi.working {
		yi.working[i] = !isWeekend(first.AddDays(i))
	}
	off := map[civil.Date]Holiday{}
	if !c.covered[y] {
		for _, h := range c.statutory(y) {
			off[h.Date] = h
		}
	}
	for i := range days {
		d := first.AddDays(i)
		e, ok := c.explicit[d]
		if !ok {
			continue
		}
		if e.kind == kindMakeup {
			delete(off, d)
			yi.working[i] = true
			continue
		}
		off[d] = e.holiday
	}
	for d, h := range off {
		yi.working[d-first] = false
		yi.holidays = append(yi.holidays, h)
	}
	sort.Slice(yi.holidays, func(i, j int) bool { return yi.holidays[i].Date < yi.holidays[j].Date })
	return yi
}

// statutory computes the holidays of year y from the Labour Code rules in
// force on each day, plus a day in lieu on the next working day for each
// one that falls on a Saturday or Sunday.
func (c *Calendar) statutory(y int) []Holiday {
	yearSpan := period{civil.New(y, 1, 1), civil.New(y, 12, 31)}
	var hs []Holiday
	taken := map[civil.Date]bool{}
	for _, r := range c.rules {
		if !r.period.overlaps(yearSpan) {
			continue
		}
		var base civil.Date
		if r.lunar {
			d, ok := FromLunar(LunarDate{Year: y, Month: r.month, Day: r.day})
			if !ok {
				continue // e.g. day 30 of a 29-day month this year
			}
			base = d
		} else {
			base = civil.New(y, time.Month(r.month), r.day)
			if base.Day() != r.day {
				continue // 29/02 in a common year
			}
		}
		for i := range r.length {
			d := base.AddDays(r.offset + i)
			if d.Year() != y || !r.period.contains(d) || taken[d] {
				continue
			}
			taken[d] = true
			hs = append(hs, Holiday{Date: d, NameVI: r.nameVI, NameEN: r.nameEN, Source: "computed: " + r.source})
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date < hs[j].Date })
	if c.inLieu == nil {
		return hs
	}
	n := len(hs)
	for _, h := range hs[:n] {
		if !isWeekend(h.Date) || !c.inLieu.contains(h.Date) {
			continue
		}
		d := h.Date.AddDays(1)
		for isWeekend(d) || taken[d] {
			d = d.AddDays(1)
		}
		if d.Year() != y {
			// Cannot happen with the Labour Code's holidays (the last
			// one is in September); a rule near 31/12 would need the
			// next year to look back here.
			continue
		}
		taken[d] = true
		hs = append(hs, Holiday{
			Date:   d,
			NameVI: "Nghỉ bù " + h.NameVI + " (" + h.Date.VN() + ")",
			NameEN: "Day in lieu of " + h.NameEN + " (" + h.Date.VN() + ")",
			Source: "computed: " + c.inLieuSource,
		})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date < hs[j].Date })
	return hs
}
