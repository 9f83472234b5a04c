// Package civil provides Date, a calendar date without time of day or zone.
//
// Party rules count in calendar days, months and years from dates written on
// documents ("ngày 01 tháng 7 năm 2025"); a time.Time with a zone invites
// off-by-one errors at midnight. Date is a small comparable value: the number
// of days since 0001-01-01 plus one, so the zero value means "no date" and
// ordinary comparison operators order dates.
package civil

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a day in the proleptic Gregorian calendar. The zero Date is "unset".
type Date int32

// unixOffset is the number of days from 0001-01-01 to 1970-01-01 plus one,
// so that Date(1) is 0001-01-01.
const unixOffset = 719162 + 1

// Forever is the sentinel used for open-ended validity intervals
// (9999-12-31). Storage writes it instead of NULL so that range predicates
// stay index friendly on both database engines.
var Forever = New(9999, 12, 31)

// New returns the date y-m-d. Out-of-range values are normalised the way
// time.Date normalises them (2025-13-01 is 2026-01-01); use Parse or Valid
// to reject them.
func New(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(floorDiv(t.Unix(), 86400) + unixOffset)
}

// Of returns the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return New(y, m, d)
}

// Today returns the current date in loc (Vietnam is UTC+7; callers pass the
// configured zone so that "today" matches the wall calendar of the user).
func Today(loc *time.Location) Date { return Of(time.Now().In(loc)) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == 0 }

// IsForever reports whether d is the open-ended sentinel.
func (d Date) IsForever() bool { return d == Forever }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix((int64(d)-unixOffset)*86400, 0).UTC() }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// YMD returns the year, month and day (Howard Hinnant's civil_from_days,
// exact for the proleptic Gregorian calendar, without a time.Time).
func (d Date) YMD() (int, time.Month, int) {
	z := int64(d) - unixOffset + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(day)
}

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// Month returns the month of d.
func (d Date) Month() time.Month { _, m, _ := d.YMD(); return m }

// Day returns the day of the month of d.
func (d Date) Day() int { _, _, dd := d.YMD(); return dd }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns d+n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns d plus n calendar months. When the day does not exist in
// the target month the result is clamped to the month's last day
// (31/01 + 1 month = 28/02 or 29/02), which is how Vietnamese documents count
// "n tháng" and unlike time.AddDate, which would overflow into March.
func (d Date) AddMonths(n int) Date {
	y, m, dd := d.YMD()
	total := int(m) - 1 + n
	y += total / 12
	if total%12 < 0 {
		y--
	}
	nm := time.Month((total%12+12)%12 + 1)
	if last := DaysIn(y, nm); dd > last {
		dd = last
	}
	return New(y, nm, dd)
}

// AddYears returns d plus n years, clamping 29/02 to 28/02 in common years.
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Sub returns the number of days from e to d (d - e).
func (d Date) Sub(e Date) int { return int(d - e) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d > e }

// String returns the ISO form 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.YMD()
	// Hand-formatted: bulk loads convert millions of dates.
	b := make([]byte, 10)
	put4(b, y)
	b[4] = '-'
	put2(b[5:], int(m))
	b[7] = '-'
	put2(b[8:], dd)
	return string(b)
}

func put2(b []byte, n int) { b[0], b[1] = byte('0'+n/10), byte('0'+n%10) }

func put4(b []byte, n int) { put2(b, n/100); put2(b[2:], n%100) }

// VN returns the Vietnamese form dd/mm/yyyy, or "" for the zero Date.
func (d Date) VN() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.YMD()
	return fmt.Sprintf("%02d/%02d/%04d", dd, int(m), y)
}

// ErrSyntax is returned by Parse for text that is not a date.
var ErrSyntax = errors.New("civil: not a date (want dd/mm/yyyy or yyyy-mm-dd)")

// ErrRange is returned by Parse for a well-formed date that does not exist,
// such as 31/02/2025.
var ErrRange = errors.New("civil: no such day")

// Parse reads a date written as dd/mm/yyyy (the Vietnamese form, also with
// "-" or "." separators and one-digit day or month) or as ISO yyyy-mm-dd.
// It never guesses month-first order.
func Parse(s string) (Date, error) {
	// Fast path for the canonical forms dd/mm/yyyy and yyyy-mm-dd: imports
	// parse four dates per row of millions of rows.
	if len(s) == 10 {
		if s[2] == '/' && s[5] == '/' {
			if d, m, y, ok := digits2(s[0:2]), digits2(s[3:5]), digits4(s[6:10]), true; d >= 0 && m >= 0 && y >= 0 && ok {
				return checked(y, m, d)
			}
		} else if s[4] == '-' && s[7] == '-' {
			if y, m, d := digits4(s[0:4]), digits2(s[5:7]), digits2(s[8:10]); y >= 0 && m >= 0 && d >= 0 {
				return checked(y, m, d)
			}
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrSyntax
	}
	// Accept an ISO timestamp as produced by databases and spreadsheets.
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return parseParts(s[0:4], s[5:7], s[8:10], len(s) == 10 || s[10] == 'T' || s[10] == ' ')
	}
	var parts []string
	for _, sep := range []string{"/", ".", "-"} {
		if strings.Count(s, sep) == 2 {
			parts = strings.Split(s, sep)
			break
		}
	}
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, ErrSyntax
	}
	return parseParts(parts[2], parts[1], parts[0], true)
}

func digits2(s string) int {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

func digits4(s string) int {
	a, b := digits2(s[0:2]), digits2(s[2:4])
	if a < 0 || b < 0 {
		return -1
	}
	return a*100 + b
}

func checked(y, m, d int) (Date, error) {
	if y < 1 {
		return 0, ErrSyntax
	}
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, time.Month(m)) {
		return 0, ErrRange
	}
	return New(y, time.Month(m), d), nil
}

func parseParts(ys, ms, ds string, ok bool) (Date, error) {
	if !ok {
		return 0, ErrSyntax
	}
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	d, err3 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || err3 != nil || y < 1 || y > 9999 {
		return 0, ErrSyntax
	}
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, time.Month(m)) {
		return 0, ErrRange
	}
	return New(y, time.Month(m), d), nil
}

// MustParse is Parse for constants in tests and embedded data; it panics on error.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("civil.MustParse(%q): %v", s, err))
	}
	return d
}

// MarshalText implements encoding.TextMarshaler with the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts what Parse
// accepts, and the empty string as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements driver.Valuer: ISO text, which both SQLite (TEXT) and
// PostgreSQL (DATE) accept. The zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d == 0 {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE columns read back as time.Time
// (pgx, and modernc for columns declared DATE) or as text.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = 0
	case time.Time:
		*d = New(v.Year(), v.Month(), v.Day())
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	default:
		return fmt.Errorf("civil: cannot scan %T into Date", src)
	}
	return nil
}

// Min returns the earlier of a and b.
func Min(a, b Date) Date {
	if a < b {
		return a
	}
	return b
}

// Max returns the later of a and b.
func Max(a, b Date) Date {
	if a > b {
		return a
	}
	return b
}
