package app_test

// The property test of the authorisation decision: random org trees,
// reorganised at random through the real use cases, random users, scopes,
// teams, marks and objects; every (user, action, object) triple is decided
// by authz.Decide (with ancestries computed by the store) and by a small
// independent reference model written below from the specification, and
// the two must agree.
//
// Reproduce a failure with KTGS_PROPERTY_SEED=<seed printed in the log>;
// KTGS_PROPERTY_VERBOSE=1 also logs every event the generator applied.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// propToday is the pinned "today" of the property test: every
// reorganisation it generates happens on or before it.
var propToday = civil.New(2026, 3, 15)

func propPinClock(s *app.Service, day civil.Date) {
	y, m, dd := day.YMD()
	s.Clock = func() time.Time { return time.Date(y, m, dd, 12, 0, 0, 0, app.Zone) }
}

// ---------------------------------------------------------------------
// The model of the org trees, recorded while generating, independently of
// the store.

// pVersion is one interval [from, to) during which an org had one parent.
type pVersion struct {
	parent   int64 // 0 for the root
	from, to civil.Date
}

type pOrg struct {
	id       int64
	code     string
	name     string
	typ      ktgs.OrgType // current type: only used to generate valid inputs
	born     civil.Date
	ended    civil.Date // civil.Forever while the org exists
	versions []pVersion
	succ     []int64 // the orgs it became by a merge or a split
}

type pModel struct {
	t     *testing.T
	orgs  map[int64]*pOrg
	ids   []int64             // in creation order (deterministic iteration)
	dates map[civil.Date]bool // every day on which some org was born, ended or changed parent
}

func newPropModel(t *testing.T) *pModel {
	return &pModel{t: t, orgs: map[int64]*pOrg{}, dates: map[civil.Date]bool{}}
}

func (m *pModel) add(id int64, code, name string, typ ktgs.OrgType, parent int64, day civil.Date) {
	if m.orgs[id] != nil {
		m.t.Fatalf("model: org %d created twice", id)
	}
	m.orgs[id] = &pOrg{id: id, code: code, name: name, typ: typ, born: day, ended: civil.Forever,
		versions: []pVersion{{parent: parent, from: day, to: civil.Forever}}}
	m.ids = append(m.ids, id)
	m.dates[day] = true
}

// setParent gives org id the parent p from day on.
func (m *pModel) setParent(id, p int64, day civil.Date) {
	o := m.orgs[id]
	last := &o.versions[len(o.versions)-1]
	if !last.to.IsForever() || day.Before(last.from) {
		m.t.Fatalf("model: setParent(%d, %d, %s) on a closed or later version %+v", id, p, day, *last)
	}
	last.to = day
	o.versions = append(o.versions, pVersion{parent: p, from: day, to: civil.Forever})
	m.dates[day] = true
}

// end records that org id ceased to exist on day (its last day is day-1).
func (m *pModel) end(id int64, day civil.Date) {
	o := m.orgs[id]
	last := &o.versions[len(o.versions)-1]
	if !last.to.IsForever() || day.Before(last.from) {
		m.t.Fatalf("model: end(%d, %s) on a closed or later version %+v", id, day, *last)
	}
	last.to, o.ended = day, day
	m.dates[day] = true
}

func (m *pModel) exists(id int64, day civil.Date) bool {
	o := m.orgs[id]
	return o != nil && !day.Before(o.born) && day.Before(o.ended)
}

// parentAt returns the parent of org id on day; ok is false if the org did
// not exist then.
func (m *pModel) parentAt(id int64, day civil.Date) (parent int64, ok bool) {
	o := m.orgs[id]
	if o == nil {
		return 0, false
	}
	for _, v := range o.versions {
		if !day.Before(v.from) && day.Before(v.to) {
			return v.parent, true
		}
	}
	return 0, false
}

// chain returns id and its ancestors on day, walking each parent's parent
// as it stood on that same day.
func (m *pModel) chain(id int64, day civil.Date) []int64 {
	var out []int64
	for x := id; x != 0; {
		if slices.Contains(out, x) {
			m.t.Fatalf("model: cycle above org %d on %s: %v", id, day, out)
		}
		out = append(out, x)
		p, ok := m.parentAt(x, day)
		if !ok {
			m.t.Fatalf("model: org %d (above %d) does not exist on %s", x, id, day)
		}
		x = p
	}
	return out
}

// children returns the orgs whose parent on day is id.
func (m *pModel) children(id int64, day civil.Date) []int64 {
	var out []int64
	for _, c := range m.ids {
		if p, ok := m.parentAt(c, day); ok && p == id {
			out = append(out, c)
		}
	}
	return out
}

// roots returns the orgs that had no parent in some version.
func (m *pModel) roots() []int64 {
	var out []int64
	for _, id := range m.ids {
		for _, v := range m.orgs[id].versions {
			if v.parent == 0 {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// successorsToday follows the merge and split links from org id until it
// reaches orgs that exist today.
func (m *pModel) successorsToday(id int64, today civil.Date) []int64 {
	var out []int64
	seen := map[int64]bool{}
	var walk func(x int64)
	walk = func(x int64) {
		if seen[x] {
			return
		}
		seen[x] = true
		if m.exists(x, today) {
			out = append(out, x)
			return
		}
		for _, s := range m.orgs[x].succ {
			walk(s)
		}
	}
	walk(id)
	return out
}

// ancestry is the reference ancestry of org id: every org that was an
// ancestor-or-self of id on some day of its life, plus, for each of those
// that no longer exists today, the orgs that replaced it today and their
// ancestors-or-self today.
func (m *pModel) ancestry(id int64, today civil.Date) map[int64]bool {
	o := m.orgs[id]
	set := map[int64]bool{}
	if o == nil {
		return set
	}
	// The chain above id can only change on a day when some org was born,
	// ended or changed parent: looking at id's first day and at each of
	// those days during its life sees every chain it ever had.
	days := []civil.Date{o.born}
	for day := range m.dates {
		if day.After(o.born) && day.Before(o.ended) {
			days = append(days, day)
		}
	}
	for _, day := range days {
		for _, a := range m.chain(id, day) {
			set[a] = true
		}
	}
	historical := make([]int64, 0, len(set))
	for a := range set {
		historical = append(historical, a)
	}
	for _, a := range historical {
		if m.exists(a, today) {
			continue
		}
		for _, s := range m.successorsToday(a, today) {
			for _, b := range m.chain(s, today) {
				set[b] = true
			}
		}
	}
	return set
}

// ---------------------------------------------------------------------
// The reference decision, written from the specification.

var refRoleActions = map[string][]string{
	"ADMIN":     {"org:browse", "org:read", "org:write", "member:read", "member:write", "register:import", "register:export", "stats:read", "rules:read", "audit:read", "user:admin"},
	"CHAIR":     {"org:browse", "org:read", "member:read", "register:export", "case:read", "case:create", "case:write", "denouncer:read", "stats:read", "rules:read"},
	"INSPECTOR": {"org:browse", "org:read", "member:read", "case:read", "case:create", "case:write", "denouncer:read", "stats:read", "rules:read"},
	"STANDING":  {"org:browse", "org:read", "member:read", "case:read", "stats:read", "rules:read"},
	"SECRETARY": {"org:browse", "org:read", "member:read", "member:write", "case:read", "case:create", "case:write", "denouncer:read", "stats:read", "rules:read"},
	"AUDITOR":   {"org:browse", "org:read", "audit:read", "rules:read"},
	"VIEWER":    {"org:browse", "org:read", "member:read", "stats:read", "rules:read"},
}

type refActor struct {
	userID    int64
	role      string
	scope     []int64
	clearance int
	memberID  int64
	twoFactor bool
}

type refObject struct {
	system  bool
	org     int64
	mark    int
	team    []int64
	accused []int64
}

// refWorld is what the reference decision knows: the model's ancestries
// and roots.
type refWorld struct {
	anc   map[int64]map[int64]bool
	roots []int64
}

func (w *refWorld) allowed(a *refActor, action string, obj *refObject) bool {
	if a == nil || a.userID == 0 {
		return false
	}
	acts, ok := refRoleActions[a.role]
	if !ok || !slices.Contains(acts, action) {
		return false
	}
	if obj.system {
		inScope := false
		for _, s := range a.scope {
			if slices.Contains(w.roots, s) {
				inScope = true
			}
		}
		if !inScope {
			return false
		}
	} else {
		inScope := false
		for _, s := range a.scope {
			if w.anc[obj.org][s] {
				inScope = true
			}
		}
		if !inScope && action == "org:browse" {
			for _, s := range a.scope {
				if w.anc[s][obj.org] {
					inScope = true
				}
			}
		}
		if !inScope {
			return false
		}
	}
	caseData := action == "case:read" || action == "case:create" || action == "case:write" || action == "denouncer:read"
	if caseData && (!a.twoFactor || a.clearance < obj.mark) {
		return false
	}
	if (action == "case:write" || action == "denouncer:read") && a.memberID != 0 && slices.Contains(obj.accused, a.memberID) {
		return false
	}
	if action == "denouncer:read" && !slices.Contains(obj.team, a.userID) {
		return false
	}
	// The head of the acting body (commission chair, chi bộ secretary)
	// may write any case in scope; everyone else only on the team.
	if action == "case:write" && a.role != "CHAIR" && a.role != "SECRETARY" && !slices.Contains(obj.team, a.userID) {
		return false
	}
	return true
}

// ---------------------------------------------------------------------
// The generator: builds a random tree and reorganises it through the use
// cases, recording every accepted event in the model.

var propKinds = []ktgs.ReorgKind{ktgs.ReorgMerge, ktgs.ReorgSplit, ktgs.ReorgRename, ktgs.ReorgMove, ktgs.ReorgDissolve}

type pGen struct {
	t       *testing.T
	s       *app.Service
	m       *pModel
	rng     *rand.Rand
	world   int
	seq     int
	root    int64
	tried   map[ktgs.ReorgKind]int
	ok      map[ktgs.ReorgKind]int
	refused map[string]int
	verbose bool // KTGS_PROPERTY_VERBOSE=1 logs every accepted event
}

func (g *pGen) code() string {
	g.seq++
	return fmt.Sprintf("W%d-%04d", g.world, g.seq)
}

var propTypeNames = map[ktgs.OrgType]string{
	ktgs.OrgTypeCentral:             "Trung ương",
	ktgs.OrgTypeDirectlyUnderCC:     "Đảng bộ tỉnh",
	ktgs.OrgTypeDistrict:            "Đảng bộ huyện",
	ktgs.OrgTypeCommune:             "Đảng bộ xã mới",
	ktgs.OrgTypeGrassrootsCommittee: "Đảng bộ xã",
	ktgs.OrgTypeGrassrootsBranch:    "Chi bộ cơ sở",
	ktgs.OrgTypeBranch:              "Chi bộ thôn",
}

func (g *pGen) newInput(typ ktgs.OrgType, parent int64) app.OrgInput {
	code := g.code()
	return app.OrgInput{Code: code, Type: typ, Name: propTypeNames[typ] + " " + code, ParentID: parent}
}

// create creates an org of the initial tree; it must succeed.
func (g *pGen) create(typ ktgs.OrgType, parent int64, day civil.Date) int64 {
	in := g.newInput(typ, parent)
	in.ValidFrom = day
	o, err := g.s.CreateOrg(ctx, in)
	if err != nil {
		g.t.Fatalf("CreateOrg %+v: %v", in, err)
	}
	g.m.add(o.ID, o.Code, o.Name, typ, parent, day)
	if g.verbose {
		g.t.Logf("world %d: CREATE %d %s under %d on %s", g.world, o.ID, typ, parent, day)
	}
	return o.ID
}

func propErrKey(err error) string {
	e := ktgs.AsError(err)
	if e == nil {
		return err.Error()
	}
	if len(e.Fields) == 0 {
		return e.Code + " " + e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for f, fe := range e.Fields {
		keys = append(keys, f+"="+fe.Key)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// reorg submits in; on success it records the event in the model.
func (g *pGen) reorg(in app.ReorgInput) (*ktgs.ReorgEvent, bool) {
	g.tried[in.Kind]++
	ev, err := g.s.Reorganize(ctx, in)
	if err != nil {
		if ktgs.ErrorCode(err) != ktgs.EINVALID {
			g.t.Errorf("Reorganize %+v: unexpected error %v", in, err)
		}
		g.refused[string(in.Kind)+": "+propErrKey(err)]++
		return nil, false
	}
	g.ok[in.Kind]++
	if g.verbose {
		g.t.Logf("world %d: %s on %s sources %v target %d new %d parent %d child_to %v → links %+v",
			g.world, in.Kind, in.Date, in.Sources, in.TargetID, len(in.New), in.ParentID, in.ChildTo, ev.Links)
	}
	m, day := g.m, in.Date
	conv := func(c int64) {
		if nt, ok := in.ChildType[m.orgs[c].typ]; ok {
			m.orgs[c].typ = nt
		}
	}
	switch in.Kind {
	case ktgs.ReorgMerge:
		target := ev.Links[0].ToID
		if len(in.New) == 1 {
			n := in.New[0]
			m.add(target, n.Code, n.Name, n.Type, n.ParentID, day)
		}
		for _, src := range in.Sources {
			for _, c := range m.children(src, day) {
				m.setParent(c, target, day)
				conv(c)
			}
			m.end(src, day)
			m.orgs[src].succ = append(m.orgs[src].succ, target)
		}
	case ktgs.ReorgSplit:
		src := in.Sources[0]
		targets := make([]int64, len(in.New))
		for i, n := range in.New {
			targets[i] = ev.Links[i].ToID
			m.add(targets[i], n.Code, n.Name, n.Type, n.ParentID, day)
		}
		for _, c := range m.children(src, day) {
			m.setParent(c, targets[in.ChildTo[c]], day)
			conv(c)
		}
		m.end(src, day)
		m.orgs[src].succ = append(m.orgs[src].succ, targets...)
	case ktgs.ReorgRename:
		m.orgs[in.Sources[0]].name = in.Name
	case ktgs.ReorgMove:
		m.setParent(in.Sources[0], in.ParentID, day)
		if in.Type != "" {
			m.orgs[in.Sources[0]].typ = in.Type
		}
	case ktgs.ReorgDissolve:
		m.end(in.Sources[0], day)
	}
	return ev, true
}

// stable returns the non-root orgs that exist on day-1 and on day: the
// possible sources of an event on day.
func (g *pGen) stable(day civil.Date) []int64 {
	var out []int64
	for _, id := range g.m.ids {
		if id != g.root && g.m.exists(id, day) && g.m.exists(id, day.AddDays(-1)) {
			out = append(out, id)
		}
	}
	return out
}

func (g *pGen) pick(list []int64) int64 { return list[g.rng.IntN(len(list))] }

// related reports whether a is an ancestor or a descendant of b (or b) on day.
func (g *pGen) related(a, b int64, day civil.Date) bool {
	return slices.Contains(g.m.chain(a, day), b) || slices.Contains(g.m.chain(b, day), a)
}

// parentsFor returns the orgs existing on day that org id could move under.
func (g *pGen) parentsFor(id int64, typ ktgs.OrgType, day civil.Date, avoid int64) []int64 {
	cur, _ := g.m.parentAt(id, day)
	var out []int64
	for _, p := range g.m.ids {
		if p == cur || !g.m.exists(p, day) || !typ.CanSitUnder(g.m.orgs[p].typ) {
			continue
		}
		ch := g.m.chain(p, day)
		if slices.Contains(ch, id) || (avoid != 0 && slices.Contains(ch, avoid)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

func (g *pGen) randomMerge(day civil.Date) {
	cands := g.stable(day)
	if len(cands) == 0 {
		return
	}
	a := g.pick(cands)
	typ := g.m.orgs[a].typ
	pa, _ := g.m.parentAt(a, day)
	var peers, sibs []int64
	for _, b := range cands {
		if b == a || g.m.orgs[b].typ != typ || g.related(a, b, day) {
			continue
		}
		peers = append(peers, b)
		if pb, _ := g.m.parentAt(b, day); pb == pa {
			sibs = append(sibs, b)
		}
	}
	pool := peers
	if len(sibs) > 0 && g.rng.IntN(10) < 7 {
		pool = sibs
	}
	if len(pool) == 0 {
		return
	}
	pool = slices.Clone(pool)
	g.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	n := 1 + g.rng.IntN(2)
	if n > len(pool) {
		n = len(pool)
	}
	srcs := append([]int64{a}, pool[:n]...)
	in := app.ReorgInput{Kind: ktgs.ReorgMerge, Date: day, Sources: srcs}
	if typ.ValidOn(day) && g.rng.IntN(4) > 0 {
		in.New = []app.OrgInput{g.newInput(typ, pa)}
	} else {
		// Absorb into an existing org of the same type (a district after
		// the reform can only be absorbed: the type no longer exists).
		in.Sources, in.TargetID = srcs[:len(srcs)-1], srcs[len(srcs)-1]
	}
	g.reorg(in)
}

func (g *pGen) randomSplit(day civil.Date) {
	var cands []int64
	for _, id := range g.stable(day) {
		if g.m.orgs[id].typ.ValidOn(day) {
			cands = append(cands, id)
		}
	}
	if len(cands) == 0 {
		return
	}
	a := g.pick(cands)
	typ := g.m.orgs[a].typ
	pa, _ := g.m.parentAt(a, day)
	k := 2 + g.rng.IntN(2)
	in := app.ReorgInput{Kind: ktgs.ReorgSplit, Date: day, Sources: []int64{a}, ChildTo: map[int64]int{}}
	for range k {
		in.New = append(in.New, g.newInput(typ, pa))
	}
	for _, c := range g.m.children(a, day) {
		if g.rng.IntN(4) > 0 { // unmapped children go to New[0]
			in.ChildTo[c] = g.rng.IntN(k)
		}
	}
	g.reorg(in)
}

func (g *pGen) randomMove(day civil.Date) {
	cands := g.stable(day)
	if len(cands) == 0 {
		return
	}
	a := g.pick(cands)
	ps := g.parentsFor(a, g.m.orgs[a].typ, day, 0)
	if len(ps) == 0 {
		return
	}
	g.reorg(app.ReorgInput{Kind: ktgs.ReorgMove, Date: day, Sources: []int64{a}, ParentID: g.pick(ps)})
}

func (g *pGen) randomRename(day civil.Date) {
	cands := g.stable(day)
	if len(cands) == 0 {
		return
	}
	a := g.pick(cands)
	g.reorg(app.ReorgInput{Kind: ktgs.ReorgRename, Date: day, Sources: []int64{a}, Name: propTypeNames[g.m.orgs[a].typ] + " mới " + g.code()})
}

// randomDissolve dissolves an org, first moving its children elsewhere on
// the same day.
func (g *pGen) randomDissolve(day civil.Date) {
	cands := g.stable(day)
	if len(cands) == 0 {
		return
	}
	a := g.pick(cands)
	for _, c := range g.m.children(a, day) {
		ps := g.parentsFor(c, g.m.orgs[c].typ, day, a)
		if len(ps) == 0 {
			return
		}
		if _, ok := g.reorg(app.ReorgInput{Kind: ktgs.ReorgMove, Date: day, Sources: []int64{c}, ParentID: g.pick(ps)}); !ok {
			return
		}
	}
	g.reorg(app.ReorgInput{Kind: ktgs.ReorgDissolve, Date: day, Sources: []int64{a}})
}

// randomRound runs n random events between from and to; some fall on the
// same day as the previous one.
func (g *pGen) randomRound(from, to civil.Date, n int) {
	day := from
	span := to.Sub(from)
	for range n {
		if g.rng.IntN(100) >= 15 {
			day = day.AddDays(1 + g.rng.IntN(2*span/n+1))
		}
		if day.After(to) {
			day = to
		}
		switch g.rng.IntN(20) {
		case 0, 1, 2, 3, 4, 5:
			g.randomMerge(day)
		case 6, 7, 8, 9:
			g.randomSplit(day)
		case 10, 11, 12, 13:
			g.randomMove(day)
		case 14, 15, 16:
			g.randomRename(day)
		default:
			g.randomDissolve(day)
		}
	}
}

// reform applies a random version of the 1/7/2025 reform: provinces merged
// in groups, communes merged across districts into commune đảng bộ under
// the new province, districts emptied and dissolved.
func (g *pGen) reform() {
	D := ktgs.ReformDate
	m := g.m
	var provs []int64
	for _, id := range g.stable(D) {
		if m.orgs[id].typ == ktgs.OrgTypeDirectlyUnderCC {
			provs = append(provs, id)
		}
	}
	g.rng.Shuffle(len(provs), func(i, j int) { provs[i], provs[j] = provs[j], provs[i] })
	for len(provs) > 0 {
		n := min(1+g.rng.IntN(3), len(provs))
		group := provs[:n]
		provs = provs[n:]
		var np int64
		mergeFirst := false
		switch {
		case n == 1:
			np = group[0]
		case g.rng.IntN(2) == 0:
			mergeFirst = true
			ev, ok := g.reorg(app.ReorgInput{Kind: ktgs.ReorgMerge, Date: D, Sources: slices.Clone(group),
				New: []app.OrgInput{g.newInput(ktgs.OrgTypeDirectlyUnderCC, g.root)}})
			if !ok {
				continue
			}
			np = ev.Links[0].ToID
		default:
			np = g.create(ktgs.OrgTypeDirectlyUnderCC, g.root, D)
		}
		parents := append(slices.Clone(group), np)
		var districts, communes []int64
		for _, id := range m.ids {
			if p, ok := m.parentAt(id, D); ok && m.orgs[id].typ == ktgs.OrgTypeDistrict && slices.Contains(parents, p) {
				districts = append(districts, id)
			}
		}
		for _, id := range m.ids {
			if p, ok := m.parentAt(id, D); ok && m.orgs[id].typ == ktgs.OrgTypeGrassrootsCommittee && slices.Contains(districts, p) {
				communes = append(communes, id)
			}
		}
		g.rng.Shuffle(len(communes), func(i, j int) { communes[i], communes[j] = communes[j], communes[i] })
		for len(communes) > 0 {
			k := min(1+g.rng.IntN(3), len(communes))
			cg := communes[:k]
			communes = communes[k:]
			if k == 1 {
				g.reorg(app.ReorgInput{Kind: ktgs.ReorgMove, Date: D, Sources: []int64{cg[0]}, ParentID: np})
				continue
			}
			g.reorg(app.ReorgInput{Kind: ktgs.ReorgMerge, Date: D, Sources: slices.Clone(cg),
				New:       []app.OrgInput{g.newInput(ktgs.OrgTypeCommune, np)},
				ChildType: map[ktgs.OrgType]ktgs.OrgType{ktgs.OrgTypeBranch: ktgs.OrgTypeGrassrootsBranch}})
		}
		for _, dist := range districts {
			for _, c := range m.children(dist, D) {
				g.reorg(app.ReorgInput{Kind: ktgs.ReorgMove, Date: D, Sources: []int64{c}, ParentID: np})
			}
			g.reorg(app.ReorgInput{Kind: ktgs.ReorgDissolve, Date: D, Sources: []int64{dist}})
		}
		if !mergeFirst && n > 1 {
			g.reorg(app.ReorgInput{Kind: ktgs.ReorgMerge, Date: D, Sources: slices.Clone(group), TargetID: np})
		}
	}
}

// build generates one world: the initial tree before 2001, random
// reorganisations until the reform, the reform, and random
// reorganisations until today.
func (g *pGen) build() {
	rng := g.rng
	g.root = g.create(ktgs.OrgTypeCentral, 0, d("1930-02-03"))
	for range 3 + rng.IntN(2) {
		pd := d("1976-01-01").AddDays(rng.IntN(5000))
		p := g.create(ktgs.OrgTypeDirectlyUnderCC, g.root, pd)
		for range rng.IntN(3) {
			g.create(ktgs.OrgTypeGrassrootsBranch, p, pd.AddDays(rng.IntN(1000)))
		}
		for range 1 + rng.IntN(3) {
			dd := pd.AddDays(rng.IntN(1000))
			dist := g.create(ktgs.OrgTypeDistrict, p, dd)
			for range rng.IntN(2) {
				g.create(ktgs.OrgTypeGrassrootsBranch, dist, dd.AddDays(rng.IntN(1000)))
			}
			for range 1 + rng.IntN(3) {
				cd := dd.AddDays(rng.IntN(1000))
				c := g.create(ktgs.OrgTypeGrassrootsCommittee, dist, cd)
				for range 1 + rng.IntN(3) {
					g.create(ktgs.OrgTypeBranch, c, cd.AddDays(rng.IntN(800)))
				}
			}
		}
	}
	g.randomRound(d("2001-01-01"), d("2014-12-31"), 20)
	g.randomRound(d("2015-01-01"), ktgs.ReformDate.AddDays(-1), 20)
	g.reform()
	g.randomRound(ktgs.ReformDate.AddDays(1), propToday, 20)
}

// ---------------------------------------------------------------------
// The property test.

func propSeed(t *testing.T) uint64 {
	if s := os.Getenv("KTGS_PROPERTY_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("KTGS_PROPERTY_SEED=%q: %v", s, err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

type propStats struct {
	orgs, alive, worlds int
	tried, ok           map[ktgs.ReorgKind]int
	refused             map[string]int
	chains              int // orgs whose successor was itself replaced
	triples, allows     int
	actAllow, actDeny   map[authz.Action]int
	disagreements       int
}

func TestAuthzProperty(t *testing.T) {
	seed := propSeed(t)
	t.Logf("seed %d (rerun with KTGS_PROPERTY_SEED=%d)", seed, seed)
	for _, e := range testdb.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			triples, worlds := 100_000, 4
			if e.Name != store.SQLite {
				triples = 20_000
			}
			st := &propStats{tried: map[ktgs.ReorgKind]int{}, ok: map[ktgs.ReorgKind]int{}, refused: map[string]int{},
				actAllow: map[authz.Action]int{}, actDeny: map[authz.Action]int{}}
			for w := range worlds {
				n := triples / worlds
				if w == 0 {
					n += triples % worlds
				}
				propWorld(t, e.Open(t), seed, w, n, st)
				if t.Failed() {
					break
				}
			}
			t.Logf("%d worlds: %d orgs (%d exist today), %d successor chains", st.worlds, st.orgs, st.alive, st.chains)
			for _, k := range propKinds {
				t.Logf("  %-8s %3d accepted of %3d tried", k, st.ok[k], st.tried[k])
			}
			keys := make([]string, 0, len(st.refused))
			for k := range st.refused {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				t.Logf("  refused %3d× %s", st.refused[k], k)
			}
			t.Logf("%d triples: %d allowed (%.1f%%), %d denied, %d disagreements",
				st.triples, st.allows, 100*float64(st.allows)/float64(max(st.triples, 1)), st.triples-st.allows, st.disagreements)
			if t.Failed() {
				t.Logf("reproduce with KTGS_PROPERTY_SEED=%d", seed)
				return
			}
			if st.triples < triples {
				t.Errorf("checked %d triples, want %d", st.triples, triples)
			}
			for _, k := range propKinds {
				if st.ok[k] < 3 {
					t.Errorf("only %d %s events accepted: the generator has degraded", st.ok[k], k)
				}
			}
			if st.chains == 0 {
				t.Errorf("no org was replaced twice (merged then merged again): the generator has degraded")
			}
			if st.allows < st.triples/10 || st.triples-st.allows < st.triples/10 {
				t.Errorf("degenerate distribution: %d allowed of %d", st.allows, st.triples)
			}
			for _, a := range authz.Actions {
				if st.actAllow[a] == 0 || st.actDeny[a] == 0 {
					t.Errorf("action %s: %d allowed, %d denied; want both", a, st.actAllow[a], st.actDeny[a])
				}
			}
		})
	}
}

// propWorld generates one world on db and checks n triples in it.
func propWorld(t *testing.T, db *store.DB, seed uint64, world, n int, st *propStats) {
	s := app.New(db, nil)
	propPinClock(s, propToday)
	today := s.Today()
	if today != propToday {
		t.Fatalf("pinned today = %s, want %s", today, propToday)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(world)))
	m := newPropModel(t)
	g := &pGen{t: t, s: s, m: m, rng: rng, world: world, tried: st.tried, ok: st.ok, refused: st.refused,
		verbose: os.Getenv("KTGS_PROPERTY_VERBOSE") == "1"}
	g.build()

	// The reference: ancestries from the model only.
	ref := &refWorld{anc: map[int64]map[int64]bool{}, roots: m.roots()}
	for _, id := range m.ids {
		ref.anc[id] = m.ancestry(id, today)
	}
	st.worlds++
	st.orgs += len(m.ids)
	for _, id := range m.ids {
		if m.exists(id, today) {
			st.alive++
		}
		for _, s1 := range m.orgs[id].succ {
			if !m.exists(s1, today) && len(m.orgs[s1].succ) > 0 {
				st.chains++
				break
			}
		}
	}

	// Actors.
	const nActors = 250
	const noOrg = 1_000_000 // an org id that does not exist
	roles := make([]string, 0, len(authz.Roles)+1)
	for _, r := range authz.Roles {
		roles = append(roles, string(r))
	}
	refActors := make([]*refActor, nActors)
	for i := range refActors {
		a := &refActor{userID: int64(i + 1), role: roles[rng.IntN(len(roles))], clearance: rng.IntN(3), twoFactor: rng.IntN(10) < 7}
		if rng.IntN(50) == 0 {
			a.userID = 0
		}
		if rng.IntN(30) == 0 {
			a.role = "X"
		}
		k := 0 // 0–3 scope orgs, rarely none
		if rng.IntN(10) > 0 {
			k = 1 + rng.IntN(3)
		}
		for range k {
			switch x := rng.IntN(100); {
			case x < 3:
				a.scope = append(a.scope, g.root)
			case x < 5:
				a.scope = append(a.scope, noOrg)
			default:
				a.scope = append(a.scope, g.pick(m.ids))
			}
		}
		if rng.IntN(10) < 6 {
			a.memberID = 10_000 + int64(rng.IntN(500))
		}
		refActors[i] = a
	}
	// To keep both answers frequent, objects are often drawn near a scope
	// org of the actor: below it (in its subtree, as the model says) or
	// above it (on its way down from the root).
	below, above := map[int64][]int64{}, map[int64][]int64{}
	for _, s1 := range m.ids {
		for _, o := range m.ids {
			if ref.anc[o][s1] {
				below[s1] = append(below[s1], o)
			}
			if ref.anc[s1][o] {
				above[s1] = append(above[s1], o)
			}
		}
	}

	// The implementation: ancestries from the store.
	implObj := map[int64]*authz.Object{}
	implActors := make([]*authz.Actor, nActors)
	var sysObj *authz.Object
	err := s.View(ctx, func(tx *store.Tx) error {
		if problems, err := tx.Integrity(ctx); err != nil {
			return err
		} else if len(problems) > 0 {
			t.Errorf("world %d: store integrity broken after the reorganisations: %v", world, problems)
		}
		for _, id := range m.ids {
			o, err := s.OrgObject(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("OrgObject(%d): %w", id, err)
			}
			implObj[id] = o
		}
		var err error
		if sysObj, err = s.SystemObject(ctx, tx); err != nil {
			return err
		}
		for i, ra := range refActors {
			sa, err := s.ScopeAncestry(ctx, tx, ra.scope)
			if err != nil {
				return err
			}
			implActors[i] = &authz.Actor{UserID: ra.userID, Role: authz.Role(ra.role), Scope: slices.Clone(ra.scope),
				ScopeAncestry: sa, Clearance: authz.Mark(ra.clearance), MemberID: ra.memberID, TwoFactor: ra.twoFactor}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("world %d: %v", world, err)
	}
	orgName := func(id int64) string {
		if o := m.orgs[id]; o != nil {
			return fmt.Sprintf("%d %s", id, o.code)
		}
		return fmt.Sprintf("%d (none)", id)
	}
	idNames := func(ids []int64) string {
		var b []string
		for _, id := range ids {
			b = append(b, orgName(id))
		}
		return "[" + strings.Join(b, ", ") + "]"
	}
	history := func(id int64) string {
		o := m.orgs[id]
		if o == nil {
			return "(none)"
		}
		var b []string
		for _, v := range o.versions {
			b = append(b, fmt.Sprintf("under %d %s..%s", v.parent, v.from, v.to))
		}
		return fmt.Sprintf("born %s ended %s; %s; successors %v", o.born, o.ended, strings.Join(b, "; "), o.succ)
	}
	sorted := func(set map[int64]bool) []int64 {
		out := make([]int64, 0, len(set))
		for k := range set {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}

	// Diagnostics: the ancestries themselves should agree.
	mismatches := 0
	for _, id := range m.ids {
		want := sorted(ref.anc[id])
		if got := implObj[id].Ancestry; !slices.Equal(got, want) {
			if mismatches++; mismatches <= 5 {
				t.Errorf("world %d: ancestry of %s:\n  store     %s\n  reference %s\n  history: %s",
					world, orgName(id), idNames(got), idNames(want), history(id))
			}
		}
	}
	if rs := ref.roots; !slices.Equal(sysObj.Ancestry, rs) {
		t.Errorf("world %d: system object ancestry %v, reference roots %v", world, sysObj.Ancestry, rs)
	}

	actions := append(slices.Clone(authz.Actions), "nope:x")
	for range n {
		i := rng.IntN(nActors)
		ra, ia := refActors[i], implActors[i]
		if rng.IntN(200) == 0 {
			ra, ia = nil, nil
		}
		act := actions[rng.IntN(len(actions))]
		ro := &refObject{mark: rng.IntN(3)}
		var io authz.Object
		switch x := rng.IntN(100); {
		case x < 4:
			ro.system = true
			io = *sysObj
		default:
			ro.org = g.pick(m.ids)
			if x >= 25 && ra != nil && len(ra.scope) > 0 {
				list := below[ra.scope[rng.IntN(len(ra.scope))]]
				if x >= 80 {
					list = above[ra.scope[rng.IntN(len(ra.scope))]]
				}
				if len(list) > 0 {
					ro.org = g.pick(list)
				}
			}
			io = *implObj[ro.org]
		}
		for range rng.IntN(4) {
			ro.team = append(ro.team, 1+int64(rng.IntN(nActors)))
		}
		if ra != nil && rng.IntN(2) == 0 {
			ro.team = append(ro.team, ra.userID)
		}
		for range rng.IntN(3) {
			ro.accused = append(ro.accused, 10_000+int64(rng.IntN(500)))
		}
		if ra != nil && ra.memberID != 0 && rng.IntN(10) < 3 {
			ro.accused = append(ro.accused, ra.memberID)
		}
		io.Mark, io.Team, io.Accused = authz.Mark(ro.mark), slices.Clone(ro.team), slices.Clone(ro.accused)

		got := authz.Decide(ia, act, &io)
		want := ref.allowed(ra, string(act), ro)
		st.triples++
		if got.Allow {
			st.allows++
			st.actAllow[act]++
		} else {
			st.actDeny[act]++
		}
		if got.Allow == want {
			continue
		}
		if st.disagreements++; st.disagreements <= 5 {
			var actor string
			if ra != nil {
				actor = fmt.Sprintf("user %d role %s scope %s clearance %d member %d 2FA %v\n  scope ancestry (store) %s",
					ra.userID, ra.role, idNames(ra.scope), ra.clearance, ra.memberID, ra.twoFactor, idNames(ia.ScopeAncestry))
				for _, s1 := range ra.scope {
					actor += fmt.Sprintf("\n  reference ancestry of scope %s: %s", orgName(s1), idNames(sorted(ref.anc[s1])))
				}
			} else {
				actor = "nil"
			}
			obj := fmt.Sprintf("system %v org %s mark %d team %v accused %v\n  ancestry (store)     %s\n  ancestry (reference) %s\n  history: %s",
				ro.system, orgName(ro.org), ro.mark, ro.team, ro.accused, idNames(io.Ancestry), idNames(sorted(ref.anc[ro.org])), history(ro.org))
			t.Errorf("world %d: Decide=%v (%s), reference=%v for %s\n  actor: %s\n  object: %s",
				world, got.Allow, got.Reason, want, act, actor, obj)
		}
	}
}

// ---------------------------------------------------------------------
// A hand-written table across the 1/7/2025 reform.

func TestAuthzScopeAcrossReform(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		s := app.New(db, nil)
		propPinClock(s, d("2026-03-15"))
		r := buildReform(t, s)
		// A chi bộ of Nam Định (provB) and a sibling province untouched by
		// the reform.
		ndi1 := mustCreate(t, s, app.OrgInput{Code: "NDI-1", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ Sở Y tế Nam Định", ParentCode: "NDI", ValidFrom: d("2005-01-01")})
		thb := mustCreate(t, s, app.OrgInput{Code: "THB", Type: ktgs.OrgTypeDirectlyUnderCC, Name: "Đảng bộ tỉnh Thanh Hóa", ParentID: r.root.ID, ValidFrom: d("1997-01-01")})
		prov, commune := apply1July2025(t, s, r)

		anc := func(id int64) []int64 {
			var out []int64
			s.View(ctx, func(tx *store.Tx) error {
				var err error
				out, err = s.Ancestry(ctx, tx, id)
				if err != nil {
					t.Fatal(err)
				}
				return nil
			})
			return out
		}
		sortedIDs := func(ids ...int64) []int64 { slices.Sort(ids); return ids }
		// The 2024 chi bộ x was under provA/dist/c1, and is under
		// prov/commune today.
		if got, want := anc(r.x.ID), sortedIDs(r.root.ID, r.provA.ID, r.dist.ID, r.c1.ID, r.x.ID, prov.ID, commune.ID); !slices.Equal(got, want) {
			t.Errorf("ancestry(x)=%v, want %v", got, want)
		}
		// The old commune c1 ended; it stays under its old chain and under
		// what replaced each part of it (provA → prov, c1 → commune; the
		// district was dissolved and has no successor).
		if got, want := anc(r.c1.ID), sortedIDs(r.root.ID, r.provA.ID, r.dist.ID, r.c1.ID, prov.ID, commune.ID); !slices.Equal(got, want) {
			t.Errorf("ancestry(c1)=%v, want %v", got, want)
		}
		// The new commune never was under provA.
		if got, want := anc(commune.ID), sortedIDs(r.root.ID, prov.ID, commune.ID); !slices.Equal(got, want) {
			t.Errorf("ancestry(commune)=%v, want %v", got, want)
		}

		actor := func(uid int64, role authz.Role, scope ...int64) *authz.Actor {
			a := &authz.Actor{UserID: uid, Role: role, Scope: scope, Clearance: authz.TopSecret, TwoFactor: true}
			s.View(ctx, func(tx *store.Tx) error {
				var err error
				a.ScopeAncestry, err = s.ScopeAncestry(ctx, tx, scope)
				if err != nil {
					t.Fatal(err)
				}
				return nil
			})
			return a
		}
		object := func(o *ktgs.Org) *authz.Object {
			var obj *authz.Object
			s.View(ctx, func(tx *store.Tx) error {
				var err error
				obj, err = s.OrgObject(ctx, tx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				return nil
			})
			return obj
		}
		newProv := actor(1, authz.RoleViewer, prov.ID)
		oldProv := actor(2, authz.RoleViewer, r.provA.ID)
		provB := actor(3, authz.RoleViewer, ndi1.ID)
		sibling := actor(4, authz.RoleViewer, thb.ID)
		secretary := actor(5, authz.RoleSecretary, commune.ID)
		secretary.MemberID = r.mx.ID
		inspector := actor(6, authz.RoleInspector, prov.ID)
		// A case about a member of chi bộ x that accuses the secretary; both
		// the secretary and the inspector are on its team.
		kase := object(r.x)
		kase.Team, kase.Accused, kase.Mark = []int64{5, 6}, []int64{r.mx.ID}, authz.Secret

		tests := []struct {
			name   string
			a      *authz.Actor
			act    authz.Action
			obj    *authz.Object
			allow  bool
			reason string
		}{
			// The new province sees the 2024 units merged into it.
			{"new province reads 2024 chi bộ", newProv, authz.OrgRead, object(r.x), true, authz.ReasonAllowed},
			{"new province reads 2024 commune", newProv, authz.OrgRead, object(r.c1), true, authz.ReasonAllowed},
			{"new province reads dissolved district", newProv, authz.OrgRead, object(r.dist), true, authz.ReasonAllowed},
			{"new province reads old province", newProv, authz.OrgRead, object(r.provA), true, authz.ReasonAllowed},
			{"new province reads agency", newProv, authz.OrgRead, object(r.agency), true, authz.ReasonAllowed},
			// A scope on the old province (provA) keeps what was ever under
			// it, as it is today (x, the agency chi bộ), but not the new
			// commune: that unit was created under the new province after
			// provA ended and was never inside provA (it is not in the
			// commune's ancestry), even though it absorbed units of provA.
			// Such a user is expected to be re-scoped to the new province.
			{"old province reads its old chi bộ", oldProv, authz.OrgRead, object(r.x), true, authz.ReasonAllowed},
			{"old province reads its old agency", oldProv, authz.OrgRead, object(r.agency), true, authz.ReasonAllowed},
			{"old province reads the new commune", oldProv, authz.OrgRead, object(commune), false, authz.ReasonScope},
			{"old province browses the new commune", oldProv, authz.OrgBrowse, object(commune), false, authz.ReasonScope},
			{"old province reads the new province", oldProv, authz.OrgRead, object(prov), false, authz.ReasonScope},
			{"old province browses the new province", oldProv, authz.OrgBrowse, object(prov), true, authz.ReasonAllowed},
			// A user scoped to a chi bộ of provB sees neither provA's units
			// nor the new province, which it may only browse through.
			{"provB chi bộ reads itself", provB, authz.OrgRead, object(ndi1), true, authz.ReasonAllowed},
			{"provB chi bộ reads provA chi bộ", provB, authz.OrgRead, object(r.x), false, authz.ReasonScope},
			{"provB chi bộ reads provA", provB, authz.OrgRead, object(r.provA), false, authz.ReasonScope},
			{"provB chi bộ browses provA", provB, authz.OrgBrowse, object(r.provA), false, authz.ReasonScope},
			{"provB chi bộ reads agency", provB, authz.OrgRead, object(r.agency), false, authz.ReasonScope},
			{"provB chi bộ browses new province", provB, authz.OrgBrowse, object(prov), true, authz.ReasonAllowed},
			{"provB chi bộ browses provB", provB, authz.OrgBrowse, object(r.provB), true, authz.ReasonAllowed},
			{"provB chi bộ reads new province", provB, authz.OrgRead, object(prov), false, authz.ReasonScope},
			// A sibling province sees nothing of the reform.
			{"sibling reads 2024 chi bộ", sibling, authz.OrgRead, object(r.x), false, authz.ReasonScope},
			{"sibling reads new commune", sibling, authz.OrgRead, object(commune), false, authz.ReasonScope},
			{"sibling browses new province", sibling, authz.OrgBrowse, object(prov), false, authz.ReasonScope},
			{"sibling browses old province", sibling, authz.OrgBrowse, object(r.provA), false, authz.ReasonScope},
			{"sibling browses the root", sibling, authz.OrgBrowse, object(r.root), true, authz.ReasonAllowed},
			// The accused secretary on the team reads the case but neither
			// sees the denouncer nor writes it.
			{"accused secretary reads case", secretary, authz.CaseRead, kase, true, authz.ReasonAllowed},
			{"accused secretary reads denouncer", secretary, authz.DenouncerRead, kase, false, authz.ReasonAccused},
			{"accused secretary writes case", secretary, authz.CaseWrite, kase, false, authz.ReasonAccused},
			{"inspector on team reads denouncer", inspector, authz.DenouncerRead, kase, true, authz.ReasonAllowed},
		}
		for _, tc := range tests {
			got := authz.Decide(tc.a, tc.act, tc.obj)
			if got.Allow != tc.allow || got.Reason != tc.reason {
				t.Errorf("%s: %s on org %d = %+v, want allow=%v %s (scope ancestry %v, object ancestry %v)",
					tc.name, tc.act, tc.obj.OrgID, got, tc.allow, tc.reason, tc.a.ScopeAncestry, tc.obj.Ancestry)
			}
		}
		// Authorize hides out-of-scope objects and names the reason
		// otherwise (ctx acts as the system; these contexts carry a user).
		if err := s.Authorize(app.WithActor(context.Background(), sibling), authz.OrgRead, object(r.x)); ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			t.Errorf("Authorize out of scope = %v, want ENOTFOUND", err)
		}
		if err := s.Authorize(app.WithActor(context.Background(), secretary), authz.DenouncerRead, kase); ktgs.ErrorCode(err) != ktgs.EFORBIDDEN {
			t.Errorf("Authorize accused = %v, want EFORBIDDEN", err)
		}
		if err := s.Authorize(app.WithActor(context.Background(), newProv), authz.OrgRead, object(r.c1)); err != nil {
			t.Errorf("Authorize new province on 2024 commune = %v", err)
		}
	})
}
