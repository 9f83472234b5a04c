package seed

// Synthetic discipline (RULES.md §3, §4) for the ten years of activity:
// discipline proceedings against members and organisations, decided by
// the bodies the rule sets allow, and the complaints about their
// decisions. A share of the proceedings opens from the case findings that
// said the subject must be disciplined (the funnels' "disciplined" step),
// some from denunciations found true (letters.go), the rest directly
// (self-initiated by a chi bộ or a committee) or on a state body's or the
// police's notice. Every body is chosen as the service would choose it:
// the opening body must have a role over the subject on the opening day
// (R2), the form is voted by secret ballot, and a body that may only
// propose forwards the file to the competent body R2 names, which
// decides. The subject is taken as it stood on each day, the organisation
// tree as reorganised. An expulsion in force ends the membership on its
// announcement, a removal from post the post it names.
//
// Left out: the decision documents (Quyết định kỷ luật) and the report
// duties a decision creates, escalations of complaints beyond the first
// resolver, decided dissolutions (they reorganise the tree), removal from
// a committee seat, and the expulsion of a member a later case or letter
// still concerns, an inspection cadre or a committee member (the register
// would need more than the end of the membership).

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// Sizing. RULES.md §8.2 publishes the discipline totals: committees and
// chi bộ ≈ 16,200–18,100 members and ≈ 410 organisations a year (of which
// BCH TW, BCT and BBT 20–70 members and up to 26 organisations); UBKTs
// 3,460–6,540 members and 100–300 organisations (UBKTTW ≈ 60 members and
// ≈ 13 organisations). nationalDiscipline takes the middle of those
// ranges, by deciding body group (ktgs.StatsBodyGroups order: central,
// committees, UBKTs) and subject (members, organisations), for 5.6
// million members; discYear scales each year (2021: ≈ 20,300 members,
// 2023–2024: ≈ 24,100; 2016–2020 assumed a little lower, 2025 lower for
// the reorganisation) and, as for the cases, the volume scales with the
// members generated. The forms follow the provincial example of §8.2
// (members: khiển trách ≈ 72%, cảnh cáo ≈ 19%, cách chức ≈ 3%, khai trừ ≈
// 6%; organisations: mostly khiển trách, some cảnh cáo, giải tán rare and
// only as a proposal still before the committee two levels up, since a
// decided dissolution reorganises the tree); the causes follow 2023
// (corruption ≈ 2%, degradation and prohibited acts ≈ 37%).
var nationalDiscipline = [3][2]float64{
	{55, 18},     // central: BCH TW, BCT, BBT
	{16900, 390}, // committees and chi bộ
	{5200, 190},  // UBKTs, UBKTTW included
}

// discYear scales a year's discipline (see above); the year of actToday
// counts up to actToday.
func discYear(y int) float64 {
	f := map[int]float64{2016: .84, 2017: .87, 2018: .9, 2019: .92, 2020: .86, 2021: .9, 2022: .96, 2023: 1.07, 2024: 1.07, 2025: .85,
		2026: .92}[y]
	if y == actToday.Year() {
		f *= float64(actToday.Sub(civil.New(y, 1, 1))) / 365
	}
	return f
}

const (
	// findingShare is the share of the findings that said "must be
	// disciplined" that lead to a proceeding (RULES.md §8.2, UBKT
	// KT_DHVP 2024: 2,345 disciplined of 2,716).
	findingShare = 0.86
	// letterShare is the share of the denunciations found true that lead
	// to a proceeding against the accused.
	letterShare = 0.6
	// complaintShare is the share of decided proceedings complained about
	// (RULES.md §4); demoComplaintShare at the demo scale, so that a
	// demonstration shows every outcome.
	complaintShare     = 0.04
	demoComplaintShare = 0.12
	// demoDisciplinePerYear: a demonstration needs a few proceedings a
	// month whatever its size.
	demoDisciplinePerYear = 36
)

// DisciplineSizing states the sizing assumption; DisciplineStats repeats
// it.
const DisciplineSizing = "proceedings per year ≈ RULES.md §8.2 × members/5.6M: committees and chi bộ ≈ 16,900 members + 390 organisations, " +
	"UBKTs ≈ 5,200 + 190 (UBKTTW ≈ 60), BCH TW/BCT/BBT ≈ 55 + 18, by year 0.84 (2016) … 1.07 (2023–2024), 0.85 (2025); " +
	"≈ 86% of the findings that said must be disciplined and ≈ 60% of the denunciations found true open one, the rest are direct " +
	"(≈ 80%), state-body notices (≈ 12%) or police notices (≈ 8%); forms ≈ 72/19/3/6% KT/CC/CCh/KTr for members, ≈ 85/14/1% KT/CC/GT " +
	"for organisations (GT only proposed); complaints ≈ 4% of decisions (12% at the demo scale), mostly upheld; " +
	"at least 36 proceedings a year at the demo scale"

// DisciplineStats counts the discipline GenerateActivity wrote.
type DisciplineStats struct {
	Proceedings, Members, Orgs, Events, Votes, Persons, Posts int64
	// FromFindings and FromLetters count the proceedings opened from a
	// case finding and from a denunciation found true.
	FromFindings, FromLetters   int64
	Complaints, ComplaintEvents int64
	// Expelled counts the memberships ended by an expulsion in force.
	Expelled int64
	// ByStatus counts the proceedings in the order of
	// ktgs.ProceedingStatuses; ByForm the decisions in force (DECIDED) in
	// the order of ktgs.DisciplineForms; ByGroup the decisions in force by
	// the deciding body's group (ktgs.StatsBodyGroups); ByOrigin the
	// proceedings in the order of ktgs.ProceedingOrigins; ByOutcome the
	// resolved complaints in the order of ktgs.ComplaintOutcomes.
	ByStatus  [10]int64
	ByForm    [5]int64
	ByGroup   [3]int64
	ByOrigin  [5]int64
	ByOutcome [3]int64
	// DecidedByYear and ComplaintsByYear count the decisions (by decision
	// date, whatever happened to them later) and the complaints (by filing
	// date) of each year from 2016.
	DecidedByYear    [11]int64
	ComplaintsByYear [11]int64
	// Sizing is the sizing assumption (DisciplineSizing).
	Sizing string
}

func init() {
	if len(ktgs.ProceedingStatuses) != len(DisciplineStats{}.ByStatus) || len(ktgs.DisciplineForms) != len(DisciplineStats{}.ByForm) ||
		len(ktgs.StatsBodyGroups) != len(DisciplineStats{}.ByGroup) || len(ktgs.ProceedingOrigins) != len(DisciplineStats{}.ByOrigin) ||
		len(ktgs.ComplaintOutcomes) != len(DisciplineStats{}.ByOutcome) || actToday.Year()-actFirst.Year()+1 != len(DisciplineStats{}.DecidedByYear) {
		panic("seed: DisciplineStats arrays do not match the discipline enumerations or the years")
	}
}

// dfinding is a finding that said the subject must be disciplined.
type dfinding struct {
	id, caseID int64
	kind       ktgs.CaseKind
	caseOrg    int32
	caseBody   ktgs.BodyKind
	subj       psubj
	category   string
	text       string
	start      civil.Date // the case's start
	concluded  civil.Date
	last       civil.Date // the last day the case concerns its subjects
	open       civil.Date // the day its proceeding opens, 0 if none
}

// dbody is a body of the register: its organisation, kind and id.
type dbody struct {
	org  int32
	kind ktgs.BodyKind
	id   int64
}

// mfacts is what the register holds about a member subject.
type mfacts struct {
	m     *ktgs.Member
	seats []dseat
}

// dseat is a committee seat as the rules read it (a ktgs.Seat without its
// names: the generator holds every seat of the tree).
type dseat struct {
	member, org int64
	start, end  civil.Date
	kind        ktgs.BodyKind
	role        ktgs.Role
	orgType     ktgs.OrgType // the type of its organisation when the seat began
}

// dcompl is a planned complaint about a decision.
type dcompl struct {
	c        ktgs.Complaint
	resolver dbody
	rules    [2]string // the rule decisions of filing and resolving
	newSt    ktgs.ProceedingStatus
	newFrm   ktgs.DisciplineForm
}

// dstep is a step of a proceeding's history.
type dstep struct {
	name     string
	from, to ktgs.ProceedingStatus
	on       civil.Date
	body     dbody
	note     string
	rules    map[string]*rules.Decision
}

// dproc is a planned proceeding.
type dproc struct {
	id        int64
	origin    ktgs.ProceedingOrigin
	kind      ktgs.SubjectKind
	mem       int32 // -1 for an organisation
	org       int32 // the organisation subject, or the member's chi bộ
	mf        *mfacts
	fin       *dfinding
	category  string
	text      string
	violOn    civil.Date
	warranted ktgs.DisciplineForm
	form      ktgs.DisciplineForm // voted
	first     dbody
	decider   dbody // zero when no body decides (no discipline, cancelled)
	forwarded bool
	O, H      civil.Date
	V1, V2    civil.Date // V2: the competent body's vote, 0 if none
	D, A      civil.Date
	post      *ktgs.Post // the post a removal (cách chức) ends
	notice    struct {
		ref                    string
		decided, received, due civil.Date
		late                   bool
	}
	steps  []dstep
	votes  []ktgs.Vote
	status ktgs.ProceedingStatus
	prev   ktgs.ProceedingStatus
	reason string
	comp   *dcompl
}

func (p *dproc) member() bool { return p.mem >= 0 }

// dgen generates the discipline over an agen that planned the cases and
// the letters. It draws from its own random stream, so the cases and the
// letters do not depend on it.
type dgen struct {
	*agen
	r        *rand.Rand
	reg      *rules.Registry
	st       *DisciplineStats
	lastRef  []civil.Date // by member: the last day a case or letter concerns it
	found    []dfinding
	busy     map[int32]civil.Date // member → last day of its latest proceeding
	orgBusy  map[int32]civil.Date
	expelled map[int32]bool
	ends     []store.MemberEnd
	done     [][3][2]int // by year: proceedings by group and subject kind
	carry    [3][2]float64
	cache    map[string]r2ans
	epochs   []civil.Date
	notices  map[string]civil.Date
	leaders  []int32
	seats    []dseat // every committee seat, by member (EachSeat)
	rootOrg  int32
	ready    bool
}

// dg returns the discipline generator of g, created on first use.
func (g *agen) dg() *dgen {
	if g.disc == nil {
		g.disc = &dgen{agen: g, r: rand.New(rand.NewPCG(g.o.Seed^0x6b796c756174, g.o.Seed+0x6b6c2d6b6e)),
			lastRef: make([]civil.Date, len(g.mems)), busy: map[int32]civil.Date{}, orgBusy: map[int32]civil.Date{},
			expelled: map[int32]bool{}, cache: map[string]r2ans{}, notices: map[string]civil.Date{}, st: &g.stats.Discipline}
	}
	return g.disc
}

// setup prepares what planning needs: the rule sets, the epochs of their
// values, the leaders.
func (d *dgen) setup() error {
	if d.ready {
		return nil
	}
	d.ready = true
	d.st.Sizing = DisciplineSizing
	d.reg = d.o.Rules
	if d.reg == nil {
		d.reg = rules.Default()
	}
	// The days on which some rule value starts or stops: R2 answers the
	// same between two of them for the same facts.
	seen := map[civil.Date]bool{ktgs.ReformDate: true}
	for _, s := range d.reg.RuleSets() {
		seen[s.EffectiveFrom] = true
		seen[s.EffectiveTo.AddDays(1)] = true
		for _, k := range s.Keys() {
			if v, ok := s.Value(k); ok {
				seen[v.EffectiveFrom] = true
				seen[v.EffectiveTo.AddDays(1)] = true
			}
		}
	}
	for x := range seen {
		d.epochs = append(d.epochs, x)
	}
	slices.Sort(d.epochs)
	for i := range d.mems {
		if d.mems[i].flags&memLeader != 0 {
			d.leaders = append(d.leaders, int32(i))
		}
	}
	d.done = make([][3][2]int, actToday.Year()-actFirst.Year()+1)
	d.rootOrg = -1
	for i := range d.vers {
		if d.vers[i].parent < 0 && d.vers[i].typ == ktgs.OrgTypeCentral {
			d.rootOrg = d.vers[i].org
			break
		}
	}
	return d.loadSeats()
}

// ref notes that member m is concerned by a record until day.
func (d *dgen) ref(m int32, day civil.Date) {
	if m >= 0 && day.After(d.lastRef[m]) {
		d.lastRef[m] = day
	}
}

// noteCase notes the member subjects of case c (hook of emitCase): a
// member concerned by a case is not expelled before it ends.
func (g *agen) noteCase(c *pcase) {
	d := g.dg()
	day := caseLast(c)
	for _, s := range c.subj {
		d.ref(s.mem, day)
	}
}

// caseLast is the last day case c concerns its subjects: today while it
// is open.
func caseLast(c *pcase) civil.Date {
	if c.status.Open() {
		return actToday
	}
	return c.steps[len(c.steps)-1].on
}

// noteFindings keeps the findings of case c that said the subject must be
// disciplined (hook of findings), once the case concluded.
func (g *agen) noteFindings(c *pcase, fs []pfinding) {
	concluded := c.on(ktgs.CaseConcluded)
	if concluded == 0 {
		return
	}
	d := g.dg()
	for i := range fs {
		f := &fs[i].f
		if f.Kind != ktgs.FindingViolation || !f.WarrantsDiscipline {
			continue
		}
		d.found = append(d.found, dfinding{id: f.ID, caseID: c.id, kind: c.kind, caseOrg: c.org, caseBody: c.bodyK,
			subj: c.subj[f.SubjectSeq-1], category: f.Category, text: f.Text, start: c.start, concluded: concluded, last: caseLast(c)})
	}
}

// discipline writes the proceedings of every year after the cases and the
// letters (those from letters were written with them): first the ones
// from findings, then as many others as the year's sizing asks for.
func (g *agen) discipline() error {
	d := g.dg()
	if err := d.setup(); err != nil {
		return err
	}
	slices.SortStableFunc(d.found, func(a, b dfinding) int { return int(a.concluded - b.concluded) })
	for i := range d.found {
		f := &d.found[i]
		if d.r.Float64() < findingShare {
			f.open = g.workday(f.concluded.AddDays(5 + d.r.IntN(40)))
		}
	}
	next := 0
	for y := actFirst.Year(); y <= actToday.Year(); y++ {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		for ; next < len(d.found) && d.found[next].concluded.Year() <= y; next++ {
		}
		for i := range d.found[:next] {
			f := &d.found[i]
			if f.open == 0 || f.open.Year() != y || f.open.After(actToday) {
				continue
			}
			if err := d.fromFinding(f); err != nil {
				return err
			}
		}
		if err := d.year(y); err != nil {
			return err
		}
	}
	return nil
}

// year fills year y up to its sizing, drawing each proceeding for the
// group and subject kind furthest below their numbers.
func (d *dgen) year(y int) error {
	yi := y - actFirst.Year()
	var want [3][2]int
	total := 0.0
	for gi := range nationalDiscipline {
		for k := range nationalDiscipline[gi] {
			total += nationalDiscipline[gi][k]
		}
	}
	scale := d.volume * discYear(y)
	if d.o.Scale == ScaleDemo {
		part := 1.0
		if y == actToday.Year() {
			part = float64(actToday.Sub(civil.New(y, 1, 1))) / 365
		}
		scale = max(scale, demoDisciplinePerYear*part/total)
	}
	n := 0
	for gi := range want {
		for k := range want[gi] {
			x := nationalDiscipline[gi][k]*scale + d.carry[gi][k]
			want[gi][k] = int(x)
			d.carry[gi][k] = x - float64(want[gi][k])
			n += want[gi][k]
		}
	}
	for tries := 0; tries < 4*n+40; tries++ {
		var cum [6]int
		sum := 0
		for gi := range want {
			for k := range want[gi] {
				sum += max(0, want[gi][k]-d.done[yi][gi][k])
				cum[gi*2+k] = sum
			}
		}
		if sum == 0 {
			break
		}
		x := d.r.IntN(sum)
		c, _ := slices.BinarySearch(cum[:], x+1)
		if err := d.draw(y, c/2, c%2 == 1); err != nil {
			return err
		}
	}
	return nil
}

// dayOf draws an opening day of year y, up to actToday, weighted as the
// cases' proposals are.
func (d *dgen) dayOf(y int) civil.Date { return d.workday(weightedDay(d.r, y)) }

func (d *dgen) pick(list []string) string { return list[d.r.IntN(len(list))] }

// wd adds n working days to day.
func (d *dgen) wd(day civil.Date, n int) civil.Date { return d.cal.Add(day, n, calendar.WorkingDays) }

// at returns a moment of working hours on day.
func (d *dgen) at(day civil.Date) time.Time {
	return day.Time().Add(time.Hour + time.Duration(d.r.IntN(9*60))*time.Minute + time.Duration(d.r.IntN(60))*time.Second)
}

// Subjects and bodies.

// memberOK reports whether member m may be the subject of a proceeding
// opened on day: a member of its chi bộ then, not expelled, not under
// another proceeding.
func (d *dgen) memberOK(m int32, day civil.Date) bool {
	x := &d.mems[m]
	if x.since.After(day) || (!x.ended.IsZero() && !x.ended.After(day)) || d.expelled[m] {
		return false
	}
	if b, ok := d.busy[m]; ok && !day.After(b.AddDays(30)) {
		return false
	}
	v := d.verAt(x.home, day)
	return v >= 0 && d.vers[v].typ.IsBranch()
}

// facts loads what the register holds about member m: its row and its
// seats (loaded once by setup).
func (d *dgen) facts(m int32) (*mfacts, error) {
	id := d.mems[m].id
	mm, err := d.tx.MemberRow(d.ctx, id)
	if err != nil {
		return nil, err
	}
	i, _ := slices.BinarySearchFunc(d.seats, id, func(s dseat, id int64) int { return cmp.Compare(s.member, id) })
	j := i
	for j < len(d.seats) && d.seats[j].member == id {
		j++
	}
	return &mfacts{m: mm, seats: d.seats[i:j]}, nil
}

// loadSeats reads every committee seat, by member, with the type of its
// organisation as MemberSeats gives it (the version in force when the
// seat began).
func (d *dgen) loadSeats() error {
	return d.tx.EachSeat(d.ctx, func(s *ktgs.Seat) error {
		x := dseat{member: s.MemberID, org: s.OrgID, start: s.Start, end: s.End, kind: s.BodyKind, role: s.Role}
		if oi, ok := d.orgIdx[s.OrgID]; ok {
			for _, v := range d.orgs[oi].vers {
				if !d.vers[v].from.After(s.Start) {
					x.orgType = d.vers[v].typ
				}
			}
		}
		d.seats = append(d.seats, x)
		return nil
	})
}

// ancestor returns the nearest organisation above the version of oi on
// day (itself when self) whose type ok accepts, or -1.
func (d *dgen) ancestor(oi int32, day civil.Date, self bool, ok func(ktgs.OrgType) bool) int32 {
	v := d.verAt(oi, day)
	if v < 0 {
		return -1
	}
	ids := store.PathIDs(d.vers[v].path)
	if !self {
		ids = ids[:len(ids)-1]
	}
	for i := len(ids) - 1; i >= 0; i-- {
		ai, found := d.orgIdx[ids[i]]
		if !found {
			continue
		}
		if av := d.verAt(ai, day); av >= 0 && ok(d.vers[av].typ) {
			return ai
		}
	}
	return -1
}

var (
	upperTier = func(t ktgs.OrgType) bool {
		switch t {
		case ktgs.OrgTypeDirectlyUnderCC, ktgs.OrgTypeDistrict, ktgs.OrgTypeUpperGrassroots, ktgs.OrgTypeCommune:
			return true
		}
		return false
	}
	grassTier = func(t ktgs.OrgType) bool { return t == ktgs.OrgTypeGrassrootsCommittee }
	hasUBKT   = func(t ktgs.OrgType) bool { return slices.Contains(ktgs.BodyKindsFor(t), ktgs.BodyInspectionCommission) }
)

// bodyOf returns body kind k of organisation oi (id 0 if it has none).
func (d *dgen) bodyOf(oi int32, k ktgs.BodyKind) dbody {
	if oi < 0 {
		return dbody{org: -1, kind: k}
	}
	return dbody{org: oi, kind: k, id: d.body(oi, k)}
}

// root returns the root organisation (TW), -1 if there is none.
func (d *dgen) root() int32 { return d.rootOrg }

// groupOf is the stats group of a body (ktgs.StatsBodyGroups order).
func (d *dgen) groupOf(b dbody, day civil.Date) int {
	switch b.kind {
	case ktgs.BodyPolitburo, ktgs.BodySecretariat:
		return 0
	case ktgs.BodyInspectionCommission:
		return 2
	case ktgs.BodyCommittee, ktgs.BodyStandingCommittee:
		if v := d.verAt(b.org, day); v >= 0 && d.vers[v].typ == ktgs.OrgTypeCentral {
			return 0
		}
	}
	return 1
}

// Forms and causes.

type weighted[T any] struct {
	v T
	w float64
}

func pickW[T any](r *rand.Rand, list []weighted[T]) T {
	tot := 0.0
	for _, x := range list {
		tot += x.w
	}
	x := r.Float64() * tot
	for _, e := range list {
		if x -= e.w; x < 0 {
			return e.v
		}
	}
	return list[len(list)-1].v
}

var (
	formsDirect = []weighted[ktgs.DisciplineForm]{{ktgs.FormReprimand, 76}, {ktgs.FormWarning, 19}, {ktgs.FormRemoval, 2.5},
		{ktgs.FormExpulsion, 2.5}}
	formsPolice = []weighted[ktgs.DisciplineForm]{{ktgs.FormReprimand, 10}, {ktgs.FormWarning, 25}, {ktgs.FormRemoval, 10},
		{ktgs.FormExpulsion, 55}}
	formsFinding = []weighted[ktgs.DisciplineForm]{{ktgs.FormReprimand, 58}, {ktgs.FormWarning, 30}, {ktgs.FormRemoval, 4},
		{ktgs.FormExpulsion, 8}}
	formsLetter = []weighted[ktgs.DisciplineForm]{{ktgs.FormReprimand, 55}, {ktgs.FormWarning, 35}, {ktgs.FormRemoval, 10}}
	formsOrg    = []weighted[ktgs.DisciplineForm]{{ktgs.FormReprimand, 85}, {ktgs.FormWarning, 14}, {ktgs.FormDissolution, 1}}
)

// cause draws a category and a text.
func (d *dgen) cause(list []discCause, arg string) (string, string) {
	tot := 0.0
	for _, c := range list {
		tot += c.w
	}
	x := d.r.Float64() * tot
	c := list[len(list)-1]
	for _, e := range list {
		if x -= e.w; x < 0 {
			c = e
			break
		}
	}
	text := d.pick(c.texts)
	switch {
	case strings.Contains(text, "%s"):
		if arg == "" {
			arg = d.pick(domains)
		}
		text = fmt.Sprintf(text, arg)
	case strings.Contains(text, "%d"):
		text = fmt.Sprintf(text, 20+d.r.IntN(900))
	}
	return c.cat, text
}

// lighter returns the form one step below f on the ladders of RULES.md
// §3.1 that any subject who could receive f can also receive ("" below
// khiển trách; giải tán has none drawn).
func lighter(f ktgs.DisciplineForm) ktgs.DisciplineForm {
	switch f {
	case ktgs.FormWarning:
		return ktgs.FormReprimand
	case ktgs.FormRemoval, ktgs.FormExpulsion:
		return ktgs.FormWarning
	}
	return ""
}

// Drawing and planning.

// draw plans one proceeding of year y for group gi (members, or
// organisations when org), opened directly or on a notice.
func (d *dgen) draw(y, gi int, org bool) error {
	O := d.dayOf(y)
	p := &dproc{mem: -1, origin: ktgs.OriginDirect}
	if org {
		return d.drawOrg(p, O, gi)
	}
	causes, forms := memberCauses, formsDirect
	switch x := d.r.IntN(100); {
	case x < 8:
		p.origin, causes, forms = ktgs.OriginLawEnforcement, policeCauses, formsPolice
	case x < 20:
		p.origin, causes = ktgs.OriginStateDiscipline, stateCauses
	}
	p.warranted = pickW(d.r, forms)
	heavy := p.warranted == ktgs.FormExpulsion || p.warranted == ktgs.FormRemoval
	var m int32 = -1
	central := gi == 0 || (gi == 2 && d.r.Float64() < 60/nationalDiscipline[2][0])
	for try := 0; try < 20 && m < 0; try++ {
		var x int32
		if central {
			if len(d.leaders) == 0 {
				return nil
			}
			x = d.leaders[d.r.IntN(len(d.leaders))]
		} else {
			x = int32(d.r.IntN(len(d.mems)))
		}
		if !d.memberOK(x, O) {
			continue
		}
		// Expulsion and removal: an official member, whom no later case
		// or letter concerns.
		if heavy && try < 15 && (d.mems[x].flags&memOfficial == 0 ||
			(p.warranted == ktgs.FormExpulsion && (!d.lastRef[x].Before(O) || d.mems[x].flags&memCadre != 0))) {
			continue
		}
		m = x
	}
	if m < 0 {
		return nil
	}
	p.kind, p.mem, p.org = ktgs.SubjectMember, m, d.mems[m].home
	var cands []dbody
	home := p.org
	switch {
	case central && gi == 0:
		k := ktgs.BodyPolitburo
		if d.r.IntN(2) == 0 {
			k = ktgs.BodySecretariat
		}
		cands = []dbody{d.bodyOf(d.root(), k)}
	case central:
		cands = []dbody{d.bodyOf(d.root(), ktgs.BodyInspectionCommission)}
	case gi == 2:
		near := d.bodyOf(d.ancestor(home, O, false, hasUBKT), ktgs.BodyInspectionCommission)
		up := d.bodyOf(d.ancestor(home, O, false, upperTier), ktgs.BodyInspectionCommission)
		cands = []dbody{near, up}
		if d.r.IntN(2) == 0 {
			cands = []dbody{up, near}
		}
	default:
		upper := d.ancestor(home, O, false, upperTier)
		grass := d.ancestor(home, O, false, grassTier)
		direct := []dbody{d.bodyOf(upper, ktgs.BodyStandingCommittee), d.bodyOf(upper, ktgs.BodyCommittee),
			d.bodyOf(grass, ktgs.BodyStandingCommittee), d.bodyOf(grass, ktgs.BodyCommittee)}
		if p.origin == ktgs.OriginLawEnforcement || (heavy && d.r.IntN(100) < 45) || d.r.IntN(100) < 8 {
			cands = direct
		} else {
			cands = append([]dbody{d.bodyOf(home, ktgs.BodyBranch)}, direct...)
		}
	}
	place := ""
	if p.origin == ktgs.OriginStateDiscipline {
		place = d.stateBody(home, O)
	}
	p.category, p.text = d.cause(causes, place)
	if p.origin.StateNotice() {
		d.notice(p, O)
	}
	p.violOn = O.AddDays(-(20 + d.r.IntN(400)))
	if p.origin.StateNotice() {
		p.violOn = p.notice.decided.AddDays(-(20 + d.r.IntN(300)))
	}
	return d.plan(p, O, cands)
}

// drawOrg plans a proceeding against an organisation for group gi.
func (d *dgen) drawOrg(p *dproc, O civil.Date, gi int) error {
	var v int32 = -1
	for try := 0; try < 30 && v < 0; try++ {
		x := int32(d.r.IntN(len(d.vers)))
		c := &d.vers[x]
		if c.parent < 0 || c.typ == ktgs.OrgTypeCentral || c.typ == ktgs.OrgTypePartyGroup || O.Before(c.from) || !O.Before(c.to) {
			continue
		}
		if gi == 0 && c.depth > 2 {
			continue
		}
		if b, ok := d.orgBusy[c.org]; ok && !O.After(b.AddDays(60)) {
			continue
		}
		v = x
	}
	if v < 0 {
		return nil
	}
	x := &d.vers[v]
	p.kind, p.org = ktgs.SubjectOrg, x.org
	p.warranted = pickW(d.r, formsOrg)
	parent := x.parent
	var cands []dbody
	if p.warranted == ktgs.FormDissolution && (actToday.Sub(O) > 70 || gi == 0) {
		// Only recent proposals of dissolution are drawn (see
		// nationalDiscipline).
		p.warranted = ktgs.FormWarning
	}
	switch {
	case p.warranted == ktgs.FormDissolution:
		cands = []dbody{d.bodyOf(parent, ktgs.BodyCommittee)}
	case gi == 0:
		k := ktgs.BodyPolitburo
		if d.r.IntN(2) == 0 {
			k = ktgs.BodySecretariat
		}
		cands = []dbody{d.bodyOf(d.root(), k)}
	case gi == 2:
		gp := d.ancestor(parent, O, false, hasUBKT)
		cands = []dbody{d.bodyOf(gp, ktgs.BodyInspectionCommission)}
	default:
		cands = []dbody{d.bodyOf(parent, ktgs.BodyStandingCommittee), d.bodyOf(parent, ktgs.BodyCommittee)}
		if d.r.IntN(100) < 40 {
			cands[0], cands[1] = cands[1], cands[0]
		}
	}
	if p.warranted == ktgs.FormDissolution {
		p.category, p.text = "NGUYEN_TAC_TO_CHUC", dissolutionText
	} else {
		p.category, p.text = d.cause(orgCauses, "")
	}
	p.violOn = civil.Max(O.AddDays(-(30 + d.r.IntN(500))), x.from)
	return d.plan(p, O, cands)
}

// fromFinding plans the proceeding a finding leads to: opened by the body
// that ran the case, or when it may not act, by the subject's chi bộ or
// the nearest UBKT or standing committee that may.
func (d *dgen) fromFinding(f *dfinding) error {
	O := f.open
	p := &dproc{mem: -1, origin: ktgs.OriginFinding, fin: f, category: f.category, text: f.text}
	if p.category == "" {
		p.category = "KHAC"
	}
	p.violOn = f.start.AddDays(-(30 + d.r.IntN(500)))
	cands := []dbody{d.bodyOf(f.caseOrg, f.caseBody)}
	if f.subj.mem >= 0 {
		if !d.memberOK(f.subj.mem, O) {
			return nil
		}
		p.kind, p.mem, p.org = ktgs.SubjectMember, f.subj.mem, d.mems[f.subj.mem].home
		p.warranted = pickW(d.r, formsFinding)
		cands = append(cands, d.bodyOf(p.org, ktgs.BodyBranch), d.bodyOf(d.ancestor(p.org, O, false, hasUBKT), ktgs.BodyInspectionCommission),
			d.bodyOf(d.ancestor(p.org, O, false, upperTier), ktgs.BodyStandingCommittee))
	} else {
		p.kind, p.org = ktgs.SubjectOrg, f.subj.org
		p.warranted = pickW(d.r, formsOrg[:2])
		v := d.verAt(p.org, O)
		if v < 0 || d.vers[v].parent < 0 {
			return nil
		}
		par := d.vers[v].parent
		cands = append(cands, d.bodyOf(par, ktgs.BodyStandingCommittee), d.bodyOf(par, ktgs.BodyCommittee))
		p.violOn = civil.Max(p.violOn, d.vers[d.orgs[p.org].vers[0]].from)
	}
	return d.plan(p, O, cands)
}

// letterDiscipline is the hook of the letters: it notes the members a
// letter concerns and, for a denunciation found true, may open a
// proceeding against the accused (origin DENUNCIATION) and link the
// allegation to it, before the allegation rows are written.
func (lg *lgen) letterDiscipline(l *plet, kl *ktgs.Letter) error {
	d := lg.dg()
	if err := d.setup(); err != nil {
		return err
	}
	last := actToday
	if !kl.Status.Open() {
		last = civil.Max(kl.ReceivedOn, civil.Max(kl.ConcludedOn, civil.Max(kl.NotifiedOn, kl.WithdrawnOn)))
	}
	d.ref(l.sndMem, last)
	alls := l.alls
	if l.dupOf != nil {
		alls = l.dupOf.alls
	}
	for i := range alls {
		d.ref(alls[i].mem, last)
	}
	if kl.ConcludedOn.IsZero() || l.dupOf != nil || l.holder != l.competent {
		return nil
	}
	for i := range kl.Allegations {
		a := &kl.Allegations[i]
		x := &l.alls[i]
		if a.Result != ktgs.ResultFounded || a.Kind != ktgs.LetterDenunciation || a.Subject == ktgs.AllegedUnknown || d.r.Float64() >= letterShare {
			continue
		}
		O := lg.workday(kl.ConcludedOn.AddDays(5 + d.r.IntN(30)))
		if O.After(actToday) {
			continue
		}
		p := &dproc{mem: -1, origin: ktgs.OriginDenunciation, text: a.Conclusion}
		p.violOn = kl.ReceivedOn.AddDays(-(30 + d.r.IntN(400)))
		cands := []dbody{d.bodyOf(l.holder, ktgs.BodyInspectionCommission)}
		if a.Subject == ktgs.AllegedMember {
			if !d.memberOK(x.mem, O) {
				continue
			}
			p.kind, p.mem, p.org = ktgs.SubjectMember, x.mem, d.mems[x.mem].home
			p.warranted = pickW(d.r, formsLetter)
			p.category = letterCategory(memberTopicCats, x.topic)
			cands = append(cands, d.bodyOf(p.org, ktgs.BodyBranch))
		} else {
			p.kind, p.org = ktgs.SubjectOrg, x.org
			p.warranted = pickW(d.r, formsOrg[:2])
			p.category = letterCategory(orgTopicCats, x.topic)
			p.violOn = civil.Max(p.violOn, d.vers[d.orgs[p.org].vers[0]].from)
		}
		before := d.st.Proceedings
		if err := d.plan(p, O, cands); err != nil {
			return err
		}
		if d.st.Proceedings > before {
			a.ProceedingID = p.id
		}
	}
	return nil
}

// stateBody names the state body that disciplined a member of chi bộ
// oi: the commune's or the district's people's committee.
func (d *dgen) stateBody(oi int32, day civil.Date) string {
	if p := d.ancestor(oi, day, false, upperTier); p >= 0 {
		if v := d.verAt(p, day); v >= 0 {
			name := d.vers[v].name
			for _, pre := range []string{"Đảng bộ ", "Đảng ủy "} {
				if strings.HasPrefix(name, pre) {
					return "Ủy ban nhân dân " + name[len(pre):]
				}
			}
		}
	}
	return "Ủy ban nhân dân xã"
}

// notice draws the state or police notice a proceeding opens on (R18):
// the state decision, the day its notice arrived and the deadline.
func (d *dgen) notice(p *dproc, O civil.Date) {
	n := &p.notice
	n.received = O.AddDays(-d.r.IntN(6))
	late := d.r.IntN(100) < 15
	gap := 1 + d.r.IntN(3)
	if late {
		gap = 6 + d.r.IntN(15)
	}
	n.decided = n.received.AddDays(-gap)
	if p.origin == ktgs.OriginLawEnforcement {
		n.ref = fmt.Sprintf("Quyết định khởi tố bị can số %d/QĐ-CSĐT ngày %s của Cơ quan Cảnh sát điều tra", 10+d.r.IntN(400), n.decided.VN())
	} else {
		n.ref = fmt.Sprintf("Quyết định kỷ luật số %d/QĐ-UBND ngày %s", 10+d.r.IntN(900), n.decided.VN())
	}
}

// plan lays out proceeding p opened on day O by the first candidate body
// with a role over the subject (R2 not NONE), and writes it. A subject or
// a day on which no candidate may act is dropped silently.
func (d *dgen) plan(p *dproc, O civil.Date, cands []dbody) error {
	p.O = O
	if p.member() {
		mf, err := d.facts(p.mem)
		if err != nil {
			return err
		}
		if !mf.m.Active(O) || mf.m.StatusOn(O) == "" {
			return nil
		}
		p.mf = mf
		p.violOn = civil.Max(p.violOn, mf.m.AdmittedOn)
		if mf.m.StatusOn(O) == ktgs.MemberStatusProbationary && p.warranted != ktgs.FormReprimand {
			p.warranted = ktgs.FormWarning
		}
		seated := slices.ContainsFunc(mf.seats, func(s dseat) bool { return !s.end.Before(O) })
		if p.warranted == ktgs.FormRemoval && seated {
			// Removal from a committee seat ends the seat; the generator
			// removes from a post (below) only.
			p.warranted = ktgs.FormWarning
		}
		if p.warranted == ktgs.FormExpulsion && ((!d.lastRef[p.mem].Before(O) && (p.fin == nil || d.lastRef[p.mem].After(p.fin.last))) ||
			d.mems[p.mem].flags&memCadre != 0 || seated) {
			// Concerned by a later case or letter, an inspection cadre or
			// seated on a committee: the register would need more than
			// the end of the membership. Not expelled here.
			p.warranted = ktgs.FormWarning
		}
		if p.warranted == ktgs.FormRemoval {
			d.removalPost(p)
		}
	} else if p.org < 0 {
		return nil
	}
	if p.violOn.After(O) {
		p.violOn = O.AddDays(-1)
	}
	chiBo := func(b dbody) bool { return b.kind == ktgs.BodyBranch }
	// The hearing and the ballot(s): a chi bộ meets monthly, a body
	// within weeks.
	p.H = d.wd(O, 2+d.r.IntN(9))
	// The opening body: the first candidate with a role over the subject.
	var first dbody
	for _, b := range cands {
		if b.id == 0 || b.org < 0 || !d.under(p, b.org, O) {
			continue
		}
		out, _, dec, err := d.authority(p, O, b, p.warranted)
		if err != nil {
			return err
		}
		if out != rules.OutcomeNone {
			first = b
			p.addRules(ktgs.StepOpen, "R2", dec)
			break
		}
	}
	if first.id == 0 {
		return nil
	}
	p.first = first
	if chiBo(first) {
		p.V1 = p.H.AddDays(3 + d.r.IntN(25))
	} else {
		p.V1 = d.wd(p.H, 3+d.r.IntN(15))
	}
	p.V1 = d.workday(p.V1)
	if !d.under(p, first.org, p.V1) {
		return nil
	}
	purpose, comp, dec, err := d.authority(p, p.V1, first, p.warranted)
	if err != nil {
		return err
	}
	if purpose == rules.OutcomeNone {
		return nil
	}
	p.addRules(ktgs.StepVote, "R2", dec)
	p.form = p.warranted
	final, fcomp := purpose, comp
	noDisc := d.r.IntN(1000) < 15
	if !noDisc && lighter(p.warranted) != "" && p.warranted != ktgs.FormDissolution && d.r.IntN(100) < 6 {
		// The ballot adopted a lighter form (cumulation, R4), which may
		// be within the body's own authority.
		p.form = lighter(p.warranted)
		out, c2, dec2, err := d.authority(p, p.V1, first, p.form)
		if err != nil {
			return err
		}
		if out == rules.OutcomeNone {
			return nil
		}
		p.addRules(ktgs.StepVote, "R2", dec2)
		final, fcomp = out, c2
	}
	purposeS := "DECIDE"
	if purpose == rules.OutcomePropose {
		purposeS = "PROPOSE"
	}
	if noDisc {
		v, err := d.ballot(p, first, p.V1, purposeS, p.warranted, true)
		if err != nil {
			return err
		}
		p.votes = append(p.votes, v)
		p.status = ktgs.ProcNoDiscipline
		return d.finish(p)
	}
	v1, err := d.ballot(p, first, p.V1, purposeS, p.form, false)
	if err != nil {
		return err
	}
	p.votes = append(p.votes, v1)
	p.decider = first
	last := p.V1
	if final == rules.OutcomePropose {
		// The file goes to the competent body R2 names, which votes and
		// decides.
		if fcomp.id == 0 {
			return nil
		}
		p.forwarded = true
		p.V2 = d.wd(p.V1, 10+d.r.IntN(30))
		if p.form == ktgs.FormDissolution && !p.V2.After(actToday) {
			// Only proposed: a decided dissolution reorganises the tree.
			p.V2 = d.wd(actToday, 1+d.r.IntN(20))
		}
		if !d.under(p, fcomp.org, p.V2) {
			return nil
		}
		out, _, dec3, err := d.authority(p, p.V2, fcomp, p.form)
		if err != nil {
			return err
		}
		if out != rules.OutcomeDecide {
			return nil
		}
		p.addRules("vote2", "R2", dec3)
		v2, err := d.ballot(p, fcomp, p.V2, "DECIDE", p.form, false)
		if err != nil {
			return err
		}
		p.votes = append(p.votes, v2)
		p.decider = fcomp
		last = p.V2
	}
	p.D = last
	if !chiBo(p.decider) {
		p.D = d.wd(last, d.r.IntN(3))
	}
	if !d.under(p, p.decider.org, p.D) {
		return nil
	}
	p.A = p.D.AddDays(d.r.IntN(5))
	if p.form == ktgs.FormExpulsion || p.form == ktgs.FormRemoval {
		p.A = p.D.AddDays(1 + d.r.IntN(6))
	}
	return d.finish(p)
}

// under reports whether the subject of p lies under organisation oi (or
// is it, for a member's chi bộ) on day.
func (d *dgen) under(p *dproc, oi int32, day civil.Date) bool {
	bv := d.verAt(oi, day)
	sv := d.verAt(p.org, day)
	if bv < 0 || sv < 0 {
		return false
	}
	if p.member() {
		return strings.HasPrefix(d.vers[sv].path, d.vers[bv].path)
	}
	return sv != bv && strings.HasPrefix(d.vers[sv].path, d.vers[bv].path)
}

// removalPost gives a member to be removed from post (cách chức) the post
// the removal ends: a state or party post held from some years before.
func (d *dgen) removalPost(p *dproc) {
	v := d.verAt(p.org, p.O)
	level, titles := ktgs.LevelGrassroots, []string{"Trưởng thôn", "Chủ nhiệm Hợp tác xã", "Trưởng ban Công tác Mặt trận",
		"Hiệu trưởng trường Tiểu học", "Trạm trưởng Trạm Y tế"}
	agency := ""
	if up := d.ancestor(p.org, p.O, false, upperTier); up >= 0 && d.r.IntN(100) < 45 {
		if uv := d.verAt(up, p.O); uv >= 0 {
			switch d.vers[uv].typ {
			case ktgs.OrgTypeDistrict:
				level, titles = ktgs.LevelDistrict, []string{"Trưởng phòng Tài nguyên và Môi trường", "Phó Chủ tịch Ủy ban nhân dân",
					"Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"}
			case ktgs.OrgTypeCommune:
				level, titles = ktgs.LevelCommune, []string{"Phó Chủ tịch Ủy ban nhân dân", "Chủ tịch Hội Nông dân", "Trưởng phòng Kinh tế"}
			case ktgs.OrgTypeDirectlyUnderCC:
				level, titles = ktgs.LevelProvince, []string{"Phó Giám đốc Sở", "Trưởng phòng thuộc Sở", "Phó Chánh Văn phòng"}
			}
			agency = strings.TrimPrefix(strings.TrimPrefix(d.vers[uv].name, "Đảng bộ "), "Đảng ủy ")
		}
	}
	if agency == "" && v >= 0 {
		agency = strings.TrimPrefix(strings.TrimPrefix(d.vers[v].name, "Chi bộ "), "Đảng bộ ")
	}
	from := civil.Max(p.O.AddDays(-(365 + d.r.IntN(6*365))), p.mf.m.AdmittedOn)
	p.post = &ktgs.Post{MemberID: d.mems[p.mem].id, Title: d.pick(titles), Agency: agency, Level: level,
		From: from, To: civil.Forever}
}

// finish completes the plan of p: the limitation and forms asked for the
// history, the steps cut at today, a few postponed or cancelled, the
// complaint about the decision; then it writes the rows.
func (d *dgen) finish(p *dproc) error {
	_, ladder, ok := d.subject(p, p.O)
	if !ok {
		return nil
	}
	dec, err := d.ask("R1", rules.FormsRequest{DecisionDate: p.O.String(), Subject: &ladder, Form: string(p.warranted)})
	if err != nil {
		return fmt.Errorf("seed discipline: R1 %s: %w", p.warranted, err)
	}
	p.addRules(ktgs.StepOpen, "R1", dec)
	lim := func(form ktgs.DisciplineForm, day civil.Date) (*rules.Decision, error) {
		return d.ask("R6", rules.LimitationRequest{SubjectKind: string(p.kind), ViolationDate: p.violOn.String(), WarrantedForm: string(form),
			Category: p.category, ConclusionDate: day.String()})
	}
	if dec, err = lim(p.warranted, p.O); err != nil {
		return err
	}
	p.addRules(ktgs.StepOpen, "R6", dec)
	if p.origin.StateNotice() {
		if err := d.noticeRule(p); err != nil {
			return err
		}
	}
	// The steps up to the decision.
	type st struct {
		name string
		to   ktgs.ProceedingStatus
		on   civil.Date
		body dbody
		note string
	}
	steps := []st{{ktgs.StepOpen, ktgs.ProcOpen, p.O, p.first, string(p.origin)}, {ktgs.StepHear, ktgs.ProcHeard, p.H, p.first, ""}}
	switch {
	case p.status == ktgs.ProcNoDiscipline:
		steps = append(steps, st{ktgs.StepVote, ktgs.ProcNoDiscipline, p.V1, p.first, ""})
	case p.forwarded:
		steps = append(steps, st{ktgs.StepForward, ktgs.ProcForwarded, p.V1, p.first, d.bodyName(p.decider, p.V1)},
			st{"vote2", ktgs.ProcVoted, p.V2, p.decider, ""}, st{ktgs.StepDecide, ktgs.ProcDecided, p.D, p.decider, ""})
	default:
		steps = append(steps, st{ktgs.StepVote, ktgs.ProcVoted, p.V1, p.first, ""}, st{ktgs.StepDecide, ktgs.ProcDecided, p.D, p.decider, ""})
	}
	if p.status != ktgs.ProcNoDiscipline && !p.D.After(actToday) {
		if dec, err = lim(p.form, p.votes[len(p.votes)-1].HeldOn); err != nil {
			return err
		}
		if dec != nil && dec.Outcome == "EXPIRED" {
			return nil // the limitation had run: not a case to draw
		}
		key := ktgs.StepVote
		if p.forwarded {
			key = "vote2"
		}
		p.addRules(key, "R6", dec)
	}
	// A few proceedings end early: cancelled (the file went to another
	// body, the member died) before the vote.
	if p.status != ktgs.ProcNoDiscipline && d.r.IntN(1000) < 10 {
		on := p.H.AddDays(1 + d.r.IntN(max(1, p.V1.Sub(p.H)-1)))
		if on.Before(p.V1) {
			steps = append(steps[:2:2], st{ktgs.StepCancel, ktgs.ProcCancelled, on, p.first, d.pick(cancelReasons)})
			p.reason = steps[2].note
			p.decider = dbody{}
		}
	}
	n := 0
	for n < len(steps) && !steps[n].on.After(actToday) {
		n++
	}
	steps = steps[:n]
	p.status = steps[n-1].to
	switch p.status {
	case ktgs.ProcOpen:
		p.H, p.V1, p.V2 = 0, 0, 0
	case ktgs.ProcHeard, ktgs.ProcCancelled:
		p.V1, p.V2 = 0, 0
	case ktgs.ProcForwarded, ktgs.ProcNoDiscipline:
		p.V2 = 0
	}
	if p.status != ktgs.ProcDecided {
		p.D, p.A = 0, 0
	}
	var votes []ktgs.Vote
	if p.status == ktgs.ProcCancelled {
		p.votes = nil
	}
	for _, v := range p.votes {
		if !v.HeldOn.After(actToday) {
			votes = append(votes, v)
		}
	}
	p.votes = votes
	// A few open proceedings stand postponed today.
	if p.status.Pending() && p.status != ktgs.ProcVoted {
		lastOn := steps[n-1].on
		if gap := actToday.Sub(lastOn); gap > 3 && d.r.IntN(100) < 8 {
			on := lastOn.AddDays(1 + d.r.IntN(gap-1))
			g := d.pick([]string{string(ktgs.PostponeSeriouslyIll), string(ktgs.PostponeNursingInfant)})
			reason := map[string]string{string(ktgs.PostponeSeriouslyIll): "Đảng viên đang điều trị nội trú tại bệnh viện.",
				string(ktgs.PostponeNursingInfant): "Đảng viên đang nuôi con dưới 12 tháng tuổi."}[g]
			if !p.member() {
				reason = ""
			}
			if reason != "" {
				p.prev = p.status
				steps = append(steps, st{ktgs.StepPostpone, ktgs.ProcPostponed, on, steps[n-1].body, reason})
				p.status = ktgs.ProcPostponed
				p.reason = g + ": " + reason
			}
		}
	}
	// The history.
	hist := make([]dstep, 0, len(steps))
	from := ktgs.ProceedingStatus("")
	for _, s := range steps {
		x := dstep{name: s.name, from: from, to: s.to, on: s.on, body: s.body, note: s.note}
		key := s.name
		if s.name == ktgs.StepForward {
			key = ktgs.StepVote
		}
		for _, ps := range p.steps {
			if ps.name == key {
				x.rules = ps.rules
			}
		}
		if s.name == "vote2" {
			x.name = ktgs.StepVote
		}
		hist = append(hist, x)
		from = s.to
	}
	if p.status == ktgs.ProcDecided {
		// The duties of the decision (R2 on the vote's day).
		last := p.V1
		if p.V2 != 0 {
			last = p.V2
		}
		_, _, dec, err := d.authority(p, last, p.decider, p.form)
		if err != nil {
			return err
		}
		if dec != nil {
			hist[len(hist)-1].rules = map[string]*rules.Decision{"R2": dec}
		}
	}
	p.steps = hist
	if p.status == ktgs.ProcDecided && !p.A.After(actToday) {
		if err := d.complaint(p); err != nil {
			return err
		}
	}
	return d.emit(p)
}

// bodyName names body b as it stood on day.
func (d *dgen) bodyName(b dbody, day civil.Date) string {
	v := d.verAt(b.org, day)
	if v < 0 {
		v = d.orgs[b.org].vers[len(d.orgs[b.org].vers)-1]
	}
	if b.kind == ktgs.BodyBranch {
		return d.vers[v].name
	}
	return bodyLabel(b.kind, d.vers[v].typ, d.vers[v].name)
}

// Complaints.

// complaint draws, for a few decisions, a complaint filed within the
// deadline (R10) before the first resolver (R11), resolved by it (most
// upheld, some changed to a lighter form, a few annulled) or still
// pending today.
func (d *dgen) complaint(p *dproc) error {
	share := complaintShare
	if d.o.Scale == ScaleDemo {
		share = demoComplaintShare
	}
	if d.r.Float64() >= share {
		return nil
	}
	F := p.A.AddDays(2 + d.r.IntN(25))
	if F.After(actToday) {
		return nil
	}
	bv := d.verAt(p.decider.org, p.D)
	if bv < 0 {
		return nil
	}
	bk, _ := rules.BodyKindOf(p.decider.kind, d.vers[bv].typ)
	ref := d.orgRef(p.decider.org, p.D)
	if ref == nil {
		return nil
	}
	lreq := rules.ComplaintLevelRequest{DecisionDate: p.D.String(), Form: string(p.form), DecidingBody: &rules.BodyIn{Kind: string(bk), Org: ref},
		ReceivedOn: F.String()}
	js, err := json.Marshal(lreq)
	if err != nil {
		return err
	}
	level, err := d.reg.Evaluate("R11", js)
	if err != nil {
		return fmt.Errorf("seed discipline: R11: %w", err)
	}
	lres, _ := level.Result.(*rules.ComplaintLevelResult)
	if lres == nil || lres.FirstResolver == nil {
		return nil
	}
	rk, ok := lres.FirstResolver.Kind.Domain()
	ro, found := d.orgIdx[lres.FirstResolver.OrgID]
	if !ok || !found {
		return nil
	}
	resolver := d.bodyOf(ro, rk)
	if resolver.id == 0 {
		return nil
	}
	js, err = json.Marshal(rules.ComplaintFilingRequest{AnnouncedOn: p.A.String(), FiledOn: F.String(), ReceivedDecisionOn: p.A.String()})
	if err != nil {
		return err
	}
	filing, err := d.reg.Evaluate("R10", js)
	if err != nil {
		return fmt.Errorf("seed discipline: R10: %w", err)
	}
	fres, _ := filing.Result.(*rules.ComplaintFilingResult)
	if fres == nil || filing.Outcome != "ACCEPTED" {
		return nil
	}
	R := F.AddDays(15 + d.r.IntN(140))
	if end := d.orgs[ro].ended; !end.IsForever() && !R.Before(end) {
		// The resolver's organisation closed (the reorganisation of
		// 2025): it resolved the complaint before.
		if R = end.AddDays(-1 - d.r.IntN(10)); R.Before(F) {
			return nil
		}
	}
	x := &dcompl{newSt: p.status, newFrm: p.form}
	c := &x.c
	c.ID = d.next("complaints")
	c.Code = fmt.Sprintf("KN-%d-%06d", F.Year(), c.ID)
	c.Level, c.FiledOn, c.ReceivedDecisionOn, c.DecisionAnnouncedOn, c.DeadlineOn = 1, F, p.A, p.A, fres.Deadline
	c.ResolveBy = lres.ResolveBy
	c.ResolverBodyID, x.resolver = resolver.id, resolver
	c.FinalLevel = lres.FirstResolver.Kind == lres.FinalLevel.Kind && lres.FirstResolver.OrgID == lres.FinalLevel.OrgID
	c.Status, c.FormBefore = ktgs.ComplaintPending, p.form
	c.Content = fmt.Sprintf(d.pick(complaintTexts), formNames[p.form])
	if !d.lean {
		x.rules[0] = app.LetterStepRules(map[string]*rules.Decision{"R10": filing, "R11": level})
	}
	if !R.After(actToday) {
		c.Status, c.ResolvedOn = ktgs.ComplaintResolved, R
		c.ResultAnnouncedOn = civil.Min(R.AddDays(d.r.IntN(8)), actToday)
		switch y := d.r.IntN(100); {
		case y < 12:
			c.Outcome = ktgs.OutcomeAnnul
			c.Resolution = "Hủy bỏ quyết định kỷ luật: chưa đủ căn cứ kết luận vi phạm; quá trình xem xét, thi hành kỷ luật chưa đúng quy trình."
			x.newSt = ktgs.ProcAnnulled
		case y < 30 && lighter(p.form) != "":
			c.Outcome, c.NewForm = ktgs.OutcomeChangeForm, lighter(p.form)
			c.Resolution = fmt.Sprintf("Thay đổi hình thức kỷ luật từ %s xuống %s: có tình tiết giảm nhẹ chưa được xem xét đầy đủ.",
				formNames[p.form], formNames[c.NewForm])
			x.newFrm = c.NewForm
		default:
			c.Outcome = ktgs.OutcomeUphold
			c.Resolution = fmt.Sprintf("Giữ nguyên hình thức kỷ luật %s: việc thi hành kỷ luật đúng nguyên tắc, thủ tục; hình thức kỷ luật tương xứng với nội dung, tính chất vi phạm.",
				formNames[p.form])
		}
	}
	p.comp = x
	return nil
}

// Writing.

// actor returns a cadre who records the steps of body b's organisation,
// or -1 (the system).
func (d *dgen) actor(b dbody) int32 {
	if b.org < 0 {
		return -1
	}
	co := d.cadreOrgOf(b.org)
	if co < 0 {
		return -1
	}
	c := d.orgs[co].cadres
	return c[d.r.IntN(len(c))]
}

// emit writes proceeding p as it stands today, with its history, ballots,
// assessed head, complaint and the post a removal ends; it records the
// expulsion's effect on the register.
func (d *dgen) emit(p *dproc) error {
	p.id = d.next("proceedings")
	st := d.st
	kp := &ktgs.Proceeding{ID: p.id, Code: fmt.Sprintf("KL-%d-%06d", p.O.Year(), p.id), SubjectKind: p.kind, OrgID: d.orgs[p.org].id,
		Origin: p.origin, BodyID: p.first.id, FirstBodyID: p.first.id, ScopePath: d.scopeOf(p.first.org), Category: p.category,
		Violation: p.text, ViolationOn: p.violOn, WarrantedForm: p.warranted, Mark: authz.Secret, Status: p.status, PrevStatus: p.prev,
		OpenedOn: p.O, HeardOn: p.H, SelfCriticismOn: p.H, Reason: p.reason}
	if p.first.kind == ktgs.BodyBranch {
		kp.Mark = authz.Normal
	}
	if p.member() {
		kp.MemberID, kp.SubjectName, kp.ViolationScope = d.mems[p.mem].id, d.memName(p.mem), "CORE"
	} else {
		o := &d.orgs[p.org]
		kp.SubjectName = d.vers[o.vers[len(o.vers)-1]].name
		if v := d.verAt(p.org, p.O); v >= 0 {
			kp.SubjectName = d.vers[v].name
		}
	}
	if p.fin != nil {
		kp.CaseID, kp.FindingID = p.fin.caseID, p.fin.id
		st.FromFindings++
	}
	if p.origin == ktgs.OriginDenunciation {
		st.FromLetters++
	}
	if p.origin.StateNotice() {
		n := &p.notice
		kp.NoticeRef, kp.NoticeDecisionOn, kp.NoticeReceivedOn, kp.NoticeDueOn, kp.NoticeLate = n.ref, n.decided, n.received, n.due, n.late
	}
	// The form voted and the body now holding the file.
	switch p.status {
	case ktgs.ProcForwarded:
		kp.Form, kp.VotedOn, kp.BodyID = p.form, p.V1, p.decider.id
	case ktgs.ProcVoted, ktgs.ProcDecided:
		kp.Form, kp.VotedOn, kp.BodyID = p.form, p.V1, p.decider.id
		if p.V2 != 0 {
			kp.VotedOn = p.V2
		}
	case ktgs.ProcNoDiscipline:
		kp.VotedOn = p.V1
	case ktgs.ProcPostponed:
		if p.prev == ktgs.ProcForwarded {
			kp.Form, kp.VotedOn, kp.BodyID = p.form, p.V1, p.decider.id
		}
	}
	if p.post != nil {
		p.post.ID = d.next("posts")
	}
	decided := p.status == ktgs.ProcDecided
	if decided {
		kp.DecidedOn, kp.AnnouncedOn = p.D, p.A
		if p.post != nil {
			kp.RemovedPosts = []string{"post:" + strconv.FormatInt(p.post.ID, 10)}
			p.post.To = p.A
		}
		st.DecidedByYear[p.D.Year()-actFirst.Year()]++
	}
	if p.post != nil {
		st.Posts++
		d.add(d.rb.Post(p.post))
	}
	// The history.
	var rows []store.Row
	var prev time.Time
	stamp := func(on civil.Date) time.Time {
		t := d.at(on)
		if !t.After(prev) {
			t = prev.Add(time.Duration(5+d.r.IntN(90)) * time.Minute)
		}
		prev = t
		return t
	}
	actor := d.actor(p.first)
	events := int64(0)
	for i, s := range p.steps {
		e := &ktgs.ProceedingEvent{ID: d.next("proceeding_events"), ProceedingID: p.id, At: stamp(s.on), On: s.on, Actor: app.SystemActor,
			Step: s.name, From: s.from, To: s.to, BodyID: s.body.id, Note: s.note}
		a := actor
		if s.body.org != p.first.org {
			a = d.actor(s.body)
		}
		if a >= 0 {
			e.ActorID, e.Actor = d.users[a].id, d.users[a].username
		}
		if i == 0 {
			kp.CreatedAt, kp.CreatedBy = e.At, e.ActorID
		}
		if !d.lean && len(s.rules) > 0 {
			e.Rules = app.LetterStepRules(s.rules)
		}
		rows = append(rows, d.rb.ProceedingEvent(e))
		events++
	}
	for i := range p.votes {
		v := &p.votes[i]
		v.ID, v.ProceedingID = d.next("proceeding_votes"), p.id
		rows = append(rows, d.rb.ProceedingVote(v))
	}
	if !p.member() && !kp.HeardOn.IsZero() {
		if h := d.headOf(p); h >= 0 {
			d.ref(h, p.H)
			r := &ktgs.ResponsiblePerson{ID: d.next("proceeding_persons"), ProceedingID: p.id, MemberID: d.mems[h].id, Name: d.memName(h),
				IsHead: true, CreatedAt: stamp(p.H),
				Assessment: "Là người đứng đầu, chịu trách nhiệm chính về vi phạm của tập thể; thiếu kiểm tra, đôn đốc, chưa kịp thời chấn chỉnh."}
			rows = append(rows, d.rb.ResponsiblePerson(r))
			st.Persons++
		}
	}
	var crows []store.Row
	form, status := p.form, p.status
	if c := p.comp; c != nil {
		kc := &c.c
		kc.ProceedingID, kc.ScopePath, kc.Mark = p.id, kp.ScopePath, kp.Mark
		kc.ComplainantKind = p.kind
		if p.member() {
			kc.ComplainantMemberID, kc.ComplainantName = kp.MemberID, kp.SubjectName
		} else {
			o := &d.orgs[p.org]
			kc.ComplainantOrgID, kc.ComplainantName = kp.OrgID, d.vers[o.vers[len(o.vers)-1]].name
		}
		resolver := c.resolver
		cev := func(e *ktgs.ComplaintEvent) {
			e.ID, e.ComplaintID, e.Actor, e.BodyID = d.next("complaint_events"), kc.ID, app.SystemActor, resolver.id
			if ra := d.actor(resolver); ra >= 0 {
				e.ActorID, e.Actor = d.users[ra].id, d.users[ra].username
			}
			crows = append(crows, d.rb.ComplaintEvent(e))
		}
		fileAt := d.at(kc.FiledOn)
		kc.CreatedAt, kc.UpdatedAt = fileAt, fileAt
		fe := &ktgs.ComplaintEvent{At: fileAt, On: kc.FiledOn, Step: ktgs.StepComplaintFile, To: ktgs.ComplaintPending, Rules: c.rules[0]}
		cev(fe)
		kc.CreatedBy = fe.ActorID
		if kc.Status == ktgs.ComplaintResolved {
			at := d.at(kc.ResolvedOn)
			if !at.After(fileAt) {
				at = fileAt.Add(time.Hour)
			}
			kc.UpdatedAt = at
			cev(&ktgs.ComplaintEvent{At: at, On: kc.ResolvedOn, Step: ktgs.StepComplaintResolve, From: ktgs.ComplaintPending,
				To: ktgs.ComplaintResolved})
			st.ByOutcome[slices.Index(ktgs.ComplaintOutcomes, kc.Outcome)]++
			if kc.Outcome != ktgs.OutcomeUphold {
				form, status = c.newFrm, c.newSt
				note := kc.Code + ": " + string(kc.Outcome)
				if form != p.form {
					note += " " + string(p.form) + " → " + string(form)
				}
				rows = append(rows, d.rb.ProceedingEvent(&ktgs.ProceedingEvent{ID: d.next("proceeding_events"), ProceedingID: p.id,
					At: at.Add(time.Minute), On: kc.ResolvedOn, Actor: app.SystemActor, Step: ktgs.ProcStepComplaint, From: ktgs.ProcDecided,
					To: status, BodyID: resolver.id, Note: note}))
				prev = at.Add(time.Minute)
				events++
			}
		}
		st.Complaints++
		st.ComplaintEvents += int64(len(crows))
		st.ComplaintsByYear[kc.FiledOn.Year()-actFirst.Year()]++
	}
	kp.Form, kp.Status = form, status
	kp.UpdatedAt = prev
	// The register after the decision: an expulsion in force ends the
	// membership on its announcement.
	last := actToday
	if !status.Pending() {
		last = p.steps[len(p.steps)-1].on
	}
	if p.member() {
		d.busy[p.mem] = last
		d.ref(p.mem, last)
		if status == ktgs.ProcDecided && form == ktgs.FormExpulsion {
			d.expelled[p.mem] = true
			d.ends = append(d.ends, store.MemberEnd{MemberID: kp.MemberID, On: p.A, Reason: ktgs.EndExpelled})
		}
	} else {
		d.orgBusy[p.org] = last
	}
	d.add(d.rb.Proceeding(kp))
	d.add(rows...)
	if p.comp != nil {
		d.add(d.rb.Complaint(&p.comp.c))
		d.add(crows...)
	}
	st.Proceedings++
	st.Events += events
	st.Votes += int64(len(p.votes))
	if p.member() {
		st.Members++
	} else {
		st.Orgs++
	}
	st.ByStatus[slices.Index(ktgs.ProceedingStatuses, status)]++
	st.ByOrigin[slices.Index(ktgs.ProceedingOrigins, p.origin)]++
	gi := d.groupOf(p.first, p.O)
	if p.decider.id != 0 {
		gi = d.groupOf(p.decider, p.V1)
	}
	if status == ktgs.ProcDecided {
		st.ByForm[slices.Index(ktgs.DisciplineForms, form)]++
		st.ByGroup[gi]++
	}
	if yi := p.O.Year() - actFirst.Year(); yi >= 0 && yi < len(d.done) {
		k := 0
		if !p.member() {
			k = 1
		}
		d.done[yi][gi][k]++
	}
	return nil
}

// headOf picks the head assessed with organisation p.org: a member of a
// chi bộ of its subtree on the hearing day.
func (d *dgen) headOf(p *dproc) int32 {
	v := d.verAt(p.org, p.H)
	if v < 0 {
		return -1
	}
	x := &d.vers[v]
	for try := 0; try < 20; try++ {
		b := x
		if !x.typ.IsBranch() {
			n := int(x.hi - x.lo)
			if n <= 1 {
				return -1
			}
			c := &d.vers[d.byPath[int(x.lo)+1+d.r.IntN(n-1)]]
			if !c.typ.IsBranch() || p.H.Before(c.from) || !p.H.Before(c.to) {
				continue
			}
			b = c
		}
		o := &d.orgs[b.org]
		if o.memHi == o.memLo {
			continue
		}
		m := o.memLo + int32(d.r.IntN(int(o.memHi-o.memLo)))
		if mx := &d.mems[m]; mx.flags&memOfficial != 0 && !mx.since.After(p.H) && (mx.ended.IsZero() || mx.ended.After(p.H)) && !d.expelled[m] {
			return m
		}
	}
	return -1
}

// endMembers applies the expulsions in force to the register (hook of
// GenerateActivity's load, after every row was added).
func (g *agen) endMembers(ctx context.Context, l *store.Loader) error {
	if g.disc == nil || len(g.disc.ends) == 0 {
		return nil
	}
	n, err := l.EndMembers(ctx, g.disc.ends)
	g.stats.Discipline.Expelled = n
	return err
}
