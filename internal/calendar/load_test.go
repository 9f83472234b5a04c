package calendar

import (
	"bytes"
	"strings"
	"testing"

	"ktgs/internal/civil"
)

// baseDoc is a small valid document; the malformed cases edit it.
const baseDoc = `{
  "format": 1,
  "statutory": [
    {"id": "new_year", "name_vi": "Tết Dương lịch", "name_en": "New Year's Day",
     "calendar": "solar", "month": 1, "day": 1, "offset": 0, "length": 1,
     "from": "2013-05-01", "source": "https://example.org/law", "confidence": "verified"},
    {"id": "tet", "name_vi": "Tết Âm lịch", "name_en": "Tết",
     "calendar": "lunar", "month": 1, "day": 1, "offset": -1, "length": 5,
     "from": "2013-05-01", "source": "https://example.org/law", "confidence": "verified"}
  ],
  "in_lieu": {"rule": "next_working_day", "from": "2013-05-01", "source": "https://example.org/law", "confidence": "verified"},
  "years": [
    {"year": 2025, "entries": [
      {"from": "2025-01-27", "to": "2025-01-31", "kind": "holiday", "name_vi": "Tết Âm lịch", "name_en": "Tết",
       "source": "https://example.org/2025", "confidence": "verified"},
      {"date": "2025-04-26", "kind": "makeup", "name_vi": "Làm bù", "name_en": "Make-up day",
       "source": "https://example.org/2025", "confidence": "secondary"},
      {"date": "2025-05-02", "kind": "swap", "name_vi": "Nghỉ hoán đổi", "name_en": "Swapped day off",
       "source": "https://example.org/2025", "confidence": "verified"}
    ]},
    {"year": 2015, "entries": [
      {"date": "2014-12-27", "kind": "makeup", "name_vi": "Làm bù", "name_en": "Make-up day",
       "source": "https://example.org/2015", "confidence": "verified"},
      {"date": "2015-01-02", "kind": "swap", "name_vi": "Nghỉ hoán đổi", "name_en": "Swapped day off",
       "source": "https://example.org/2015", "confidence": "verified"}
    ]}
  ]
}`

func TestLoadValid(t *testing.T) {
	c, err := Load(strings.NewReader(baseDoc))
	if err != nil {
		t.Fatalf("Load(baseDoc) = %v", err)
	}
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2025-01-27", false, "listed holiday"},
		{"2025-04-26", true, "listed make-up Saturday"},
		{"2025-05-02", false, "listed swap"},
		{"2025-01-01", true, "covered year: only listed days are off"},
		{"2014-12-27", true, "make-up Saturday listed in the next year's schedule"},
		{"2014-01-01", false, "uncovered year: computed New Year's Day"},
		{"2014-01-30", false, "uncovered year: computed Tết 2014 (last day of the lunar year)"},
		{"2014-02-03", false, "uncovered year: computed Tết 2014 (mùng 4)"},
		{"2014-04-30", true, "uncovered year: rule not in this document"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := c.IsWorkingDay(civil.MustParse(tc.date)); got != tc.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tc.date, got, tc.want, tc.why)
			}
		})
	}
	for y, want := range map[int]bool{2014: false, 2015: true, 2025: true, 2026: false} {
		if got := c.Covered(y); got != want {
			t.Errorf("Covered(%d) = %v, want %v", y, got, want)
		}
	}
}

func TestLoadEmbedded(t *testing.T) {
	if _, err := Load(bytes.NewReader(embedded)); err != nil {
		t.Fatalf("Load(data/holidays.json) = %v", err)
	}
}

// edit replaces the first occurrence of old in baseDoc with new.
type edit struct{ old, new string }

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit // applied to baseDoc in order
		doc   string // instead of edits: the whole document
		want  []string
	}{
		{
			name:  "bad date",
			edits: []edit{{`"date": "2025-04-26"`, `"date": "2025-02-30"`}},
			want:  []string{"years[2025].entries[1] (Làm bù)", `bad date "2025-02-30"`},
		},
		{
			name:  "unparseable date",
			edits: []edit{{`"date": "2025-05-02"`, `"date": "May 2nd"`}},
			want:  []string{"years[2025].entries[2] (Nghỉ hoán đổi)", `bad date "May 2nd"`},
		},
		{
			name:  "unknown calendar unit",
			edits: []edit{{`"calendar": "solar"`, `"calendar": "chinese"`}},
			want:  []string{`statutory[0] "new_year"`, `unknown calendar "chinese"`},
		},
		{
			name:  "unknown kind",
			edits: []edit{{`"kind": "swap"`, `"kind": "nghi"`}},
			want:  []string{"years[2025].entries[2] (Nghỉ hoán đổi)", `unknown kind "nghi"`},
		},
		{
			name:  "unknown confidence",
			edits: []edit{{`"confidence": "secondary"`, `"confidence": "probably"`}},
			want:  []string{"years[2025].entries[1] (Làm bù)", `unknown confidence "probably"`},
		},
		{
			name:  "missing source",
			edits: []edit{{`"source": "https://example.org/2025", "confidence": "secondary"`, `"source": "", "confidence": "secondary"`}},
			want:  []string{"years[2025].entries[1] (Làm bù)", "missing source"},
		},
		{
			name:  "make-up day on a weekday",
			edits: []edit{{`"date": "2025-04-26"`, `"date": "2025-04-28"`}},
			want:  []string{"years[2025].entries[1] (Làm bù)", "2025-04-28 is a Monday"},
		},
		{
			name:  "swap on a weekend",
			edits: []edit{{`"date": "2025-05-02"`, `"date": "2025-05-03"`}},
			want:  []string{"years[2025].entries[2] (Nghỉ hoán đổi)", "2025-05-03 is a Saturday"},
		},
		{
			// Tết now starts on Saturday 25/01 and the make-up day moves
			// onto that Saturday: one date both off and worked.
			name: "contradictory overlapping entries",
			edits: []edit{
				{`"from": "2025-01-27", "to": "2025-01-31"`, `"from": "2025-01-25", "to": "2025-01-31"`},
				{`"date": "2025-04-26"`, `"date": "2025-01-25"`},
			},
			want: []string{"years[2025].entries[1] (Làm bù)", "2025-01-25 is both a day off and a working day", "years[2025].entries[0] (Tết Âm lịch)"},
		},
		{
			name:  "duplicate day off",
			edits: []edit{{`"date": "2025-05-02"`, `"date": "2025-01-29"`}},
			want:  []string{"years[2025].entries[2] (Nghỉ hoán đổi)", "2025-01-29 is listed twice", "years[2025].entries[0] (Tết Âm lịch)"},
		},
		{
			name:  "year listed twice",
			edits: []edit{{`{"year": 2015,`, `{"year": 2025,`}},
			want:  []string{"years[1]", "year 2025 listed twice"},
		},
		{
			name:  "overlapping statutory periods",
			edits: []edit{{`{"id": "tet",`, `{"id": "new_year",`}},
			want:  []string{`statutory[1] "new_year"`, "overlaps statutory[0]"},
		},
		{
			name:  "solar day out of range",
			edits: []edit{{`"month": 1, "day": 1, "offset": 0`, `"month": 2, "day": 30, "offset": 0`}},
			want:  []string{`statutory[0] "new_year"`, "day 30 out of range"},
		},
		{
			name:  "run backwards",
			edits: []edit{{`"from": "2025-01-27", "to": "2025-01-31"`, `"from": "2025-01-31", "to": "2025-01-27"`}},
			want:  []string{"years[2025].entries[0] (Tết Âm lịch)", "before"},
		},
		{
			name:  "entry far outside its year",
			edits: []edit{{`"date": "2014-12-27"`, `"date": "2013-12-28"`}},
			want:  []string{"years[2015].entries[0] (Làm bù)", "too far outside year 2015"},
		},
		{
			name:  "unknown in_lieu rule",
			edits: []edit{{`"rule": "next_working_day"`, `"rule": "previous_day"`}},
			want:  []string{"in_lieu", `unknown rule "previous_day"`},
		},
		{
			name:  "unknown field",
			edits: []edit{{`"format": 1,`, `"format": 1, "colour": "red",`}},
			want:  []string{"decoding data", "colour"},
		},
		{
			name:  "unsupported format",
			edits: []edit{{`"format": 1,`, `"format": 2,`}},
			want:  []string{"unsupported data format 2"},
		},
		{
			name: "not JSON",
			doc:  "lịch nghỉ",
			want: []string{"decoding data"},
		},
		{
			name: "trailing content",
			doc:  baseDoc + " {}",
			want: []string{"trailing content"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if doc == "" {
				doc = baseDoc
				for _, e := range tc.edits {
					if !strings.Contains(doc, e.old) {
						t.Fatalf("test edit %q not found in the document", e.old)
					}
					doc = strings.Replace(doc, e.old, e.new, 1)
				}
			}
			_, err := Load(strings.NewReader(doc))
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", tc.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "calendar: ") {
				t.Errorf("error %q lacks the \"calendar: \" prefix", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
