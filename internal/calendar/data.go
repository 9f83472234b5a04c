package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"ktgs/internal/civil"
)

// fileData is the JSON document read by Load. Field names are the wire format; see
// doc.go and data/holidays.json.
type fileData struct {
	Format    int         `json:"format"`
	About     string      `json:"about"`
	Statutory []ruleData  `json:"statutory"`
	InLieu    *inLieuData `json:"in_lieu"`
	Years     []yearData  `json:"years"`
}

// ruleData is one statutory holiday valid over an effective period:
// length days starting offset days from month/day of the given calendar
// (solar: Gregorian; lunar: Vietnamese lunar, in the lunar year that begins
// in the Gregorian year being computed).
type ruleData struct {
	ID         string `json:"id"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	Calendar   string `json:"calendar"`
	Month      int    `json:"month"`
	Day        int    `json:"day"`
	Offset     int    `json:"offset"`
	Length     int    `json:"length"`
	From       string `json:"from"`
	Until      string `json:"until"`
	Citation   string `json:"citation"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// inLieuData is the rule for a statutory holiday that falls on a Saturday
// or Sunday in a year without an official schedule.
type inLieuData struct {
	Rule       string `json:"rule"`
	From       string `json:"from"`
	Until      string `json:"until"`
	Citation   string `json:"citation"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// yearData is the official schedule announced for one year.
type yearData struct {
	Year       int         `json:"year"`
	References []string    `json:"references"`
	Entries    []entryData `json:"entries"`
}

// entryData is one day, or a run of days (from..to), of an official
// schedule.
type entryData struct {
	Date       string `json:"date"`
	From       string `json:"from"`
	To         string `json:"to"`
	Kind       string `json:"kind"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// Entry kinds of an official schedule.
const (
	kindHoliday = "holiday" // a statutory holiday (also when it is a weekend day)
	kindInLieu  = "in_lieu" // nghỉ bù: a weekday off because a holiday fell on a weekend
	kindSwap    = "swap"    // nghỉ hoán đổi: a weekday off, worked on a make-up day instead
	kindMakeup  = "makeup"  // làm bù: a Saturday or Sunday that is a working day
)

var (
	validKinds       = map[string]bool{kindHoliday: true, kindInLieu: true, kindSwap: true, kindMakeup: true}
	validConfidence  = map[string]bool{"verified": true, "secondary": true, "unverified": true}
	validCalendars   = map[string]bool{"solar": true, "lunar": true}
	validInLieuRules = map[string]bool{"next_working_day": true}
)

// maxRun bounds a from..to run, and how far an entry may lie outside its
// year (a make-up Saturday late in December for a swap in January).
const maxRun = 31

// period is an inclusive range of dates; a zero until means open-ended.
type period struct{ from, until civil.Date }

func (p period) contains(d civil.Date) bool {
	return d >= p.from && (p.until == 0 || d <= p.until)
}

func (p period) overlaps(q period) bool {
	pu, qu := p.until, q.until
	if pu == 0 {
		pu = civil.Forever
	}
	if qu == 0 {
		qu = civil.Forever
	}
	return p.from <= qu && q.from <= pu
}

// rule is a validated statutory holiday.
type rule struct {
	id, nameVI, nameEN string
	lunar              bool
	month, day         int
	offset, length     int
	period             period
	source             string
}

// dayEntry is one validated day of an official schedule.
type dayEntry struct {
	kind    string
	holiday Holiday
	where   string // "years[2025].entries[3]", for error messages
}

func parsePeriod(from, until string) (period, error) {
	var p period
	var err error
	if from == "" {
		return p, errors.New(`missing "from"`)
	}
	if p.from, err = civil.Parse(from); err != nil {
		return p, fmt.Errorf("bad date %q in \"from\": %v", from, err)
	}
	if until != "" {
		if p.until, err = civil.Parse(until); err != nil {
			return p, fmt.Errorf("bad date %q in \"until\": %v", until, err)
		}
		if p.until < p.from {
			return p, fmt.Errorf("\"until\" %s is before \"from\" %s", p.until, p.from)
		}
	}
	return p, nil
}

// parse decodes and validates a data document. Every error names the entry
// it is about.
func parse(r io.Reader) (*Calendar, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("calendar: reading data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f fileData
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("calendar: decoding data: %w", err)
	}
	if dec.More() {
		return nil, errors.New("calendar: decoding data: trailing content after the JSON document")
	}
	if f.Format != 1 {
		return nil, fmt.Errorf("calendar: unsupported data format %d (want 1)", f.Format)
	}
	c := &Calendar{
		explicit: map[civil.Date]dayEntry{},
		covered:  map[int]bool{},
		years:    map[int]*yearInfo{},
	}
	if err := c.parseRules(f.Statutory); err != nil {
		return nil, err
	}
	if f.InLieu != nil {
		if err := c.parseInLieu(*f.InLieu); err != nil {
			return nil, err
		}
	}
	for i, y := range f.Years {
		if err := c.parseYear(i, y); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Calendar) parseRules(rules []ruleData) error {
	seen := map[string]int{}
	for i, rd := range rules {
		where := fmt.Sprintf("statutory[%d] %q", i, rd.ID)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("calendar: %s: %s", where, fmt.Sprintf(format, args...))
		}
		if rd.ID == "" {
			return fail("missing id")
		}
		if rd.NameVI == "" || rd.NameEN == "" {
			return fail("missing name_vi or name_en")
		}
		if !validCalendars[rd.Calendar] {
			return fail("unknown calendar %q (want solar or lunar)", rd.Calendar)
		}
		if rd.Month < 1 || rd.Month > 12 {
			return fail("month %d out of range", rd.Month)
		}
		maxDay := 30
		if rd.Calendar == "solar" {
			maxDay = civil.DaysIn(2024, time.Month(rd.Month))
		}
		if rd.Day < 1 || rd.Day > maxDay {
			return fail("day %d out of range for month %d", rd.Day, rd.Month)
		}
		if rd.Length < 1 || rd.Length > maxRun {
			return fail("length %d out of range 1..%d", rd.Length, maxRun)
		}
		if rd.Offset < -maxRun || rd.Offset > maxRun {
			return fail("offset %d out of range", rd.Offset)
		}
		p, err := parsePeriod(rd.From, rd.Until)
		if err != nil {
			return fail("%v", err)
		}
		if err := checkProvenance(rd.Source, rd.Confidence); err != nil {
			return fail("%v", err)
		}
		if j, ok := seen[rd.ID]; ok && c.rules[j].period.overlaps(p) {
			return fail("effective period overlaps statutory[%d] with the same id", j)
		}
		seen[rd.ID] = len(c.rules)
		c.rules = append(c.rules, rule{
			id: rd.ID, nameVI: rd.NameVI, nameEN: rd.NameEN,
			lunar: rd.Calendar == "lunar", month: rd.Month, day: rd.Day,
			offset: rd.Offset, length: rd.Length, period: p, source: rd.Source,
		})
	}
	return nil
}

func (c *Calendar) parseInLieu(d inLieuData) error {
	if !validInLieuRules[d.Rule] {
		return fmt.Errorf("calendar: in_lieu: unknown rule %q (want next_working_day)", d.Rule)
	}
	p, err := parsePeriod(d.From, d.Until)
	if err != nil {
		return fmt.Errorf("calendar: in_lieu: %v", err)
	}
	if err := checkProvenance(d.Source, d.Confidence); err != nil {
		return fmt.Errorf("calendar: in_lieu: %v", err)
	}
	c.inLieu = &p
	c.inLieuSource = d.Source
	return nil
}

func checkProvenance(source, confidence string) error {
	if strings.TrimSpace(source) == "" {
		return errors.New("missing source")
	}
	if !validConfidence[confidence] {
		return fmt.Errorf("unknown confidence %q (want verified, secondary or unverified)", confidence)
	}
	return nil
}

func (c *Calendar) parseYear(i int, y yearData) error {
	if y.Year < 1 || y.Year > 9999 {
		return fmt.Errorf("calendar: years[%d]: year %d out of range", i, y.Year)
	}
	if c.covered[y.Year] {
		return fmt.Errorf("calendar: years[%d]: year %d listed twice", i, y.Year)
	}
	c.covered[y.Year] = true
	lo := civil.New(y.Year, 1, 1).AddDays(-maxRun)
	hi := civil.New(y.Year, 12, 31).AddDays(maxRun)
	for j, e := range y.Entries {
		label := e.NameVI
		if label == "" {
			label = e.Kind
		}
		where := fmt.Sprintf("years[%d].entries[%d] (%s)", y.Year, j, label)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("calendar: %s: %s", where, fmt.Sprintf(format, args...))
		}
		if !validKinds[e.Kind] {
			return fail("unknown kind %q (want holiday, in_lieu, swap or makeup)", e.Kind)
		}
		if e.NameVI == "" || e.NameEN == "" {
			return fail("missing name_vi or name_en")
		}
		if err := checkProvenance(e.Source, e.Confidence); err != nil {
			return fail("%v", err)
		}
		from, to, err := entryRange(e)
		if err != nil {
			return fail("%v", err)
		}
		if from < lo || to > hi {
			return fail("dates %s..%s lie too far outside year %d", from, to, y.Year)
		}
		for d := from; d <= to; d++ {
			weekend := isWeekend(d)
			switch {
			case e.Kind == kindMakeup && !weekend:
				return fail("make-up working day %s is a %s, not a Saturday or Sunday", d, d.Weekday())
			case (e.Kind == kindInLieu || e.Kind == kindSwap) && weekend:
				return fail("%s day off %s is a %s, already a rest day", e.Kind, d, d.Weekday())
			}
			if prev, dup := c.explicit[d]; dup {
				if prev.kind == kindMakeup || e.Kind == kindMakeup {
					return fail("%s is both a day off and a working day (contradicts %s)", d, prev.where)
				}
				return fail("%s is listed twice (also %s)", d, prev.where)
			}
			c.explicit[d] = dayEntry{
				kind:    e.Kind,
				holiday: Holiday{Date: d, NameVI: e.NameVI, NameEN: e.NameEN, Source: e.Source},
				where:   where,
			}
		}
	}
	return nil
}

// entryRange returns the inclusive dates of an entry given either as
// "date" or as "from" and "to".
func entryRange(e entryData) (civil.Date, civil.Date, error) {
	switch {
	case e.Date != "" && (e.From != "" || e.To != ""):
		return 0, 0, errors.New(`give either "date" or "from" and "to", not both`)
	case e.Date != "":
		d, err := civil.Parse(e.Date)
		if err != nil {
			return 0, 0, fmt.Errorf("bad date %q: %v", e.Date, err)
		}
		return d, d, nil
	case e.From == "" || e.To == "":
		return 0, 0, errors.New(`missing "date" (or "from" and "to")`)
	}
	from, err := civil.Parse(e.From)
	if err != nil {
		return 0, 0, fmt.Errorf("bad date %q in \"from\": %v", e.From, err)
	}
	to, err := civil.Parse(e.To)
	if err != nil {
		return 0, 0, fmt.Errorf("bad date %q in \"to\": %v", e.To, err)
	}
	if to < from {
		return 0, 0, fmt.Errorf("\"to\" %s is before \"from\" %s", to, from)
	}
	if to.Sub(from) >= maxRun {
		return 0, 0, fmt.Errorf("run %s..%s is longer than %d days", from, to, maxRun)
	}
	return from, to, nil
}

func isWeekend(d civil.Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
