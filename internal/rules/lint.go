package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

// LintError is one problem in a rule-set data file. Key is the JSON member
// at fault: a top-level field ("effective_from"), "values.<key>" or
// "values.<key>.<field>".
type LintError struct {
	File string
	Key  string
	Msg  string
}

// Error returns "rules: FILE: KEY: MSG".
func (e *LintError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("rules: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("rules: %s: %s: %s", e.File, e.Key, e.Msg)
}

// Lint checks every *.json rule-set file of fsys and returns one error per
// problem, each a *LintError naming the file and the key: malformed JSON or
// unknown members, a missing id, series, title, regulation or date, a
// duplicate id, gaps or overlaps between the effective dates of the sets of
// one series, an unknown or missing value key, a value without regulation
// and article, an unknown confidence, an unknown unit, a value of the wrong
// shape or with unknown codes, and a value whose own effective dates fall
// outside its set. It returns nil when the data is clean.
func Lint(fsys fs.FS) []error {
	_, errs := load(fsys)
	return errs
}

// joinErrors joins errs into one error whose message lists them all.
func joinErrors(errs []error) error { return errors.Join(errs...) }

// fileJSON is the wire format of a rule-set file.
type fileJSON struct {
	ID            string                     `json:"id"`
	Series        string                     `json:"series"`
	Title         map[string]string          `json:"title"`
	Regulation    string                     `json:"regulation"`
	EffectiveFrom string                     `json:"effective_from"`
	EffectiveTo   string                     `json:"effective_to"`
	Provisional   bool                       `json:"provisional"`
	SourceURL     string                     `json:"source_url"`
	Note          string                     `json:"note"`
	Values        map[string]json.RawMessage `json:"values"`
}

// valueJSON is the wire format of one value.
type valueJSON struct {
	Duration *struct {
		N    *int    `json:"n"`
		Unit *string `json:"unit"`
	} `json:"duration"`
	Amount   *int64              `json:"amount"`
	Count    *int                `json:"count"`
	Ratio    *Ratio              `json:"ratio"`
	Flag     *bool               `json:"flag"`
	Forms    *[]string           `json:"forms"`
	OrgTypes *[]string           `json:"org_types"`
	Codes    *[]string           `json:"codes"`
	Measures map[string][]string `json:"measures"`
	MonthDay *MonthDay           `json:"month_day"`

	Regulation    string `json:"regulation"`
	Article       string `json:"article"`
	Confidence    string `json:"confidence"`
	SourceURL     string `json:"source_url"`
	Note          string `json:"note"`
	EffectiveFrom string `json:"effective_from"`
	EffectiveTo   string `json:"effective_to"`
}

// strictDecode decodes one JSON document into v, rejecting unknown members
// and trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON document")
	}
	return nil
}

// load parses every rule-set file of fsys and checks the sets together.
func load(fsys fs.FS) ([]*RuleSet, []error) {
	var sets []*RuleSet
	var errs []error
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &LintError{File: p, Msg: err.Error()})
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".json" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, &LintError{File: p, Msg: err.Error()})
			return nil
		}
		s, ferrs := parseFile(p, data)
		errs = append(errs, ferrs...)
		if s != nil {
			sets = append(sets, s)
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, &LintError{File: ".", Msg: walkErr.Error()})
	}
	if len(sets) == 0 && len(errs) == 0 {
		errs = append(errs, &LintError{File: ".", Msg: "no rule-set files (*.json)"})
	}
	sortSets(sets)
	errs = append(errs, checkSeries(sets)...)
	return sets, errs
}

// parseDate parses an ISO date of the data files.
func parseDate(s string) (civil.Date, error) {
	if len(s) != 10 {
		return 0, errors.New("want an ISO date yyyy-mm-dd")
	}
	return civil.Parse(s)
}

// parseFile parses one rule-set file. It returns nil and the errors when
// the header is unusable; value errors leave the set usable for the
// series checks.
func parseFile(file string, data []byte) (*RuleSet, []error) {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &LintError{File: file, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	var f fileJSON
	if err := strictDecode(data, &f); err != nil {
		bad("", "malformed rule set: %v", err)
		return nil, errs
	}
	s := &RuleSet{ID: f.ID, Series: f.Series, TitleVI: f.Title["vi"], TitleEN: f.Title["en"],
		Regulation: f.Regulation, Provisional: f.Provisional, SourceURL: f.SourceURL, Note: f.Note,
		File: file, values: map[string]*Value{}}
	if f.ID == "" {
		bad("id", "missing rule-set id")
	}
	schema, ok := seriesKeys[f.Series]
	if !ok {
		bad("series", "unknown series %q (want %s or %s)", f.Series, SeriesParty, SeriesAntiCorruption)
	}
	if s.TitleVI == "" || s.TitleEN == "" {
		bad("title", "want a title in vi and en")
	}
	for lang := range f.Title {
		if lang != "vi" && lang != "en" {
			bad("title", "unknown language %q", lang)
		}
	}
	if f.Regulation == "" {
		bad("regulation", "missing regulation")
	}
	var err error
	if s.EffectiveFrom, err = parseDate(f.EffectiveFrom); err != nil {
		bad("effective_from", "%q: %v", f.EffectiveFrom, err)
	}
	s.EffectiveTo = civil.Forever
	if f.EffectiveTo != "" {
		if s.EffectiveTo, err = parseDate(f.EffectiveTo); err != nil {
			bad("effective_to", "%q: %v", f.EffectiveTo, err)
		}
	}
	if s.EffectiveFrom != 0 && s.EffectiveTo != 0 && s.EffectiveTo.Before(s.EffectiveFrom) {
		bad("effective_to", "effective_to %s is before effective_from %s", s.EffectiveTo, s.EffectiveFrom)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, key := range slices.Sorted(maps.Keys(f.Values)) {
		spec, known := schema[key]
		if !known {
			bad("values."+key, "unknown value key for series %s%s", f.Series, initiationKeyHint(key))
			continue
		}
		v, verrs := parseValue(file, key, spec, f.Values[key], s)
		errs = append(errs, verrs...)
		if v != nil {
			s.values[key] = v
		}
	}
	for _, key := range slices.Sorted(maps.Keys(schema)) {
		if _, ok := f.Values[key]; !ok && !schema[key].optional {
			bad("values."+key, "missing required value")
		}
	}
	errs = append(errs, lintInitiation(file, s)...)
	return s, errs
}

// initiationKeyHint explains why an "initiation.KIND.BODY" key is unknown:
// an unknown kind of activity or an unknown body kind.
func initiationKeyHint(key string) string {
	parts := strings.Split(key, ".")
	if len(parts) != 3 || parts[0] != "initiation" || parts[1] == "chi_bo" {
		return ""
	}
	if !slices.Contains(strs(InitiationKinds), parts[1]) {
		return fmt.Sprintf(": unknown kind of activity %q (want one of %s)", parts[1], strings.Join(strs(InitiationKinds), ", "))
	}
	if !slices.Contains(initiationBodies, BodyKind(parts[2])) {
		return fmt.Sprintf(": unknown body kind %q (want one of %s)", parts[2], strings.Join(strs(initiationBodies), ", "))
	}
	return ""
}

// lintInitiation checks the cells of the initiation table of s beyond
// their shape: a scope at most once, and OWN_MEMBERS only for a chi bộ
// (CHI_BO, CHI_UY), whose members are its own.
func lintInitiation(file string, s *RuleSet) []error {
	var errs []error
	for _, k := range InitiationKinds {
		for _, body := range initiationBodies {
			key := initiationCell(k, body)
			v := s.values[key]
			if v == nil {
				continue
			}
			seen := map[string]bool{}
			for _, c := range v.Codes {
				if seen[c] {
					errs = append(errs, &LintError{File: file, Key: "values." + key + ".codes", Msg: fmt.Sprintf("duplicate code %q", c)})
				}
				seen[c] = true
			}
			if seen[initOwnMembers] && body != BodyBranch && body != BodyBranchCommittee {
				errs = append(errs, &LintError{File: file, Key: "values." + key + ".codes",
					Msg: fmt.Sprintf("%s applies only to a chi bộ (%s, %s), not to %s", initOwnMembers, BodyBranch, BodyBranchCommittee, body)})
			}
		}
	}
	return errs
}

// parseValue parses and checks one value of set s.
func parseValue(file, key string, spec keySpec, raw json.RawMessage, s *RuleSet) (*Value, []error) {
	var errs []error
	at := "values." + key
	bad := func(field, format string, args ...any) {
		k := at
		if field != "" {
			k += "." + field
		}
		errs = append(errs, &LintError{File: file, Key: k, Msg: fmt.Sprintf(format, args...)})
	}
	var j valueJSON
	if err := strictDecode(raw, &j); err != nil {
		bad("", "malformed value: %v", err)
		return nil, errs
	}
	v := &Value{Key: key, Regulation: strings.TrimSpace(j.Regulation), Article: strings.TrimSpace(j.Article),
		Confidence: Confidence(j.Confidence), SourceURL: j.SourceURL, Note: j.Note,
		EffectiveFrom: s.EffectiveFrom, EffectiveTo: s.EffectiveTo}
	if v.Regulation == "" || v.Article == "" {
		bad("", "missing citation: want regulation and article")
	}
	if !v.Confidence.Valid() {
		bad("confidence", "unknown confidence %q (want verified, secondary or unverified)", j.Confidence)
	}
	var err error
	if j.EffectiveFrom != "" {
		if v.EffectiveFrom, err = parseDate(j.EffectiveFrom); err != nil {
			bad("effective_from", "%q: %v", j.EffectiveFrom, err)
		}
	}
	if j.EffectiveTo != "" {
		if v.EffectiveTo, err = parseDate(j.EffectiveTo); err != nil {
			bad("effective_to", "%q: %v", j.EffectiveTo, err)
		}
	}
	if v.EffectiveFrom.Before(s.EffectiveFrom) || v.EffectiveTo.After(s.EffectiveTo) ||
		v.EffectiveTo.Before(v.EffectiveFrom) {
		bad("effective_from", "value in force %s..%s falls outside its rule set %s..%s",
			v.EffectiveFrom, v.EffectiveTo, s.EffectiveFrom, s.EffectiveTo)
	}

	present := map[valueKind]bool{
		kindDuration: j.Duration != nil, kindAmount: j.Amount != nil, kindCount: j.Count != nil,
		kindRatio: j.Ratio != nil, kindFlag: j.Flag != nil, kindForms: j.Forms != nil,
		kindOrgTypes: j.OrgTypes != nil, kindCodes: j.Codes != nil, kindMeasures: j.Measures != nil,
		kindMonthDay: j.MonthDay != nil,
	}
	for k, ok := range present {
		if ok && k != spec.kind {
			bad(kindNames[k], "unexpected %s: this key holds a %s", kindNames[k], kindNames[spec.kind])
		}
	}
	if !present[spec.kind] {
		bad("", "missing %s", kindNames[spec.kind])
		return nil, errs
	}
	switch spec.kind {
	case kindDuration:
		if j.Duration.N == nil || j.Duration.Unit == nil {
			bad("duration", "want n and unit")
			break
		}
		u, err := calendar.ParseUnit(*j.Duration.Unit)
		if err != nil {
			bad("duration.unit", "unknown unit %q (want calendar_days, working_days, months or years)", *j.Duration.Unit)
		}
		if *j.Duration.N <= 0 || *j.Duration.N > 36600 {
			bad("duration.n", "n %d out of range 1..36600", *j.Duration.N)
		}
		v.Duration = &Duration{N: *j.Duration.N, Unit: u}
	case kindAmount:
		if *j.Amount <= 0 {
			bad("amount", "amount must be positive")
		}
		v.Amount = j.Amount
	case kindCount:
		if *j.Count < 0 || *j.Count > 1000 {
			bad("count", "count %d out of range 0..1000", *j.Count)
		}
		v.Count = j.Count
	case kindRatio:
		r := *j.Ratio
		if r.Den <= 0 || r.Num <= 0 || r.Num > r.Den || (r.Op != "gt" && r.Op != "ge") {
			bad("ratio", "want 0 < num <= den and op \"gt\" (more than) or \"ge\" (at least)")
		}
		v.Ratio = &r
	case kindFlag:
		v.Flag = j.Flag
	case kindForms:
		v.Forms = []Form{}
		for _, f := range *j.Forms {
			if !Form(f).Valid() {
				bad("forms", "unknown form %q", f)
			}
			v.Forms = append(v.Forms, Form(f))
		}
	case kindOrgTypes:
		v.OrgTypes = []ktgs.OrgType{}
		for _, t := range *j.OrgTypes {
			if !validOrgType(t) {
				bad("org_types", "unknown organisation type %q", t)
			}
			v.OrgTypes = append(v.OrgTypes, ktgs.OrgType(t))
		}
	case kindCodes:
		v.Codes = []string{}
		for _, c := range *j.Codes {
			if !validCode(spec.codes, c) {
				bad("codes", "unknown code %q", c)
			}
			v.Codes = append(v.Codes, c)
		}
	case kindMeasures:
		v.Measures = map[Form][]string{}
		for f, ms := range j.Measures {
			if !Form(f).Valid() {
				bad("measures", "unknown form %q", f)
			}
			for _, m := range ms {
				if !validCode(spec.codes, m) {
					bad("measures", "unknown measure %q", m)
				}
			}
			v.Measures[Form(f)] = slices.Clone(ms)
		}
	case kindMonthDay:
		md := *j.MonthDay
		if md.Month < 1 || md.Month > 12 || md.Day < 1 || md.Day > civil.DaysIn(2001, time.Month(md.Month)) {
			bad("month_day", "no such day %d/%d", md.Day, md.Month)
		}
		v.MonthDay = &md
	}
	return v, errs
}

// checkSeries checks the sets of each series for duplicate ids, gaps and
// overlaps. sets must be sorted by sortSets.
func checkSeries(sets []*RuleSet) []error {
	var errs []error
	ids := map[string]string{}
	for _, s := range sets {
		if prev, dup := ids[s.ID]; dup {
			errs = append(errs, &LintError{File: s.File, Key: "id", Msg: fmt.Sprintf("duplicate rule-set id %q (also in %s)", s.ID, prev)})
		}
		ids[s.ID] = s.File
	}
	for i := 1; i < len(sets); i++ {
		prev, s := sets[i-1], sets[i]
		if prev.Series != s.Series {
			continue
		}
		switch next := prev.EffectiveTo.AddDays(1); {
		case prev.EffectiveTo.IsForever() || !s.EffectiveFrom.After(prev.EffectiveTo):
			errs = append(errs, &LintError{File: s.File, Key: "effective_from",
				Msg: fmt.Sprintf("%s overlaps %s (%s in force %s..%s)", s.EffectiveFrom, prev.File, prev.ID, prev.EffectiveFrom, dateOrOpen(prev.EffectiveTo))})
		case s.EffectiveFrom != next:
			errs = append(errs, &LintError{File: s.File, Key: "effective_from",
				Msg: fmt.Sprintf("gap: %s..%s is covered by no rule set of series %s (previous: %s ends %s)", next, s.EffectiveFrom.AddDays(-1), s.Series, prev.File, prev.EffectiveTo)})
		}
	}
	return errs
}

// dateOrOpen prints d, or "open" for civil.Forever.
func dateOrOpen(d civil.Date) string {
	if d.IsForever() {
		return "open"
	}
	return d.String()
}
