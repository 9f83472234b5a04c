package rules

import (
	"slices"

	"ktgs"
)

// Form is a disciplinary form (hình thức kỷ luật), RULES.md §3.1.
type Form string

// Disciplinary forms, lightest first within each ladder.
const (
	FormReprimand   Form = "KHIEN_TRACH" // khiển trách
	FormWarning     Form = "CANH_CAO"    // cảnh cáo
	FormRemoval     Form = "CACH_CHUC"   // cách chức (members holding a post)
	FormExpulsion   Form = "KHAI_TRU"    // khai trừ (official members)
	FormDissolution Form = "GIAI_TAN"    // giải tán (organisations)
)

// Forms lists every form: the member ladder, then dissolution.
var Forms = []Form{FormReprimand, FormWarning, FormRemoval, FormExpulsion, FormDissolution}

// severity orders forms on one scale; a heavier form has a larger value.
func (f Form) severity() int {
	switch f {
	case FormReprimand:
		return 1
	case FormWarning:
		return 2
	case FormRemoval:
		return 3
	case FormExpulsion, FormDissolution:
		return 4
	}
	return 0
}

// Valid reports whether f is a known form.
func (f Form) Valid() bool { return slices.Contains(Forms, f) }

// SubjectKind says whether a rule concerns a party member or a party
// organisation.
type SubjectKind string

// Subject kinds.
const (
	SubjectMember SubjectKind = "MEMBER"
	SubjectOrg    SubjectKind = "ORG"
)

// BodyKind is the kind of body that acts in an authority question: the
// domain's ktgs.BodyKind refined by the organisation it belongs to
// (the cấp ủy of a đảng bộ bộ phận is a đảng ủy bộ phận; the cấp ủy of
// the Party is the Central Committee) and extended with the bodies that
// have no disciplinary power (RULES.md §3.4.1, M17).
type BodyKind string

// Acting body kinds.
const (
	BodyBranch               BodyKind = "CHI_BO"               // chi bộ (all official members)
	BodyBranchCommittee      BodyKind = "CHI_UY"               // chi ủy
	BodySubCommittee         BodyKind = "DANG_UY_BO_PHAN"      // đảng ủy bộ phận
	BodyCommittee            BodyKind = "CAP_UY"               // cấp ủy (ban chấp hành đảng bộ)
	BodyStandingCommittee    BodyKind = "BTV"                  // ban thường vụ
	BodyInspectionCommission BodyKind = "UBKT"                 // ủy ban kiểm tra
	BodyPolitburo            BodyKind = "BCT"                  // Bộ Chính trị
	BodySecretariat          BodyKind = "BBT"                  // Ban Bí thư
	BodyCentralCommittee     BodyKind = "BCH_TW"               // Ban Chấp hành Trung ương
	BodyPartyDelegation      BodyKind = "BAN_CAN_SU_DANG_DOAN" // ban cán sự đảng, đảng đoàn
	BodyAdvisoryBoard        BodyKind = "BAN_THAM_MUU"         // ban tham mưu of a committee
)

// BodyKinds lists the acting body kinds.
var BodyKinds = []BodyKind{BodyBranch, BodyBranchCommittee, BodySubCommittee, BodyCommittee,
	BodyStandingCommittee, BodyInspectionCommission, BodyPolitburo, BodySecretariat,
	BodyCentralCommittee, BodyPartyDelegation, BodyAdvisoryBoard}

// BodyKindOf maps a domain body kind of an organisation of type t to the
// acting kind: CAP_UY of a đảng bộ bộ phận is DANG_UY_BO_PHAN and CAP_UY
// of the Party (TW) is BCH_TW. It reports false when the organisation has
// no such body.
func BodyKindOf(k ktgs.BodyKind, t ktgs.OrgType) (BodyKind, bool) {
	if !slices.Contains(ktgs.BodyKindsFor(t), k) {
		return "", false
	}
	switch {
	case k == ktgs.BodyCommittee && t == ktgs.OrgTypeSubCommittee:
		return BodySubCommittee, true
	case k == ktgs.BodyCommittee && t == ktgs.OrgTypeCentral:
		return BodyCentralCommittee, true
	}
	return BodyKind(k), true
}

// Domain returns the domain body kind of k; bodies outside the domain
// model (ban cán sự đảng, đảng đoàn, advisory boards) report false.
func (k BodyKind) Domain() (ktgs.BodyKind, bool) {
	switch k {
	case BodySubCommittee, BodyCentralCommittee:
		return ktgs.BodyCommittee, true
	case BodyPartyDelegation, BodyAdvisoryBoard:
		return "", false
	}
	if d := ktgs.BodyKind(k); d.Valid() {
		return d, true
	}
	return "", false
}

// ValidFor reports whether an organisation of type t has a body of kind k
// (CAP_UY is accepted for a đảng bộ bộ phận and for TW; see normalize).
func (k BodyKind) ValidFor(t ktgs.OrgType) bool {
	return slices.Contains(bodiesOf(t), k.normalize(t))
}

// bodiesOf lists the acting bodies of an organisation of type t, lowest
// first: the order in which the competent-body search tries them.
func bodiesOf(t ktgs.OrgType) []BodyKind {
	switch t {
	case ktgs.OrgTypeCentral:
		return []BodyKind{BodyPartyDelegation, BodyAdvisoryBoard, BodyInspectionCommission,
			BodySecretariat, BodyPolitburo, BodyCentralCommittee}
	case ktgs.OrgTypeDirectlyUnderCC, ktgs.OrgTypeDistrict, ktgs.OrgTypeUpperGrassroots,
		ktgs.OrgTypeCommune, ktgs.OrgTypeGrassrootsCommittee:
		return []BodyKind{BodyPartyDelegation, BodyAdvisoryBoard, BodyInspectionCommission,
			BodyStandingCommittee, BodyCommittee}
	case ktgs.OrgTypeSubCommittee:
		return []BodyKind{BodySubCommittee}
	case ktgs.OrgTypeGrassrootsBranch, ktgs.OrgTypeBranch:
		return []BodyKind{BodyBranchCommittee, BodyBranch}
	}
	return nil
}

// rank returns the position of k among the bodies of t, or -1.
func (k BodyKind) rank(t ktgs.OrgType) int { return slices.Index(bodiesOf(t), k) }

// normalize turns CAP_UY of a đảng bộ bộ phận or of TW into its refined
// kind.
func (k BodyKind) normalize(t ktgs.OrgType) BodyKind {
	if k == BodyCommittee {
		switch t {
		case ktgs.OrgTypeSubCommittee:
			return BodySubCommittee
		case ktgs.OrgTypeCentral:
			return BodyCentralCommittee
		}
	}
	return k
}

// Scope is what a violation concerns (RULES.md §3.4.1 Encoding): the core
// of membership, or a task assigned by a higher level, by the committee, or
// in professional work.
type Scope string

// Violation scopes.
const (
	ScopeCore                  Scope = "CORE"
	ScopeHigherAssignedTask    Scope = "HIGHER_ASSIGNED_TASK"
	ScopeCommitteeAssignedTask Scope = "COMMITTEE_ASSIGNED_TASK"
	ScopeProfessionalTask      Scope = "PROFESSIONAL_TASK"
)

// Scopes lists the violation scopes.
var Scopes = []Scope{ScopeCore, ScopeHigherAssignedTask, ScopeCommitteeAssignedTask, ScopeProfessionalTask}

// Categories lists the violation categories (RULES.md §3.7, QĐ 69): the
// member categories, then the organisation articles 8–10, then KHAC. The
// list is not a verified article map; it feeds the no-limitation check of
// R6 and explanations.
var Categories = []string{
	"QUAN_DIEM_CHINH_TRI",           // political views
	"CHINH_TRI_NOI_BO",              // internal political protection
	"TO_CHUC_HOAT_DONG_DANG",        // organisation and operation of the Party
	"BAU_CU",                        // elections
	"TUYEN_TRUYEN_PHAT_NGON",        // propaganda, public statements
	"CONG_TAC_CAN_BO",               // organisation and cadre work
	"CHAY_CHUC_CHAY_QUYEN",          // buying posts or power
	"NHIEM_VU_CONG_VU",              // duties, tasks, public service
	"LANH_DAO_QUAN_LY",              // leadership, management
	"BAO_VE_BI_MAT",                 // party and state secrets
	"QUAN_HE_NUOC_NGOAI",            // relations with foreign parties
	"VAN_BANG_CHUNG_CHI",            // diplomas and certificates (management)
	"SU_DUNG_VAN_BANG_BAT_HOP_PHAP", // use of illegal diplomas or certificates
	"QUOC_PHONG_AN_NINH_DOI_NGOAI",  // defence, security, foreign affairs harming national interests
	"PHONG_CHONG_TOI_PHAM",          // crime prevention
	"KIEM_TRA_GIAM_SAT",             // inspection, supervision, state inspection, audit
	"KHIEU_NAI_TO_CAO",              // complaints and denunciations
	"THAM_NHUNG",                    // corruption
	"LANG_PHI",                      // waste
	"KE_KHAI_TAI_SAN",               // asset and income declaration
	"TAI_CHINH_DAT_DAI",             // finance, public assets, land
	"DAU_TU_XAY_DUNG",               // investment and construction
	"TIN_DUNG_NGAN_HANG",            // credit and banking
	"DAO_DUC_LOI_SONG",              // ethics and lifestyle
	"DAN_SO_GIA_DINH",               // population and family
	"TE_NAN_XA_HOI",                 // social evils
	"CHU_TRUONG_QUY_DINH",           // organisations: party policies and rules (Art. 8)
	"BAN_HANH_THUC_HIEN",            // organisations: issuing and implementing (Art. 9)
	"NGUYEN_TAC_TO_CHUC",            // organisations: organisational principles (Art. 10)
	"KHAC",                          // other
}

// Code lists used by rule values: the data may list a subset, and a
// decision applies only the codes its rule set lists.
var (
	// complaintGrounds are the not-accepted grounds of RULES.md §4.
	complaintGrounds = []string{"LATE", "BEING_RESOLVED_BY_HIGHER", "CONCLUDED_BY_HIGHEST",
		"COURT_SENTENCE", "ON_BEHALF", "BEFORE_RECEIVING_DECISION", "REFUSED_DECISION", "MOVED_OUT"}
	// denunciationGrounds are the not-resolved grounds of RULES.md §5.
	denunciationGrounds = []string{"ANONYMOUS_OR_NO_ADDRESS", "CONCLUDED_NO_NEW_EVIDENCE",
		"NOT_SPECIFIC", "NO_DENUNCIATION", "NOT_PERSONALLY_SIGNED", "MULTIPLE_SIGNERS", "NO_CIVIL_CAPACITY"}
	// freezeActions are the HR actions of RULES.md §3.2 (QĐ 69 Art. 2.13).
	freezeActions = []string{"TRANSFER", "ROTATION", "APPOINTMENT", "MILITARY_PROMOTION", "AWARD"}
	// restorationMeasures are the measures of RULES.md §3.8.
	restorationMeasures = []string{"RESTORE_BENEFITS", "RESTORE_POST", "RESTORE_MEMBERSHIP"}
)
