package rules

import (
	"slices"
	"testing"

	"ktgs/internal/civil"
)

// initBody builds an R20 initiator: a body of organisation id with the
// chi bộ facts in extra.
func initBody(kind string, id int64, extra obj) obj {
	b := obj{"kind": kind, "org": orgRef(id)}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// initOrg builds an organisation subject of R20.
func initOrg(id int64, extra obj) obj {
	s := obj{"kind": "ORG", "org": orgRef(id)}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// initMember builds a member subject of R20 whose chi bộ is home.
func initMember(home int64, extra obj) obj {
	s := obj{"kind": "MEMBER", "home_org": orgRef(home)}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// initReq builds an R20 request.
func initReq(date, kind string, initiator, subject obj) obj {
	return obj{"date": date, "kind": kind, "initiator": initiator, "subject": subject}
}

// toDang returns a tổ đảng (id 62) inside chi bộ 60, which the test tree
// lacks.
func toDang() obj {
	ref := orgRef(60)
	path := append(slices.Clone(ref["path"].([]any)), obj{"id": 62, "type": "TO_DANG", "name": "Tổ đảng số 1"})
	return obj{"id": 62, "type": "TO_DANG", "path": path}
}

type initCase struct {
	name         string
	req          obj
	want         string
	wantSet      string
	wantReason   string   // a reason code the decision must give
	wantRelation string   // "" to skip
	wantCites    []string // value keys that must be cited
	provisional  *bool
}

func runInit(t *testing.T, cases []initCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R20", tc.req)
			res := result[InitiationResult](t, d)
			if d.Outcome != tc.want {
				t.Fatalf("Outcome = %s, want %s; reasons: %v", d.Outcome, tc.want, d.Reasons)
			}
			if tc.wantSet != "" && d.RuleSet != tc.wantSet {
				t.Errorf("RuleSet = %s, want %s", d.RuleSet, tc.wantSet)
			}
			if tc.wantReason != "" && !hasReason(d, tc.wantReason) {
				t.Errorf("reasons lack %s: %v", tc.wantReason, d.Reasons)
			}
			if tc.wantRelation != "" && res.Relation != tc.wantRelation {
				t.Errorf("Relation = %s, want %s", res.Relation, tc.wantRelation)
			}
			for _, k := range tc.wantCites {
				if !cited(d, k) {
					t.Errorf("citations lack %s: %v", k, d.Citations)
				}
			}
			if tc.provisional != nil && d.Provisional != *tc.provisional {
				t.Errorf("Provisional = %v, want %v; citations %v", d.Provisional, *tc.provisional, d.Citations)
			}
			if len(d.Reasons) == 0 || len(d.Citations) == 0 {
				t.Errorf("decision without reasons or citations: %+v", d)
			}
			last := d.Reasons[len(d.Reasons)-1].Code
			if d.Outcome == OutcomeAllowed && last != "r20.allowed" {
				t.Errorf("last reason of ALLOWED = %s, want r20.allowed", last)
			}
		})
	}
}

// TestInitiationIssueExamples covers the two examples of issue 5 in every
// party rule set: an advisory department cannot start KT_DHVP, and a UBKT
// cannot inspect the finances of its own same-level committee (but may
// inspect its finance office and lower committees).
func TestInitiationIssueExamples(t *testing.T) {
	var cases []initCase
	for _, s := range []struct {
		set, date       string
		upper, province int64
		chiBo           int64
		verified        bool // the set is not provisional
	}{
		{"QD30_2016", dQD30, 20, 10, 30, false}, {"QD22_2021", dQD22, 20, 10, 30, true},
		{"QD296_2025", dQD296, 50, 10, 60, true}, {"QD21_2026", dQD21, 50, 10, 60, false},
	} {
		prov := no
		if !s.verified {
			prov = yes
		}
		cases = append(cases,
			initCase{name: s.set + "/advisory department may not start KT_DHVP",
				req:  initReq(s.date, "KT_DHVP", initBody("BAN_THAM_MUU", s.upper, nil), initOrg(s.chiBo, nil)),
				want: OutcomeBlocked, wantSet: s.set, wantReason: "r20.not_initiator",
				wantCites: []string{"initiation.KT_DHVP.BAN_THAM_MUU"}, provisional: yes},
			initCase{name: s.set + "/UBKT may not inspect the finances of its same-level committee",
				req:  initReq(s.date, "KT_TAI_CHINH", initBody("UBKT", s.upper, nil), initOrg(s.upper, nil)),
				want: OutcomeBlocked, wantSet: s.set, wantReason: "r20.same_level_finance_only", wantRelation: RelOwnOrg,
				wantCites: []string{"initiation.KT_TAI_CHINH.UBKT"}, provisional: prov},
			initCase{name: s.set + "/same-level committee named by the flag",
				req:  initReq(s.date, "KT_TAI_CHINH", initBody("UBKT", s.upper, nil), initOrg(s.upper, obj{"same_level_committee": true})),
				want: OutcomeBlocked, wantSet: s.set, wantReason: "r20.same_level_finance_only", wantRelation: RelOwnOrg},
			initCase{name: s.set + "/UBKT inspects the finance office of its same-level committee",
				req:  initReq(s.date, "KT_TAI_CHINH", initBody("UBKT", s.upper, nil), initOrg(s.upper, obj{"finance_office": true})),
				want: OutcomeAllowed, wantSet: s.set, wantReason: "r20.finance_office", wantRelation: RelSameLevelFinanceOffice, provisional: prov},
			initCase{name: s.set + "/provincial UBKT inspects the finances of a lower committee",
				req:  initReq(s.date, "KT_TAI_CHINH", initBody("UBKT", s.province, nil), initOrg(s.upper, nil)),
				want: OutcomeAllowed, wantSet: s.set, wantReason: "r20.lower_org", wantRelation: RelLowerOrg, provisional: prov},
		)
	}
	runInit(t, cases)
}

// TestInitiationTable covers every kind of RULES.md §2.2 with the
// initiators it lists and some it does not, and the subject limits of
// the notes under the table (QD296_2025 unless said).
func TestInitiationTable(t *testing.T) {
	d := dQD296
	sameCM := initMember(61, obj{"committee_member_same_level": true})
	cases := []initCase{
		// KT_TAI_CHINH: only the UBKT, only lower committees and the same-level finance office.
		{name: "KT_TAI_CHINH/cap uy", req: initReq(d, "KT_TAI_CHINH", initBody("CAP_UY", 50, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator", provisional: yes},
		{name: "KT_TAI_CHINH/BTV", req: initReq(d, "KT_TAI_CHINH", initBody("BTV", 50, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_TAI_CHINH/member", req: initReq(d, "KT_TAI_CHINH", initBody("UBKT", 50, nil), initMember(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.members_not_listed", provisional: no},
		{name: "KT_TAI_CHINH/finance office of a lower committee", req: initReq(d, "KT_TAI_CHINH", initBody("UBKT", 10, nil), initOrg(50, obj{"finance_office": true})),
			want: OutcomeAllowed, wantRelation: RelLowerOrg},
		{name: "KT_TAI_CHINH/finance office outside", req: initReq(d, "KT_TAI_CHINH", initBody("UBKT", 50, nil), initOrg(90, obj{"finance_office": true})),
			want: OutcomeBlocked, wantReason: "r20.outside", wantRelation: RelOutside},

		// KT_DHVP.
		{name: "KT_DHVP/UBKT lower organisation", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), initOrg(70, nil)),
			want: OutcomeAllowed, wantReason: "r20.lower_org", wantRelation: RelLowerOrg, wantCites: []string{"initiation.KT_DHVP.UBKT"}, provisional: no},
		{name: "KT_DHVP/UBKT same-level committee member", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), sameCM),
			want: OutcomeAllowed, wantReason: "r20.same_level_cm", wantRelation: RelSameLevelCommitteeMember, provisional: no},
		{name: "KT_DHVP/UBKT same-level committee member attached outside", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil),
			initMember(91, obj{"committee_member_same_level": true})),
			want: OutcomeAllowed, wantRelation: RelSameLevelCommitteeMember},
		{name: "KT_DHVP/UBKT member two levels down", req: initReq(d, "KT_DHVP", initBody("UBKT", 10, nil), initMember(61, nil)),
			want: OutcomeAllowed, wantReason: "r20.member_in_scope", wantRelation: RelMemberInScope},
		{name: "KT_DHVP/cap uy lower organisation", req: initReq(d, "KT_DHVP", initBody("CAP_UY", 50, nil), initOrg(70, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "KT_DHVP/BTV member", req: initReq(d, "KT_DHVP", initBody("BTV", 50, nil), initMember(61, nil)),
			want: OutcomeAllowed, wantRelation: RelMemberInScope},
		{name: "KT_DHVP/cap uy same-level committee member", req: initReq(d, "KT_DHVP", initBody("CAP_UY", 50, nil), sameCM),
			want: OutcomeBlocked, wantReason: "r20.same_level_cm_not_listed"},
		{name: "KT_DHVP/chi bo own member", req: initReq(d, "KT_DHVP", initBody("CHI_BO", 60, nil), initMember(60, nil)),
			want: OutcomeAllowed, wantReason: "r20.own_member", wantRelation: RelOwnMember},
		{name: "KT_DHVP/chi bo own member on a higher committee", req: initReq(d, "KT_DHVP", initBody("CHI_BO", 60, nil),
			initMember(60, obj{"committee_member_same_level": true, "managed_by_higher": true})),
			want: OutcomeAllowed, wantRelation: RelOwnMember},
		{name: "KT_DHVP/chi bo member of another chi bo", req: initReq(d, "KT_DHVP", initBody("CHI_BO", 60, nil), initMember(61, nil)),
			want: OutcomeBlocked, wantReason: "r20.outside_member", wantRelation: RelOutside},
		{name: "KT_DHVP/chi bo on an organisation", req: initReq(d, "KT_DHVP", initBody("CHI_BO", 60, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.orgs_not_listed"},
		{name: "KT_DHVP/chi uy", req: initReq(d, "KT_DHVP", initBody("CHI_UY", 60, nil), initMember(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_DHVP/ban can su dang", req: initReq(d, "KT_DHVP", initBody("BAN_CAN_SU_DANG_DOAN", 50, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_DHVP/Politburo (reading)", req: initReq(d, "KT_DHVP", initBody("BCT", 1, nil), initOrg(10, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "KT_DHVP/Secretariat (reading)", req: initReq(d, "KT_DHVP", initBody("BBT", 1, nil), initMember(81, nil)),
			want: OutcomeAllowed, provisional: yes},
		// The subject must lie inside the initiator's organisation.
		{name: "outside/another commune", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), initOrg(90, nil)),
			want: OutcomeBlocked, wantReason: "r20.outside", wantRelation: RelOutside},
		{name: "outside/member of another commune", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), initMember(91, nil)),
			want: OutcomeBlocked, wantReason: "r20.outside_member", wantRelation: RelOutside},
		{name: "outside/the higher committee", req: initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), initOrg(10, nil)),
			want: OutcomeBlocked, wantReason: "r20.outside", wantRelation: RelOutside},
		{name: "outside/own organisation", req: initReq(d, "KT_DHVP", initBody("CAP_UY", 50, nil), initOrg(50, nil)),
			want: OutcomeBlocked, wantReason: "r20.own_org", wantRelation: RelOwnOrg},

		// KT_CHAP_HANH.
		{name: "KT_CHAP_HANH/cap uy", req: initReq(d, "KT_CHAP_HANH", initBody("CAP_UY", 50, nil), initOrg(60, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "KT_CHAP_HANH/BTV member", req: initReq(d, "KT_CHAP_HANH", initBody("BTV", 10, nil), initMember(81, nil)),
			want: OutcomeAllowed},
		{name: "KT_CHAP_HANH/chi bo own member", req: initReq(d, "KT_CHAP_HANH", initBody("CHI_BO", 60, nil), initMember(60, nil)),
			want: OutcomeAllowed, wantRelation: RelOwnMember},
		{name: "KT_CHAP_HANH/advisory department on behalf", req: initReq(d, "KT_CHAP_HANH", initBody("BAN_THAM_MUU", 50, nil), initOrg(70, nil)),
			want: OutcomeAllowed, wantReason: "r20.on_behalf"},
		{name: "KT_CHAP_HANH/UBKT not listed", req: initReq(d, "KT_CHAP_HANH", initBody("UBKT", 50, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_CHAP_HANH/Central Committee as cap uy", req: initReq(d, "KT_CHAP_HANH", initBody("CAP_UY", 1, nil), initOrg(10, nil)),
			want: OutcomeAllowed, wantReason: "r20.as_committee"},
		{name: "KT_CHAP_HANH/dang uy bo phan as cap uy", req: initReq(d, "KT_CHAP_HANH", initBody("DANG_UY_BO_PHAN", 72, nil), initOrg(73, nil)),
			want: OutcomeAllowed, wantReason: "r20.as_committee"},

		// KT_THUC_HIEN_NV_KTGS.
		{name: "KT_THUC_HIEN_NV_KTGS/UBKT", req: initReq(d, "KT_THUC_HIEN_NV_KTGS", initBody("UBKT", 10, nil), initOrg(50, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "KT_THUC_HIEN_NV_KTGS/cap uy", req: initReq(d, "KT_THUC_HIEN_NV_KTGS", initBody("CAP_UY", 10, nil), initOrg(50, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_THUC_HIEN_NV_KTGS/member", req: initReq(d, "KT_THUC_HIEN_NV_KTGS", initBody("UBKT", 10, nil), initMember(81, nil)),
			want: OutcomeBlocked, wantReason: "r20.members_not_listed"},

		// KT_THI_HANH_KY_LUAT: lower organisations with disciplinary powers.
		{name: "KT_THI_HANH_KY_LUAT/UBKT grassroots", req: initReq(d, "KT_THI_HANH_KY_LUAT", initBody("UBKT", 50, nil), initOrg(70, nil)),
			want: OutcomeAllowed, wantRelation: RelLowerOrg},
		{name: "KT_THI_HANH_KY_LUAT/UBKT chi bo truc thuoc", req: initReq(d, "KT_THI_HANH_KY_LUAT", initBody("UBKT", 70, nil), initOrg(71, nil)),
			want: OutcomeAllowed},
		{name: "KT_THI_HANH_KY_LUAT/dang bo bo phan has no power", req: initReq(d, "KT_THI_HANH_KY_LUAT", initBody("UBKT", 70, nil), initOrg(72, nil)),
			want: OutcomeBlocked, wantReason: "r20.no_disciplinary_power", wantCites: []string{keyDangUyBoPhan}},
		{name: "KT_THI_HANH_KY_LUAT/to dang has no power", req: initReq(d, "KT_THI_HANH_KY_LUAT", initBody("UBKT", 50, nil), obj{"kind": "ORG", "org": toDang()}),
			want: OutcomeBlocked, wantReason: "r20.no_disciplinary_power"},
		{name: "KT_THI_HANH_KY_LUAT/BTV", req: initReq(d, "KT_THI_HANH_KY_LUAT", initBody("BTV", 50, nil), initOrg(70, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},

		// KS_TSTN.
		{name: "KS_TSTN/UBKT", req: initReq(d, "KS_TSTN", initBody("UBKT", 10, nil), initMember(81, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "KS_TSTN/cap uy", req: initReq(d, "KS_TSTN", initBody("CAP_UY", 10, nil), initMember(81, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KS_TSTN/organisation", req: initReq(d, "KS_TSTN", initBody("UBKT", 10, nil), initOrg(50, nil)),
			want: OutcomeBlocked, wantReason: "r20.orgs_not_listed"},

		// GS_THUONG_XUYEN.
		{name: "GS_THUONG_XUYEN/cap uy", req: initReq(d, "GS_THUONG_XUYEN", initBody("CAP_UY", 50, nil), initOrg(60, nil)),
			want: OutcomeAllowed, provisional: yes},
		{name: "GS_THUONG_XUYEN/UBKT", req: initReq(d, "GS_THUONG_XUYEN", initBody("UBKT", 50, nil), initMember(61, nil)),
			want: OutcomeAllowed},
		{name: "GS_THUONG_XUYEN/chi bo own member", req: initReq(d, "GS_THUONG_XUYEN", initBody("CHI_BO", 60, nil), initMember(60, nil)),
			want: OutcomeAllowed},
		{name: "GS_THUONG_XUYEN/chi bo member managed by a higher committee", req: initReq(d, "GS_THUONG_XUYEN", initBody("CHI_BO", 60, nil),
			initMember(60, obj{"managed_by_higher": true})),
			want: OutcomeBlocked, wantReason: "r20.chi_bo_excluded", wantCites: []string{keyInitChiBoExclusions}, provisional: yes},
		{name: "GS_THUONG_XUYEN/chi bo member in a leadership post", req: initReq(d, "GS_THUONG_XUYEN", initBody("CHI_BO", 60, nil),
			initMember(60, obj{"leadership_post": true})),
			want: OutcomeBlocked, wantReason: "r20.chi_bo_excluded"},
		{name: "GS_THUONG_XUYEN/UBKT member managed by a higher committee", req: initReq(d, "GS_THUONG_XUYEN", initBody("UBKT", 50, nil),
			initMember(61, obj{"managed_by_higher": true})),
			want: OutcomeAllowed},
		{name: "GS_THUONG_XUYEN/BTV not listed", req: initReq(d, "GS_THUONG_XUYEN", initBody("BTV", 50, nil), initOrg(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.not_initiator"},
		{name: "KT_DHVP/chi bo inspects a member managed by a higher committee", req: initReq(d, "KT_DHVP", initBody("CHI_BO", 60, nil),
			initMember(60, obj{"managed_by_higher": true})),
			want: OutcomeAllowed},

		// GS_CHUYEN_DE: a chi bộ only with a chi ủy, more than 30 members or scattered members.
		{name: "GS_CHUYEN_DE/cap uy", req: initReq(d, "GS_CHUYEN_DE", initBody("CAP_UY", 50, nil), initOrg(60, nil)), want: OutcomeAllowed},
		{name: "GS_CHUYEN_DE/BTV", req: initReq(d, "GS_CHUYEN_DE", initBody("BTV", 50, nil), initOrg(70, nil)), want: OutcomeAllowed},
		{name: "GS_CHUYEN_DE/UBKT", req: initReq(d, "GS_CHUYEN_DE", initBody("UBKT", 50, nil), initMember(61, nil)), want: OutcomeAllowed},
		{name: "GS_CHUYEN_DE/chi bo with 35 members", req: initReq(d, "GS_CHUYEN_DE", initBody("CHI_BO", 60, obj{"members": 35}), initMember(60, nil)),
			want: OutcomeAllowed, wantReason: "r20.chi_bo_thematic_members", wantCites: []string{keyInitThematicMembers}, provisional: yes},
		{name: "GS_CHUYEN_DE/chi bo with 30 members", req: initReq(d, "GS_CHUYEN_DE", initBody("CHI_BO", 60, obj{"members": 30, "has_chi_uy": false}), initMember(60, nil)),
			want: OutcomeBlocked, wantReason: "r20.chi_bo_thematic_refused"},
		{name: "GS_CHUYEN_DE/chi bo with a chi uy", req: initReq(d, "GS_CHUYEN_DE", initBody("CHI_BO", 60, obj{"has_chi_uy": true}), initMember(60, nil)),
			want: OutcomeAllowed, wantReason: "r20.chi_bo_thematic_chi_uy"},
		{name: "GS_CHUYEN_DE/chi bo with scattered members", req: initReq(d, "GS_CHUYEN_DE", initBody("CHI_BO", 60, obj{"members": 12, "scattered": true}), initMember(60, nil)),
			want: OutcomeAllowed, wantReason: "r20.chi_bo_thematic_scattered"},
		{name: "GS_CHUYEN_DE/chi bo, member managed by a higher committee", req: initReq(d, "GS_CHUYEN_DE", initBody("CHI_BO", 60, obj{"members": 35}),
			initMember(60, obj{"managed_by_higher": true})),
			want: OutcomeBlocked, wantReason: "r20.chi_bo_excluded"},
		{name: "GS_CHUYEN_DE/Politburo (reading)", req: initReq(d, "GS_CHUYEN_DE", initBody("BCT", 1, nil), initOrg(10, nil)), want: OutcomeAllowed},

		// Before the 2025 reform: the district level.
		{name: "QD22/district UBKT finance of a grassroots committee", req: initReq(dQD22, "KT_TAI_CHINH", initBody("UBKT", 20, nil), initOrg(40, nil)),
			want: OutcomeAllowed, wantSet: "QD22_2021", provisional: no},
		{name: "QD22/chi bo of a grassroots committee, 31 members", req: initReq(dQD22, "GS_CHUYEN_DE", initBody("CHI_BO", 41, obj{"members": 31}), initMember(41, nil)),
			want: OutcomeAllowed, wantSet: "QD22_2021", provisional: yes},
		{name: "QD21/advisory department thematic inspection", req: initReq(dQD21, "KT_CHAP_HANH", initBody("BAN_THAM_MUU", 50, nil), initOrg(60, nil)),
			want: OutcomeAllowed, wantSet: "QD21_2026", provisional: yes},
	}
	runInit(t, cases)
}

// TestInitiationMatrix evaluates every kind for every body kind of the
// table in every party rule set: the data has every cell, the result
// lists the cell's scopes, and a body with an empty cell is refused.
func TestInitiationMatrix(t *testing.T) {
	sets := []struct {
		date                   string
		chiBo, committee, root int64
	}{{dQD30, 30, 20, 1}, {dQD22, 30, 20, 1}, {dQD296, 60, 50, 1}, {dQD21, 60, 50, 1}}
	for _, s := range sets {
		set, _ := Default().RuleSet(SeriesParty, civilDate(t, s.date))
		for _, k := range InitiationKinds {
			for _, body := range initiationBodies {
				org := s.committee
				switch body {
				case BodyBranch, BodyBranchCommittee:
					org = s.chiBo
				case BodyPolitburo, BodySecretariat:
					org = s.root
				}
				ini := initBody(string(body), org, nil)
				if body == BodyBranch && string(k) == "GS_CHUYEN_DE" {
					ini["members"] = 40
				}
				subject := initMember(s.chiBo, nil)
				d := mustEval(t, "R20", initReq(s.date, string(k), ini, subject))
				v, ok := set.Value(initiationCell(k, body))
				if !ok {
					t.Fatalf("%s lacks %s", set.ID, initiationCell(k, body))
				}
				res := result[InitiationResult](t, d)
				if !slices.Equal(res.Scopes, v.Codes) {
					t.Errorf("%s %s %s: Scopes = %v, want %v", set.ID, k, body, res.Scopes, v.Codes)
				}
				if len(v.Codes) == 0 && (d.Outcome != OutcomeBlocked || !hasReason(d, "r20.not_initiator")) {
					t.Errorf("%s %s %s: empty cell gives %s %v", set.ID, k, body, d.Outcome, d.Reasons)
				}
				if !cited(d, initiationCell(k, body)) {
					t.Errorf("%s %s %s: cell not cited", set.ID, k, body)
				}
			}
		}
	}
}

// civilDate parses an ISO date of the tests.
func civilDate(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := parseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestInitiationValidation(t *testing.T) {
	d := dQD296
	ok := initReq(d, "KT_DHVP", initBody("UBKT", 50, nil), initOrg(60, nil))
	with := func(change func(r obj)) obj {
		r := obj{}
		for k, v := range ok {
			r[k] = v
		}
		change(r)
		return r
	}
	tests := []struct {
		name, field, key string
		req              obj
	}{
		{"unknown kind", "kind", "rules.err.unknown_value", with(func(r obj) { r["kind"] = "KT_KHAC" })},
		{"GQ_TO_CAO is not an initiation kind", "kind", "rules.err.unknown_value", with(func(r obj) { r["kind"] = "GQ_TO_CAO" })},
		{"missing date", "date", "rules.err.required", with(func(r obj) { delete(r, "date") })},
		{"missing initiator", "initiator", "rules.err.required", with(func(r obj) { delete(r, "initiator") })},
		{"missing subject", "subject", "rules.err.required", with(func(r obj) { delete(r, "subject") })},
		{"unknown body kind", "initiator.kind", "rules.err.unknown_value", with(func(r obj) { r["initiator"] = initBody("BAN_KHAC", 50, nil) })},
		{"body the organisation lacks", "initiator.kind", "rules.err.body_org", with(func(r obj) { r["initiator"] = initBody("BTV", 60, nil) })},
		{"chi bo facts for a UBKT", "initiator.members", "rules.err.chi_bo_only", with(func(r obj) { r["initiator"] = initBody("UBKT", 50, obj{"members": 40}) })},
		{"chi bo facts for a UBKT (chi uy)", "initiator.has_chi_uy", "rules.err.chi_bo_only", with(func(r obj) { r["initiator"] = initBody("UBKT", 50, obj{"has_chi_uy": true}) })},
		{"negative members", "initiator.members", "rules.err.range", with(func(r obj) { r["initiator"] = initBody("CHI_BO", 60, obj{"members": -1}) })},
		{"thematic supervision needs the chi bo facts", "initiator.members", "rules.err.required", with(func(r obj) {
			r["kind"] = "GS_CHUYEN_DE"
			r["initiator"] = initBody("CHI_BO", 60, nil)
			r["subject"] = initMember(60, nil)
		})},
		{"member facts on an organisation", "subject.home_org", "rules.err.member_only", with(func(r obj) { r["subject"] = initOrg(60, obj{"home_org": orgRef(60)}) })},
		{"leadership post on an organisation", "subject.leadership_post", "rules.err.member_only", with(func(r obj) { r["subject"] = initOrg(60, obj{"leadership_post": true}) })},
		{"finance office on a member", "subject.finance_office", "rules.err.org_only", with(func(r obj) { r["subject"] = initMember(60, obj{"finance_office": true}) })},
		{"org on a member", "subject.org", "rules.err.org_only", with(func(r obj) { r["subject"] = initMember(60, obj{"org": orgRef(60)}) })},
		{"same-level committee that is lower", "subject.same_level_committee", "rules.err.same_level_org", with(func(r obj) {
			r["subject"] = initOrg(60, obj{"same_level_committee": true})
		})},
		{"own organisation said not the same-level committee", "subject.same_level_committee", "rules.err.same_level_org", with(func(r obj) {
			r["subject"] = initOrg(50, obj{"same_level_committee": false})
		})},
		{"home not a chi bo", "subject.home_org.type", "rules.err.home_branch", with(func(r obj) { r["subject"] = initMember(70, nil) })},
		{"unknown subject member", "subject.status", "rules.err.unknown_field", with(func(r obj) { r["subject"] = initMember(60, obj{"status": "DU_BI"}) })},
		{"unknown subject kind", "subject.kind", "rules.err.unknown_value", with(func(r obj) { r["subject"] = obj{"kind": "BODY"} })},
		{"district after the reform", "initiator.org.path[2].type", "rules.err.org_type_date", with(func(r obj) { r["initiator"] = initBody("UBKT", 20, nil) })},
		{"paths disagree", "subject.org.path[2]", "rules.err.org_contradiction", with(func(r obj) {
			r["subject"] = obj{"kind": "ORG", "org": obj{"id": 60, "type": "CHI_BO_CO_SO", "path": []any{
				obj{"id": 1, "type": "TW"}, obj{"id": 10, "type": "DANG_BO_TRUC_THUOC_TW"},
				obj{"id": 50, "type": "DANG_UY_CAP_TREN_TRUC_TIEP_CO_SO"}, obj{"id": 60, "type": "CHI_BO_CO_SO"}}}}
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { mustInvalid(t, "R20", tc.req, tc.field, tc.key) })
	}
	// The alias works and the valid request passes.
	if d := mustEval(t, "case-initiation", ok); d.Rule != "R20" || d.Outcome != OutcomeAllowed {
		t.Errorf("case-initiation = %s %s", d.Rule, d.Outcome)
	}
}
