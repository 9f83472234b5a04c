// Package seed generates realistic synthetic data: the party hierarchy
// with its 2025 reorganisation, members, bodies, terms and seats. Output is
// deterministic for a given scale and seed. Rows go through the store's bulk
// loader, so the national scale (5.6 million members) loads in minutes.
package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"ktgs/internal/audit"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Scale names.
const (
	ScaleDemo     = "demo"
	ScaleProvince = "province"
	ScaleNational = "national"
)

// Scales lists the scale names.
var Scales = []string{ScaleDemo, ScaleProvince, ScaleNational}

// Options configure Generate.
type Options struct {
	Scale string
	Seed  uint64
	// Province names the detailed province at the province scale
	// (default "Ninh Bình").
	Province string
	// Progress, if set, is called from time to time with the number of
	// members written so far and the expected total.
	Progress func(members, expected int64)
	// Keys seals the identity of the senders of the letters
	// GenerateActivity writes (app.Service.Keys: the same ring must open
	// them). Without it no letter is generated, and LetterStats says so.
	Keys *sealed.Keyring
	// Rules decides the letters' intake (R12) and clock (R14) as the
	// service would (app.Service.Rules); default rules.Default().
	Rules *rules.Registry
}

// Stats counts what Generate wrote.
type Stats struct {
	Orgs, Versions, Members, Bodies, Terms, Seats, Reorgs int64
}

// ErrNotEmpty is returned when the database already holds organisations.
var ErrNotEmpty = errors.New("seed: the database already holds organisations; seed an empty database")

// span is an inclusive-exclusive interval of days.
var (
	founded    = civil.New(1930, 2, 3)
	oldBorn    = civil.New(1997, 1, 1)
	reform     = ktgs.ReformDate
	hueCity    = civil.New(2025, 1, 1)
	asOf       = civil.New(2026, 11, 1) // "today" of the synthetic data
	termOld    = civil.New(2020, 6, 1)
	termNewCom = reform
)

type cfg struct {
	detailed          func(p *province) bool
	scaleCommunes     float64 // share of a detailed province's real number of communes
	shellCommunes     int     // communes for provinces that are not detailed
	oldPerNew         [2]int  // old communes merged into one new commune
	villagesPerOld    [2]int
	agencies          [2]int // agency grassroots per new commune besides the cơ quan
	cqBranches        [2]int // branches of the commune's cơ quan đảng bộ
	upperPerProvince  int
	upperGrassroots   [2]int
	upperBranches     [2]int
	centralUpper      int // upper committees per central body (cap)
	centralGrassroots [2]int
	centralBranches   [2]int
	villageMembers    [2]int
	branchMembers     [2]int
	events            bool // a MOVE event for every unit moved by the reform
	oldTerms          bool // the 2020–2025 terms and their seats too
	expectedMembers   int64
}

func config(o Options) (cfg, error) {
	switch o.Scale {
	case ScaleDemo:
		return cfg{
			detailed:      func(p *province) bool { return p.Name == "Ninh Bình" },
			scaleCommunes: 6.0 / 129, shellCommunes: 1,
			oldPerNew: [2]int{2, 3}, villagesPerOld: [2]int{1, 2}, agencies: [2]int{1, 2}, cqBranches: [2]int{2, 3},
			upperPerProvince: 1, upperGrassroots: [2]int{2, 3}, upperBranches: [2]int{2, 3},
			centralUpper: 1, centralGrassroots: [2]int{1, 2}, centralBranches: [2]int{2, 3},
			villageMembers: [2]int{8, 22}, branchMembers: [2]int{5, 14},
			events: true, oldTerms: true, expectedMembers: 2600,
		}, nil
	case ScaleProvince:
		name := o.Province
		if name == "" {
			name = "Ninh Bình"
		}
		found := false
		for i := range provinces {
			found = found || vn.Fold(provinces[i].Name) == vn.Fold(name)
		}
		if !found {
			return cfg{}, fmt.Errorf("seed: unknown province %q", name)
		}
		return cfg{
			detailed:      func(p *province) bool { return vn.Fold(p.Name) == vn.Fold(name) },
			scaleCommunes: 1, shellCommunes: 0,
			oldPerNew: [2]int{2, 4}, villagesPerOld: [2]int{2, 5}, agencies: [2]int{2, 4}, cqBranches: [2]int{6, 10},
			upperPerProvince: 4, upperGrassroots: [2]int{35, 55}, upperBranches: [2]int{10, 20},
			centralUpper: 1, centralGrassroots: [2]int{1, 2}, centralBranches: [2]int{2, 3},
			villageMembers: [2]int{20, 50}, branchMembers: [2]int{8, 24},
			events: true, oldTerms: true, expectedMembers: 150000,
		}, nil
	case ScaleNational:
		return cfg{
			detailed:      func(*province) bool { return true },
			scaleCommunes: 1,
			oldPerNew:     [2]int{2, 4}, villagesPerOld: [2]int{2, 5}, agencies: [2]int{2, 4}, cqBranches: [2]int{6, 10},
			upperPerProvince: 4, upperGrassroots: [2]int{35, 55}, upperBranches: [2]int{10, 20},
			centralUpper: 12, centralGrassroots: [2]int{80, 120}, centralBranches: [2]int{20, 40},
			villageMembers: [2]int{20, 53}, branchMembers: [2]int{8, 25},
			expectedMembers: 5600000,
		}, nil
	}
	return cfg{}, fmt.Errorf("seed: unknown scale %q (want %s)", o.Scale, strings.Join(Scales, ", "))
}

// node is a unit with at most two placements: before and from the reform.
type node struct {
	id         int64
	code       string
	born       civil.Date
	ended      civil.Date // civil.Forever while it exists
	pre, post  *place     // nil if it did not exist in that period
	renameAt   civil.Date // a rename without a move (Huế)
	renameFrom string
}

type place struct {
	parent *node
	typ    ktgs.OrgType
	name   string
	path   string
	depth  int
}

func (n *node) at(post bool) *place {
	if post {
		return n.post
	}
	return n.pre
}

type gen struct {
	cfg
	r      *rand.Rand
	ids    map[string]int64
	rb     *store.RowBuilder
	buf    []store.Row
	out    chan []store.Row
	stats  Stats
	card   int64
	prog   func(int64, int64)
	nextPg int64
	zones  map[string]int // special zones placed so far, per province
	famSum int
}

func (g *gen) next(table string) int64 { g.ids[table]++; return g.ids[table] }

func (g *gen) between(r [2]int) int {
	if r[1] <= r[0] {
		return r[0]
	}
	return r[0] + g.r.IntN(r[1]-r[0]+1)
}

// add queues rows for the loader goroutine.
func (g *gen) add(rows ...store.Row) {
	g.buf = append(g.buf, rows...)
	if len(g.buf) >= 4000 {
		g.out <- g.buf
		g.buf = make([]store.Row, 0, 4100)
	}
}

// Generate writes a synthetic dataset into an empty database.
func Generate(ctx context.Context, db *store.DB, o Options) (Stats, error) {
	c, err := config(o)
	if err != nil {
		return Stats{}, err
	}
	var n int
	if err := db.View(ctx, func(tx *store.Tx) error {
		roots, err := tx.Roots(ctx, civil.Forever.AddDays(-1))
		n = len(roots)
		return err
	}); err != nil {
		return Stats{}, err
	}
	if n > 0 {
		return Stats{}, ErrNotEmpty
	}
	ids, err := db.MaxIDs(ctx)
	if err != nil {
		return Stats{}, err
	}
	g := &gen{cfg: c, r: rand.New(rand.NewPCG(o.Seed, o.Seed^0x6b746773)), ids: ids,
		out: make(chan []store.Row, 16), prog: o.Progress, zones: map[string]int{}, rb: db.RowBuilder()}
	// Card numbers: an odd multiplier coprime to 10^8 permutes 8-digit
	// numbers, so cards are unique, look random and depend on the seed.
	g.card = int64(o.Seed%1000)*100003 + 1
	genErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(g.out)
		defer func() {
			if p := recover(); p != nil {
				genErr <- fmt.Errorf("seed: %v", p)
			}
		}()
		g.world(ctx)
		if len(g.buf) > 0 {
			g.out <- g.buf
		}
		genErr <- nil
	}()
	err = db.BulkLoad(ctx, func(l *store.Loader) error {
		for batch := range g.out {
			if err := l.Add(ctx, batch...); err != nil {
				cancel()
				for range g.out { // let the producer finish
				}
				return err
			}
		}
		if err := <-genErr; err != nil {
			return err
		}
		after, err := json.Marshal(map[string]any{"scale": o.Scale, "seed": o.Seed, "stats": g.stats})
		if err != nil {
			return err
		}
		return l.Audit(ctx, &audit.Entry{Action: "register.seed", ObjectType: "register", Actor: app.SystemActor, After: after})
	})
	return g.stats, err
}

// world generates the whole tree: the root, the 34 provinces and the six
// central đảng bộ.
func (g *gen) world(ctx context.Context) {
	root := g.unit("TW", founded, civil.Forever, &place{typ: ktgs.OrgTypeCentral, name: "Đảng Cộng sản Việt Nam"}, &place{typ: ktgs.OrgTypeCentral, name: "Đảng Cộng sản Việt Nam"})
	g.committeeBodies(root, nil)
	for i := range provinces {
		if ctx.Err() != nil {
			return
		}
		g.province(root, i)
	}
	for i := range central {
		g.centralBody(root, i)
	}
}

// unit creates a node; pre/post placements may share their parent.
func (g *gen) unit(code string, born, ended civil.Date, pre, post *place) *node {
	if pre != nil && pre == post {
		// Each period gets its own path: the parent may have moved.
		cp := *pre
		post = &cp
	}
	n := &node{id: g.next("orgs"), code: code, born: born, ended: ended, pre: pre, post: post}
	for _, p := range []*place{pre, post} {
		if p == nil {
			continue
		}
		p.path, p.depth = "/"+strconv.FormatInt(n.id, 10)+"/", 0
		if p.parent != nil {
			pp := p.parent.at(p == post)
			if pp == nil { // parent exists only in the other period
				pp = p.parent.pre
				if pp == nil {
					pp = p.parent.post
				}
			}
			p.path, p.depth = pp.path+strconv.FormatInt(n.id, 10)+"/", pp.depth+1
		}
	}
	g.stats.Orgs++
	g.add(g.rb.Org(n.id, n.code, n.born, n.ended))
	g.versions(n)
	return n
}

// versions emits one version if nothing about the unit changed at the
// reform, else one per period.
func (g *gen) versions(n *node) {
	add := func(p *place, from, to civil.Date) {
		if !from.Before(to) {
			return
		}
		o := &ktgs.Org{ID: n.id, Type: p.typ, Name: p.name, Path: p.path, Depth: p.depth, ValidFrom: from, ValidTo: to}
		if p.parent != nil {
			o.ParentID = p.parent.id
		}
		g.stats.Versions++
		g.add(g.rb.Version(g.next("org_versions"), o))
	}
	switch {
	case n.pre != nil && n.post != nil && n.pre.path == n.post.path && n.pre.typ == n.post.typ && n.pre.name == n.post.name:
		if !n.renameAt.IsZero() {
			old := *n.pre
			old.name = n.renameFrom
			add(&old, n.born, n.renameAt)
			add(n.pre, n.renameAt, n.ended)
			return
		}
		add(n.pre, n.born, n.ended)
	default:
		if n.pre != nil {
			add(n.pre, n.born, civil.Min(reform, n.ended))
		}
		if n.post != nil {
			add(n.post, civil.Max(reform, n.born), n.ended)
		}
	}
}

func (g *gen) reorg(kind ktgs.ReorgKind, date civil.Date, decision string, links ...ktgs.ReorgLink) {
	e := &ktgs.ReorgEvent{ID: g.next("reorg_events"), Kind: kind, Date: date, Decision: decision, Links: links}
	g.stats.Reorgs++
	g.add(g.rb.Reorg(e)...)
}

func provinceOrgName(name string, city bool) string {
	if city {
		if name == "Hồ Chí Minh" {
			return "Đảng bộ Thành phố Hồ Chí Minh"
		}
		return "Đảng bộ thành phố " + name
	}
	return "Đảng bộ tỉnh " + name
}

// leaderSlot is a seat to be filled by one of the first members generated
// in a unit's subtree.
type leaderSlot struct {
	member  int64
	manager *node // the organisation whose standing committee manages the cadre
}

// province generates one new province with its pre-reform components.
func (g *gen) province(root *node, idx int) {
	p := &provinces[idx]
	code := fmt.Sprintf("P%02d", idx+1)
	merged := len(p.Old) > 1
	var prov *node
	var olds []*node
	if merged {
		prov = g.unit(code, reform, civil.Forever, nil, &place{parent: root, typ: ktgs.OrgTypeDirectlyUnderCC, name: provinceOrgName(p.Name, p.City)})
		for j, on := range p.Old {
			city := false
			for _, k := range p.OldCityIdx {
				city = city || k == j
			}
			olds = append(olds, g.unit(fmt.Sprintf("%s-O%d", code, j+1), oldBorn, reform, &place{parent: root, typ: ktgs.OrgTypeDirectlyUnderCC, name: provinceOrgName(on, city)}, nil))
		}
		var links []ktgs.ReorgLink
		for _, o := range olds {
			links = append(links, ktgs.ReorgLink{FromID: o.id, ToID: prov.id, Primary: true})
		}
		g.reorg(ktgs.ReorgMerge, reform, "Quyết định của Bộ Chính trị thành lập Đảng bộ "+p.Name+" (6/2025)", links...)
	} else {
		pl := &place{parent: root, typ: ktgs.OrgTypeDirectlyUnderCC, name: provinceOrgName(p.Name, p.City)}
		prov = &node{id: g.next("orgs"), code: code, born: oldBorn, ended: civil.Forever, pre: pl, post: pl}
		pl.path, pl.depth = root.post.path+strconv.FormatInt(prov.id, 10)+"/", 1
		if p.Name == "Huế" {
			prov.renameAt, prov.renameFrom = hueCity, "Đảng bộ tỉnh Thừa Thiên Huế"
		}
		g.stats.Orgs++
		g.add(g.rb.Org(prov.id, prov.code, prov.born, prov.ended))
		g.versions(prov)
		if !prov.renameAt.IsZero() {
			g.reorg(ktgs.ReorgRename, hueCity, "Nghị quyết 175/2024/QH15", ktgs.ReorgLink{FromID: prov.id, ToID: prov.id, Primary: true})
		}
		olds = []*node{prov}
	}
	// Province leaders sit in the first branch of the first upper committee.
	leaders := g.leaderSlots(8, root)
	nCommunes := p.Communes
	if !g.detailed(p) {
		nCommunes = g.shellCommunes
	} else if g.scaleCommunes < 1 {
		nCommunes = max(2, int(float64(p.Communes)*g.scaleCommunes+0.5))
	}
	// Provincial upper-grassroots committees: those of the seat province
	// continue; the others merge into them.
	nUpper := g.upperPerProvince
	if !g.detailed(p) {
		nUpper = 0
	}
	for u := 0; u < nUpper; u++ {
		name := provinceUpper[u%len(provinceUpper)] + " " + provinceShort(p.Name, p.City)
		var survivor *node
		for j, o := range olds {
			oname := provinceUpper[u%len(provinceUpper)] + " " + provinceShortOld(p, j)
			code := fmt.Sprintf("%s-U%d", o.code, u+1)
			var un *node
			if j == 0 {
				post := &place{parent: prov, typ: ktgs.OrgTypeUpperGrassroots, name: name}
				un = g.unit(code, oldBorn, civil.Forever, &place{parent: o, typ: ktgs.OrgTypeUpperGrassroots, name: oname}, post)
				survivor = un
			} else {
				un = g.unit(code, oldBorn, reform, &place{parent: o, typ: ktgs.OrgTypeUpperGrassroots, name: oname}, nil)
				g.reorg(ktgs.ReorgMerge, reform, "", ktgs.ReorgLink{FromID: un.id, ToID: survivor.id, Primary: true})
			}
			var ls []*leaderSlot
			if u == 0 && j == 0 {
				ls = leaders
			}
			g.upperChildren(un, survivor, j > 0, ls, u)
			g.committeeBodies(un, nil)
		}
	}
	// Districts (pre-reform) and communes.
	done := 0
	for j, o := range olds {
		share := nCommunes / len(olds)
		if j == len(olds)-1 {
			share = nCommunes - done
		}
		done += share
		if share == 0 {
			continue
		}
		nDistricts := max(1, (share+4)/5)
		for d := 0; d < nDistricts; d++ {
			dist := g.unit(fmt.Sprintf("%s-D%02d", o.code, d+1), oldBorn, reform, &place{parent: o, typ: ktgs.OrgTypeDistrict, name: districtName(g, p, j, d)}, nil)
			per := share / nDistricts
			if d == nDistricts-1 {
				per = share - per*(nDistricts-1)
			}
			for c := 0; c < per; c++ {
				var ls []*leaderSlot
				if len(leaders) > 0 && nUpper == 0 && j == 0 && d == 0 && c == 0 {
					ls = leaders
				}
				g.commune(prov, dist, p, fmt.Sprintf("%s-D%02d-C%02d", o.code, d+1, c+1), ls)
			}
			g.committeeBodies(dist, nil)
			g.reorg(ktgs.ReorgDissolve, reform, "Kết luận 137-KL/TW; Nghị quyết 60-NQ/TW", ktgs.ReorgLink{FromID: dist.id, Primary: true})
		}
		if merged {
			g.committeeBodies(o, nil)
		}
	}
	g.committeeBodies(prov, leaders)
}

func provinceShort(name string, city bool) string {
	if city {
		return "thành phố " + name
	}
	return "tỉnh " + name
}

func provinceShortOld(p *province, j int) string {
	for _, k := range p.OldCityIdx {
		if k == j {
			return "thành phố " + p.Old[j]
		}
	}
	if p.Old[j] == "Thừa Thiên Huế" {
		return "tỉnh Thừa Thiên Huế"
	}
	return "tỉnh " + p.Old[j]
}

func districtName(g *gen, p *province, j, d int) string {
	kind := "huyện"
	if d == 0 {
		kind = "thành phố"
		for _, k := range p.OldCityIdx {
			if k == j {
				kind = "quận"
			}
		}
	} else if d == 1 && g.r.IntN(2) == 0 {
		kind = "thị xã"
	}
	return "Đảng bộ " + kind + " " + g.placeName()
}

func (g *gen) placeName() string {
	return placeFirst[g.r.IntN(len(placeFirst))] + " " + placeSecond[g.r.IntN(len(placeSecond))]
}

// commune generates one new commune-level đảng bộ (from 1/7/2025) with the
// old communes merged into it (đảng bộ cơ sở under the district until
// 30/6/2025), their villages, and the commune's agencies.
func (g *gen) commune(prov, dist *node, p *province, code string, leaders []*leaderSlot) {
	kind := "xã"
	if p.City && g.r.IntN(3) > 0 {
		kind = "phường"
	}
	name := g.placeName()
	if z := g.zones[p.Name]; z < len(p.Zones) {
		g.zones[p.Name] = z + 1
		kind, name = "đặc khu", p.Zones[z]
	}
	com := g.unit(code, reform, civil.Forever, nil, &place{parent: prov, typ: ktgs.OrgTypeCommune, name: "Đảng bộ " + kind + " " + name})
	village := "thôn"
	switch {
	case kind == "phường":
		village = "tổ dân phố"
	case p.South:
		village = "ấp"
	case p.Highland && g.r.IntN(2) == 0:
		village = "bản"
	}
	nOld := g.between(g.oldPerNew)
	var links []ktgs.ReorgLink
	cleaders := g.leaderSlots(6, prov)
	for k := 0; k < nOld; k++ {
		okind := "xã"
		if kind == "phường" {
			okind = "phường"
		}
		oname := g.placeName()
		old := g.unit(fmt.Sprintf("%s-X%d", code, k+1), oldBorn, reform, &place{parent: dist, typ: ktgs.OrgTypeGrassrootsCommittee, name: "Đảng bộ " + okind + " " + oname}, nil)
		links = append(links, ktgs.ReorgLink{FromID: old.id, ToID: com.id, Primary: true})
		nv := g.between(g.villagesPerOld)
		for v := 0; v < nv; v++ {
			vname := "Chi bộ " + village + " " + villageLabel(g, village, v)
			vn := g.unit(fmt.Sprintf("%s-X%d-V%d", code, k+1, v+1), oldBorn.AddDays(g.r.IntN(4000)), civil.Forever,
				&place{parent: old, typ: ktgs.OrgTypeBranch, name: vname},
				&place{parent: com, typ: ktgs.OrgTypeGrassrootsBranch, name: vname})
			if g.events {
				g.reorg(ktgs.ReorgMove, reform, "Quyết định của Ban Thường vụ Tỉnh ủy về chuyển giao tổ chức đảng", ktgs.ReorgLink{FromID: vn.id, ToID: vn.id, Primary: true})
			}
			g.branch(vn, vn, nil, g.villageMembers)
		}
		g.committeeBodies(old, nil)
	}
	g.reorg(ktgs.ReorgMerge, reform, "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã (2025)", links...)
	// The commune's own agencies. The first is the cơ quan đảng bộ where the
	// commune's leaders are members.
	na := 1 + g.between(g.agencies)
	for a := 0; a < na; a++ {
		ag := communeAgencies[0]
		if a > 0 {
			ag = communeAgencies[1+g.r.IntN(len(communeAgencies)-1)]
		}
		acode := fmt.Sprintf("%s-A%d", code, a+1)
		aname := ag.Prefix + " " + kind + " " + name
		if strings.HasPrefix(ag.Prefix, "Đảng bộ Công ty") {
			aname = ag.Prefix + " " + g.placeName()
		}
		born := civil.New(2000+g.r.IntN(15), time.Month(1+g.r.IntN(12)), 1)
		if a == 0 {
			born = reform
		}
		ls := leaders
		if a == 0 {
			ls = append(append([]*leaderSlot(nil), leaders...), cleaders...)
		} else {
			ls = nil
		}
		typ := ktgs.OrgTypeGrassrootsBranch
		if ag.Committee {
			typ = ktgs.OrgTypeGrassrootsCommittee
		}
		var pre *place
		if born.Before(reform) {
			pre = &place{parent: dist, typ: typ, name: aname}
		}
		an := g.unit(acode, born, civil.Forever, pre, &place{parent: com, typ: typ, name: aname})
		if !ag.Committee {
			g.branch(an, an, ls, g.branchMembers)
			continue
		}
		nb := g.between(g.cqBranches)
		if a > 0 {
			nb = max(2, nb/2)
		}
		for b := 0; b < nb; b++ {
			bname := ag.Branches[b%len(ag.Branches)]
			if b >= len(ag.Branches) {
				bname += " " + strconv.Itoa(b/len(ag.Branches)+1)
			}
			var bpre *place
			if pre != nil {
				bpre = &place{parent: an, typ: ktgs.OrgTypeBranch, name: bname}
			}
			bn := g.unit(fmt.Sprintf("%s-B%d", acode, b+1), born, civil.Forever, bpre, &place{parent: an, typ: ktgs.OrgTypeBranch, name: bname})
			var bls []*leaderSlot
			if b == 0 {
				bls = ls
			}
			g.branch(bn, an, bls, g.branchMembers)
		}
		g.committeeBodies(an, nil)
	}
	g.committeeBodies(com, cleaders)
}

func villageLabel(g *gen, village string, v int) string {
	if village == "tổ dân phố" || (village == "ấp" && g.r.IntN(2) == 0) {
		return strconv.Itoa(v + 1)
	}
	return placeSecond[g.r.IntN(len(placeSecond))] + " " + []string{"Thượng", "Hạ", "Đông", "Tây", "Trung", "Nam", "Bắc", "1", "2", "Mới"}[g.r.IntN(10)]
}

// upperChildren generates the grassroots organisations under a provincial
// upper-grassroots committee. Units of a committee that merges into the
// survivor on 1/7/2025 move under it.
func (g *gen) upperChildren(un, survivor *node, moves bool, leaders []*leaderSlot, kind int) {
	n := g.between(g.upperGrassroots)
	for i := 0; i < n; i++ {
		name := provinceAgencyPrefix[g.r.IntN(len(provinceAgencyPrefix))] + " " + provinceAgencyNames[g.r.IntN(len(provinceAgencyNames))]
		committee := g.r.IntN(10) < 7
		typ := ktgs.OrgTypeGrassrootsBranch
		if committee {
			typ = ktgs.OrgTypeGrassrootsCommittee
			name = strings.Replace(name, "Chi bộ", "Đảng bộ", 1)
		} else {
			name = strings.Replace(name, "Đảng bộ", "Chi bộ", 1)
		}
		pre := &place{parent: un, typ: typ, name: name}
		post := pre
		if moves {
			post = &place{parent: survivor, typ: typ, name: name}
		}
		if un.post == nil && !moves {
			post = nil
		}
		gn := g.unit(fmt.Sprintf("%s-G%02d", un.code, i+1), oldBorn, civil.Forever, pre, post)
		var ls []*leaderSlot
		if i == 0 {
			ls = leaders
		}
		if !committee {
			g.branch(gn, gn, ls, g.branchMembers)
			continue
		}
		nb := g.between(g.upperBranches)
		for b := 0; b < nb; b++ {
			bn := g.unit(fmt.Sprintf("%s-B%02d", gn.code, b+1), oldBorn, civil.Forever,
				&place{parent: gn, typ: ktgs.OrgTypeBranch, name: fmt.Sprintf("Chi bộ Phòng %d", b+1)},
				&place{parent: gn, typ: ktgs.OrgTypeBranch, name: fmt.Sprintf("Chi bộ Phòng %d", b+1)})
			var bls []*leaderSlot
			if b == 0 {
				bls = ls
			}
			g.branch(bn, gn, bls, g.branchMembers)
		}
		g.committeeBodies(gn, nil)
	}
}

// centralBody generates one of the six central đảng bộ.
func (g *gen) centralBody(root *node, i int) {
	c := central[i]
	pl := &place{parent: root, typ: ktgs.OrgTypeDirectlyUnderCC, name: c.Name}
	cb := g.unit(c.Code, oldBorn, civil.Forever, pl, pl)
	leaders := g.leaderSlots(6, root)
	for u := 0; u < min(g.centralUpper, len(c.Upper)); u++ {
		upl := &place{parent: cb, typ: ktgs.OrgTypeUpperGrassroots, name: c.Upper[u]}
		un := g.unit(fmt.Sprintf("%s-U%02d", c.Code, u+1), oldBorn, civil.Forever, upl, upl)
		ng := g.between(g.centralGrassroots)
		for k := 0; k < ng; k++ {
			name := "Đảng bộ " + c.Prefix[g.r.IntN(len(c.Prefix))] + " " + g.placeName()
			committee := g.r.IntN(10) < 8
			typ := ktgs.OrgTypeGrassrootsCommittee
			if !committee {
				typ, name = ktgs.OrgTypeGrassrootsBranch, strings.Replace(name, "Đảng bộ", "Chi bộ", 1)
			}
			gpl := &place{parent: un, typ: typ, name: name}
			gn := g.unit(fmt.Sprintf("%s-G%03d", un.code, k+1), oldBorn, civil.Forever, gpl, gpl)
			var ls []*leaderSlot
			if u == 0 && k == 0 {
				ls = leaders
			}
			if !committee {
				g.branch(gn, gn, ls, g.branchMembers)
				continue
			}
			nb := g.between(g.centralBranches)
			for b := 0; b < nb; b++ {
				bpl := &place{parent: gn, typ: ktgs.OrgTypeBranch, name: fmt.Sprintf("Chi bộ %s %d", []string{"Phòng", "Đội", "Tổ", "Đại đội", "Ban"}[g.r.IntN(5)], b+1)}
				bn := g.unit(fmt.Sprintf("%s-B%02d", gn.code, b+1), oldBorn, civil.Forever, bpl, bpl)
				var bls []*leaderSlot
				if b == 0 {
					bls = ls
				}
				g.branch(bn, gn, bls, g.branchMembers)
			}
			g.committeeBodies(gn, nil)
		}
		g.committeeBodies(un, nil)
	}
	g.committeeBodies(cb, leaders)
}

// leaderSlots returns n empty slots for the leaders of a unit managed by
// the standing committee of manager.
func (g *gen) leaderSlots(n int, manager *node) []*leaderSlot {
	out := make([]*leaderSlot, n)
	for i := range out {
		out[i] = &leaderSlot{manager: manager}
	}
	return out
}

// branch generates the members of chi bộ b. managing is the grassroots
// organisation whose committee manages ordinary members. The first members
// fill the leader slots passed down from higher units.
func (g *gen) branch(b, managing *node, leaders []*leaderSlot, size [2]int) {
	n := g.between(size)
	if n < len(leaders)+3 {
		n = len(leaders) + 3
	}
	var ids []int64
	var statuses []bool
	for i := 0; i < n; i++ {
		var slot *leaderSlot
		if i < len(leaders) {
			slot = leaders[i]
		}
		id, official := g.member(b, managing, slot)
		ids = append(ids, id)
		statuses = append(statuses, official)
	}
	// The chi bộ's own secretary and deputy are official members.
	var sec []int64
	for i := len(leaders); i < len(ids) && len(sec) < 2; i++ {
		if statuses[i] {
			sec = append(sec, ids[i])
		}
	}
	g.branchBodies(b, sec)
}

// member generates one member of chi bộ b and returns its id and whether
// it is an official member.
func (g *gen) member(b, managing *node, slot *leaderSlot) (int64, bool) {
	id := g.next("members")
	female := g.r.IntN(100) < 38
	fam := g.familyName()
	var mid, given string
	if female {
		mid, given = femaleMiddle[g.r.IntN(len(femaleMiddle))], femaleGiven[g.r.IntN(len(femaleGiven))]
	} else {
		mid, given = maleMiddle[g.r.IntN(len(maleMiddle))], maleGiven[g.r.IntN(len(maleGiven))]
	}
	full := fam + " " + mid + " " + given
	birth := civil.New(1945, 1, 1).AddDays(g.r.IntN(365 * 60))
	if slot != nil {
		birth = civil.New(1966, 1, 1).AddDays(g.r.IntN(365 * 16))
	}
	admitted := birth.AddYears(18 + g.r.IntN(20)).AddDays(g.r.IntN(300))
	if admitted.After(asOf.AddDays(-30)) {
		admitted = asOf.AddDays(-30 - g.r.IntN(300))
	}
	m := &ktgs.Member{ID: id, FullName: full, BirthDate: birth, AdmittedOn: admitted, HomeOrgID: b.id,
		Managing: ktgs.ManagingBody{OrgID: managing.id, Kind: ktgs.BodyCommittee}}
	if managing == b { // a chi bộ cơ sở manages its own members (app.ManagingFor)
		m.Managing.Kind = ktgs.BodyBranch
	}
	if female {
		m.Gender = ktgs.GenderFemale
	} else {
		m.Gender = ktgs.GenderMale
	}
	if official := admitted.AddYears(1); official.Before(asOf) {
		m.OfficialOn = official
	}
	if slot != nil {
		if m.OfficialOn.IsZero() {
			m.AdmittedOn, m.OfficialOn = asOf.AddYears(-15), asOf.AddYears(-14)
		}
		slot.member = id
		m.Managing = ktgs.ManagingBody{OrgID: slot.manager.id, Kind: ktgs.BodyStandingCommittee}
	}
	if age := asOf.Year() - birth.Year(); age >= 61 {
		m.RetiredOn = civil.New(birth.Year()+60, birth.Month(), 1).AddMonths(1)
		m.Occupation = "Cán bộ hưu trí"
	} else {
		m.Occupation = occupations[g.r.IntN(len(occupations)-1)]
	}
	m.Hometown = "xã " + g.placeName() + ", tỉnh " + provinces[g.r.IntN(len(provinces))].Name
	g.card = (g.card + 48271) % 100000000
	m.CardNumber = fmt.Sprintf("%08d", (g.card*7919)%100000000)
	m.HomeSince = civil.Max(m.AdmittedOn, b.born)
	g.stats.Members++
	g.add(g.rb.Member(m))
	if g.prog != nil && g.stats.Members >= g.nextPg {
		g.prog(g.stats.Members, g.expectedMembers)
		g.nextPg = g.stats.Members + 20000
	}
	return id, !m.OfficialOn.IsZero()
}

func (g *gen) familyName() string {
	if g.famSum == 0 {
		for _, f := range familyNames {
			g.famSum += f.Weight
		}
	}
	x := g.r.IntN(g.famSum)
	for _, f := range familyNames {
		if x < f.Weight {
			return f.Name
		}
		x -= f.Weight
	}
	return familyNames[0].Name
}

// terms returns the terms a body gets: the current one, and at the demo and
// province scales also 2020–2025, clipped to the unit's life.
func (g *gen) terms(n *node) []*ktgs.Term {
	var out []*ktgs.Term
	if g.oldTerms && n.born.Before(reform) {
		end := civil.New(2025, 6, 30)
		if n.ended.Before(end) {
			end = n.ended.AddDays(-1)
		}
		start := civil.Max(termOld, n.born)
		out = append(out, &ktgs.Term{Name: "2020–2025", Start: start, End: end, CongressDate: civil.New(2025, 6, 20)})
	}
	if n.ended.IsForever() {
		start := termNewCom
		if n.born.After(start) {
			start = n.born
		}
		out = append(out, &ktgs.Term{Name: "2025–2030", Start: start, End: civil.New(2030, 6, 30)})
	}
	return out
}

// committeeBodies emits the bodies of a đảng bộ with terms, and seats for
// the leaders found in its subtree.
func (g *gen) committeeBodies(n *node, leaders []*leaderSlot) {
	typ := n.post
	if typ == nil {
		typ = n.pre
	}
	var have []int64
	for _, l := range leaders {
		if l.member != 0 {
			have = append(have, l.member)
		}
	}
	for _, k := range ktgs.BodyKindsFor(typ.typ) {
		b := &ktgs.Body{ID: g.next("bodies"), OrgID: n.id, Kind: k, Name: app.BodyName(k, typ.typ)}
		g.stats.Bodies++
		g.add(g.rb.Body(b))
		if k == ktgs.BodyPolitburo || k == ktgs.BodySecretariat {
			continue
		}
		for _, t := range g.terms(n) {
			t.ID, t.BodyID = g.next("terms"), b.ID
			g.stats.Terms++
			tt := t
			g.add(g.rb.Term(tt))
			if !t.End.After(reform) && t.Name == "2020–2025" {
				continue // seats only for the current term
			}
			g.seats(tt, k, have)
		}
	}
}

// seats fills the seats of one body from the leaders: 0 secretary, 1–2
// deputies, 3 UBKT chair, the rest committee members.
func (g *gen) seats(t *ktgs.Term, k ktgs.BodyKind, ids []int64) {
	add := func(id int64, r ktgs.Role) {
		s := &ktgs.Seat{ID: g.next("seats"), TermID: t.ID, MemberID: id, Role: r, Start: t.Start, End: t.End}
		g.stats.Seats++
		g.add(g.rb.Seat(s))
	}
	for i, id := range ids {
		switch k {
		case ktgs.BodyCommittee:
			r := ktgs.RoleMember
			if i == 0 {
				r = ktgs.RoleSecretary
			} else if i <= 2 {
				r = ktgs.RoleDeputySecretary
			}
			add(id, r)
		case ktgs.BodyStandingCommittee:
			if i < 5 {
				r := ktgs.RoleStandingMember
				if i == 0 {
					r = ktgs.RoleSecretary
				} else if i <= 2 {
					r = ktgs.RoleDeputySecretary
				}
				add(id, r)
			}
		case ktgs.BodyInspectionCommission:
			switch {
			case i == 3:
				add(id, ktgs.RoleSecretary)
			case i == 4:
				add(id, ktgs.RoleDeputySecretary)
			case i >= 5:
				add(id, ktgs.RoleMember)
			}
		}
	}
}

// branchBodies emits the bodies of a chi bộ with terms and its secretary
// and deputy.
func (g *gen) branchBodies(n *node, sec []int64) {
	typ := n.post
	if typ == nil {
		typ = n.pre
	}
	for _, k := range ktgs.BodyKindsFor(typ.typ) {
		b := &ktgs.Body{ID: g.next("bodies"), OrgID: n.id, Kind: k, Name: app.BodyName(k, typ.typ)}
		g.stats.Bodies++
		g.add(g.rb.Body(b))
		if k != ktgs.BodyBranch {
			continue
		}
		for _, t := range g.terms(n) {
			t.ID, t.BodyID = g.next("terms"), b.ID
			g.stats.Terms++
			tt := t
			g.add(g.rb.Term(tt))
			if t.Name != "2025–2030" {
				continue
			}
			for i, id := range sec {
				r := ktgs.RoleSecretary
				if i > 0 {
					r = ktgs.RoleDeputySecretary
				}
				s := &ktgs.Seat{ID: g.next("seats"), TermID: tt.ID, MemberID: id, Role: r, Start: tt.Start, End: tt.End}
				g.stats.Seats++
				g.add(g.rb.Seat(s))
			}
		}
	}
}
