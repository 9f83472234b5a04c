package ktgs

import (
	"ktgs/internal/civil"
)

// OrgType is the kind of a party organisation (RULES.md §1.1–1.2). The
// string values are the codes used in RULES.md, CSV files and the database.
type OrgType string

// Organisation types, from the top of the hierarchy down.
const (
	// OrgTypeCentral is the Party as led by the Central Committee (Trung ương).
	OrgTypeCentral OrgType = "TW"
	// OrgTypeDirectlyUnderCC is a đảng bộ directly under the Central
	// Committee: a provincial or city đảng bộ, one of the four central
	// đảng bộ, the Army or the Public Security đảng bộ (40 from 1/7/2025).
	OrgTypeDirectlyUnderCC OrgType = "DANG_BO_TRUC_THUOC_TW"
	// OrgTypeDistrict is a district-level đảng bộ (huyện, quận, thị xã,
	// thành phố thuộc tỉnh). The level was abolished on 1/7/2025; units of
	// this type exist only in history.
	OrgTypeDistrict OrgType = "DANG_BO_HUYEN"
	// OrgTypeUpperGrassroots is an upper-grassroots committee (đảng ủy cấp
	// trên trực tiếp cơ sở) other than a commune đảng bộ.
	OrgTypeUpperGrassroots OrgType = "DANG_UY_CAP_TREN_TRUC_TIEP_CO_SO"
	// OrgTypeCommune is a commune, ward or special-zone đảng bộ created on
	// 1/7/2025. For authority checks it is an upper-grassroots committee
	// (RULES.md §3.4, QĐ 298-QĐ/TW).
	OrgTypeCommune OrgType = "DANG_BO_XA_PHUONG_DAC_KHU"
	// OrgTypeGrassrootsCommittee is a đảng bộ cơ sở (≥ 30 members, has branches).
	OrgTypeGrassrootsCommittee OrgType = "DANG_BO_CO_SO"
	// OrgTypeGrassrootsBranch is a chi bộ cơ sở (< 30 members, no branches).
	OrgTypeGrassrootsBranch OrgType = "CHI_BO_CO_SO"
	// OrgTypeSubCommittee is a đảng bộ bộ phận inside a đảng bộ cơ sở.
	OrgTypeSubCommittee OrgType = "DANG_BO_BO_PHAN"
	// OrgTypeBranch is a chi bộ trực thuộc (a branch under a đảng bộ cơ sở
	// or a đảng bộ bộ phận).
	OrgTypeBranch OrgType = "CHI_BO_TRUC_THUOC"
	// OrgTypePartyGroup is a tổ đảng inside a chi bộ; it has no
	// disciplinary powers and no members of its own in KTGS.
	OrgTypePartyGroup OrgType = "TO_DANG"
)

// OrgTypes lists every organisation type, top down.
var OrgTypes = []OrgType{
	OrgTypeCentral, OrgTypeDirectlyUnderCC, OrgTypeDistrict, OrgTypeUpperGrassroots,
	OrgTypeCommune, OrgTypeGrassrootsCommittee, OrgTypeGrassrootsBranch,
	OrgTypeSubCommittee, OrgTypeBranch, OrgTypePartyGroup,
}

// ReformDate is 1/7/2025, when the district level ended and the commune
// đảng bộ began (RULES.md §1.2).
var ReformDate = civil.New(2025, 7, 1)

// Valid reports whether t is a known organisation type.
func (t OrgType) Valid() bool {
	for _, k := range OrgTypes {
		if k == t {
			return true
		}
	}
	return false
}

// IsBranch reports whether t is a chi bộ: the only kind of organisation a
// party member is attached to for party activity.
func (t OrgType) IsBranch() bool {
	return t == OrgTypeGrassrootsBranch || t == OrgTypeBranch
}

// Grassroots reports whether t is a grassroots party organisation (tổ chức
// cơ sở đảng): a đảng bộ cơ sở or a chi bộ cơ sở.
func (t OrgType) Grassroots() bool {
	return t == OrgTypeGrassrootsCommittee || t == OrgTypeGrassrootsBranch
}

// HasInspectionCommission reports whether organisations of type t elect a
// UBKT: from đảng ủy cơ sở upward (RULES.md §1.3).
func (t OrgType) HasInspectionCommission() bool {
	switch t {
	case OrgTypeCentral, OrgTypeDirectlyUnderCC, OrgTypeDistrict, OrgTypeUpperGrassroots,
		OrgTypeCommune, OrgTypeGrassrootsCommittee:
		return true
	}
	return false
}

// Rank orders types from the top (0) down; used to sort and to check that
// a parent sits above its child.
func (t OrgType) Rank() int {
	for i, k := range OrgTypes {
		if k == t {
			return i
		}
	}
	return len(OrgTypes)
}

// allowedParents says under which types each type may sit.
var allowedParents = map[OrgType][]OrgType{
	OrgTypeCentral:             nil,
	OrgTypeDirectlyUnderCC:     {OrgTypeCentral},
	OrgTypeDistrict:            {OrgTypeDirectlyUnderCC},
	OrgTypeUpperGrassroots:     {OrgTypeDirectlyUnderCC, OrgTypeUpperGrassroots},
	OrgTypeCommune:             {OrgTypeDirectlyUnderCC},
	OrgTypeGrassrootsCommittee: {OrgTypeDirectlyUnderCC, OrgTypeDistrict, OrgTypeUpperGrassroots, OrgTypeCommune},
	OrgTypeGrassrootsBranch:    {OrgTypeDirectlyUnderCC, OrgTypeDistrict, OrgTypeUpperGrassroots, OrgTypeCommune},
	OrgTypeSubCommittee:        {OrgTypeGrassrootsCommittee},
	OrgTypeBranch:              {OrgTypeGrassrootsCommittee, OrgTypeSubCommittee},
	OrgTypePartyGroup:          {OrgTypeGrassrootsBranch, OrgTypeBranch},
}

// CanSitUnder reports whether an organisation of type t may have a parent of
// type parent. The root type has no parent: CanSitUnder("") is true only for it.
func (t OrgType) CanSitUnder(parent OrgType) bool {
	ps, ok := allowedParents[t]
	if !ok {
		return false
	}
	if parent == "" {
		return len(ps) == 0
	}
	for _, p := range ps {
		if p == parent {
			return true
		}
	}
	return false
}

// ValidOn reports whether a unit of type t may exist on date d: the district
// level ends on the reform date and the commune đảng bộ starts on it.
func (t OrgType) ValidOn(d civil.Date) bool {
	switch t {
	case OrgTypeDistrict:
		return d.Before(ReformDate)
	case OrgTypeCommune:
		return !d.Before(ReformDate)
	}
	return true
}

// MinOfficialMembers is the fewest official members a chi bộ may have
// (Điều lệ Đảng, Điều 24.1; RULES.md §1.1). Fewer is a state to fix, not an
// input error.
const MinOfficialMembers = 3

// Org is one party organisation as it stood during one validity interval of
// its history. ID identifies the organisation across renames and moves; a
// merge or split creates new organisations and links them with a ReorgEvent.
type Org struct {
	ID        int64
	Code      string // natural key, unique for all time
	Type      OrgType
	Name      string
	ParentID  int64  // 0 for the root
	Path      string // ids from the root, "/1/4/9/", as of this version
	Depth     int
	ValidFrom civil.Date // first day of this version
	ValidTo   civil.Date // first day after it; civil.Forever while current
	Born      civil.Date // first day of the organisation (all versions)
	Ended     civil.Date // day it ceased to exist, or civil.Forever

	// Filled by listing queries.
	ChildCount  int
	MemberCount int
}

// Current reports whether this version is the one in force today.
func (o *Org) Current() bool { return o.ValidTo.IsForever() }

// ActiveOn reports whether this version covers day d.
func (o *Org) ActiveOn(d civil.Date) bool {
	return !d.Before(o.ValidFrom) && d.Before(o.ValidTo)
}

// ReorgKind is the kind of a reorganisation event.
type ReorgKind string

// Reorganisation kinds.
const (
	ReorgCreate   ReorgKind = "CREATE"   // a new unit (no predecessor)
	ReorgMerge    ReorgKind = "MERGE"    // several units become one new unit
	ReorgSplit    ReorgKind = "SPLIT"    // one unit becomes several new units
	ReorgRename   ReorgKind = "RENAME"   // same unit, new name or type
	ReorgMove     ReorgKind = "MOVE"     // same unit, new parent
	ReorgDissolve ReorgKind = "DISSOLVE" // the unit ends; members move elsewhere
)

// ReorgKinds lists the kinds in display order.
var ReorgKinds = []ReorgKind{ReorgCreate, ReorgMerge, ReorgSplit, ReorgRename, ReorgMove, ReorgDissolve}

// ReorgEvent records one reorganisation on one date, with the decision that
// ordered it. Links say which units became which.
type ReorgEvent struct {
	ID       int64
	Kind     ReorgKind
	Date     civil.Date // first day of the new structure
	Decision string     // e.g. "Quyết định 328-QĐ/TW"
	Note     string
	Links    []ReorgLink
}

// ReorgLink says that From became (part of) To. To is 0 for a dissolution.
// Primary marks, for a split, the successor that statistics map history
// onto; every other link of a split is secondary.
type ReorgLink struct {
	FromID   int64
	ToID     int64
	Primary  bool
	FromName string
	ToName   string
}
