package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"sync"

	"ktgs"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
)

// Confidence says how sure we are of a rule value, exactly as RULES.md tags
// its source.
type Confidence string

// Confidence levels.
const (
	// Verified: a public source states the rule ([VERIFIED] in RULES.md).
	Verified Confidence = "verified"
	// Secondary: the only source is a local party unit's quiz
	// ([SECONDARY-QUIZ]).
	Secondary Confidence = "secondary"
	// Unverified: recalled, inferred, "our reading", or a value copied from
	// an older regulation without confirmation ([UNVERIFIED]).
	Unverified Confidence = "unverified"
)

// Valid reports whether c is a known confidence level.
func (c Confidence) Valid() bool { return c == Verified || c == Secondary || c == Unverified }

// Duration is a length of time as a rule states it: N units counted with
// the working-day calendar (calendar.Add: the start day is not counted).
type Duration struct {
	N    int           `json:"n"`
	Unit calendar.Unit `json:"unit"`
}

// Ratio is a vote threshold: more than (Op "gt") or at least (Op "ge")
// Num/Den of the denominator.
type Ratio struct {
	Num int    `json:"num"`
	Den int    `json:"den"`
	Op  string `json:"op"`
}

// Required returns the smallest number of votes out of n that meets r.
func (r Ratio) Required(n int) int {
	if r.Den <= 0 {
		return n + 1
	}
	p := int64(n) * int64(r.Num)
	q := int64(r.Den)
	if r.Op == "ge" {
		return int((p + q - 1) / q) // ceil(n·num/den)
	}
	return int(p/q) + 1 // floor(n·num/den) + 1
}

// String returns the threshold as "> 1/2" or ">= 2/3".
func (r Ratio) String() string {
	op := ">"
	if r.Op == "ge" {
		op = ">="
	}
	return fmt.Sprintf("%s %d/%d", op, r.Num, r.Den)
}

// MonthDay is a day of the year, such as 31/12.
type MonthDay struct {
	Month int `json:"month"`
	Day   int `json:"day"`
}

// Value is one rule value with its citation. Exactly one of the payload
// fields is set, as the key's schema says.
type Value struct {
	Key string

	Duration *Duration
	Amount   *int64
	Count    *int
	Ratio    *Ratio
	Flag     *bool
	Forms    []Form
	OrgTypes []ktgs.OrgType
	Codes    []string
	Measures map[Form][]string
	MonthDay *MonthDay

	Regulation string
	Article    string
	Confidence Confidence
	SourceURL  string
	Note       string
	// EffectiveFrom and EffectiveTo bound the value inside its rule set;
	// they default to the set's dates. EffectiveTo is civil.Forever when
	// open-ended.
	EffectiveFrom civil.Date
	EffectiveTo   civil.Date
}

// covers reports whether the value is in force on d.
func (v *Value) covers(d civil.Date) bool {
	return !d.Before(v.EffectiveFrom) && !d.After(v.EffectiveTo)
}

// clone returns a deep copy, so callers cannot change the registry.
func (v *Value) clone() Value {
	c := *v
	c.Forms = slices.Clone(v.Forms)
	c.OrgTypes = slices.Clone(v.OrgTypes)
	c.Codes = slices.Clone(v.Codes)
	if v.Measures != nil {
		c.Measures = make(map[Form][]string, len(v.Measures))
		for k, m := range v.Measures {
			c.Measures[k] = slices.Clone(m)
		}
	}
	return c
}

// citation returns the citation of v.
func (v *Value) citation() Citation {
	return Citation{Regulation: v.Regulation, Article: v.Article, Confidence: v.Confidence,
		SourceURL: v.SourceURL, ValueKey: v.Key}
}

// RuleSet is one versioned set of rule values, read from one data file.
type RuleSet struct {
	ID            string     // "QD296_2025"
	Series        string     // SeriesParty or SeriesAntiCorruption
	TitleVI       string     // Vietnamese title
	TitleEN       string     // English title
	Regulation    string     // the regulation the set implements
	EffectiveFrom civil.Date // first day in force
	EffectiveTo   civil.Date // last day in force; civil.Forever if open-ended
	Provisional   bool       // the whole set awaits confirmation
	SourceURL     string
	Note          string
	File          string // path of the data file inside its fs.FS

	values map[string]*Value
}

// Value returns a copy of the value of key, whether or not it is in force
// on a given date.
func (s *RuleSet) Value(key string) (Value, bool) {
	v, ok := s.values[key]
	if !ok {
		return Value{}, false
	}
	return v.clone(), true
}

// Keys returns the value keys of the set, sorted.
func (s *RuleSet) Keys() []string { return slices.Sorted(maps.Keys(s.values)) }

// covers reports whether the set is in force on d.
func (s *RuleSet) covers(d civil.Date) bool {
	return !d.Before(s.EffectiveFrom) && !d.After(s.EffectiveTo)
}

// Registry is an immutable collection of rule sets with the calendar used
// to count working days. It is safe for concurrent use.
type Registry struct {
	sets []*RuleSet // sorted by series, then EffectiveFrom
	cal  *calendar.Calendar
}

//go:embed data
var dataFS embed.FS

// embeddedData returns the embedded data directory.
func embeddedData() fs.FS {
	sub, err := fs.Sub(dataFS, "data")
	if err != nil {
		panic(err) // the directory is embedded; Sub fails only on a bad name
	}
	return sub
}

// EmbeddedData returns the rule-set files embedded in the binary, for
// `ktgs rules lint` and for operators who want a copy to start from.
func EmbeddedData() fs.FS { return embeddedData() }

var defaultRegistry = sync.OnceValue(func() *Registry {
	r, err := LoadFS(embeddedData())
	if err != nil {
		panic(fmt.Sprintf("rules: embedded data: %v", err)) // checked by TestEmbeddedDataLints
	}
	return r
})

// Default returns the registry built from the embedded data files and the
// default working-day calendar. Every call returns the same Registry.
func Default() *Registry { return defaultRegistry() }

// LoadFS reads every *.json file of fsys (recursively) as a rule set and
// returns the registry, using calendar.Default for working days. It fails
// with the errors Lint would report, joined.
func LoadFS(fsys fs.FS) (*Registry, error) {
	sets, errs := load(fsys)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	return &Registry{sets: sets, cal: calendar.Default()}, nil
}

// WithCalendar returns a copy of r that counts working days with c.
func (r *Registry) WithCalendar(c *calendar.Calendar) *Registry {
	return &Registry{sets: r.sets, cal: c}
}

// RuleSets returns copies of the rule sets, sorted by series and date.
func (r *Registry) RuleSets() []RuleSet {
	out := make([]RuleSet, len(r.sets))
	for i, s := range r.sets {
		out[i] = *s
	}
	return out
}

// RuleSet returns the rule set of series in force on d.
func (r *Registry) RuleSet(series string, d civil.Date) (RuleSet, bool) {
	if s := r.find(series, d); s != nil {
		return *s, true
	}
	return RuleSet{}, false
}

// find returns the set of series in force on d, or nil.
func (r *Registry) find(series string, d civil.Date) *RuleSet {
	for _, s := range r.sets {
		if s.Series == series && s.covers(d) {
			return s
		}
	}
	return nil
}

// sortSets orders sets by series, then by start date.
func sortSets(sets []*RuleSet) {
	sort.SliceStable(sets, func(i, j int) bool {
		if sets[i].Series != sets[j].Series {
			return sets[i].Series < sets[j].Series
		}
		return sets[i].EffectiveFrom < sets[j].EffectiveFrom
	})
}
