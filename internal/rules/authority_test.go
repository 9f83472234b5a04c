package rules

import (
	"slices"
	"testing"
)

// member builds a member subject attached to chi bộ home.
func member(home int64, extra obj) obj {
	m := obj{"kind": "MEMBER", "status": "CHINH_THUC", "home_org": orgRef(home)}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// orgSubject builds an organisation subject.
func orgSubject(id int64) obj { return obj{"kind": "ORG", "org": orgRef(id)} }

// authReq builds an R2 request.
func authReq(date string, subject, body obj, form, category, scope string) obj {
	v := obj{"category": category}
	if scope != "" {
		v["scope"] = scope
	}
	return obj{"decision_date": date, "subject": subject, "body": body, "form": form, "violation": v}
}

type authCase struct {
	name          string
	req           obj
	want          string
	wantSet       string
	wantCompetent string   // KIND@org for PROPOSE, "" otherwise
	wantDuties    []string // KIND@org that must be among the duties
	wantCites     []string // value keys that must be cited
	provisional   *bool
}

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

func runAuth(t *testing.T, cases []authCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustEval(t, "R2", tc.req)
			res := result[AuthorityResult](t, d)
			if d.Outcome != tc.want {
				t.Fatalf("Outcome = %s, want %s; reasons: %v", d.Outcome, tc.want, d.Reasons)
			}
			if tc.wantSet != "" && d.RuleSet != tc.wantSet {
				t.Errorf("RuleSet = %s, want %s", d.RuleSet, tc.wantSet)
			}
			if got := refString(res.CompetentBody); got != tc.wantCompetent {
				t.Errorf("CompetentBody = %q, want %q", got, tc.wantCompetent)
			}
			var duties []string
			for _, du := range res.Duties {
				duties = append(duties, refString(&du.To))
				if du.Citation.Regulation == "" || du.Reason.VI == "" {
					t.Errorf("duty %v lacks citation or reason", du)
				}
			}
			for _, w := range tc.wantDuties {
				if !slices.Contains(duties, w) {
					t.Errorf("Duties = %v, want %s among them", duties, w)
				}
			}
			if len(tc.wantDuties) == 0 && len(duties) > 0 && d.Outcome != OutcomeDecide {
				t.Errorf("Duties = %v for outcome %s, want none", duties, d.Outcome)
			}
			for _, k := range tc.wantCites {
				if !cited(d, k) {
					t.Errorf("citations lack %s: %v", k, d.Citations)
				}
			}
			if tc.provisional != nil && d.Provisional != *tc.provisional {
				t.Errorf("Provisional = %v, want %v", d.Provisional, *tc.provisional)
			}
		})
	}
}

// TestAuthorityWorkedExamples covers T1–T15 of RULES.md §3.4.3 and the R2
// example of §12.
func TestAuthorityWorkedExamples(t *testing.T) {
	chiUy30 := member(30, obj{"committee_memberships": []any{seatAt("CHI_UY", 30)}})
	chiUy91 := member(91, obj{"committee_memberships": []any{seatAt("CHI_UY", 91)}})
	communeCM := member(61, obj{"committee_memberships": []any{seatAt("CAP_UY", 50)},
		"managing_body": bodyAt("BTV", 50)})
	districtCM := member(31, obj{"committee_memberships": []any{seatAt("CAP_UY", 20)},
		"managing_body": bodyAt("BTV", 20)})
	provincialCM := member(81, obj{"committee_memberships": []any{seatAt("CAP_UY", 10)},
		"managing_body": bodyAt("BTV", 10)})
	director := member(82, obj{"posts": []any{obj{"title": "Giám đốc Sở Tài chính", "level": "TINH"}},
		"managing_body": bodyAt("BTV", 10)})
	ccMember := member(81, obj{"committee_memberships": []any{seatAt("CAP_UY", 10), seatAt("CAP_UY", 1)},
		"managing_body": bodyAt("BCT", 1)})
	probationary := obj{"kind": "MEMBER", "status": "DU_BI", "home_org": orgRef(60)}
	lifestyle, politics, ethics := "DAO_DUC_LOI_SONG", "QUAN_DIEM_CHINH_TRI", "DAO_DUC_LOI_SONG"

	cases := []authCase{}
	// T1 (any rule set): the chi bộ warns (DECIDE) and proposes expulsion.
	for _, s := range []struct {
		set, date    string
		chiBo, upper int64
	}{
		{"QD30_2016", dQD30, 30, 20}, {"QD22_2021", dQD22, 30, 20}, {"QD296_2025", dQD296, 60, 50}, {"QD21_2026", dQD21, 60, 50},
	} {
		subj := member(s.chiBo, nil)
		cases = append(cases,
			authCase{name: "T1/" + s.set + "/warning", req: authReq(s.date, subj, bodyAt("CHI_BO", s.chiBo), "CANH_CAO", lifestyle, "CORE"),
				want: OutcomeDecide, wantSet: s.set, wantDuties: []string{refString(&BodyRef{Kind: BodyCommittee, OrgID: s.upper})}},
			authCase{name: "T1/" + s.set + "/expulsion", req: authReq(s.date, subj, bodyAt("CHI_BO", s.chiBo), "KHAI_TRU", lifestyle, "CORE"),
				want: OutcomePropose, wantSet: s.set, wantCompetent: refString(&BodyRef{Kind: BodyInspectionCommission, OrgID: s.upper}),
				wantCites: []string{keyBallotExpelPropose}},
		)
	}
	cases = append(cases,
		// T2 (QD22): the chi bộ proposes expelling its chi ủy member; the
		// district standing committee decides.
		authCase{name: "T2/chi bộ proposes", req: authReq(dQD22, chiUy30, bodyAt("CHI_BO", 30), "KHAI_TRU", politics, "CORE"),
			want: OutcomePropose, wantSet: "QD22_2021", wantCompetent: "BTV@20"},
		authCase{name: "T2/district BTV decides", req: authReq(dQD22, chiUy30, bodyAt("BTV", 20), "KHAI_TRU", politics, "CORE"),
			want: OutcomeDecide, wantSet: "QD22_2021", provisional: no},
		// T3 (QD296, QD21): the ward standing committee stands where the
		// district one stood — an unverified substitution.
		authCase{name: "T3/QD296/ward BTV decides", req: authReq(dQD296, chiUy91, bodyAt("BTV", 90), "KHAI_TRU", politics, "CORE"),
			want: OutcomeDecide, wantSet: "QD296_2025", wantCites: []string{keyUpperLevelTypes}, provisional: yes},
		authCase{name: "T3/QD21/ward BTV decides", req: authReq(dQD21, chiUy91, bodyAt("BTV", 90), "KHAI_TRU", politics, "CORE"),
			want: OutcomeDecide, wantSet: "QD21_2026", provisional: yes},
		authCase{name: "T3/QD296/chi bộ proposes to ward BTV", req: authReq(dQD296, chiUy91, bodyAt("CHI_BO", 91), "KHAI_TRU", politics, "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@90"},
		// T4 (any): a committee member reprimanded by the chi bộ for a
		// lifestyle violation: DECIDE and report.
		authCase{name: "T4/QD296/commune committee member", req: authReq(dQD296, communeCM, bodyAt("CHI_BO", 61), "KHIEN_TRACH", ethics, "CORE"),
			want: OutcomeDecide, wantDuties: []string{"CAP_UY@50", "BTV@50", "UBKT@50"}, wantCites: []string{keyReportMemberBodies}},
		authCase{name: "T4/QD22/district committee member", req: authReq(dQD22, districtCM, bodyAt("CHI_BO", 31), "KHIEN_TRACH", ethics, "CORE"),
			want: OutcomeDecide, wantDuties: []string{"CAP_UY@20", "BTV@20", "UBKT@20"}},
		// T5 (any): the same member failed a task assigned by the committee.
		authCase{name: "T5/QD296", req: authReq(dQD296, communeCM, bodyAt("CHI_BO", 61), "CANH_CAO", "NHIEM_VU_CONG_VU", "COMMITTEE_ASSIGNED_TASK"),
			want: OutcomePropose, wantCompetent: "CAP_UY@50", wantCites: []string{keyChiBoHigherTask}},
		authCase{name: "T5/QD22", req: authReq(dQD22, districtCM, bodyAt("CHI_BO", 31), "CANH_CAO", "NHIEM_VU_CONG_VU", "COMMITTEE_ASSIGNED_TASK"),
			want: OutcomePropose, wantCompetent: "CAP_UY@20"},
		// T6 (QD22): the district UBKT and a deputy secretary of a chi bộ
		// cơ sở (a directly-lower committee member).
		authCase{name: "T6/warning", req: authReq(dQD22, member(30, obj{"committee_memberships": []any{obj{"body": "CHI_UY", "org": orgRef(30), "role": "DEPUTY_SECRETARY"}}}),
			bodyAt("UBKT", 20), "CANH_CAO", "NHIEM_VU_CONG_VU", "HIGHER_ASSIGNED_TASK"), want: OutcomeDecide, provisional: no},
		authCase{name: "T6/removal", req: authReq(dQD22, chiUy30, bodyAt("UBKT", 20), "CACH_CHUC", "NHIEM_VU_CONG_VU", "HIGHER_ASSIGNED_TASK"),
			want: OutcomePropose, wantCompetent: "BTV@20"},
		// T7, T8 (QD296): a commune committee member and the province.
		authCase{name: "T7/provincial UBKT warns", req: authReq(dQD296, communeCM, bodyAt("UBKT", 10), "CANH_CAO", "THAM_NHUNG", "CORE"),
			want: OutcomeDecide, provisional: no},
		authCase{name: "T7/provincial UBKT proposes expulsion", req: authReq(dQD296, communeCM, bodyAt("UBKT", 10), "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@10"},
		authCase{name: "T8/provincial BTV expels", req: authReq(dQD296, communeCM, bodyAt("BTV", 10), "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomeDecide},
		// T9 (any): a provincial committee member and its own UBKT.
		authCase{name: "T9/QD22", req: authReq(dQD22, provincialCM, bodyAt("UBKT", 10), "KHIEN_TRACH", ethics, "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@10"},
		authCase{name: "T9/QD296", req: authReq(dQD296, provincialCM, bodyAt("UBKT", 10), "KHIEN_TRACH", ethics, "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@10"},
		// T10 (any): a department director managed by the provincial BTV.
		authCase{name: "T10/warning", req: authReq(dQD296, director, bodyAt("UBKT", 10), "CANH_CAO", "TAI_CHINH_DAT_DAI", "PROFESSIONAL_TASK"),
			want: OutcomeDecide},
		authCase{name: "T10/removal", req: authReq(dQD296, director, bodyAt("UBKT", 10), "CACH_CHUC", "TAI_CHINH_DAT_DAI", "PROFESSIONAL_TASK"),
			want: OutcomePropose, wantCompetent: "BTV@10"},
		// T11 (any): a Central Committee member.
		authCase{name: "T11/Politburo warns", req: authReq(dQD296, ccMember, bodyAt("BCT", 1), "CANH_CAO", ethics, "CORE"),
			want: OutcomeDecide},
		authCase{name: "T11/Politburo proposes expulsion", req: authReq(dQD296, ccMember, bodyAt("BCT", 1), "KHAI_TRU", ethics, "CORE"),
			want: OutcomePropose, wantCompetent: "BCH_TW@1"},
		authCase{name: "T11/Central Committee expels", req: authReq(dQD296, ccMember, bodyAt("BCH_TW", 1), "KHAI_TRU", ethics, "CORE"),
			want: OutcomeDecide},
		authCase{name: "T11/CAP_UY at TW is BCH_TW", req: authReq(dQD22, ccMember, bodyAt("CAP_UY", 1), "KHAI_TRU", ethics, "CORE"),
			want: OutcomeDecide},
	)
	// T12 (any): nobody expels a probationary member.
	for _, b := range []obj{bodyAt("CHI_BO", 60), bodyAt("UBKT", 50), bodyAt("BTV", 10), bodyAt("BCT", 1), bodyAt("BCH_TW", 1)} {
		cases = append(cases, authCase{name: "T12/" + b["kind"].(string), req: authReq(dQD296, probationary, b, "KHAI_TRU", lifestyle, "CORE"),
			want: OutcomeNone, wantCites: []string{keyFormsProbationary}})
	}
	// T13 (QD22 onward): a chi bộ trực thuộc disciplined by the đảng ủy cơ sở
	// or its standing committee.
	for _, s := range []struct {
		set, date    string
		ducs, branch int64
	}{{"QD22_2021", dQD22, 40, 41}, {"QD296_2025", dQD296, 70, 71}, {"QD21_2026", dQD21, 70, 71}} {
		cases = append(cases,
			authCase{name: "T13/" + s.set + "/committee", req: authReq(s.date, orgSubject(s.branch), bodyAt("CAP_UY", s.ducs), "KHIEN_TRACH", "NGUYEN_TAC_TO_CHUC", ""),
				want: OutcomeDecide, wantCites: []string{keyOrgDirectCommittee}},
			authCase{name: "T13/" + s.set + "/standing", req: authReq(s.date, orgSubject(s.branch), bodyAt("BTV", s.ducs), "KHIEN_TRACH", "NGUYEN_TAC_TO_CHUC", ""),
				want: OutcomeDecide, wantCites: []string{keyOrgDirectStanding}},
		)
	}
	cases = append(cases,
		// Before QĐ 22 a standing committee had no power over organisations.
		authCase{name: "T13/QD30/standing has no power", req: authReq(dQD30, orgSubject(41), bodyAt("BTV", 40), "KHIEN_TRACH", "NGUYEN_TAC_TO_CHUC", ""),
			want: OutcomeNone},
		// T14 (QD296): dissolving a village chi bộ that missed three meetings.
		authCase{name: "T14/commune proposes", req: authReq(dQD296, orgSubject(60), bodyAt("CAP_UY", 50), "GIAI_TAN", "NGUYEN_TAC_TO_CHUC", ""),
			want: OutcomePropose, wantCompetent: "CAP_UY@10", wantCites: []string{keyBallotDissolvPropose}},
		authCase{name: "T14/province decides", req: authReq(dQD296, orgSubject(60), bodyAt("CAP_UY", 10), "GIAI_TAN", "NGUYEN_TAC_TO_CHUC", ""),
			want: OutcomeDecide, wantDuties: []string{"BCH_TW@1", "UBKT@1"}},
	)
	// T15 (any): no UBKT and no standing committee dissolves.
	for _, b := range []obj{bodyAt("UBKT", 50), bodyAt("UBKT", 10), bodyAt("BTV", 50), bodyAt("BTV", 10), bodyAt("UBKT", 1)} {
		cases = append(cases, authCase{name: "T15/" + b["kind"].(string) + "@" + b["org"].(obj)["type"].(string),
			req: authReq(dQD296, orgSubject(60), b, "GIAI_TAN", "NGUYEN_TAC_TO_CHUC", ""), want: OutcomeNone, wantCites: []string{keyOrgDissolution}})
	}
	runAuth(t, cases)
}

// TestAuthorityR12Example is the R2 row of RULES.md §12: a chi bộ
// reprimands a cadre managed by a higher committee for a lifestyle
// violation (DECIDE, with the report it owes); the chi ủy cannot.
func TestAuthorityR12Example(t *testing.T) {
	cadre := member(60, obj{"posts": []any{obj{"title": "Trưởng phòng Kinh tế UBND xã", "level": "XA"}},
		"managing_body": bodyAt("BTV", 10)})
	runAuth(t, []authCase{
		{name: "chi bộ decides and reports", req: authReq(dQD296, cadre, bodyAt("CHI_BO", 60), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomeDecide, wantDuties: []string{"BTV@10", "UBKT@10", "CAP_UY@50", "UBKT@50"}, wantCites: []string{keyChiBo, keyReportMemberBodies}},
		{name: "chi ủy has none", req: authReq(dQD296, cadre, bodyAt("CHI_UY", 60), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomeNone, wantCites: []string{keyChiUy}},
	})
	d := mustEval(t, "R2", authReq(dQD296, cadre, bodyAt("CHI_BO", 60), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"))
	if rel := result[AuthorityResult](t, d).Relations; !slices.Contains(rel, "HIGHER_MANAGED_CADRE") || !slices.Contains(rel, "MEMBER_OF_ACTING_CHI_BO") {
		t.Errorf("Relations = %v, want HIGHER_MANAGED_CADRE and MEMBER_OF_ACTING_CHI_BO", rel)
	}
}

// TestAuthorityRows covers rows M1–M17 and O1–O8 not exercised by the
// worked examples, and the exclusions that must be evaluated first.
func TestAuthorityRows(t *testing.T) {
	ordinary71 := member(71, nil)
	// A member sitting on the chi ủy of a chi bộ trực thuộc and on the
	// đảng ủy cơ sở: two committees (QĐ 296 Art. 13).
	twoSeats := member(71, obj{"committee_memberships": []any{seatAt("CHI_UY", 71), seatAt("CAP_UY", 70)}})
	twoSeats22 := member(41, obj{"committee_memberships": []any{seatAt("CHI_UY", 41), seatAt("CAP_UY", 40)}})
	admitting := bodyAt("CAP_UY", 70)
	admitting["may_admit_members"] = true
	runAuth(t, []authCase{
		{name: "M1/not a member of the chi bộ", req: authReq(dQD296, member(61, nil), bodyAt("CHI_BO", 60), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone},
		{name: "M1/higher task of an ordinary member", req: authReq(dQD296, member(60, nil), bodyAt("CHI_BO", 60), "KHIEN_TRACH", "NHIEM_VU_CONG_VU", "HIGHER_ASSIGNED_TASK"),
			want: OutcomePropose, wantCompetent: "UBKT@50"},
		{name: "M6/đảng ủy bộ phận", req: authReq(dQD296, member(73, nil), bodyAt("DANG_UY_BO_PHAN", 72), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone},
		{name: "M6/CAP_UY of a đảng bộ bộ phận", req: authReq(dQD296, member(73, nil), bodyAt("CAP_UY", 72), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone},
		{name: "M7/warning", req: authReq(dQD296, ordinary71, bodyAt("CAP_UY", 70), "CANH_CAO", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeDecide},
		{name: "M7/expulsion without authorisation", req: authReq(dQD296, ordinary71, bodyAt("CAP_UY", 70), "KHAI_TRU", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomePropose, wantCompetent: "UBKT@50"},
		{name: "M7/expulsion when authorised to admit", req: authReq(dQD296, ordinary71, admitting, "KHAI_TRU", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeDecide},
		{name: "M7/removal of a chi ủy member", req: authReq(dQD296, member(71, obj{"committee_memberships": []any{seatAt("CHI_UY", 71)}}), bodyAt("CAP_UY", 70), "CACH_CHUC", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomeDecide, wantCites: []string{keyGrassRemovalLower}},
		{name: "M8/QD30 standing committee had no power", req: authReq(dQD30, member(41, nil), bodyAt("BTV", 40), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone},
		{name: "M8/QD22 standing committee warns", req: authReq(dQD22, member(41, nil), bodyAt("BTV", 40), "CANH_CAO", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeDecide, provisional: no},
		{name: "M8/QD296 wording unverified", req: authReq(dQD296, ordinary71, bodyAt("BTV", 70), "CANH_CAO", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeDecide, provisional: yes},
		{name: "M9/UBKT excludes same-level committee members", req: authReq(dQD296, member(71, obj{"committee_memberships": []any{seatAt("CAP_UY", 70)}}), bodyAt("UBKT", 70), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomePropose, wantCompetent: "CAP_UY@70"},
		{name: "M9/UBKT proposes expulsion", req: authReq(dQD296, ordinary71, bodyAt("UBKT", 70), "KHAI_TRU", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomePropose, wantCompetent: "UBKT@50"},
		{name: "M10/committee removes no own member", req: authReq(dQD296, member(61, obj{"committee_memberships": []any{seatAt("CAP_UY", 50)}}), bodyAt("CAP_UY", 50), "CACH_CHUC", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@10"},
		{name: "M12/UBKT expels an ordinary member", req: authReq(dQD296, ordinary71, bodyAt("UBKT", 50), "KHAI_TRU", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeDecide},
		{name: "M12/QD22 deeper-lower member, our reading", req: authReq(dQD22, twoSeats22, bodyAt("UBKT", 10), "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomeDecide, wantCites: []string{keyReadDeeperLower}, provisional: yes},
		{name: "M13/QD296 several committees: UBKT only proposes", req: authReq(dQD296, twoSeats, bodyAt("UBKT", 10), "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@50", wantCites: []string{keySeveralCommittees}},
		{name: "M13/QD296 the BTV above the highest committee decides", req: authReq(dQD296, twoSeats, bodyAt("BTV", 50), "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomeDecide, wantCites: []string{keySeveralCommittees}},
		{name: "M13/authorised đảng ủy cơ sở still proposes", req: authReq(dQD296, twoSeats, admitting, "KHAI_TRU", "THAM_NHUNG", "CORE"),
			want: OutcomePropose, wantCompetent: "BTV@50"},
		{name: "M15/CC member removal only by the Central Committee", req: authReq(dQD296, member(81, obj{"committee_memberships": []any{seatAt("CAP_UY", 10), seatAt("CAP_UY", 1)}}), bodyAt("BTV", 10), "CACH_CHUC", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomePropose, wantCompetent: "BCH_TW@1", wantCites: []string{keyCentralCommittee}},
		{name: "M16/UBKTTW and a Central Committee member", req: authReq(dQD296, member(81, obj{"central_committee_member": true}), bodyAt("UBKT", 1), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomePropose, wantCompetent: "BBT@1"},
		{name: "M16/UBKTTW expels an ordinary member", req: authReq(dQD296, member(82, nil), bodyAt("UBKT", 1), "KHAI_TRU", "DAO_DUC_LOI_SONG", "CORE"),
			want: OutcomeDecide, provisional: yes},
		{name: "M17/advisory board", req: authReq(dQD296, member(82, nil), bodyAt("BAN_THAM_MUU", 10), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone, wantCites: []string{keyAdvisory}},
		{name: "scope/another province", req: authReq(dQD296, member(12, nil), bodyAt("UBKT", 10), "KHIEN_TRACH", "DAO_DUC_LOI_SONG", "CORE"), want: OutcomeNone},
		{name: "O3/UBKT two levels up", req: authReq(dQD296, orgSubject(71), bodyAt("UBKT", 50), "CANH_CAO", "NGUYEN_TAC_TO_CHUC", ""), want: OutcomeDecide, wantCites: []string{keyOrgInspection}},
		{name: "O3/UBKT one level up proposes", req: authReq(dQD296, orgSubject(71), bodyAt("UBKT", 70), "CANH_CAO", "NGUYEN_TAC_TO_CHUC", ""),
			want: OutcomePropose, wantCompetent: "BTV@70"},
		{name: "O4/dissolution too far up", req: authReq(dQD296, orgSubject(71), bodyAt("CAP_UY", 10), "GIAI_TAN", "NGUYEN_TAC_TO_CHUC", ""), want: OutcomeNone},
		{name: "O7/Politburo reprimands a provincial đảng bộ", req: authReq(dQD296, orgSubject(10), bodyAt("BCT", 1), "KHIEN_TRACH", "NGUYEN_TAC_TO_CHUC", ""), want: OutcomeDecide, provisional: yes},
		{name: "O8/chi bộ has no power over organisations", req: authReq(dQD296, orgSubject(60), bodyAt("CHI_BO", 60), "KHIEN_TRACH", "NGUYEN_TAC_TO_CHUC", ""), want: OutcomeNone},
	})
}

// TestAuthorityValidation checks the field-level errors of R2.
func TestAuthorityValidation(t *testing.T) {
	base := func() obj {
		return authReq(dQD296, member(60, nil), bodyAt("CHI_BO", 60), "CANH_CAO", "DAO_DUC_LOI_SONG", "CORE")
	}
	t.Run("decision before violation", func(t *testing.T) {
		r := base()
		r["violation"].(obj)["date"] = "2025-10-01"
		mustInvalid(t, "R2", r, "decision_date", "rules.err.date_order")
	})
	t.Run("probationary Central Committee member", func(t *testing.T) {
		r := base()
		r["subject"] = obj{"kind": "MEMBER", "status": "DU_BI", "central_committee_member": true, "home_org": orgRef(60)}
		e := mustInvalid(t, "R2", r, "subject.central_committee_member", "rules.err.probationary_cc")
		if e.Fields["subject.central_committee_member"].Rule == "" || e.Rule != "R2" {
			t.Errorf("error lacks rule citation: %+v", e)
		}
	})
	t.Run("probationary committee member", func(t *testing.T) {
		r := base()
		r["subject"] = obj{"kind": "MEMBER", "status": "DU_BI", "home_org": orgRef(60), "committee_memberships": []any{seatAt("CHI_UY", 60)}}
		mustInvalid(t, "R2", r, "subject.committee_memberships", "rules.err.probationary_seat")
	})
	t.Run("unknown form", func(t *testing.T) {
		r := base()
		r["form"] = "PHE_BINH"
		mustInvalid(t, "R2", r, "form", "rules.err.unknown_value")
	})
	t.Run("removal without post", func(t *testing.T) {
		r := base()
		r["form"] = "CACH_CHUC"
		mustInvalid(t, "R2", r, "form", "rules.err.removal_no_post")
	})
	t.Run("dissolution of a member", func(t *testing.T) {
		r := base()
		r["form"] = "GIAI_TAN"
		mustInvalid(t, "R2", r, "form", "rules.err.form_subject")
	})
	t.Run("commune before the reform", func(t *testing.T) {
		r := base()
		r["decision_date"] = dQD22
		mustInvalid(t, "R2", r, "body.org.path[2].type", "rules.err.org_type_date")
	})
	t.Run("contradictory paths", func(t *testing.T) {
		r := base()
		bad := orgRef(60)
		bad["path"].([]any)[1].(obj)["type"] = "DANG_BO_TRUC_THUOC_TW"
		bad["path"].([]any)[1].(obj)["id"] = 11
		r["subject"].(obj)["home_org"] = bad
		mustInvalid(t, "R2", r, "subject.home_org.path[2]", "rules.err.org_contradiction")
	})
	t.Run("path not from the root", func(t *testing.T) {
		r := base()
		ref := orgRef(60)
		ref["path"] = ref["path"].([]any)[1:]
		r["body"].(obj)["org"] = ref
		mustInvalid(t, "R2", r, "body.org.path[0].type", "rules.err.path_root")
	})
	t.Run("body the organisation lacks", func(t *testing.T) {
		r := base()
		r["body"] = bodyAt("UBKT", 60)
		mustInvalid(t, "R2", r, "body.kind", "rules.err.body_org")
	})
	t.Run("seat outside the member's line", func(t *testing.T) {
		r := base()
		r["subject"].(obj)["committee_memberships"] = []any{seatAt("CAP_UY", 70)}
		mustInvalid(t, "R2", r, "subject.committee_memberships[0].org", "rules.err.seat_not_ancestor")
	})
	t.Run("type error with index path", func(t *testing.T) {
		r := base()
		r["subject"].(obj)["committee_memberships"] = []any{obj{"body": "CAP_UY", "org": obj{"id": "năm mươi"}}}
		mustInvalid(t, "R2", r, "subject.committee_memberships[0].org.id", "rules.err.json_type")
	})
	t.Run("unknown member", func(t *testing.T) {
		r := base()
		r["subject"].(obj)["nickname"] = "x"
		mustInvalid(t, "R2", r, "subject.nickname", "rules.err.unknown_field")
	})
	t.Run("date before 1930", func(t *testing.T) {
		r := base()
		r["decision_date"] = "1929-12-31"
		mustInvalid(t, "R2", r, "decision_date", "rules.err.date_range")
	})
	t.Run("date after 2100", func(t *testing.T) {
		r := base()
		r["decision_date"] = "2101-01-01"
		mustInvalid(t, "R2", r, "decision_date", "rules.err.date_range")
	})
}

// TestAuthorityDuties checks who a decision is reported to.
func TestAuthorityDuties(t *testing.T) {
	chiUy := member(60, obj{"committee_memberships": []any{seatAt("CHI_UY", 60)}})
	d := mustEval(t, "R2", authReq(dQD296, chiUy, bodyAt("CHI_BO", 60), "CANH_CAO", "DAO_DUC_LOI_SONG", "CORE"))
	var got []string
	for _, du := range result[AuthorityResult](t, d).Duties {
		got = append(got, refString(&du.To))
	}
	if want := []string{"CAP_UY@50", "UBKT@50"}; !slices.Equal(got, want) {
		t.Errorf("Duties = %v, want %v (not the chi bộ's own chi ủy)", got, want)
	}
	d = mustEval(t, "R2", authReq(dQD296, member(82, nil), bodyAt("BCT", 1), "KHAI_TRU", "THAM_NHUNG", "CORE"))
	if n := len(result[AuthorityResult](t, d).Duties); n != 0 {
		t.Errorf("a Politburo decision has %d duties, want none above the centre", n)
	}
}
