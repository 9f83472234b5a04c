package calendar

import (
	"fmt"
	"math"
	"sync"

	"ktgs/internal/civil"
)

// LunarDate is a day of the Vietnamese lunisolar calendar (âm lịch). Year is
// the Gregorian number of the year in which the lunar year begins (Tết of
// lunar year 2025 is 2025-01-29); Leap marks a day of a leap month (tháng
// nhuận), which carries the number of the month before it.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String returns the date as d/m/yyyy, with an "N" after a leap month
// (10/3/2024, 15/6N/2025), the way Vietnamese calendars print it.
func (l LunarDate) String() string {
	leap := ""
	if l.Leap {
		leap = "N"
	}
	return fmt.Sprintf("%d/%d%s/%d", l.Day, l.Month, leap, l.Year)
}

// vietnamZone is the time zone of the Vietnamese calendar in hours: the
// 105th meridian east, UTC+7. China computes the same rules for UTC+8, so a
// new moon between 16:00 and 17:00 UTC starts a month one day earlier in
// Vietnam than in China (Tết 1985, 2007 and 2030 differ for that reason).
const vietnamZone = 7.0

// Astronomical constants of the approximation published by Hồ Ngọc Đức
// (after Jean Meeus, Astronomical Algorithms, 1998).
const (
	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588853
	// newMoonEpoch is the Julian Date of the mean new moon of 1900-01-01,
	// lunation number k = 0.
	newMoonEpoch = 2415021.076998695
	// jdnOffset converts civil.Date to a Julian Day Number: civil.Date(1)
	// is 0001-01-01 in the proleptic Gregorian calendar, JDN 1721426.
	jdnOffset = 1721425
	degree    = math.Pi / 180
)

// jdn returns the Julian Day Number of d (the day that begins at noon UT of
// that date; an integer day count convenient for astronomy).
func jdn(d civil.Date) int { return int(d) + jdnOffset }

// dateOf is the inverse of jdn.
func dateOf(n int) civil.Date { return civil.Date(n - jdnOffset) }

// newMoon returns the Julian Date (UT, with fraction) of the k-th new moon
// counted from the one of 1900-01-01. It evaluates the mean phase and the
// largest periodic terms of Meeus' chapter 49 and subtracts an ΔT estimate;
// the result is good to a few minutes for 1800–2200, which is what decides
// the rare months whose first day depends on the time zone.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85 // Julian centuries from 1900-01-01
	t2 := t * t
	t3 := t2 * t
	// Mean new moon, plus the slow secular correction.
	jd := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*degree)
	// Mean anomaly of the Sun (m) and of the Moon (mm), and the Moon's
	// argument of latitude (f), in degrees.
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mm := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	sin := func(deg float64) float64 { return math.Sin(deg * degree) }
	c := (0.1734-0.000393*t)*sin(m) + 0.0021*sin(2*m) -
		0.4068*sin(mm) + 0.0161*sin(2*mm) - 0.0004*sin(3*mm) +
		0.0104*sin(2*f) - 0.0051*sin(m+mm) - 0.0074*sin(m-mm) +
		0.0004*sin(2*f+m) - 0.0004*sin(2*f-m) - 0.0006*sin(2*f+mm) +
		0.0010*sin(2*f-mm) + 0.0005*sin(2*mm+m)
	// ΔT (TT − UT) in days, two polynomial fits split at 1900 − 11 centuries.
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd + c - deltaT
}

// newMoonDay returns the JDN of the local day (in zone hours east of UTC)
// that contains the k-th new moon: that day is the first of a lunar month.
func newMoonDay(k int, zone float64) int {
	return int(math.Floor(newMoon(k) + 0.5 + zone/24))
}

// sunLongitude returns the Sun's apparent ecliptic longitude in radians,
// normalised to [0, 2π), at Julian Date jd (UT): mean longitude plus the
// equation of centre (Meeus chapter 25, low accuracy, ~0.01°).
func sunLongitude(jd float64) float64 {
	t := (jd - 2451545.0) / 36525 // Julian centuries from J2000.0
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude
	c := (1.914600-0.004817*t-0.000014*t2)*math.Sin(m*degree) +
		(0.019993-0.000101*t)*math.Sin(2*m*degree) +
		0.000290*math.Sin(3*m*degree)
	l := (l0 + c) * degree
	l -= 2 * math.Pi * math.Floor(l/(2*math.Pi))
	return l
}

// sunSector returns which 30° sector of the ecliptic (0 = 0°–30° … 11) the
// Sun is in at the local midnight that starts day n. A major solar term
// (trung khí: the Sun crossing a multiple of 30°) falls inside a lunar month
// exactly when the sector at the month's first day differs from the sector
// at the next month's first day. Sector 9 begins at 270°, the winter
// solstice (Đông chí).
func sunSector(n int, zone float64) int {
	return int(sunLongitude(float64(n)-0.5-zone/24) / (math.Pi / 6))
}

// month11 returns the JDN of the first day of lunar month 11 whose span
// contains the winter solstice of Gregorian year y (rule: Đông chí always
// falls in month 11).
func month11(y int, zone float64) int {
	dec31 := jdn(civil.New(y, 12, 31))
	k := int(math.Floor((float64(dec31) - 2415021) / synodicMonth))
	start := newMoonDay(k, zone)
	if sunSector(start, zone) >= 9 {
		// The Sun had already passed 270° when this month began, so the
		// solstice belongs to the month before.
		start = newMoonDay(k-1, zone)
	}
	return start
}

// sui is one "tuế": the months from month 11 of the previous Gregorian year
// up to (not including) the next month 11. It has 12 months, or 13 when a
// leap month is intercalated somewhere in it.
type sui struct {
	// start[i] is the JDN of the first day of month i; start[len-1] is the
	// first day of the next month 11 (an end sentinel).
	start []int
	// month[i] and leap[i] label month i (11, 12, 1, 2, …).
	month []int
	leap  []bool
}

var (
	suiMu    sync.Mutex
	suiCache = map[int]*sui{}
)

// suiOf returns the sui that ends with month 11 of Gregorian year y
// (so it contains lunar months 1–10 of lunar year y), cached.
func suiOf(y int) *sui {
	suiMu.Lock()
	s, ok := suiCache[y]
	suiMu.Unlock()
	if ok {
		return s
	}
	s = computeSui(y, vietnamZone)
	suiMu.Lock()
	suiCache[y] = s
	suiMu.Unlock()
	return s
}

// computeSui builds the sui ending at month 11 of year y for a time zone.
// The leap month, if any, is the first month after the previous month 11
// that contains no major solar term; it repeats the number of the month
// before it.
func computeSui(y int, zone float64) *sui {
	a := month11(y-1, zone)
	b := month11(y, zone)
	k := int(math.Floor((float64(a)-newMoonEpoch)/synodicMonth + 0.5))
	starts := []int{a}
	for i := 1; starts[len(starts)-1] < b && i <= 14; i++ {
		starts = append(starts, newMoonDay(k+i, zone))
	}
	n := len(starts) - 1 // number of months: 12 or 13
	leapAt := -1
	if n == 13 {
		for i := 1; i < n; i++ {
			if sunSector(starts[i], zone) == sunSector(starts[i+1], zone) {
				leapAt = i
				break
			}
		}
	}
	s := &sui{start: starts, month: make([]int, n), leap: make([]bool, n)}
	m := 11
	for i := 0; i < n; i++ {
		if i == leapAt {
			s.month[i], s.leap[i] = s.month[i-1], true
			continue
		}
		if i > 0 {
			m = m%12 + 1
		}
		s.month[i] = m
	}
	return s
}

// lunarIn converts day n using s, the sui that contains it; y is the
// Gregorian year whose month 11 ends s.
func lunarIn(s *sui, y, n int) LunarDate {
	i := 0
	for i+1 < len(s.start)-1 && s.start[i+1] <= n {
		i++
	}
	year := y
	if s.month[i] >= 11 {
		// Months 11 and 12 at the head of the sui close lunar year y-1.
		year = y - 1
	}
	return LunarDate{Year: year, Month: s.month[i], Day: n - s.start[i] + 1, Leap: s.leap[i]}
}

// Lunar converts a Gregorian date to the Vietnamese lunar calendar.
//
// Months begin on the day (at UTC+7) of the astronomical new moon; the
// winter solstice falls in month 11; a year with 13 months makes the first
// month without a major solar term its leap month. New moons and the Sun's
// longitude come from the published approximations of Hồ Ngọc Đức's
// algorithm (Meeus), which are exact to the day for the years this package
// is tested on (1990–2050) and reliable for roughly 1800–2200.
func Lunar(d civil.Date) LunarDate {
	n := jdn(d)
	y := d.Year()
	if n >= month11(y, vietnamZone) {
		y++
	}
	return lunarIn(suiOf(y), y, n)
}

// FromLunar converts a lunar date back to the Gregorian calendar. It
// reports ok=false when the date does not exist: a leap month the year
// does not have, day 30 of a 29-day month, or fields out of range.
func FromLunar(l LunarDate) (civil.Date, bool) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 || l.Year < 1 || l.Year > 9999 {
		return 0, false
	}
	y := l.Year
	if l.Month >= 11 {
		// Months 11 and 12 of lunar year Y open the sui that ends in Y+1.
		y++
	}
	s := suiOf(y)
	for i := range s.month {
		if s.month[i] != l.Month || s.leap[i] != l.Leap {
			continue
		}
		if l.Day > s.start[i+1]-s.start[i] {
			return 0, false
		}
		return dateOf(s.start[i] + l.Day - 1), true
	}
	return 0, false
}

// Tet returns the Gregorian date of the lunar new year (1/1 âm lịch) that
// falls in Gregorian year y (always between 21 January and 20 February).
// It panics if y is outside 1..9999, the range of civil.Date.
func Tet(y int) civil.Date {
	d, ok := FromLunar(LunarDate{Year: y, Month: 1, Day: 1})
	if !ok {
		// Month 1 exists in every lunar year; only an out-of-range year
		// can get here.
		panic(fmt.Sprintf("calendar: Tet(%d): year out of range", y))
	}
	return d
}
