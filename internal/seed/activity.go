package seed

// Synthetic inspection and supervision activity: ten years of programmes,
// cases, teams, timelines, findings and remediation over the hierarchy that
// Generate wrote, sized from the published national figures (RULES.md §8.2)
// and scaled by the number of members generated.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/audit"
	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// ActivityStats counts what GenerateActivity wrote.
type ActivityStats struct {
	Users, Programmes, Items, Cases, Subjects, Team, Events, Findings, Remediations, Reports int64
	// ByKind counts the cases of each kind, in the order of ktgs.CaseKinds.
	ByKind [7]int64
	// Letters counts the letters (letters.go).
	Letters LetterStats
	// Discipline counts the proceedings and complaints (discipline.go).
	Discipline DisciplineStats
}

// ErrActivityNotEmpty is returned when the database already holds cases
// or programmes.
var ErrActivityNotEmpty = errors.New("seed: the database already holds cases or programmes; activity is generated once")

// ErrNoHierarchy is returned by GenerateActivity on a database without
// organisations.
var ErrNoHierarchy = errors.New("seed: the database holds no organisations; run Generate first")

// The activity runs from actFirst to actToday, the synthetic data's "today".
var (
	actFirst = civil.New(2016, 1, 1)
	actToday = asOf
)

// nationalCases is the number of cases of each kind a year at the national
// scale (5.6 million members), in the order of ktgs.CaseKinds. They come
// from the published subject counts of RULES.md §8.2 divided by the mean
// number of subjects per case this generator draws: committee inspections
// ≈ 57,000 organisations and 320,000 members a year (≈ 4.5 subjects a
// case, chi bộ inspecting their own members included); UBKT inspections on
// signs of violation ≈ 3,100–3,500 organisations and 8,000–10,500 members
// (≈ 2.2 a case); inspections of lower levels' KTGS work ≈ 33,000
// organisations; party-finance inspections ≈ 16,000–40,000 organisations;
// supervision ≈ 190,000 by committees and 72,000 by UBKTs.
var nationalCases = [7]float64{
	62000, // KT_CHAP_HANH
	5500,  // KT_DHVP
	8000,  // KT_THUC_HIEN_NV_KTGS
	2000,  // KT_THI_HANH_KY_LUAT
	8500,  // KT_TAI_CHINH
	26000, // GS_THUONG_XUYEN
	32000, // GS_CHUYEN_DE
}

const nationalMembers = 5.6e6

// yearFactor scales a year's volume: the growth of the 2016–2020 term, the
// 2020 epidemic, the 2021–2024 figures, the 2025 reorganisation (the
// published 2025 committee inspections are about half of 2024's) and, for
// 2026, the part of the year before actToday.
func yearFactor(y int, k ktgs.CaseKind) float64 {
	f := map[int]float64{2016: .84, 2017: .87, 2018: .9, 2019: .93, 2020: .8, 2021: .9, 2022: 1.02, 2023: 1, 2024: .97, 2025: .55, 2026: .95}[y]
	if k == ktgs.CaseKindKTDHVP {
		// UBKT KT_DHVP subjects: 11,987 (2021), ≈ 14,000 (2022), ≈ 12,740
		// (2023), 11,256 (2024).
		if v, ok := map[int]float64{2021: .94, 2022: 1.1, 2023: 1, 2024: .88}[y]; ok {
			f = v
		}
	}
	if y == actToday.Year() {
		f *= float64(actToday.Sub(civil.New(y, 1, 1))) / 365
	}
	return f
}

// Acting organisation classes.
const (
	clTW     = iota // the Central Committee
	clProv          // provincial and central đảng bộ
	clMid           // districts before 1/7/2025, commune đảng bộ after
	clUpper         // upper-grassroots committees
	clGrass         // đảng bộ cơ sở
	clBranch        // chi bộ
	nClass
)

func classOf(t ktgs.OrgType) int {
	switch t {
	case ktgs.OrgTypeCentral:
		return clTW
	case ktgs.OrgTypeDirectlyUnderCC:
		return clProv
	case ktgs.OrgTypeDistrict, ktgs.OrgTypeCommune:
		return clMid
	case ktgs.OrgTypeUpperGrassroots:
		return clUpper
	case ktgs.OrgTypeGrassrootsCommittee:
		return clGrass
	case ktgs.OrgTypeGrassrootsBranch, ktgs.OrgTypeBranch:
		return clBranch
	}
	return -1
}

// classShare is, per kind (ktgs.CaseKinds order), the share of its cases
// run at each level (RULES.md §2.2: chi bộ only inspect and supervise their
// own members; UBKT tasks start at the đảng ủy cơ sở).
var classShare = [7][nClass]float64{
	{.0005, .02, .14, .03, .33, .48}, // KT_CHAP_HANH: committees, BTV, chi bộ
	{.004, .08, .42, .07, .43, 0},    // KT_DHVP: UBKT
	{.001, .06, .45, .08, .41, 0},    // KT_THUC_HIEN_NV_KTGS: UBKT
	{0, .12, .5, .1, .28, 0},         // KT_THI_HANH_KY_LUAT: UBKT
	{.001, .06, .4, .08, .46, 0},     // KT_TAI_CHINH: UBKT
	{0, .01, .07, .02, .25, .65},     // GS_THUONG_XUYEN: committees, UBKT, chi bộ
	{.0005, .03, .22, .05, .6995, 0}, // GS_CHUYEN_DE: committees, BTV, UBKT
}

func kindIndex(k ktgs.CaseKind) int {
	for i, x := range ktgs.CaseKinds {
		if x == k {
			return i
		}
	}
	return -1
}

// Bodies an acting organisation may use, indexed for the cache.
var actBodies = []ktgs.BodyKind{ktgs.BodyCommittee, ktgs.BodyStandingCommittee, ktgs.BodyInspectionCommission, ktgs.BodyBranch,
	ktgs.BodyPolitburo, ktgs.BodySecretariat}

func bodyIndex(k ktgs.BodyKind) int { return slices.Index(actBodies, k) }

// aver is one version of an organisation.
type aver struct {
	org      int32 // index in agen.orgs
	parent   int32 // organisation index, -1 for a root
	typ      ktgs.OrgType
	name     string
	path     string
	depth    int32
	from, to civil.Date
	lo, hi   int32 // the subtree: agen.byPath[lo:hi] (this version first)
	parentID int64
}

// aorg is one organisation.
type aorg struct {
	id           int64
	code         string
	ended        civil.Date
	vers         []int32 // by valid_from
	kids         []int32 // versions whose parent is this organisation
	memLo, memHi int32   // its members (chi bộ): agen.mems[memLo:memHi]
	sub          [2]float64
	scope        string
	cadreOrg     int32 // -2 unknown, -1 none
	cadres       []int32
	bodies       [6]int64 // by actBodies index; 0 unknown, -1 none
	succ         []actLink
}

type actLink struct {
	to      int32
	primary bool
}

// amem is one member.
type amem struct {
	id     int64
	name   uint32 // offset in agen.names
	nlen   uint8
	flags  uint8
	home   int32
	since  civil.Date
	ended  civil.Date
	cadreU int32 // the account linked to the member, -1 none
}

const (
	memOfficial = 1 << iota
	memLeader   // managed by a higher standing committee: not a chi bộ subject
	memCadre    // linked to an account
)

type auser struct {
	id       int64
	username string
	member   int32 // -1 none
}

// wlist is a weighted list of organisations.
type wlist struct {
	org []int32
	cum []float64
}

func (w *wlist) add(o int32, x float64) {
	t := x
	if n := len(w.cum); n > 0 {
		t += w.cum[n-1]
	}
	w.org, w.cum = append(w.org, o), append(w.cum, t)
}

func (w *wlist) pick(r *rand.Rand) int32 {
	if len(w.org) == 0 {
		return -1
	}
	x := r.Float64() * w.cum[len(w.cum)-1]
	i, _ := slices.BinarySearch(w.cum, x)
	if i >= len(w.org) {
		i = len(w.org) - 1
	}
	return w.org[i]
}

type agen struct {
	o       Options
	r       *rand.Rand
	cal     *calendar.Calendar
	rb      *store.RowBuilder
	tx      *store.Tx
	ctx     context.Context
	ids     map[string]int64
	vers    []aver
	orgs    []aorg
	orgIdx  map[int64]int32
	byPath  []int32
	mems    []amem
	names   []byte
	users   []auser
	taken   map[string]bool
	classes [2][nClass]wlist
	volume  float64
	// lean writes less per case (the national scale): the main
	// transitions only, one finding per subject, final remediation
	// reports only, smaller teams.
	lean   bool
	boost  []string // org code prefixes favoured at the demo scale
	carry  [7]float64
	famSum int

	stats     ActivityStats
	out       chan []store.Row
	buf       []store.Row
	prog      func(int64, int64)
	expected  int64
	nextPg    int64
	shortfall int64
	disc      *dgen // discipline.go
}

func (g *agen) next(table string) int64 { g.ids[table]++; return g.ids[table] }

func (g *agen) add(rows ...store.Row) {
	g.buf = append(g.buf, rows...)
	if len(g.buf) >= 4000 {
		g.out <- g.buf
		g.buf = make([]store.Row, 0, 4100)
	}
}

// GenerateActivity adds ten years of inspection and supervision activity
// (2016 to the synthetic "today", 1/11/2026) to a database that Generate
// filled: inspection cadres (accounts without a password, one to six per
// UBKT), annual programmes, cases of every kind with their subjects, teams,
// timelines, findings and remediation requests, letters (letters.go), and
// discipline proceedings with the complaints about them (discipline.go). It
// writes everything in one bulk load with one audit entry. The same options
// give the same rows.
func GenerateActivity(ctx context.Context, db *store.DB, o Options) (ActivityStats, error) {
	if _, err := config(o); err != nil {
		return ActivityStats{}, err
	}
	ids, err := db.MaxIDs(ctx)
	if err != nil {
		return ActivityStats{}, err
	}
	if ids["orgs"] == 0 {
		return ActivityStats{}, ErrNoHierarchy
	}
	if ids["cases"] > 0 || ids["programmes"] > 0 {
		return ActivityStats{}, ErrActivityNotEmpty
	}
	g := &agen{o: o, r: rand.New(rand.NewPCG(o.Seed^0x61637476, o.Seed+0x6b746773)), cal: calendar.Default(), rb: db.RowBuilder(),
		ids: ids, orgIdx: map[int64]int32{}, taken: map[string]bool{}, out: make(chan []store.Row, 16), prog: o.Progress,
		lean: o.Scale == ScaleNational}
	genErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(g.out)
		defer func() {
			if p := recover(); p != nil {
				genErr <- fmt.Errorf("seed activity: %v", p)
			}
		}()
		err := db.View(ctx, func(tx *store.Tx) error {
			g.tx, g.ctx = tx, ctx
			return g.run()
		})
		if err == nil && len(g.buf) > 0 {
			g.out <- g.buf
		}
		genErr <- err
	}()
	err = db.BulkLoad(ctx, func(l *store.Loader) error {
		for batch := range g.out {
			if err := l.Add(ctx, batch...); err != nil {
				cancel()
				for range g.out {
				}
				return err
			}
		}
		if err := <-genErr; err != nil {
			return err
		}
		if err := g.endMembers(ctx, l); err != nil {
			return err
		}
		after, err := json.Marshal(map[string]any{"scale": o.Scale, "seed": o.Seed, "from": actFirst, "to": actToday, "stats": g.stats})
		if err != nil {
			return err
		}
		return l.Audit(ctx, &audit.Entry{Action: "register.seed_activity", ObjectType: "register", Actor: app.SystemActor, After: after})
	})
	return g.stats, err
}

func (g *agen) run() error {
	if err := g.load(); err != nil {
		return err
	}
	g.sizing()
	g.cadres()
	for y := actFirst.Year(); y <= actToday.Year(); y++ {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		if err := g.year(y); err != nil {
			return err
		}
	}
	if err := g.letters(); err != nil {
		return err
	}
	if err := g.discipline(); err != nil {
		return err
	}
	if g.prog != nil {
		g.prog(g.stats.Cases, g.stats.Cases)
	}
	return nil
}

// load reads the hierarchy, the reorganisation links, the members and the
// existing accounts.
func (g *agen) load() error {
	ctx, tx := g.ctx, g.tx
	type rawVer struct {
		v   aver
		oid int64
	}
	var raw []rawVer
	var orgs []aorg
	seen := map[int64]bool{}
	err := tx.EachOrgVersion(ctx, false, func(o *ktgs.Org) error {
		raw = append(raw, rawVer{aver{typ: o.Type, name: o.Name, path: o.Path, depth: int32(o.Depth), from: o.ValidFrom, to: o.ValidTo,
			parentID: o.ParentID}, o.ID})
		if !seen[o.ID] {
			seen[o.ID] = true
			orgs = append(orgs, aorg{id: o.ID, code: o.Code, ended: o.Ended})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Storage order differs between engines: index by id.
	slices.SortFunc(orgs, func(a, b aorg) int { return int(a.id - b.id) })
	slices.SortFunc(raw, func(a, b rawVer) int {
		if a.oid != b.oid {
			return int(a.oid - b.oid)
		}
		return int(a.v.from - b.v.from)
	})
	g.orgs = orgs
	for i := range g.orgs {
		g.orgs[i].cadreOrg = -2
		g.orgIdx[g.orgs[i].id] = int32(i)
	}
	g.vers = make([]aver, len(raw))
	for i, r := range raw {
		v := r.v
		v.org = g.orgIdx[r.oid]
		v.parent = -1
		if v.parentID != 0 {
			v.parent = g.orgIdx[v.parentID]
		}
		g.vers[i] = v
		o := &g.orgs[v.org]
		o.vers = append(o.vers, int32(i))
		if v.parent >= 0 {
			p := &g.orgs[v.parent]
			p.kids = append(p.kids, int32(i))
		}
	}
	g.byPath = make([]int32, len(g.vers))
	for i := range g.byPath {
		g.byPath[i] = int32(i)
	}
	slices.SortFunc(g.byPath, func(a, b int32) int {
		if c := strings.Compare(g.vers[a].path, g.vers[b].path); c != 0 {
			return c
		}
		return int(g.vers[a].from - g.vers[b].from)
	})
	// Subtree ranges: the versions whose path starts with the version's.
	for i := range g.byPath {
		v := &g.vers[g.byPath[i]]
		up := v.path[:len(v.path)-1] + "0" // the first string after every path below
		hi, _ := slices.BinarySearchFunc(g.byPath, up, func(x int32, s string) int { return strings.Compare(g.vers[x].path, s) })
		lo, _ := slices.BinarySearchFunc(g.byPath, v.path, func(x int32, s string) int { return strings.Compare(g.vers[x].path, s) })
		v.lo, v.hi = int32(lo), int32(hi)
	}
	links, err := tx.AllSuccessorLinks(ctx)
	if err != nil {
		return err
	}
	for _, l := range links {
		f, ok1 := g.orgIdx[l.FromID]
		t, ok2 := g.orgIdx[l.ToID]
		if ok1 && ok2 {
			g.orgs[f].succ = append(g.orgs[f].succ, actLink{t, l.Primary})
		}
	}
	for i := range g.orgs {
		slices.SortFunc(g.orgs[i].succ, func(a, b actLink) int { return int(g.orgs[a.to].id - g.orgs[b.to].id) })
	}
	// Members, grouped by home chi bộ.
	var mems []amem
	err = tx.EachMember(ctx, func(m *ktgs.Member) error {
		oi, ok := g.orgIdx[m.HomeOrgID]
		if !ok {
			return nil
		}
		name := m.FullName
		if len(name) > 255 {
			name = name[:255]
		}
		x := amem{id: m.ID, name: uint32(len(g.names)), nlen: uint8(len(name)), home: oi, since: m.HomeSince, ended: m.EndedOn, cadreU: -1}
		g.names = append(g.names, name...)
		if !m.OfficialOn.IsZero() {
			x.flags |= memOfficial
		}
		if m.Managing.Kind == ktgs.BodyStandingCommittee {
			x.flags |= memLeader
		}
		mems = append(mems, x)
		return nil
	})
	if err != nil {
		return err
	}
	count := make([]int32, len(g.orgs)+1)
	for _, m := range mems {
		count[m.home+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	g.mems = make([]amem, len(mems))
	fill := slices.Clone(count)
	for _, m := range mems {
		g.mems[fill[m.home]] = m
		fill[m.home]++
	}
	for i := range g.orgs {
		g.orgs[i].memLo, g.orgs[i].memHi = count[i], count[i+1]
	}
	users, err := tx.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		g.taken[u.Username] = true
	}
	return nil
}

func (g *agen) memName(m int32) string {
	x := &g.mems[m]
	return string(g.names[x.name : x.name+uint32(x.nlen)])
}

// verAt returns the version of organisation oi covering day d, or -1.
func (g *agen) verAt(oi int32, d civil.Date) int32 {
	for _, v := range g.orgs[oi].vers {
		if x := &g.vers[v]; !d.Before(x.from) && d.Before(x.to) {
			return v
		}
	}
	return -1
}

// current reports whether organisation oi exists today (its last version
// runs on).
func (g *agen) current(oi int32) bool {
	o := &g.orgs[oi]
	return len(o.vers) > 0 && g.vers[o.vers[len(o.vers)-1]].to.IsForever()
}

// scopeOf returns the path the records of organisation oi are filed
// under: its current path; for an organisation that ended, its primary
// current successor's (app.Service.CurrentSuccessors); for one that ended
// without successor (a dissolved district), its last parent's.
func (g *agen) scopeOf(oi int32) string {
	o := &g.orgs[oi]
	if o.scope != "" {
		return o.scope
	}
	last := &g.vers[o.vers[len(o.vers)-1]]
	switch {
	case g.current(oi):
		o.scope = last.path
	default:
		if s := g.successors(oi); len(s) > 0 {
			o.scope = g.vers[g.orgs[s[0]].vers[len(g.orgs[s[0]].vers)-1]].path
		} else if last.parent >= 0 {
			o.scope = g.scopeOf(last.parent)
		} else {
			o.scope = last.path
		}
	}
	return o.scope
}

// successors mirrors app.Service.CurrentSuccessors: the organisations
// existing today that oi became, the primary one first.
func (g *agen) successors(oi int32) []int32 {
	var out []int32
	seen := map[int32]bool{}
	var walk func(x int32, primary bool)
	walk = func(x int32, primary bool) {
		if seen[x] {
			return
		}
		seen[x] = true
		if g.current(x) {
			if primary {
				out = append([]int32{x}, out...)
			} else {
				out = append(out, x)
			}
			return
		}
		for _, l := range g.orgs[x].succ {
			walk(l.to, primary && l.primary)
		}
	}
	walk(oi, true)
	return out
}

// currentOrgOf returns the organisation whose current path is oi's scope.
func (g *agen) currentOrgOf(oi int32) int32 {
	if g.current(oi) {
		return oi
	}
	if s := g.successors(oi); len(s) > 0 {
		return s[0]
	}
	last := &g.vers[g.orgs[oi].vers[len(g.orgs[oi].vers)-1]]
	if last.parent >= 0 {
		return g.currentOrgOf(last.parent)
	}
	return oi
}

// cadreOrgOf returns the organisation whose cadres form oi's teams: the
// current organisation oi is filed under, or its nearest ancestor with
// cadres.
func (g *agen) cadreOrgOf(oi int32) int32 {
	o := &g.orgs[oi]
	if o.cadreOrg != -2 {
		return o.cadreOrg
	}
	o.cadreOrg = -1
	c := g.currentOrgOf(oi)
	for c >= 0 {
		if len(g.orgs[c].cadres) > 0 {
			o.cadreOrg = c
			break
		}
		cv := &g.vers[g.orgs[c].vers[len(g.orgs[c].vers)-1]]
		c = cv.parent
	}
	return o.cadreOrg
}

// body returns the id of the body of kind k of organisation oi, or 0.
func (g *agen) body(oi int32, k ktgs.BodyKind) int64 {
	o := &g.orgs[oi]
	i := bodyIndex(k)
	if o.bodies[i] == 0 {
		o.bodies[i] = -1
		if b, err := g.tx.BodyByKind(g.ctx, o.id, k); err == nil {
			o.bodies[i] = b.ID
		}
	}
	return max(o.bodies[i], 0)
}

// sizing computes the subtree weights, the acting classes and the volume.
func (g *agen) sizing() {
	reps := [2]civil.Date{ktgs.ReformDate.AddDays(-1), actToday}
	for i := range g.orgs {
		o := &g.orgs[i]
		n := float64(o.memHi - o.memLo)
		if n == 0 {
			continue
		}
		for e, d := range reps {
			v := g.verAt(int32(i), d)
			if v < 0 || !g.vers[v].typ.IsBranch() {
				continue
			}
			for _, a := range store.PathIDs(g.vers[v].path) {
				if ai, ok := g.orgIdx[a]; ok {
					g.orgs[ai].sub[e] += n
				}
			}
		}
	}
	if g.o.Scale == ScaleDemo {
		c, _ := config(g.o)
		for i := range provinces {
			if c.detailed(&provinces[i]) {
				g.boost = append(g.boost, fmt.Sprintf("P%02d", i+1))
			}
		}
	}
	for e, d := range reps {
		for i := range g.orgs {
			v := g.verAt(int32(i), d)
			if v < 0 {
				continue
			}
			cl := classOf(g.vers[v].typ)
			w := math.Sqrt(g.orgs[i].sub[e])
			if cl < 0 || w == 0 {
				continue
			}
			if len(g.boost) > 0 && g.boosted(int32(i)) {
				w *= 15
			}
			g.classes[e][cl].add(int32(i), w)
		}
	}
	total := float64(len(g.mems))
	g.volume = total / nationalMembers
	perYear := 0.0
	for _, n := range nationalCases {
		perYear += n
	}
	// A demonstration needs a few dozen cases a year whatever its size.
	if perYear*g.volume < 60 {
		g.volume = 60 / perYear
	}
	for y := actFirst.Year(); y <= actToday.Year(); y++ {
		for k, n := range nationalCases {
			g.expected += int64(n * g.volume * yearFactor(y, ktgs.CaseKinds[k]))
		}
	}
}

// cadresPer is how many inspection cadres (accounts) each organisation
// type with a UBKT gets: enough for a team of a leader and one to three
// members at the province, one to two elsewhere.
var cadresPer = map[ktgs.OrgType]int{ktgs.OrgTypeCentral: 6, ktgs.OrgTypeDirectlyUnderCC: 6, ktgs.OrgTypeUpperGrassroots: 3,
	ktgs.OrgTypeCommune: 3, ktgs.OrgTypeGrassrootsCommittee: 2}

// cadres creates the inspection cadres of every current organisation with
// a UBKT: accounts with role INSPECTOR, clearance MAT, scope the
// organisation, no password (an administrator issues a setup link), each
// the account of a member of the organisation's subtree when one is found.
func (g *agen) cadres() {
	now := time.Now().UTC()
	for i := range g.orgs {
		oi := int32(i)
		if !g.current(oi) {
			continue
		}
		v := &g.vers[g.orgs[i].vers[len(g.orgs[i].vers)-1]]
		n := cadresPer[v.typ]
		if n == 0 {
			continue
		}
		seq := 0
		for k := 0; k < n; k++ {
			var name string
			for {
				seq++
				name = "cb." + strings.ToLower(g.orgs[i].code) + "." + strconv.Itoa(seq)
				if !g.taken[name] {
					break
				}
			}
			g.taken[name] = true
			u := &ktgs.User{ID: g.next("users"), Username: name, Role: authz.RoleInspector, Clearance: authz.Secret,
				Scope: []int64{g.orgs[i].id}, CreatedAt: now, UpdatedAt: now}
			mi := int32(-1)
			for try := 0; try < 30 && mi < 0; try++ {
				b := g.pickBranch(v, actToday)
				if b < 0 {
					break
				}
				if m := g.pickMember(g.vers[b].org, actToday); m >= 0 && g.mems[m].flags&(memOfficial|memCadre) == memOfficial {
					mi = m
				}
			}
			if mi >= 0 {
				g.mems[mi].flags |= memCadre
				g.mems[mi].cadreU = int32(len(g.users))
				u.MemberID, u.DisplayName = g.mems[mi].id, g.memName(mi)
			} else {
				u.DisplayName = g.personName()
			}
			g.users = append(g.users, auser{id: u.ID, username: name, member: mi})
			g.orgs[i].cadres = append(g.orgs[i].cadres, int32(len(g.users)-1))
			g.stats.Users++
			g.add(g.rb.User(u), g.rb.UserScope(u.ID, g.orgs[i].id))
		}
	}
}

func (g *agen) personName() string {
	if g.famSum == 0 {
		for _, f := range familyNames {
			g.famSum += f.Weight
		}
	}
	fam := familyNames[0].Name
	x := g.r.IntN(g.famSum)
	for _, f := range familyNames {
		if x < f.Weight {
			fam = f.Name
			break
		}
		x -= f.Weight
	}
	if g.r.IntN(100) < 38 {
		return fam + " " + femaleMiddle[g.r.IntN(len(femaleMiddle))] + " " + femaleGiven[g.r.IntN(len(femaleGiven))]
	}
	return fam + " " + maleMiddle[g.r.IntN(len(maleMiddle))] + " " + maleGiven[g.r.IntN(len(maleGiven))]
}

// pickBranch returns a chi bộ version in the subtree of v existing on d
// (v itself if it is one), or -1.
func (g *agen) pickBranch(v *aver, d civil.Date) int32 {
	if v.typ.IsBranch() {
		return g.byPath[v.lo]
	}
	n := int(v.hi - v.lo)
	if n <= 1 {
		return -1
	}
	for try := 0; try < 40; try++ {
		x := g.byPath[int(v.lo)+1+g.r.IntN(n-1)]
		c := &g.vers[x]
		if c.typ.IsBranch() && !d.Before(c.from) && d.Before(c.to) && g.orgs[c.org].memHi > g.orgs[c.org].memLo {
			return x
		}
	}
	return -1
}

// pickMember returns a member of chi bộ oi on day d, or -1.
func (g *agen) pickMember(oi int32, d civil.Date) int32 {
	o := &g.orgs[oi]
	n := int(o.memHi - o.memLo)
	if n == 0 {
		return -1
	}
	for try := 0; try < 8; try++ {
		m := o.memLo + int32(g.r.IntN(n))
		x := &g.mems[m]
		if !x.since.After(d) && (x.ended.IsZero() || x.ended.After(d)) {
			return m
		}
	}
	return -1
}

// pickLower returns a version strictly below v existing on d whose type
// ok accepts: a direct child when direct, else anywhere in the subtree;
// -1 if none is found.
func (g *agen) pickLower(v *aver, d civil.Date, direct bool, ok func(ktgs.OrgType) bool) int32 {
	if direct {
		kids := g.orgs[v.org].kids
		if len(kids) > 0 {
			for try := 0; try < 30; try++ {
				x := kids[g.r.IntN(len(kids))]
				c := &g.vers[x]
				if ok(c.typ) && !d.Before(c.from) && d.Before(c.to) && strings.HasPrefix(c.path, v.path) {
					return x
				}
			}
		}
	}
	n := int(v.hi - v.lo)
	if n <= 1 {
		return -1
	}
	for try := 0; try < 40; try++ {
		x := g.byPath[int(v.lo)+1+g.r.IntN(n-1)]
		c := &g.vers[x]
		if c.org != v.org && ok(c.typ) && !d.Before(c.from) && d.Before(c.to) {
			return x
		}
	}
	return -1
}

// Planning: what each case is, before its rows are built.

type psubj struct {
	kind ktgs.SubjectKind
	org  int32 // the organisation (ORG) or the member's chi bộ (MEMBER)
	ver  int32 // the organisation's version on the case date
	mem  int32 // member index, -1 for an organisation
}

type pstep struct {
	name     string
	from, to ktgs.CaseStatus
	on       civil.Date
	note     string
}

type prem struct {
	due, report, done civil.Date // done: verified or waived
	waived            bool
}

type pcase struct {
	ki         int
	kind       ktgs.CaseKind
	org, ver   int32
	bodyK      ktgs.BodyKind
	bodyID     int64
	proposed   civil.Date
	ending     bool // the acting organisation ends at the reform
	subj       []psubj
	team       []int32 // user indexes, the leader first
	steps      []pstep // up to today
	events     []pstep // the steps written to the timeline
	start, due civil.Date
	dur        int
	sr, dr, m  civil.Date // self-report, draft report, meeting
	status     ktgs.CaseStatus
	prev       ktgs.CaseStatus
	rems       []prem
	item       *pitem
	id         int64
	title      string
	content    string
}

func (c *pcase) reached(s ktgs.CaseStatus) bool {
	for _, st := range c.steps {
		if st.to == s {
			return true
		}
	}
	return false
}

func (c *pcase) on(s ktgs.CaseStatus) civil.Date {
	for _, st := range c.steps {
		if st.to == s {
			return st.on
		}
	}
	return 0
}

// limit is the last day the case's records run to: today, or the day it
// was suspended or cancelled.
func (c *pcase) limit() civil.Date {
	last := c.steps[len(c.steps)-1]
	if last.to == ktgs.CaseSuspended || last.to == ktgs.CaseCancelled {
		return last.on
	}
	return actToday
}

type pprog struct {
	org     int32
	ver     int32
	bodyK   ktgs.BodyKind
	bodyID  int64
	adopted civil.Date
	items   []*pitem
	id      int64
}

type pitem struct {
	prog     *pprog
	kind     ktgs.CaseKind
	subj     psubj
	content  string
	from, to civil.Date
	lead     int32
	c        *pcase
	id       int64
}

type progKey struct {
	org  int32
	body ktgs.BodyKind
}

// monthWeight spreads proposals over the year: little around Tết and at
// the year's end, most in the second and third quarters. 2025 dips around
// the reorganisation of 1/7/2025.
func monthWeight(y int, m time.Month) float64 {
	if y == 2025 {
		return []float64{.5, .6, 1, .8, .5, .3, .4, .8, 1.1, 1.2, 1.1, .7}[m-1]
	}
	return []float64{.5, .65, 1.1, 1.2, 1.2, 1.1, 1, 1.1, 1.2, 1.2, 1, .6}[m-1]
}

// proposalDate draws a day of year y, up to actToday.
func (g *agen) proposalDate(y int) civil.Date { return weightedDay(g.r, y) }

// weightedDay draws a day of year y, up to actToday, its month weighted by
// monthWeight.
func weightedDay(r *rand.Rand, y int) civil.Date {
	last := civil.Min(civil.New(y, 12, 31), actToday)
	tot := 0.0
	for m := time.January; m <= last.Month(); m++ {
		tot += monthWeight(y, m)
	}
	x := r.Float64() * tot
	m := time.January
	for ; m < last.Month(); m++ {
		if x -= monthWeight(y, m); x < 0 {
			break
		}
	}
	days := civil.DaysIn(y, m)
	if m == last.Month() {
		days = last.Day()
	}
	return civil.New(y, m, 1+r.IntN(days))
}

// workday returns the first working day from d, or the last before it
// when that would be after today.
func (g *agen) workday(d civil.Date) civil.Date {
	x := d
	for !g.cal.IsWorkingDay(x) {
		x = x.AddDays(1)
	}
	if x.After(actToday) {
		for x = d; !g.cal.IsWorkingDay(x); {
			x = x.AddDays(-1)
		}
	}
	return x
}

// year plans, numbers and writes the cases and programmes of year y.
func (g *agen) year(y int) error {
	var cases []*pcase
	for ki, k := range ktgs.CaseKinds {
		exp := nationalCases[ki]*g.volume*yearFactor(y, k) + g.carry[ki]
		n := int(exp)
		g.carry[ki] = exp - float64(n)
		for i := 0; i < n; i++ {
			if c := g.planCase(y, ki); c != nil {
				cases = append(cases, c)
			} else {
				g.shortfall++
			}
		}
	}
	slices.SortStableFunc(cases, func(a, b *pcase) int { return int(a.proposed - b.proposed) })
	for _, c := range cases {
		c.id = g.next("cases")
		c.title, c.content = g.texts(c)
	}
	progs := g.programmes(y, cases)
	for _, p := range progs {
		p.id = g.next("programmes")
		for _, it := range p.items {
			it.id = g.next("programme_items")
		}
	}
	for _, p := range progs {
		g.emitProgramme(y, p)
	}
	for i, c := range cases {
		if i%256 == 0 {
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		g.emitCase(c)
	}
	return nil
}

// planCase draws one case of kind index ki in year y: an acting body, a
// date, subjects, a team and a timeline. It returns nil when no acting
// organisation with suitable subjects was found.
func (g *agen) planCase(y, ki int) *pcase {
	k := ktgs.CaseKinds[ki]
	for try := 0; try < 12; try++ {
		d := g.workday(g.proposalDate(y))
		if d.Year() != y {
			continue
		}
		era := 0
		if !d.Before(ktgs.ReformDate) {
			era = 1
		}
		cl := g.pickClass(era, ki)
		if cl < 0 {
			continue
		}
		oi := g.classes[era][cl].pick(g.r)
		o := &g.orgs[oi]
		ending := !o.ended.IsForever() && !o.ended.After(ktgs.ReformDate)
		if ending && d.After(o.ended.AddDays(-75)) {
			// Units closing at the reorganisation finished their cases
			// before it: draw the proposal earlier.
			d = g.workday(o.ended.AddDays(-75 - g.r.IntN(120)))
			if d.Year() != y {
				continue
			}
		}
		if (era == 0) != d.Before(ktgs.ReformDate) {
			continue
		}
		vi := g.verAt(oi, d)
		if vi < 0 {
			continue
		}
		c := &pcase{ki: ki, kind: k, org: oi, ver: vi, proposed: d, ending: ending}
		c.bodyK = g.actingBody(ki, cl)
		if c.bodyID = g.body(oi, c.bodyK); c.bodyID == 0 {
			continue
		}
		if !g.subjects(c, cl) || !g.team(c) {
			continue
		}
		g.timeline(c, cl)
		return c
	}
	return nil
}

func (g *agen) pickClass(era, ki int) int {
	tot := 0.0
	for cl, s := range classShare[ki] {
		if len(g.classes[era][cl].org) > 0 {
			tot += s
		}
	}
	if tot == 0 {
		return -1
	}
	x := g.r.Float64() * tot
	last := -1
	for cl, s := range classShare[ki] {
		if len(g.classes[era][cl].org) == 0 || s == 0 {
			continue
		}
		last = cl
		if x -= s; x < 0 {
			return cl
		}
	}
	return last
}

// actingBody picks the body of the acting organisation (RULES.md §2.2):
// KT_DHVP, the KTGS-performance, discipline-review and finance
// inspections by the UBKT; committee inspections by the committee or its
// standing committee; supervision by both; a chi bộ by itself.
func (g *agen) actingBody(ki, cl int) ktgs.BodyKind {
	if cl == clBranch {
		return ktgs.BodyBranch
	}
	committee := func() ktgs.BodyKind {
		if cl == clTW {
			if g.r.IntN(2) == 0 {
				return ktgs.BodyPolitburo
			}
			return ktgs.BodySecretariat
		}
		if g.r.IntN(100) < 65 {
			return ktgs.BodyStandingCommittee
		}
		return ktgs.BodyCommittee
	}
	switch ktgs.CaseKinds[ki] {
	case ktgs.CaseKindKTChapHanh:
		return committee()
	case ktgs.CaseKindGSThuongXuyen:
		if g.r.IntN(2) == 0 {
			return ktgs.BodyInspectionCommission
		}
		return committee()
	case ktgs.CaseKindGSChuyenDe:
		if g.r.IntN(100) < 40 {
			return ktgs.BodyInspectionCommission
		}
		return committee()
	}
	return ktgs.BodyInspectionCommission
}

// expN draws 1 + an exponential number with mean m, at most max.
func (g *agen) expN(m float64, most int) int {
	return min(most, 1+int(g.r.ExpFloat64()*m))
}

var (
	anyLower     = func(t ktgs.OrgType) bool { return t != ktgs.OrgTypePartyGroup }
	ktgsLower    = func(t ktgs.OrgType) bool { return t != ktgs.OrgTypePartyGroup && t != ktgs.OrgTypeSubCommittee }
	financeLower = func(t ktgs.OrgType) bool {
		switch t {
		case ktgs.OrgTypeDirectlyUnderCC, ktgs.OrgTypeDistrict, ktgs.OrgTypeUpperGrassroots, ktgs.OrgTypeCommune,
			ktgs.OrgTypeGrassrootsCommittee, ktgs.OrgTypeGrassrootsBranch:
			return true
		}
		return false
	}
)

// subjects draws the subjects of c: organisations strictly below the
// acting organisation and members of chi bộ in its subtree, as of the
// proposal date; a chi bộ takes only its own members.
func (g *agen) subjects(c *pcase, cl int) bool {
	v := &g.vers[c.ver]
	d := c.proposed
	haveOrg := map[int32]bool{}
	haveMem := map[int32]bool{}
	addOrg := func(x int32) bool {
		if x < 0 || haveOrg[g.vers[x].org] {
			return false
		}
		haveOrg[g.vers[x].org] = true
		c.subj = append(c.subj, psubj{kind: ktgs.SubjectOrg, org: g.vers[x].org, ver: x, mem: -1})
		return true
	}
	addMem := func(under *aver, skipLeaders bool) bool {
		for try := 0; try < 6; try++ {
			b := g.pickBranch(under, d)
			if b < 0 {
				return false
			}
			m := g.pickMember(g.vers[b].org, d)
			if m < 0 || haveMem[m] || (skipLeaders && g.mems[m].flags&memLeader != 0) {
				continue
			}
			haveMem[m] = true
			c.subj = append(c.subj, psubj{kind: ktgs.SubjectMember, org: g.vers[b].org, ver: b, mem: m})
			return true
		}
		return false
	}
	mixed := func(n int, orgShare float64, direct float64) {
		anchor := g.pickLower(v, d, g.r.Float64() < direct, anyLower)
		under := v
		if anchor >= 0 && g.r.IntN(3) > 0 {
			under = &g.vers[anchor]
		}
		for i := 0; i < n; i++ {
			if i == 0 && anchor >= 0 && g.r.Float64() < orgShare*2 {
				addOrg(anchor)
			} else if g.r.Float64() < orgShare {
				addOrg(g.pickLower(v, d, g.r.Float64() < direct, anyLower))
			} else if !addMem(under, false) {
				addMem(v, false)
			}
		}
	}
	switch c.kind {
	case ktgs.CaseKindKTChapHanh, ktgs.CaseKindGSThuongXuyen:
		if cl == clBranch {
			n := 1 + g.r.IntN(3)
			for i := 0; i < n; i++ {
				addMem(v, true)
			}
			break
		}
		if c.kind == ktgs.CaseKindKTChapHanh {
			mixed(g.expN(4.5, 12), .15, .6)
		} else {
			mixed(g.expN(2.5, 10), .35, .6)
		}
	case ktgs.CaseKindGSChuyenDe:
		share := .22
		if c.bodyK == ktgs.BodyInspectionCommission {
			share = .42
		}
		mixed(g.expN(2.8, 12), share, .6)
	case ktgs.CaseKindKTDHVP:
		if g.r.IntN(100) < 28 {
			x := g.pickLower(v, d, g.r.IntN(2) == 0, anyLower)
			if addOrg(x) {
				for i := g.r.IntN(3); i > 0; i-- {
					addMem(&g.vers[x], false)
				}
			}
		} else {
			n := 1
			if g.r.IntN(100) < 25 {
				n += 1 + g.r.IntN(2)
			}
			for i := 0; i < n; i++ {
				addMem(v, false)
			}
		}
	case ktgs.CaseKindKTThucHienKTGS:
		for i := g.expN(3, 8); i > 0; i-- {
			addOrg(g.pickLower(v, d, g.r.IntN(10) < 7, ktgsLower))
		}
	case ktgs.CaseKindKTTaiChinh:
		for i := g.expN(3, 8); i > 0; i-- {
			addOrg(g.pickLower(v, d, g.r.IntN(10) < 8, financeLower))
		}
	case ktgs.CaseKindKTThiHanhKyLuat:
		for i := g.expN(2, 5); i > 0; i-- {
			addOrg(g.pickLower(v, d, g.r.IntN(10) < 9, ktgsLower))
		}
	}
	return len(c.subj) > 0
}

// team picks a leader and one to three members among the cadres of the
// organisation the case is filed under, never a subject's account.
func (g *agen) team(c *pcase) bool {
	co := g.cadreOrgOf(c.org)
	if co < 0 {
		return false
	}
	cands := slices.Clone(g.orgs[co].cadres)
	cands = slices.DeleteFunc(cands, func(u int32) bool {
		m := g.users[u].member
		return m >= 0 && slices.ContainsFunc(c.subj, func(s psubj) bool { return s.mem == m })
	})
	if len(cands) == 0 {
		return false
	}
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	n := min(len(cands), 2+g.r.IntN(3))
	if g.lean {
		n = min(len(cands), 2+g.r.IntN(2))
	}
	c.team = cands[:n]
	return true
}

// durationDays is the plan's length in working days.
func (g *agen) durationDays(c *pcase, cl int) int {
	r := func(a, b int) int { return a + g.r.IntN(b-a+1) }
	if cl == clBranch {
		return r(10, 25)
	}
	switch c.kind {
	case ktgs.CaseKindKTDHVP:
		return r(30, 60)
	case ktgs.CaseKindKTChapHanh:
		return r(15, 40)
	case ktgs.CaseKindGSThuongXuyen:
		return r(40, 110)
	case ktgs.CaseKindGSChuyenDe:
		return r(20, 45)
	case ktgs.CaseKindKTThiHanhKyLuat:
		return r(10, 20)
	}
	return r(10, 25)
}

var (
	cancelNotes = []string{"Đối tượng kiểm tra đã được cấp ủy cấp trên kiểm tra cùng nội dung",
		"Tổ chức đảng được hợp nhất theo đề án sắp xếp tổ chức bộ máy",
		"Đảng viên là đối tượng kiểm tra đã chuyển sinh hoạt đảng ra ngoài đảng bộ",
		"Trùng nội dung với cuộc giám sát của Ủy ban Kiểm tra cấp trên",
		"Điều chỉnh chương trình kiểm tra, giám sát theo chỉ đạo của cấp ủy"}
	suspendNotes = []string{"Chờ kết luận thanh tra của cơ quan nhà nước có thẩm quyền",
		"Đối tượng kiểm tra đang điều trị bệnh dài ngày", "Chờ ý kiến chỉ đạo của cấp ủy cấp trên",
		"Chờ kết quả giám định, xác minh của cơ quan chức năng"}
)

// timeline lays out the procedure (RULES.md §2.3) from the proposal, with
// one case in five late, a few cancelled and a few open ones suspended,
// and cuts it at today.
func (g *agen) timeline(c *pcase, cl int) {
	wd := func(d civil.Date, n int) civil.Date { return g.cal.Add(d, n, calendar.WorkingDays) }
	P := c.proposed
	D := wd(P, 2+g.r.IntN(12))
	T := wd(D, g.r.IntN(4))
	S := wd(T, 1+g.r.IntN(6))
	c.dur = g.durationDays(c, cl)
	if c.ending {
		c.dur = min(c.dur, 30)
	}
	c.start, c.due = S, wd(S, c.dur)
	var C civil.Date
	if !c.ending && g.r.IntN(100) < 20 {
		C = wd(c.due, 5+g.r.IntN(40))
	} else {
		C = wd(S, max(4, c.dur*(85+g.r.IntN(16))/100))
	}
	span := g.cal.WorkingDaysBetween(S, C)
	c.sr = wd(S, max(1, span/5))
	V := wd(c.sr, 1+g.r.IntN(3))
	c.dr = wd(S, max(span*2/3, 2))
	if !c.dr.After(V) {
		c.dr = wd(V, 1)
	}
	c.m = wd(c.dr, 3+g.r.IntN(6))
	if !C.After(c.m) {
		C = wd(c.m, 1+g.r.IntN(3))
	}
	// Remediation requests: more after inspections on signs of violation
	// and finance inspections.
	nrem := []int{0, 0, 1, 1, 1, 2, 2, 3}[g.r.IntN(8)]
	if c.kind == ktgs.CaseKindKTDHVP || c.kind == ktgs.CaseKindKTTaiChinh {
		nrem = 1 + g.r.IntN(3)
	}
	if g.lean {
		nrem = min(nrem, []int{0, 0, 1, 1, 2}[g.r.IntN(5)])
	}
	last := C
	for i := 0; i < nrem; i++ {
		var p prem
		p.due = C.AddDays(30 + g.r.IntN(61))
		switch {
		case g.r.IntN(100) < 7:
			p.waived, p.done = true, p.due.AddDays(10+g.r.IntN(30))
		case g.r.IntN(100) < 70:
			p.report = p.due.AddDays(-g.r.IntN(20))
			p.done = wd(p.report, 3+g.r.IntN(12))
		default:
			p.report = p.due.AddDays(5 + g.r.IntN(56))
			p.done = wd(p.report, 3+g.r.IntN(12))
		}
		last = civil.Max(last, p.done)
		c.rems = append(c.rems, p)
	}
	steps := []pstep{step("propose", ktgs.CaseProposed, P, ""), step(ktgs.TransDecide, ktgs.CaseDecided, D, ""),
		step(ktgs.TransFormTeam, ktgs.CaseTeamFormed, T, ""), step(ktgs.TransAnnounce, ktgs.CaseAnnounced, S, ""),
		step(ktgs.TransSelfReport, ktgs.CaseSelfReported, c.sr, ""), step(ktgs.TransVerify, ktgs.CaseVerifying, V, ""),
		step(ktgs.TransDraftReport, ktgs.CaseDraftReport, c.dr, ""), step(ktgs.TransMeet, ktgs.CaseMeeting, c.m, ""),
		step(ktgs.TransConclude, ktgs.CaseConcluded, C, "")}
	if nrem > 0 {
		steps = append(steps, step(ktgs.TransFollowUp, ktgs.CaseFollowUp, wd(C, 1+g.r.IntN(7)), ""))
		steps = append(steps, step(ktgs.TransClose, ktgs.CaseClosed, wd(last, 1+g.r.IntN(10)), ""))
	} else {
		steps = append(steps, step(ktgs.TransClose, ktgs.CaseClosed, wd(C, 5+g.r.IntN(20)), ""))
	}
	// A few cases are cancelled before the commission's meeting.
	if g.r.IntN(1000) < 15 {
		k := 1 + g.r.IntN(7)
		a, b := steps[k-1].on, steps[k].on
		on := a.AddDays(1 + g.r.IntN(max(1, b.Sub(a))))
		if !on.After(actToday) {
			steps = append(steps[:k:k], step(ktgs.TransCancel, ktgs.CaseCancelled, on, cancelNotes[g.r.IntN(len(cancelNotes))]))
		}
	}
	n := 0
	for n < len(steps) && !steps[n].on.After(actToday) {
		n++
	}
	c.steps = steps[:n]
	c.status = c.steps[n-1].to
	// A few open cases stand suspended today.
	if lastOn := c.steps[n-1].on; c.status.Open() && actToday.Sub(lastOn) > 3 && g.r.IntN(100) < 5 {
		on := lastOn.AddDays(1 + g.r.IntN(actToday.Sub(lastOn)-1))
		c.prev, c.status = c.status, ktgs.CaseSuspended
		c.steps = append(c.steps, step(ktgs.TransSuspend, ktgs.CaseSuspended, on, suspendNotes[g.r.IntN(len(suspendNotes))]))
	}
	for i := range c.steps {
		if i > 0 {
			c.steps[i].from = c.steps[i-1].to
		}
		if c.steps[i].name == ktgs.TransDecide {
			c.steps[i].note = "Quyết định số " + strconv.Itoa(1+g.r.IntN(250)) + "-QĐ/" + decisionSuffix(c.bodyK, g.vers[c.ver].typ)
		}
	}
	c.events = c.steps
	if g.lean {
		// The main transitions and the current status's.
		var keep []pstep
		for i, st := range c.steps {
			switch st.name {
			case "propose", ktgs.TransDecide, ktgs.TransConclude, ktgs.TransClose, ktgs.TransCancel, ktgs.TransSuspend:
				keep = append(keep, st)
			default:
				if i == len(c.steps)-1 || (c.status == ktgs.CaseSuspended && i == len(c.steps)-2) {
					keep = append(keep, st)
				}
			}
		}
		c.events = keep
	}
}

// decisionSuffix is the issuer part of a decision number (Hướng dẫn
// 36-HD/VPTW).
func decisionSuffix(k ktgs.BodyKind, t ktgs.OrgType) string {
	switch k {
	case ktgs.BodyInspectionCommission:
		if t == ktgs.OrgTypeCentral {
			return "UBKTTW"
		}
		return "UBKT"
	case ktgs.BodyBranch:
		return "CB"
	case ktgs.BodyPolitburo, ktgs.BodySecretariat:
		return "TW"
	}
	switch t {
	case ktgs.OrgTypeDirectlyUnderCC:
		return "TU"
	case ktgs.OrgTypeDistrict:
		return "HU"
	}
	return "ĐU"
}

// boosted reports whether organisation oi gets the full activity: always,
// but at the demo scale only inside the detailed province.
func (g *agen) boosted(oi int32) bool {
	if len(g.boost) == 0 {
		return true
	}
	c := g.orgs[oi].code
	for _, p := range g.boost {
		if strings.HasPrefix(c, p) && (len(c) == len(p) || c[len(p)] == '-') {
			return true
		}
	}
	return false
}

// programmeOrg reports whether version v is at a level that adopts annual
// programmes: the Central Committee, provinces, districts (until the
// reform), communes (old ones until, commune đảng bộ from it).
func (g *agen) programmeOrg(v int32) bool {
	x := &g.vers[v]
	switch x.typ {
	case ktgs.OrgTypeCentral, ktgs.OrgTypeDirectlyUnderCC, ktgs.OrgTypeDistrict, ktgs.OrgTypeCommune:
		return true
	case ktgs.OrgTypeGrassrootsCommittee:
		if x.parent < 0 {
			return false
		}
		p := g.verAt(x.parent, x.from)
		return p >= 0 && g.vers[p].typ == ktgs.OrgTypeDistrict &&
			(strings.HasPrefix(x.name, "Đảng bộ xã ") || strings.HasPrefix(x.name, "Đảng bộ phường ") || strings.HasPrefix(x.name, "Đảng bộ thị trấn "))
	}
	return false
}

func programmeBody(k ktgs.BodyKind) ktgs.BodyKind {
	switch k {
	case ktgs.BodyInspectionCommission, ktgs.BodyBranch:
		return k
	}
	return ktgs.BodyCommittee
}

// programmes builds the year's annual programmes: one for the committee
// and one for the UBKT of every organisation at a programme level, and
// for some chi bộ; most of the year's planned cases become their items,
// and each programme has a few items only planned.
func (g *agen) programmes(y int, cases []*pcase) []*pprog {
	var progs []*pprog
	byKey := map[progKey]*pprog{}
	lazy := map[int32][2]civil.Date{}
	jan, jul := civil.New(y, 1, 15), ktgs.ReformDate.AddDays(14)
	for i := range g.orgs {
		oi := int32(i)
		var adopt civil.Date
		v := g.verAt(oi, jan)
		switch {
		case v >= 0 && g.programmeOrg(v):
			adopt = g.workday(civil.New(y, 1, 5+g.r.IntN(21)))
		case v < 0 && y == ktgs.ReformDate.Year():
			if v = g.verAt(oi, jul); v >= 0 && g.programmeOrg(v) {
				adopt = g.workday(civil.New(y, 7, 10+g.r.IntN(22)))
			}
		}
		if adopt == 0 || adopt.After(actToday) {
			continue
		}
		if !g.boosted(oi) {
			// At the demo scale, the thin provinces around the detailed
			// one get programmes only when they have planned cases.
			lazy[oi] = [2]civil.Date{adopt, 0}
			continue
		}
		if w := g.verAt(oi, adopt); w >= 0 {
			v = w
		}
		for _, bk := range []ktgs.BodyKind{ktgs.BodyCommittee, ktgs.BodyInspectionCommission} {
			if b := g.body(oi, bk); b != 0 {
				p := &pprog{org: oi, ver: v, bodyK: bk, bodyID: b, adopted: adopt}
				byKey[progKey{oi, bk}] = p
				progs = append(progs, p)
			}
		}
	}
	for _, c := range cases {
		if c.kind == ktgs.CaseKindKTDHVP {
			continue
		}
		key := progKey{c.org, programmeBody(c.bodyK)}
		p, seen := byKey[key]
		if l, ok := lazy[c.org]; ok && !seen && key.body != ktgs.BodyBranch {
			if v := g.verAt(c.org, l[0]); v >= 0 {
				p = &pprog{org: c.org, ver: v, bodyK: key.body, bodyID: g.body(c.org, key.body), adopted: l[0]}
				if p.bodyID == 0 {
					p = nil
				} else {
					progs = append(progs, p)
				}
			}
			byKey[key] = p
		}
		if !seen && key.body == ktgs.BodyBranch {
			// Some chi bộ adopt their own annual plan.
			byKey[key] = nil
			if g.r.IntN(100) < 8 {
				adopt := g.workday(civil.New(y, 1, 5+g.r.IntN(21)))
				if v := g.verAt(c.org, adopt); v >= 0 && !adopt.After(actToday) {
					p = &pprog{org: c.org, ver: v, bodyK: ktgs.BodyBranch, bodyID: c.bodyID, adopted: adopt}
					byKey[key] = p
					progs = append(progs, p)
				}
			}
		}
		if p == nil || p.adopted.After(c.proposed) {
			continue
		}
		prob := 85
		if c.kind == ktgs.CaseKindGSThuongXuyen {
			prob = 50
		}
		if g.r.IntN(100) >= prob {
			continue
		}
		it := &pitem{prog: p, kind: c.kind, subj: c.subj[0], content: c.content, lead: c.team[0], c: c,
			from: civil.New(y, c.proposed.Month(), 1)}
		it.to = civil.New(c.due.Year(), c.due.Month(), civil.DaysIn(c.due.Year(), c.due.Month()))
		c.item = it
		p.items = append(p.items, it)
	}
	for _, p := range progs {
		n := 0
		if len(p.items) == 0 || g.r.IntN(100) < 10 {
			n = 1
		}
		for i := 0; i < n; i++ {
			g.extraItem(p, y, false)
		}
		if y == actToday.Year() {
			for i := 1 + g.r.IntN(2); i > 0; i-- {
				g.extraItem(p, y, true)
			}
		}
		slices.SortStableFunc(p.items, func(a, b *pitem) int { return int(a.from - b.from) })
	}
	return progs
}

// extraItem adds to p an item that did not (or not yet) become a case: its
// window is in the past (overdue) or, for this year, still ahead.
func (g *agen) extraItem(p *pprog, y int, ahead bool) {
	var kinds []ktgs.CaseKind
	switch p.bodyK {
	case ktgs.BodyInspectionCommission:
		kinds = []ktgs.CaseKind{ktgs.CaseKindKTThucHienKTGS, ktgs.CaseKindKTTaiChinh, ktgs.CaseKindGSChuyenDe, ktgs.CaseKindGSThuongXuyen,
			ktgs.CaseKindKTThiHanhKyLuat}
	case ktgs.BodyBranch:
		kinds = []ktgs.CaseKind{ktgs.CaseKindGSThuongXuyen, ktgs.CaseKindKTChapHanh}
	default:
		kinds = []ktgs.CaseKind{ktgs.CaseKindKTChapHanh, ktgs.CaseKindGSChuyenDe}
	}
	it := &pitem{prog: p, kind: kinds[g.r.IntN(len(kinds))], lead: -1}
	v := &g.vers[p.ver]
	if p.bodyK == ktgs.BodyBranch {
		m := g.pickMember(p.org, p.adopted)
		if m < 0 {
			return
		}
		it.subj = psubj{kind: ktgs.SubjectMember, org: p.org, ver: p.ver, mem: m}
	} else {
		ok := anyLower
		if it.kind == ktgs.CaseKindKTTaiChinh {
			ok = financeLower
		}
		x := g.pickLower(v, p.adopted, g.r.IntN(10) < 7, ok)
		if x < 0 {
			return
		}
		it.subj = psubj{kind: ktgs.SubjectOrg, org: g.vers[x].org, ver: x, mem: -1}
	}
	if ahead {
		it.from = civil.New(y, 11, 10+g.r.IntN(30))
		it.to = it.from.AddDays(20 + g.r.IntN(30))
	} else {
		m := time.Month(int(p.adopted.Month()) + 1 + g.r.IntN(max(1, 11-int(p.adopted.Month()))))
		it.from = civil.New(y, m, 1)
		it.to = it.from.AddMonths(1 + g.r.IntN(2)).AddDays(-1)
	}
	if co := g.cadreOrgOf(p.org); co >= 0 {
		it.lead = g.orgs[co].cadres[g.r.IntN(len(g.orgs[co].cadres))]
	}
	it.content = g.content(it.kind, y, g.topic(y))
	p.items = append(p.items, it)
}

// committeeName turns a đảng bộ's name into its committee's: "Đảng bộ tỉnh
// X" → "Tỉnh ủy X", "Đảng bộ xã X" → "Đảng ủy xã X".
func committeeName(name string) string {
	for _, r := range []struct{ from, to string }{{"Đảng bộ tỉnh ", "Tỉnh ủy "}, {"Đảng bộ thành phố ", "Thành ủy "},
		{"Đảng bộ Thành phố ", "Thành ủy Thành phố "}, {"Đảng bộ huyện ", "Huyện ủy "}, {"Đảng bộ quận ", "Quận ủy "},
		{"Đảng bộ thị xã ", "Thị ủy "}, {"Đảng bộ ", "Đảng ủy "}} {
		if strings.HasPrefix(name, r.from) {
			return r.to + name[len(r.from):]
		}
	}
	return name
}

// bodyLabel names body k of an organisation named name of type t.
func bodyLabel(k ktgs.BodyKind, t ktgs.OrgType, name string) string {
	if t == ktgs.OrgTypeCentral {
		return app.BodyName(k, t)
	}
	switch k {
	case ktgs.BodyCommittee:
		return "Ban Chấp hành " + name
	case ktgs.BodyStandingCommittee:
		return "Ban Thường vụ " + committeeName(name)
	case ktgs.BodyInspectionCommission:
		return "Ủy ban Kiểm tra " + committeeName(name)
	}
	return name
}

// Row building.

// at returns a moment of working hours (8:00–17:00, UTC+7) on day d.
func (g *agen) at(d civil.Date) time.Time {
	return d.Time().Add(time.Hour + time.Duration(g.r.IntN(9*60))*time.Minute + time.Duration(g.r.IntN(60))*time.Second)
}

func (g *agen) emitProgramme(y int, p *pprog) {
	o := &g.orgs[p.org]
	v := &g.vers[p.ver]
	var by int64
	if co := g.cadreOrgOf(p.org); co >= 0 {
		by = g.users[g.orgs[co].cadres[0]].id
	}
	title := fmt.Sprintf("Chương trình kiểm tra, giám sát năm %d của %s", y, bodyLabel(p.bodyK, v.typ, v.name))
	prog := &ktgs.Programme{ID: p.id, BodyID: p.bodyID, OrgID: o.id, ScopePath: g.scopeOf(p.org), Kind: ktgs.ProgrammeAnnual, Year: y,
		Title: title, AdoptedOn: p.adopted}
	g.stats.Programmes++
	g.add(g.rb.Programme(prog, by, g.at(p.adopted)))
	for _, it := range p.items {
		x := &ktgs.ProgrammeItem{ID: it.id, ProgrammeID: p.id, Kind: it.kind, SubjectKind: it.subj.kind, SubjectOrg: g.orgs[it.subj.org].id,
			SubjectName: g.subjectName(it.subj), Content: it.content, From: it.from, To: it.to}
		if it.subj.mem >= 0 {
			x.SubjectMem = g.mems[it.subj.mem].id
		}
		if it.lead >= 0 {
			x.LeadUserID = g.users[it.lead].id
		}
		if it.c != nil {
			x.CaseID = it.c.id
		}
		g.stats.Items++
		g.add(g.rb.ProgrammeItem(x))
	}
}

func (g *agen) subjectName(s psubj) string {
	if s.mem >= 0 {
		return g.memName(s.mem)
	}
	return g.vers[s.ver].name
}

func (g *agen) emitCase(c *pcase) {
	o := &g.orgs[c.org]
	lead := &g.users[c.team[0]]
	kc := &ktgs.Case{ID: c.id, Kind: c.kind, BodyID: c.bodyID, OrgID: o.id, ScopePath: g.scopeOf(c.org), Title: c.title, Content: c.content,
		Mark: c.kind.DefaultMark(), Status: c.status, PrevStatus: c.prev, Year: c.proposed.Year(), ProposedOn: c.proposed,
		DecidedOn: c.on(ktgs.CaseDecided), StartOn: c.start, DurationDays: c.dur, DurationUnit: string(calendar.WorkingDays), DueOn: c.due,
		ConcludedOn: c.on(ktgs.CaseConcluded), ClosedOn: c.on(ktgs.CaseClosed), CreatedBy: lead.id}
	kc.Code = fmt.Sprintf("%s-%d-%06d", store.CasePrefix(c.kind), kc.Year, c.id)
	if c.item != nil {
		kc.ProgrammeItemID = c.item.id
	}
	// The timeline: one event per transition, at working hours, in order.
	var rows []store.Row
	var prev time.Time
	for i, st := range c.events {
		t := g.at(st.on)
		if !t.After(prev) {
			t = prev.Add(time.Duration(5+g.r.IntN(90)) * time.Minute)
		}
		prev = t
		if i == 0 {
			kc.CreatedAt = t
		}
		e := &ktgs.CaseEvent{ID: g.next("case_events"), CaseID: c.id, At: t, ActorID: lead.id, Actor: lead.username, Transition: st.name,
			From: st.from, To: st.to, Note: st.note}
		rows = append(rows, g.rb.CaseEvent(e))
	}
	kc.UpdatedAt = prev
	g.stats.Events += int64(len(c.events))
	g.stats.Cases++
	g.stats.ByKind[c.ki]++
	g.add(g.rb.Case(kc))
	g.noteCase(c)
	for i, s := range c.subj {
		cs := &ktgs.CaseSubject{Seq: i + 1, Kind: s.kind, OrgID: g.orgs[s.org].id, Name: g.subjectName(s)}
		if s.mem >= 0 {
			cs.MemberID = g.mems[s.mem].id
		}
		if c.reached(ktgs.CaseSelfReported) {
			cs.SelfReportOn = c.start.AddDays(g.r.IntN(c.sr.Sub(c.start) + 1))
		}
		if c.reached(ktgs.CaseMeeting) {
			cs.CommentsOn = c.dr.AddDays(g.r.IntN(c.m.Sub(c.dr) + 1))
		}
		g.add(g.rb.CaseSubject(c.id, cs))
	}
	g.stats.Subjects += int64(len(c.subj))
	if c.reached(ktgs.CaseTeamFormed) {
		added := c.on(ktgs.CaseTeamFormed)
		for i, u := range c.team {
			role := ktgs.TeamRoleMember
			if i == 0 {
				role = ktgs.TeamRoleLead
			}
			g.add(g.rb.TeamMember(&ktgs.TeamMember{CaseID: c.id, UserID: g.users[u].id, Role: role, AddedOn: added}))
		}
		g.stats.Team += int64(len(c.team))
	}
	g.add(rows...)
	if c.reached(ktgs.CaseDraftReport) {
		g.findings(c, lead)
	}
	if g.prog != nil && g.stats.Cases >= g.nextPg {
		g.prog(g.stats.Cases, g.expected)
		g.nextPg = g.stats.Cases + 2000
	}
}

// Texts. Every template is Vietnamese in NFC; the finding builder folds
// them for search.

// actTopics are the subjects of compliance inspections and thematic
// supervision, with the years in which they were current.
var actTopics = []struct {
	text     string
	from, to int
}{
	{"Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2015–2020", 2016, 2020},
	{"Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020–2025", 2021, 2025},
	{"Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2025–2030", 2025, 2026},
	{"Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 2016, 2026},
	{"Nghị quyết Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng", 2017, 2021},
	{"Kết luận số 21-KL/TW về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị", 2022, 2026},
	{"Quy định số 08-QĐi/TW về trách nhiệm nêu gương của cán bộ, đảng viên", 2018, 2026},
	{"Quy định về những điều đảng viên không được làm", 2016, 2026},
	{"nguyên tắc tập trung dân chủ và quy chế làm việc", 2016, 2026},
	{"công tác phòng, chống tham nhũng, lãng phí, tiêu cực", 2016, 2026},
	{"công tác quản lý đất đai, tài nguyên, môi trường", 2016, 2026},
	{"công tác cán bộ và quản lý đảng viên", 2016, 2026},
	{"chương trình xây dựng nông thôn mới", 2016, 2026},
	{"chế độ sinh hoạt chi bộ và chất lượng sinh hoạt chi bộ", 2016, 2026},
	{"công tác quản lý thu, chi ngân sách và tài sản công", 2016, 2026},
	{"việc kê khai, công khai tài sản, thu nhập", 2016, 2026},
	{"công tác phòng, chống dịch COVID-19", 2020, 2022},
	{"Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", 2025, 2026},
	{"việc sắp xếp tổ chức bộ máy và vận hành chính quyền địa phương hai cấp", 2025, 2026},
}

func (g *agen) topic(y int) string {
	for {
		t := actTopics[g.r.IntN(len(actTopics))]
		if y >= t.from && y <= t.to {
			return t.text
		}
	}
}

var (
	dhvpSigns = []string{"trong quản lý, sử dụng đất đai", "trong thực hiện chức trách, nhiệm vụ được giao", "về phẩm chất đạo đức, lối sống",
		"trong quản lý tài chính, tài sản công", "trong thực hiện chính sách dân số", "trong kê khai tài sản, thu nhập",
		"trong công tác cán bộ", "trong quản lý dự án đầu tư xây dựng"}
	dhvpSources = []string{"qua giám sát thường xuyên", "qua đơn thư phản ánh của quần chúng", "qua kết luận thanh tra",
		"qua kết quả kiểm toán nhà nước", "qua phản ánh của báo chí", "qua kiểm tra việc chấp hành"}
	domains = []string{"quản lý, sử dụng đất đai", "quản lý thu, chi ngân sách", "đầu tư xây dựng cơ bản", "công tác cán bộ",
		"thực hiện chính sách an sinh xã hội", "quản lý tài nguyên, khoáng sản", "mua sắm tài sản công", "xây dựng nông thôn mới"}
)

func (g *agen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// content is the content of a case or programme item of kind k in year y.
func (g *agen) content(k ktgs.CaseKind, y int, topic string) string {
	switch k {
	case ktgs.CaseKindKTChapHanh:
		return fmt.Sprintf("Kiểm tra việc lãnh đạo, chỉ đạo, ban hành văn bản và tổ chức thực hiện %s; việc thực hiện nguyên tắc tập trung dân chủ, quy chế làm việc; việc rèn luyện phẩm chất đạo đức, lối sống của đảng viên. Thời kỳ kiểm tra: từ năm %d đến thời điểm kiểm tra.", topic, y-1)
	case ktgs.CaseKindKTDHVP:
		return fmt.Sprintf("Kiểm tra dấu hiệu vi phạm %s, phát hiện %s.", g.pick(dhvpSigns), g.pick(dhvpSources))
	case ktgs.CaseKindKTThucHienKTGS:
		return fmt.Sprintf("Kiểm tra việc xây dựng và thực hiện chương trình kiểm tra, giám sát năm %d; việc giải quyết tố cáo, thi hành kỷ luật trong Đảng; việc xây dựng đội ngũ cán bộ kiểm tra.", y-1)
	case ktgs.CaseKindKTThiHanhKyLuat:
		return fmt.Sprintf("Kiểm tra việc chấp hành nguyên tắc, thủ tục, quy trình thi hành kỷ luật đảng viên từ năm %d đến năm %d.", y-2, y-1)
	case ktgs.CaseKindKTTaiChinh:
		if g.r.IntN(10) < 7 {
			return fmt.Sprintf("Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí năm %d.", y-1)
		}
		return fmt.Sprintf("Kiểm tra tài chính đảng: việc chấp hành chế độ thu, chi ngân sách, quản lý tài sản và quyết toán năm %d.", y-1)
	case ktgs.CaseKindGSThuongXuyen:
		return fmt.Sprintf("Giám sát thường xuyên việc thực hiện %s; việc thực hiện trách nhiệm nêu gương của cán bộ, đảng viên năm %d.", topic, y)
	}
	return fmt.Sprintf("Giám sát chuyên đề việc lãnh đạo, chỉ đạo và tổ chức thực hiện %s; trách nhiệm của người đứng đầu. Thời kỳ giám sát: năm %d.", topic, y)
}

// subjectPhrase names the subjects for a title: the first, then how many
// others.
func (g *agen) subjectPhrase(c *pcase) string {
	first := c.subj[0]
	s := g.subjectName(first)
	if first.mem >= 0 {
		s = "đồng chí " + s
	}
	var orgs, mems int
	for _, x := range c.subj[1:] {
		if x.mem >= 0 {
			mems++
		} else {
			orgs++
		}
	}
	switch {
	case orgs > 0 && mems > 0:
		s += fmt.Sprintf(" cùng %d tổ chức đảng và %d đảng viên", orgs, mems)
	case orgs > 0:
		s += fmt.Sprintf(" và %d tổ chức đảng", orgs)
	case mems > 0:
		s += fmt.Sprintf(" và %d đảng viên", mems)
	}
	return s
}

func (g *agen) texts(c *pcase) (title, content string) {
	y := c.proposed.Year()
	topic := g.topic(y)
	content = g.content(c.kind, y, topic)
	who := g.subjectPhrase(c)
	switch c.kind {
	case ktgs.CaseKindKTChapHanh:
		title = "Kiểm tra việc thực hiện " + topic + " đối với " + who
	case ktgs.CaseKindKTDHVP:
		title = "Kiểm tra khi có dấu hiệu vi phạm đối với " + who
	case ktgs.CaseKindKTThucHienKTGS:
		title = "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong Đảng đối với " + who
	case ktgs.CaseKindKTThiHanhKyLuat:
		title = "Kiểm tra việc thi hành kỷ luật trong Đảng đối với " + who
	case ktgs.CaseKindKTTaiChinh:
		title = "Kiểm tra tài chính đảng đối với " + who
	case ktgs.CaseKindGSThuongXuyen:
		title = fmt.Sprintf("Giám sát thường xuyên năm %d đối với %s", y, who)
	default:
		title = "Giám sát chuyên đề việc thực hiện " + topic + " đối với " + who
	}
	return title, content
}

var (
	strengthOrg = []string{
		"Cấp ủy đã kịp thời quán triệt và ban hành kế hoạch thực hiện %s, phân công rõ người, rõ việc, rõ thời gian.",
		"Duy trì nền nếp sinh hoạt định kỳ; nội dung sinh hoạt chuyên đề phong phú, gắn với nhiệm vụ chính trị của địa phương, đơn vị.",
		"Thu, nộp đảng phí đầy đủ, đúng quy định; sổ sách kế toán rõ ràng, công khai, minh bạch.",
		"Chủ động tự kiểm tra, tự phát hiện và khắc phục hạn chế, khuyết điểm; thực hiện nghiêm chế độ thông tin, báo cáo.",
		"Thực hiện tốt nguyên tắc tập trung dân chủ; nội bộ đoàn kết, thống nhất.",
		"Lãnh đạo hoàn thành các chỉ tiêu nghị quyết đề ra; việc thực hiện %s đạt kết quả tích cực.",
	}
	goodPractices = []string{
		"Mô hình \u201cDân vận khéo\u201d vận động nhân dân hiến đất, góp công làm đường giao thông nông thôn, được nhân dân đồng tình hưởng ứng.",
		"Ứng dụng sổ tay đảng viên điện tử trong sinh hoạt chi bộ: toàn bộ đảng viên nhận tài liệu và góp ý qua nền tảng số, rút ngắn thời gian họp.",
		"Cách làm \u201cmỗi tháng một chuyên đề, mỗi đảng viên một việc làm cụ thể\u201d nâng cao rõ rệt chất lượng sinh hoạt chi bộ.",
		"Phân công đảng viên phụ trách hộ gia đình, nắm bắt kịp thời tâm tư, nguyện vọng của nhân dân ngay tại cơ sở.",
		"Công khai kết quả tự kiểm tra, giám sát tại hội nghị cán bộ chủ chốt và trên bảng tin của cơ quan, tạo điều kiện để quần chúng giám sát.",
		"Xây dựng bộ tiêu chí đánh giá mức độ hoàn thành nhiệm vụ của đảng viên theo kết quả, sản phẩm cụ thể hằng quý.",
		"Mô hình \u201cChi bộ bốn tốt\u201d gắn sinh hoạt chi bộ với phát triển kinh tế hộ gia đình và giảm nghèo bền vững.",
		"Lập sổ theo dõi việc thực hiện kết luận kiểm tra, giám sát; mỗi nội dung khắc phục có người chịu trách nhiệm và thời hạn.",
	}
	strengthMem = []string{
		"Đồng chí có lập trường tư tưởng vững vàng, chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
		"Đồng chí hoàn thành tốt chức trách, nhiệm vụ được giao; giữ gìn phẩm chất đạo đức, lối sống trong sạch, giản dị.",
		"Đồng chí gương mẫu thực hiện trách nhiệm nêu gương, tích cực tham gia các hoạt động ở nơi cư trú.",
		"Đồng chí thực hiện nghiêm việc kê khai tài sản, thu nhập và chế độ sinh hoạt đảng theo quy định.",
	}
	shortOrg = []string{
		"Việc cụ thể hóa %s còn chậm; một số nội dung chưa sát với thực tiễn của địa phương, đơn vị.",
		"Chất lượng sinh hoạt chi bộ có lúc chưa cao; việc tự phê bình và phê bình còn hạn chế.",
		"Hồ sơ, tài liệu lưu trữ chưa đầy đủ, sắp xếp chưa khoa học.",
		"Việc thu, nộp đảng phí có thời điểm chưa kịp thời; chưa thực hiện đúng chế độ báo cáo tài chính định kỳ.",
		"Chưa thường xuyên kiểm tra, giám sát việc thực hiện nghị quyết ở các tổ chức đảng trực thuộc.",
		"Việc theo dõi, đôn đốc khắc phục hạn chế, khuyết điểm sau kiểm tra, giám sát chưa quyết liệt.",
	}
	shortMem = []string{
		"Đồng chí có thời điểm chưa thực hiện đầy đủ chế độ báo cáo với chi bộ về việc thực hiện nhiệm vụ được giao.",
		"Đồng chí chưa thật sự gương mẫu trong tham gia sinh hoạt đảng ở nơi cư trú.",
		"Tinh thần tự phê bình và phê bình của đồng chí có lúc còn hạn chế.",
		"Đồng chí kê khai tài sản, thu nhập chưa đầy đủ một số nội dung nhưng chưa đến mức vi phạm.",
	}
	noViolation = "Không vi phạm như dấu hiệu đã nêu; có hạn chế, khuyết điểm trong %s cần nghiêm túc rút kinh nghiệm."
)

// memberViolations are the categories (rules.Categories) of violations by
// members, with weights and a text.
var memberViolations = []struct {
	cat    string
	weight int
	text   string
}{
	{"NHIEM_VU_CONG_VU", 22, "Vi phạm quy định trong thực hiện chức trách, nhiệm vụ được giao, để xảy ra sai phạm trong %s."},
	{"TAI_CHINH_DAT_DAI", 18, "Vi phạm quy định về quản lý đất đai: cấp giấy chứng nhận quyền sử dụng đất sai đối tượng %d trường hợp."},
	{"LANH_DAO_QUAN_LY", 12, "Thiếu trách nhiệm trong lãnh đạo, quản lý, điều hành, để cấp dưới vi phạm trong %s."},
	{"DAO_DUC_LOI_SONG", 12, "Vi phạm Quy định về những điều đảng viên không được làm; vi phạm phẩm chất đạo đức, lối sống."},
	{"DAN_SO_GIA_DINH", 8, "Vi phạm chính sách dân số (sinh con thứ ba)."},
	{"KE_KHAI_TAI_SAN", 7, "Kê khai tài sản, thu nhập không trung thực, không đầy đủ."},
	{"THAM_NHUNG", 6, "Lợi dụng chức vụ, quyền hạn trong quản lý kinh phí, gây thất thoát ngân sách nhà nước %d triệu đồng."},
	{"DAU_TU_XAY_DUNG", 6, "Vi phạm quy định về quản lý dự án đầu tư xây dựng: nghiệm thu, thanh toán khống khối lượng trị giá %d triệu đồng."},
	{"CONG_TAC_CAN_BO", 5, "Vi phạm quy định trong công tác tuyển dụng, bổ nhiệm cán bộ."},
	{"TE_NAN_XA_HOI", 2, "Tham gia đánh bạc, bị cơ quan công an xử phạt vi phạm hành chính."},
	{"KHAC", 2, "Điều khiển phương tiện giao thông khi trong máu có nồng độ cồn, bị xử phạt vi phạm hành chính."},
}

// violationRates are, per kind (ktgs.CaseKinds order), the chance that an
// organisation / a member subject is found in violation and the chance a
// violation warrants discipline (RULES.md §8.2: committee inspections 2024
// 1,709 of 55,075 organisations and 6,058 of 308,028 members with
// violations, 35 and 189 to be disciplined; UBKT KT_DHVP 2,228 of 3,133 and
// 6,685 of 8,123, 262 and 2,716; supervision 1,239/42,840 and
// 2,905/148,630 by committees, 1,493/30,170 and 1,755/41,730 by UBKTs).
var violationRates = [7][4]float64{
	{.031, .02, .02, .031}, // KT_CHAP_HANH
	{.71, .82, .12, .41},   // KT_DHVP
	{.08, .05, .02, .05},   // KT_THUC_HIEN_NV_KTGS
	{.10, .05, .02, .05},   // KT_THI_HANH_KY_LUAT
	{.12, .05, .03, .05},   // KT_TAI_CHINH
	{.04, .03, .03, .06},   // GS_THUONG_XUYEN
	{.035, .025, .03, .06}, // GS_CHUYEN_DE
}

type pfinding struct {
	f   ktgs.Finding
	sev int // 0 strength, 1 shortcoming, 2 violation
}

// findings writes the findings of every subject (at least one each), and
// after the conclusion the remediation requests and their reports.
func (g *agen) findings(c *pcase, lead *auser) {
	y := c.proposed.Year()
	created := g.at(c.dr)
	var fs []pfinding
	topic := g.topic(y)
	rates := violationRates[c.ki]
	for i, s := range c.subj {
		seq := i + 1
		member := s.mem >= 0
		var out []pfinding
		add := func(kind ktgs.FindingKind, text string) *pfinding {
			sev := map[ktgs.FindingKind]int{ktgs.FindingStrength: 0, ktgs.FindingShortcoming: 1, ktgs.FindingViolation: 2}[kind]
			f := pfinding{f: ktgs.Finding{CaseID: c.id, SubjectSeq: seq, Kind: kind, Text: text, CreatedAt: created}, sev: sev}
			if member {
				f.f.ResponsibleMemberID = g.mems[s.mem].id
			}
			out = append(out, f)
			return &out[len(out)-1]
		}
		pv, pd := rates[0], rates[2]
		if member {
			pv, pd = rates[1], rates[3]
		}
		violation := g.r.Float64() < pv
		dhvp := c.kind == ktgs.CaseKindKTDHVP
		// Lean: one finding a subject, the violation if there is one.
		strength, short := g.r.IntN(100) < 75, g.r.IntN(100) < 55
		if g.lean {
			strength = !violation && !dhvp && g.r.IntN(100) < 55
			short = !violation && !strength
		}
		if !dhvp && strength {
			if member {
				add(ktgs.FindingStrength, g.pick(strengthMem))
			} else if g.r.IntN(100) < 10 {
				add(ktgs.FindingStrength, g.pick(goodPractices)).f.Spread = true
			} else {
				add(ktgs.FindingStrength, fmt.Sprintf(g.pick(strengthOrg), topic))
			}
		}
		if short || (dhvp && !violation) {
			switch {
			case dhvp && !violation:
				add(ktgs.FindingShortcoming, fmt.Sprintf(noViolation, g.pick(domains)))
			case member:
				add(ktgs.FindingShortcoming, g.pick(shortMem))
			default:
				add(ktgs.FindingShortcoming, fmt.Sprintf(g.pick(shortOrg), topic))
			}
		}
		if violation {
			var cat, text string
			switch {
			case member:
				x := g.r.IntN(100)
				for _, v := range memberViolations {
					if x -= v.weight; x < 0 || v.cat == "KHAC" {
						cat, text = v.cat, v.text
						break
					}
				}
				switch {
				case strings.Contains(text, "%s"):
					text = fmt.Sprintf(text, g.pick(domains))
				case strings.Contains(text, "%d trường hợp"):
					text = fmt.Sprintf(text, 2+g.r.IntN(40))
				case strings.Contains(text, "%d"):
					text = fmt.Sprintf(text, 50+g.r.IntN(3000))
				}
			case c.kind == ktgs.CaseKindKTTaiChinh:
				cat, text = "TAI_CHINH_DAT_DAI", fmt.Sprintf("Thu, nộp, sử dụng đảng phí không đúng quy định; chi sai mục đích %d triệu đồng.", 5+g.r.IntN(300))
			case c.kind == ktgs.CaseKindKTThucHienKTGS:
				cat, text = "KIEM_TRA_GIAM_SAT", fmt.Sprintf("Không xây dựng và thực hiện chương trình kiểm tra, giám sát năm %d; không thực hiện chế độ báo cáo theo quy định.", y-1)
			case c.kind == ktgs.CaseKindKTThiHanhKyLuat:
				cat, text = "NGUYEN_TAC_TO_CHUC", "Thi hành kỷ luật đảng viên không đúng quy trình, thủ tục; hình thức kỷ luật chưa tương xứng với nội dung, tính chất vi phạm."
			default:
				switch g.r.IntN(3) {
				case 0:
					cat, text = "NGUYEN_TAC_TO_CHUC", fmt.Sprintf("Vi phạm nguyên tắc tập trung dân chủ và quy chế làm việc trong lãnh đạo %s.", g.pick(domains))
				case 1:
					cat, text = "BAN_HANH_THUC_HIEN", fmt.Sprintf("Buông lỏng lãnh đạo, chỉ đạo, thiếu kiểm tra, giám sát để xảy ra sai phạm trong %s.", g.pick(domains))
				default:
					cat, text = "CHU_TRUONG_QUY_DINH", fmt.Sprintf("Không thực hiện nghiêm quy định của Đảng về %s.", topic)
				}
			}
			warrants := g.r.Float64() < pd
			if warrants {
				text += " Đến mức phải xem xét, xử lý kỷ luật."
			} else {
				text += " Chưa đến mức phải xem xét, xử lý kỷ luật."
			}
			f := add(ktgs.FindingViolation, text)
			f.f.Category, f.f.WarrantsDiscipline = cat, warrants
		}
		if len(out) == 0 {
			if member {
				add(ktgs.FindingStrength, g.pick(strengthMem))
			} else {
				add(ktgs.FindingShortcoming, fmt.Sprintf(g.pick(shortOrg), topic))
			}
		}
		fs = append(fs, out...)
	}
	// Remediation requests concern shortcomings and violations: make sure
	// there is one when the conclusion asks for remediation.
	concluded := c.reached(ktgs.CaseConcluded)
	var targets []int
	if concluded && len(c.rems) > 0 {
		for i := range fs {
			if fs[i].sev > 0 {
				targets = append(targets, i)
			}
		}
		if len(targets) == 0 {
			s := c.subj[0]
			text := fmt.Sprintf(g.pick(shortOrg), topic)
			if s.mem >= 0 {
				text = g.pick(shortMem)
			}
			f := pfinding{f: ktgs.Finding{CaseID: c.id, SubjectSeq: 1, Kind: ktgs.FindingShortcoming, Text: text, CreatedAt: created}, sev: 1}
			fs = append(fs, f)
			targets = append(targets, len(fs)-1)
		}
		slices.SortStableFunc(targets, func(a, b int) int { return fs[b].sev - fs[a].sev })
	}
	for i := range fs {
		fs[i].f.ID = g.next("findings")
		g.add(g.rb.Finding(&fs[i].f))
	}
	g.noteFindings(c, fs)
	g.stats.Findings += int64(len(fs))
	if len(targets) == 0 {
		return
	}
	lim := c.limit()
	bodyName := bodyLabel(c.bodyK, g.vers[c.ver].typ, g.vers[c.ver].name)
	concludedAt := g.at(c.on(ktgs.CaseConcluded))
	for i, p := range c.rems {
		f := &fs[targets[i%len(targets)]]
		r := &ktgs.Remediation{ID: g.next("remediations"), CaseID: c.id, FindingID: f.f.ID, SubjectSeq: f.f.SubjectSeq, DueOn: p.due,
			Status: ktgs.RemediationOpen, UpdatedAt: concludedAt}
		r.Text = g.remText(c, f, bodyName, p.due)
		var reps []*store.RemediationReport
		rep := func(on civil.Date, kind, text string, user int64) {
			t := g.at(on)
			if !t.After(r.UpdatedAt) {
				t = r.UpdatedAt.Add(time.Hour)
			}
			reps = append(reps, &store.RemediationReport{ID: g.next("remediation_reports"), RemediationID: r.ID, At: t, UserID: user, Kind: kind, Text: text})
			r.UpdatedAt = t
		}
		if !p.report.IsZero() && !p.report.After(lim) && !(g.lean && !p.done.After(lim)) {
			rep(p.report, "REPORT", "Đã tổ chức kiểm điểm và khắc phục; gửi báo cáo kết quả kèm tài liệu chứng minh.", lead.id)
			r.Status = ktgs.RemediationReported
		}
		switch {
		case !p.done.After(lim) && p.waived:
			r.Reason = g.pick([]string{"Nội dung đã được xử lý trong cuộc kiểm tra của cấp trên",
				"Tổ chức đảng đã hợp nhất theo đề án sắp xếp; nội dung do tổ chức đảng mới tiếp tục thực hiện",
				"Đảng viên đã nghỉ hưu, chuyển sinh hoạt đảng về nơi cư trú"})
			rep(p.done, "WAIVE", r.Reason, lead.id)
			r.Status = ktgs.RemediationWaived
		case !p.done.After(lim):
			rep(p.done, "VERIFY", "Đoàn kiểm tra đã xác minh: đối tượng đã khắc phục xong.", lead.id)
			r.Status = ktgs.RemediationVerified
		case p.due.AddDays(20).Before(lim):
			// Long overdue: already escalated to the committee.
			r.EscalatedOn = p.due.AddDays(7 + g.r.IntN(7))
			rep(r.EscalatedOn, "ESCALATE", "Quá hạn khắc phục; báo cáo cấp ủy để chỉ đạo.", 0)
		}
		g.add(g.rb.Remediation(r))
		for _, x := range reps {
			g.add(g.rb.RemediationReport(x))
		}
		g.stats.Remediations++
		g.stats.Reports += int64(len(reps))
	}
}

func (g *agen) remText(c *pcase, f *pfinding, body string, due civil.Date) string {
	by := " Báo cáo kết quả về " + body + " trước ngày " + vn.Date(due) + "."
	switch {
	case f.sev == 2 && c.kind == ktgs.CaseKindKTTaiChinh:
		return "Thu hồi số tiền chi sai, nộp vào quỹ đảng theo quy định." + by
	case f.sev == 2 && f.f.ResponsibleMemberID != 0:
		return "Đồng chí " + g.memName(c.subj[f.f.SubjectSeq-1].mem) + " kiểm điểm, làm rõ trách nhiệm cá nhân trước chi bộ; khắc phục hậu quả vi phạm." + by
	case f.sev == 2:
		return "Tổ chức kiểm điểm, làm rõ trách nhiệm của tập thể và cá nhân có liên quan đến vi phạm." + by
	}
	return g.pick([]string{"Khắc phục hạn chế, khuyết điểm đã được chỉ ra trong thông báo kết luận.",
		"Rà soát, bổ sung, hoàn thiện quy chế làm việc và hồ sơ, tài liệu theo quy định.",
		"Xây dựng kế hoạch khắc phục, phân công rõ trách nhiệm từng tập thể, cá nhân."}) + by
}

func step(name string, to ktgs.CaseStatus, on civil.Date, note string) pstep {
	return pstep{name: name, to: to, on: on, note: note}
}
