package ktgs

import "ktgs/internal/civil"

// BodyKind is the kind of a leading or inspecting body of an organisation.
type BodyKind string

// Body kinds (GLOSSARY.md).
const (
	BodyCommittee            BodyKind = "CAP_UY" // cấp ủy: BCH đảng bộ, đảng ủy
	BodyStandingCommittee    BodyKind = "BTV"    // ban thường vụ
	BodyInspectionCommission BodyKind = "UBKT"   // ủy ban kiểm tra
	BodyBranch               BodyKind = "CHI_BO" // the chi bộ itself (all its official members)
	BodyBranchCommittee      BodyKind = "CHI_UY" // chi ủy
	BodyPolitburo            BodyKind = "BCT"    // Bộ Chính trị
	BodySecretariat          BodyKind = "BBT"    // Ban Bí thư
)

// BodyKinds lists the kinds in display order.
var BodyKinds = []BodyKind{BodyCommittee, BodyStandingCommittee, BodyInspectionCommission,
	BodyBranch, BodyBranchCommittee, BodyPolitburo, BodySecretariat}

// Valid reports whether k is a known body kind.
func (k BodyKind) Valid() bool {
	for _, b := range BodyKinds {
		if b == k {
			return true
		}
	}
	return false
}

// BodyKindsFor returns the bodies an organisation of type t has.
func BodyKindsFor(t OrgType) []BodyKind {
	switch t {
	case OrgTypeCentral:
		return []BodyKind{BodyCommittee, BodyPolitburo, BodySecretariat, BodyInspectionCommission}
	case OrgTypeDirectlyUnderCC, OrgTypeDistrict, OrgTypeUpperGrassroots, OrgTypeCommune, OrgTypeGrassrootsCommittee:
		return []BodyKind{BodyCommittee, BodyStandingCommittee, BodyInspectionCommission}
	case OrgTypeSubCommittee:
		return []BodyKind{BodyCommittee}
	case OrgTypeGrassrootsBranch, OrgTypeBranch:
		return []BodyKind{BodyBranch, BodyBranchCommittee}
	}
	return nil
}

// Role is a seat on a body.
type Role string

// Roles. The Vietnamese label depends on the body: SECRETARY is "bí thư" on
// a committee and "chủ nhiệm" on a UBKT.
const (
	RoleSecretary       Role = "SECRETARY"        // bí thư / chủ nhiệm UBKT
	RoleDeputySecretary Role = "DEPUTY_SECRETARY" // phó bí thư / phó chủ nhiệm UBKT
	RoleStandingMember  Role = "STANDING_MEMBER"  // ủy viên thường vụ (on a BTV)
	RoleMember          Role = "MEMBER"           // ủy viên
)

// Roles lists the roles, most senior first.
var Roles = []Role{RoleSecretary, RoleDeputySecretary, RoleStandingMember, RoleMember}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Body is one body of an organisation.
type Body struct {
	ID    int64
	OrgID int64
	Kind  BodyKind
	Name  string
	Terms []Term
}

// Term is a term (nhiệm kỳ) of a body.
type Term struct {
	ID           int64
	BodyID       int64
	Name         string     // "2020–2025"
	Start        civil.Date // first day of the term
	End          civil.Date // last day, or civil.Forever while running
	CongressDate civil.Date // opening day of the congress that ends the term, when known
	Seats        []Seat
}

// Seat is a member's role on a body during a term.
type Seat struct {
	ID       int64      `json:"id"`
	TermID   int64      `json:"term_id"`
	MemberID int64      `json:"member_id"`
	Role     Role       `json:"role"`
	Start    civil.Date `json:"start"`
	End      civil.Date `json:"end"` // civil.Forever while held

	// Filled by queries.
	MemberName string   `json:"member_name,omitempty"`
	BodyKind   BodyKind `json:"body_kind,omitempty"`
	BodyName   string   `json:"body_name,omitempty"`
	OrgID      int64    `json:"org_id,omitempty"`
	OrgName    string   `json:"org_name,omitempty"`
	OrgType    OrgType  `json:"org_type,omitempty"`
	TermName   string   `json:"term_name,omitempty"`
}
