package rules

import (
	"strconv"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// OrgRef identifies a party organisation in a request: its id, its type and
// its path, the list of nodes from the root (TW) down to and including the
// organisation. Relations such as "directly-lower committee" are computed
// from paths, so every path must start at the root.
type OrgRef struct {
	ID   int64      `json:"id"`
	Type string     `json:"type"`
	Path []PathNode `json:"path"`
}

// PathNode is one organisation on a path. MayAdmitMembers marks a đảng bộ
// cơ sở authorised to admit members (RULES.md §3.4.1, M7).
type PathNode struct {
	ID              int64  `json:"id"`
	Type            string `json:"type"`
	Name            string `json:"name,omitempty"`
	MayAdmitMembers bool   `json:"may_admit_members,omitempty"`
}

// BodyIn names a body of an organisation in a request.
type BodyIn struct {
	Kind string  `json:"kind"`
	Org  *OrgRef `json:"org"`
	// MayAdmitMembers is set for a đảng ủy cơ sở authorised to admit
	// members (M7); the same flag may be set on the path node.
	MayAdmitMembers bool `json:"may_admit_members,omitempty"`
}

// node is an organisation known from the paths of one request.
type node struct {
	id       int64
	typ      ktgs.OrgType
	name     string
	parent   *node
	depth    int // 0 for the root
	mayAdmit bool
}

// ref returns the body of kind k of n as a BodyRef.
func (n *node) ref(k BodyKind) BodyRef {
	return BodyRef{Kind: k.normalize(n.typ), OrgID: n.id, OrgType: n.typ, OrgName: n.name}
}

// arg returns n for a message placeholder.
func (n *node) arg() orgArg { return orgArg{id: n.id, name: n.name} }

// orgIndex is the organisations of one request, linked by their paths.
type orgIndex struct {
	nodes map[int64]*node
	root  *node
	date  civil.Date // the date the organisations must exist on
}

// newOrgIndex returns an empty index for organisations existing on date.
func newOrgIndex(date civil.Date) *orgIndex {
	return &orgIndex{nodes: map[int64]*node{}, date: date}
}

// add validates ref (at request field path field) and links its path into
// the index. It returns the organisation's node, or nil after recording
// errors. Contradictions between paths (one id with two types or two
// parents, two roots) are errors on the later path.
func (x *orgIndex) add(v *validator, field string, ref *OrgRef) *node {
	if ref == nil {
		v.add(field, "rules.err.required")
		return nil
	}
	if ref.ID <= 0 {
		v.add(field+".id", "rules.err.required")
	}
	if !ktgs.OrgType(ref.Type).Valid() {
		v.enum(field+".type", ref.Type, strs(ktgs.OrgTypes), true)
	}
	pf := field + ".path"
	switch {
	case len(ref.Path) == 0:
		v.add(pf, "rules.err.required")
	case len(ref.Path) > maxPath:
		v.add(pf, "rules.err.too_many", len(ref.Path), maxPath)
	}
	if v.has(field+".id") || v.has(field+".type") || v.has(pf) {
		return nil
	}
	last := ref.Path[len(ref.Path)-1]
	if last.ID != ref.ID || last.Type != ref.Type {
		v.add(pf, "rules.err.path_end", ref.ID)
		return nil
	}
	seen := map[int64]bool{}
	var parent *node
	for i, p := range ref.Path {
		nf := pf + "[" + strconv.Itoa(i) + "]"
		t := ktgs.OrgType(p.Type)
		if p.ID <= 0 {
			v.add(nf+".id", "rules.err.required")
			return nil
		}
		if !t.Valid() {
			v.enum(nf+".type", p.Type, strs(ktgs.OrgTypes), true)
			return nil
		}
		if seen[p.ID] {
			v.add(nf+".id", "rules.err.path_cycle", p.ID)
			return nil
		}
		seen[p.ID] = true
		parentType := ktgs.OrgType("")
		if parent != nil {
			parentType = parent.typ
		}
		if !t.CanSitUnder(parentType) {
			if parent == nil {
				v.add(nf+".type", "rules.err.path_root", p.Type)
			} else {
				v.add(nf+".type", "rules.err.path_parent", p.Type, string(parent.typ))
			}
			return nil
		}
		if x.date != 0 && !t.ValidOn(x.date) {
			v.add(nf+".type", "rules.err.org_type_date", p.Type, vn.Date(x.date))
			return nil
		}
		name := vn.Clean(truncate(p.Name, maxTextLen))
		n, known := x.nodes[p.ID]
		switch {
		case !known:
			n = &node{id: p.ID, typ: t, name: name, parent: parent, mayAdmit: p.MayAdmitMembers}
			if parent != nil {
				n.depth = parent.depth + 1
			} else {
				if x.root != nil && x.root.id != p.ID {
					v.add(nf+".id", "rules.err.two_roots", p.ID, x.root.id)
					return nil
				}
				x.root = n
			}
			x.nodes[p.ID] = n
		case n.typ != t || n.parent != parent:
			v.add(nf, "rules.err.org_contradiction", p.ID)
			return nil
		default:
			if n.name == "" {
				n.name = name
			}
			n.mayAdmit = n.mayAdmit || p.MayAdmitMembers
		}
		parent = n
	}
	return parent
}

// isAncestor reports whether a is a proper ancestor of b.
func isAncestor(a, b *node) bool {
	for p := b.parent; p != nil; p = p.parent {
		if p == a {
			return true
		}
	}
	return false
}

// ancestorOrSelf reports whether a is b or an ancestor of b.
func ancestorOrSelf(a, b *node) bool { return a == b || isAncestor(a, b) }

// levelsBetween returns how many levels b lies below a (0 for a itself),
// and false when a is not an ancestor-or-self of b.
func levelsBetween(a, b *node) (int, bool) {
	if !ancestorOrSelf(a, b) {
		return 0, false
	}
	return b.depth - a.depth, true
}

// nearestWith returns the nearest of n's proper ancestors (walking up) whose
// type has body kind k, or nil.
func nearestWith(n *node, k BodyKind) *node {
	for p := n.parent; p != nil; p = p.parent {
		if k.ValidFor(p.typ) {
			return p
		}
	}
	return nil
}

// body parses an acting body: a known kind that the organisation has.
func (x *orgIndex) body(v *validator, field string, b *BodyIn, allowed []BodyKind) (BodyKind, *node) {
	if b == nil {
		v.add(field, "rules.err.required")
		return "", nil
	}
	ok := v.enum(field+".kind", b.Kind, strs(allowed), true)
	n := x.add(v, field+".org", b.Org)
	if !ok || n == nil {
		return "", nil
	}
	k := BodyKind(b.Kind)
	if !k.ValidFor(n.typ) {
		v.add(field+".kind", "rules.err.body_org", b.Kind, string(n.typ))
		return "", nil
	}
	if b.MayAdmitMembers {
		if n.typ != ktgs.OrgTypeGrassrootsCommittee {
			v.add(field+".may_admit_members", "rules.err.may_admit")
			return "", nil
		}
		n.mayAdmit = true
	}
	return k.normalize(n.typ), n
}
