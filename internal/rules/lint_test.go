package rules

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"ktgs/internal/civil"
)

func TestEmbeddedDataLints(t *testing.T) {
	if errs := Lint(EmbeddedData()); len(errs) > 0 {
		for _, err := range errs {
			t.Error(err)
		}
	}
}

// embeddedCopy returns the embedded files as a MapFS the test may change.
func embeddedCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(EmbeddedData(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(EmbeddedData(), p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// edit replaces old by new in file name of m, failing if old is absent.
func edit(t *testing.T, m fstest.MapFS, name, old, new string) {
	t.Helper()
	s := string(m[name].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

func TestLintCatchesBadData(t *testing.T) {
	tests := []struct {
		name       string
		change     func(t *testing.T, m fstest.MapFS)
		file, key  string
		msgContain string
	}{
		{"gap between sets", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"effective_from": "2025-05-30"`, `"effective_from": "2025-06-02"`)
		}, "qd296_2025.json", "effective_from", "gap"},
		{"overlap between sets", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd21_2026.json", `"effective_from": "2026-04-11"`, `"effective_from": "2026-04-01"`)
		}, "qd21_2026.json", "effective_from", "overlaps"},
		{"overlap with an open-ended set", func(t *testing.T, m fstest.MapFS) {
			m["qd99_2030.json"] = &fstest.MapFile{Data: []byte(strings.Replace(strings.Replace(string(m["qd21_2026.json"].Data),
				`"id": "QD21_2026"`, `"id": "QD99_2030"`, 1), `"effective_from": "2026-04-11"`, `"effective_from": "2030-01-01"`, 1))}
		}, "qd99_2030.json", "effective_from", "overlaps"},
		{"missing citation", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"regulation": "Quy định 22-QĐ/TW", "article": "Điều 15.3"`, `"regulation": "", "article": "Điều 15.3"`)
		}, "qd22_2021.json", "values.ballot.majority", "citation"},
		{"missing article", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "luat_pctn_2025.json", `"article": "Điều 35 (tài sản phải kê khai, sửa đổi)"`, `"article": " "`)
		}, "luat_pctn_2025.json", "values.asset.item_threshold", "citation"},
		{"unknown confidence", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"article": "Điều 13", "confidence": "verified"`, `"article": "Điều 13", "confidence": "probable"`)
		}, "qd296_2025.json", "values.authority.several_committees.confidence", "confidence"},
		{"unknown unit", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `{"duration": {"n": 30, "unit": "calendar_days"}, "regulation": "Quy định 296-QĐ/TW", "article": "Điều 25.1"`,
				`{"duration": {"n": 30, "unit": "weeks"}, "regulation": "Quy định 296-QĐ/TW", "article": "Điều 25.1"`)
		}, "qd296_2025.json", "values.complaint.filing_deadline.duration.unit", "unit"},
		{"value outside its set", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"effective_from": "2022-07-06"`, `"effective_from": "2020-01-01"`)
		}, "qd22_2021.json", "values.expiry.period.effective_from", "outside"},
		{"unknown key", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd21_2026.json", `"values": {`, `"values": {"ballot.quorum": {"flag": true, "regulation": "x", "article": "y", "confidence": "verified"},`)
		}, "qd21_2026.json", "values.ballot.quorum", "unknown value key"},
		{"missing required key", func(t *testing.T, m fstest.MapFS) {
			s := string(m["qd21_2026.json"].Data)
			i := strings.Index(s, `    "removal_bar.period"`)
			j := strings.Index(s[i:], "\n")
			m["qd21_2026.json"] = &fstest.MapFile{Data: []byte(s[:i] + s[i+j+1:])}
		}, "qd21_2026.json", "values.removal_bar.period", "missing required"},
		{"wrong shape", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"removal_bar.period": {"duration": {"n": 1, "unit": "years"}`, `"removal_bar.period": {"count": 1`)
		}, "qd296_2025.json", "values.removal_bar.period", "missing duration"},
		{"unknown form", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"authority.chi_bo": {"forms": ["KHIEN_TRACH", "CANH_CAO"]`, `"authority.chi_bo": {"forms": ["KHIEN_TRACH", "PHE_BINH"]`)
		}, "qd296_2025.json", "values.authority.chi_bo.forms", "unknown form"},
		{"malformed JSON", func(t *testing.T, m fstest.MapFS) {
			m["broken.json"] = &fstest.MapFile{Data: []byte(`{"id": "X", `)}
		}, "broken.json", "", "malformed"},
		{"unknown member", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"provisional": false,`, `"provisional": false, "author": "x",`)
		}, "qd22_2021.json", "", "unknown field"},
		{"duplicate id", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "luat_pctn_2025.json", `"id": "LUAT_PCTN_2025"`, `"id": "LUAT_PCTN_2018"`)
		}, "luat_pctn_2025.json", "id", "duplicate"},
		{"initiation: unknown kind of activity", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"values": {`, `"values": {"initiation.KT_KHAC.UBKT": {"codes": [], "regulation": "x", "article": "y", "confidence": "verified"},`)
		}, "qd296_2025.json", "values.initiation.KT_KHAC.UBKT", "unknown kind of activity"},
		{"initiation: unknown body kind", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"values": {`, `"values": {"initiation.KT_DHVP.BAN_TO_CHUC": {"codes": [], "regulation": "x", "article": "y", "confidence": "verified"},`)
		}, "qd22_2021.json", "values.initiation.KT_DHVP.BAN_TO_CHUC", "unknown body kind"},
		{"initiation: refined body kind", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"values": {`, `"values": {"initiation.KT_DHVP.BCH_TW": {"codes": [], "regulation": "x", "article": "y", "confidence": "verified"},`)
		}, "qd22_2021.json", "values.initiation.KT_DHVP.BCH_TW", "unknown body kind"},
		{"initiation: missing cell", func(t *testing.T, m fstest.MapFS) {
			s := string(m["qd21_2026.json"].Data)
			i := strings.Index(s, `    "initiation.KT_DHVP.BAN_THAM_MUU"`)
			j := strings.Index(s[i:], "\n")
			m["qd21_2026.json"] = &fstest.MapFile{Data: []byte(s[:i] + s[i+j+1:])}
		}, "qd21_2026.json", "values.initiation.KT_DHVP.BAN_THAM_MUU", "missing required"},
		{"initiation: cell without citation", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"initiation.KT_TAI_CHINH.UBKT": {"codes": ["LOWER_ORGS", "SAME_LEVEL_FINANCE_OFFICE"], "regulation": "Điều lệ Đảng (2011)"`,
				`"initiation.KT_TAI_CHINH.UBKT": {"codes": ["LOWER_ORGS", "SAME_LEVEL_FINANCE_OFFICE"], "regulation": ""`)
		}, "qd296_2025.json", "values.initiation.KT_TAI_CHINH.UBKT", "citation"},
		{"initiation: unknown scope", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"initiation.KT_TAI_CHINH.UBKT": {"codes": ["LOWER_ORGS", "SAME_LEVEL_FINANCE_OFFICE"]`,
				`"initiation.KT_TAI_CHINH.UBKT": {"codes": ["LOWER_ORGS", "SAME_LEVEL_COMMITTEE"]`)
		}, "qd296_2025.json", "values.initiation.KT_TAI_CHINH.UBKT.codes", "unknown code"},
		{"initiation: wrong shape", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"initiation.KT_TAI_CHINH.UBKT": {"codes": ["LOWER_ORGS", "SAME_LEVEL_FINANCE_OFFICE"]`,
				`"initiation.KT_TAI_CHINH.UBKT": {"flag": true`)
		}, "qd296_2025.json", "values.initiation.KT_TAI_CHINH.UBKT", "missing codes"},
		{"initiation: own members of a committee", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd296_2025.json", `"initiation.KT_DHVP.UBKT": {"codes": ["LOWER_ORGS", "MEMBERS", "SAME_LEVEL_COMMITTEE_MEMBERS"]`,
				`"initiation.KT_DHVP.UBKT": {"codes": ["LOWER_ORGS", "OWN_MEMBERS"]`)
		}, "qd296_2025.json", "values.initiation.KT_DHVP.UBKT.codes", "applies only to a chi bộ"},
		{"initiation: duplicate scope", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd30_2016.json", `"initiation.GS_CHUYEN_DE.CHI_BO": {"codes": ["OWN_MEMBERS"]`, `"initiation.GS_CHUYEN_DE.CHI_BO": {"codes": ["OWN_MEMBERS", "OWN_MEMBERS"]`)
		}, "qd30_2016.json", "values.initiation.GS_CHUYEN_DE.CHI_BO.codes", "duplicate code"},
		{"initiation: chi bo threshold missing", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd22_2021.json", `"initiation.chi_bo.thematic_members": {"count": 30`, `"initiation.chi_bo.thematic_members": {"count": -1`)
		}, "qd22_2021.json", "values.initiation.chi_bo.thematic_members.count", "out of range"},
		{"unknown series", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "qd30_2016.json", `"series": "PARTY"`, `"series": "STATE"`)
		}, "qd30_2016.json", "series", "unknown series"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := embeddedCopy(t)
			tc.change(t, m)
			errs := Lint(m)
			found := false
			for _, err := range errs {
				var le *LintError
				if !errors.As(err, &le) {
					t.Errorf("Lint error %T is not a *LintError: %v", err, err)
					continue
				}
				if !strings.HasPrefix(err.Error(), "rules: ") {
					t.Errorf("error %q lacks the rules: prefix", err)
				}
				if le.File == tc.file && le.Key == tc.key && strings.Contains(le.Msg, tc.msgContain) {
					found = true
				}
			}
			if !found {
				t.Errorf("Lint = %v, want an error in %s at %q containing %q", errs, tc.file, tc.key, tc.msgContain)
			}
			if _, err := LoadFS(m); err == nil {
				t.Error("LoadFS accepted the bad data")
			}
		})
	}
}

// TestEveryValueHasACitation checks every value of every embedded set.
func TestEveryValueHasACitation(t *testing.T) {
	for _, s := range Default().RuleSets() {
		for _, k := range s.Keys() {
			v, _ := s.Value(k)
			if strings.TrimSpace(v.Regulation) == "" || strings.TrimSpace(v.Article) == "" || !v.Confidence.Valid() {
				t.Errorf("%s %s: citation %q / %q / %q incomplete", s.ID, k, v.Regulation, v.Article, v.Confidence)
			}
			if v.EffectiveFrom.Before(s.EffectiveFrom) || v.EffectiveTo.After(s.EffectiveTo) {
				t.Errorf("%s %s: in force %s..%s outside the set", s.ID, k, v.EffectiveFrom, v.EffectiveTo)
			}
		}
	}
}

// TestConfidencePolicy checks the confidence tags against RULES.md.
func TestConfidencePolicy(t *testing.T) {
	conf := func(set, key string) Confidence {
		for _, s := range Default().RuleSets() {
			if s.ID == set {
				v, ok := s.Value(key)
				if !ok {
					t.Fatalf("%s has no %s", set, key)
				}
				return v.Confidence
			}
		}
		t.Fatalf("no set %s", set)
		return ""
	}
	tests := []struct {
		set, key string
		want     Confidence
	}{
		{"QD296_2025", keyComplaintDeadline, Secondary},     // [SECONDARY-QUIZ Q31]
		{"QD21_2026", keyComplaintDeadline, Unverified},     // copied from QĐ 296
		{"QD22_2021", keyComplaintDeadline, Unverified},     // legacy working days, QĐ 22 text not read
		{"QD30_2016", keyComplaintDeadline, Verified},       // QĐ 46
		{"QD22_2021", keySuspTotal, Verified},               // QĐ 22 Art. 31
		{"QD21_2026", keySuspExtensionMax, Secondary},       // [SECONDARY-QUIZ QB2]
		{"QD296_2025", keySuspExtensionMax, Unverified},     // copied from QĐ 21
		{"QD22_2021", keyDenLimitProvincial, Unverified},    // QĐ 30 value kept
		{"QD296_2025", keyDenLimitCentral, Unverified},      // QĐ 30 value kept
		{"QD30_2016", keyDenLimitProvincial, Verified},      // QĐ 30
		{"QD296_2025", keyUpperLevelTypes, Unverified},      // the post-2025 substitution
		{"QD22_2021", keyUpperLevelTypes, Verified},         // "huyện hoặc tương đương"
		{"QD296_2025", keySeveralCommittees, Verified},      // QĐ 296 Art. 13
		{"QD21_2026", keySeveralCommittees, Unverified},     // copied
		{"QD296_2025", keyBallotExclusions, Secondary},      // QĐ 294 [SECONDARY-QUIZ Q3]
		{"QD296_2025", keyCentralInspection, Unverified},    // "our reading"
		{"QD296_2025", keyNotifyState, Verified},            // QĐ 296 Art. 8.5
		{"QD21_2026", keyNotifyState, Unverified},           // copied
		{"LUAT_PCTN_2025", keyAssetSupplementary, Verified}, // Law 132/2025
		{"LUAT_PCTN_2025", keyAssetYearEnd, Unverified},     // transitional reading
	}
	for _, tc := range tests {
		if got := conf(tc.set, tc.key); got != tc.want {
			t.Errorf("%s %s confidence = %s, want %s", tc.set, tc.key, got, tc.want)
		}
	}
	// QĐ 21 has no verified value of its own: anything citing it is not
	// verified, and the whole set is provisional.
	for _, s := range Default().RuleSets() {
		if s.ID != "QD21_2026" {
			continue
		}
		if !s.Provisional {
			t.Error("QD21_2026 is not provisional")
		}
		for _, k := range s.Keys() {
			v, _ := s.Value(k)
			if strings.Contains(v.Regulation, "21-QĐ/TW") && v.Confidence == Verified {
				t.Errorf("QD21_2026 %s cites QĐ 21 as verified", k)
			}
		}
	}
}

func TestRuleSetChoice(t *testing.T) {
	tests := []struct {
		series, date, want string
	}{
		{SeriesParty, "1930-01-01", "QD30_2016"},
		{SeriesParty, "2021-07-27", "QD30_2016"},
		{SeriesParty, "2021-07-28", "QD22_2021"},
		{SeriesParty, "2025-05-29", "QD22_2021"},
		{SeriesParty, "2025-05-30", "QD296_2025"},
		{SeriesParty, "2026-04-10", "QD296_2025"},
		{SeriesParty, "2026-04-11", "QD21_2026"},
		{SeriesParty, "2100-12-31", "QD21_2026"},
		{SeriesAntiCorruption, "2026-06-30", "LUAT_PCTN_2018"},
		{SeriesAntiCorruption, "2026-07-01", "LUAT_PCTN_2025"},
	}
	for _, tc := range tests {
		s, ok := Default().RuleSet(tc.series, civil.MustParse(tc.date))
		if !ok || s.ID != tc.want {
			t.Errorf("RuleSet(%s, %s) = %q, want %s", tc.series, tc.date, s.ID, tc.want)
		}
	}
	if _, ok := Default().RuleSet(SeriesAntiCorruption, civil.MustParse("2019-06-30")); ok {
		t.Error("a law rule set is in force before Law 36/2018")
	}
}

// TestAddRuleSetWithoutCode adds a rule set as a data file: the registry
// picks it by date and the rules use its values.
func TestAddRuleSetWithoutCode(t *testing.T) {
	m := embeddedCopy(t)
	edit(t, m, "qd21_2026.json", `"effective_from": "2026-04-11",`, `"effective_from": "2026-04-11", "effective_to": "2027-12-31",`)
	next := strings.Replace(string(m["qd21_2026.json"].Data), `"id": "QD21_2026"`, `"id": "QD99_2028"`, 1)
	next = strings.Replace(next, `"effective_from": "2026-04-11", "effective_to": "2027-12-31",`, `"effective_from": "2028-01-01",`, 1)
	next = strings.Replace(next, `{"duration": {"n": 30, "unit": "calendar_days"}, "regulation": "Quy định 21-QĐ/TW"`,
		`{"duration": {"n": 45, "unit": "calendar_days"}, "regulation": "Quy định 99-QĐ/TW"`, 1)
	m["qd99_2028.json"] = &fstest.MapFile{Data: []byte(next)}
	r, err := LoadFS(m)
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	d, err := r.Evaluate("complaint-filing", []byte(`{"announced_on": "2028-03-01", "filed_on": "2028-04-10"}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.RuleSet != "QD99_2028" || d.Outcome != "ACCEPTED" {
		t.Errorf("RuleSet, Outcome = %s, %s; want QD99_2028, ACCEPTED (45 days)", d.RuleSet, d.Outcome)
	}
	d, err = r.Evaluate("R10", []byte(`{"announced_on": "2027-03-01", "filed_on": "2027-04-10"}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.RuleSet != "QD21_2026" || d.Outcome != "NOT_ACCEPTED" {
		t.Errorf("RuleSet, Outcome = %s, %s; want QD21_2026, NOT_ACCEPTED (30 days)", d.RuleSet, d.Outcome)
	}
}
