package seed

// Synthetic letters (đơn thư, RULES.md §5) for the ten years of activity:
// denunciations, petitions, complaints and anonymous letters received by
// the UBKTs, with the sender's identity sealed as the service seals it,
// their allegations against members and organisations of the holding
// UBKT's subtree as they were on the day, duplicates linked to the first
// letter of the same sender, transfers to the competent UBKT, the intake
// filter (R12) and the clock (R14) asked of the rule sets, handling teams
// from the inspection cadres, the history of every step and the notices.

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
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
	"ktgs/internal/dedup"
	"ktgs/internal/i18n"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Sizing. RULES.md §8.2 publishes the UBKTs' inspections on signs of
// violation (KT_DHVP) but no national count of the letters they receive.
// The assumption: each UBKT receives about three letters for every
// KT_DHVP case it opens in the year (nationalCases × yearFactor), so the
// letters are drawn over the same UBKTs with the same weights as those
// cases; at the national scale that is ≈ 16,500 letters a year. About 12%
// of the letters are duplicates (the same sender writing again while the
// first letter is still being handled), which come on top of the
// originals. From 2026 the public form adds a quarter.
const (
	lettersPerDHVP = 3.0
	// dupOrigShare is the share of originals among the letters: the
	// duplicates they draw (≈ 0.14 per original) make up the rest.
	dupOrigShare = 0.88
	// demoLettersPerYear: a demonstration needs a few letters a month
	// whatever its size.
	demoLettersPerYear = 100
)

// LetterSizing states the sizing assumption; LetterStats repeats it.
const LetterSizing = "letters ≈ 3 × the KT_DHVP cases of the year per acting UBKT (assumption: RULES.md §8.2 gives no national letter count; " +
	"+25% from 2026 with the public form; at least 100 a year at the demo scale); kinds ≈ 55% TO_CAO, 20% PHAN_ANH_KIEN_NGHI, 10% KHIEU_NAI, 15% DON_NAC_DANH; ≈ 12% duplicates"

// LetterStats counts the letters GenerateActivity wrote.
type LetterStats struct {
	Letters, Allegations, Keys, Team, Events, Notices int64
	Duplicates, Transfers, Extensions, Overdue        int64
	// ByKind, ByStatus and ByChannel count the letters in the order of
	// ktgs.LetterKinds, ktgs.LetterStatuses and ktgs.LetterChannels.
	ByKind    [4]int64
	ByStatus  [11]int64
	ByChannel [5]int64
	// Sizing is the sizing assumption (LetterSizing).
	Sizing string
	// Skipped says why no letter was generated ("" when they were).
	Skipped string
}

func init() {
	if len(ktgs.LetterKinds) != len(LetterStats{}.ByKind) || len(ktgs.LetterStatuses) != len(LetterStats{}.ByStatus) ||
		len(ktgs.LetterChannels) != len(LetterStats{}.ByChannel) {
		panic("seed: LetterStats arrays do not match the letter kinds, statuses or channels")
	}
}

// lalleg is one allegation of a planned letter.
type lalleg struct {
	kind  ktgs.LetterKind
	subj  ktgs.AllegationSubject
	org   int32 // ORG: the organisation; MEMBER: the member's chi bộ
	ver   int32 // its version on the day the letter was received
	mem   int32 // member index, -1
	name  string
	unit  string
	topic int // index in its topic list
	// Filled when the letter is written.
	content    string
	result     ktgs.LetterResult
	conclusion string
}

// lstep is one step of a planned letter.
type lstep struct {
	step     string
	from, to ktgs.LetterStatus
	on       civil.Date
	holder   int32 // the holding organisation after the step
	actor    int32 // user index, -1 for the system, -2 for the public
	note     string
	rules    map[string]*rules.Decision
	notices  []ktgs.LetterNotice
}

// plet is a planned letter.
type plet struct {
	id        int64
	recv      civil.Date
	channel   ktgs.LetterChannel
	kind      ktgs.LetterKind
	mode      ktgs.SenderMode
	snd       *ktgs.Sender // nil: nobody known
	sndMem    int32        // the sender as a member, -1
	alls      []lalleg
	recvOrg   int32 // where it first arrived
	holder    int32 // the competent holder after any transfer
	competent int32 // the organisation whose UBKT is competent, -1 unknown
	// R12 facts.
	signers                          int
	notSigned, noCapacity, addrVague bool
	unspecific, clear                bool
	team                             []int32 // user indexes, the one presiding first
	steps                            []lstep
	intake                           string
	base, ext                        *ktgs.Letter // the clock without and with the extension
	extOn                            civil.Date
	openUntil                        civil.Date // duplicates arrive before this day
	dupOf                            *plet
	// Written when emitted, for its duplicates.
	title, content string
}

func (l *plet) reached(step string) (lstep, bool) {
	for _, s := range l.steps {
		if s.step == step {
			return s, true
		}
	}
	return lstep{}, false
}

// lgen generates the letters over an agen that planned the cases.
type lgen struct {
	*agen
	reg     *rules.Registry
	keys    *sealed.Keyring
	carry   float64
	pending map[int][]*plet // duplicates, by the year they arrive
	st      *LetterStats
}

// letters writes the letters of every year, after the cases. It draws
// from its own random stream, so the cases do not depend on it.
func (g *agen) letters() error {
	st := &g.stats.Letters
	st.Sizing = LetterSizing
	if g.o.Keys == nil {
		st.Skipped = "no identity key ring (seed.Options.Keys)"
		return nil
	}
	reg := g.o.Rules
	if reg == nil {
		reg = rules.Default()
	}
	saved := g.r
	g.r = rand.New(rand.NewPCG(g.o.Seed^0x6c657474657273, g.o.Seed+0x64c6e2074))
	defer func() { g.r = saved }()
	lg := &lgen{agen: g, reg: reg, keys: g.o.Keys, pending: map[int][]*plet{}, st: st}
	for y := actFirst.Year(); y <= actToday.Year(); y++ {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		if err := lg.year(y); err != nil {
			return err
		}
	}
	return nil
}

var kiDHVP = kindIndex(ktgs.CaseKindKTDHVP)

// year plans, numbers and writes the letters received in year y.
func (lg *lgen) year(y int) error {
	g := lg.agen
	exp := lettersPerDHVP * nationalCases[kiDHVP] * g.volume * yearFactor(y, ktgs.CaseKindKTDHVP)
	if g.o.Scale == ScaleDemo {
		part := 1.0
		if y == actToday.Year() {
			part = float64(actToday.Sub(civil.New(y, 1, 1))) / 365
		}
		exp = max(exp, demoLettersPerYear*part)
	}
	if y >= 2026 {
		// The public form, opened in 2026, brings letters of its own
		// (channelOf: about one in five).
		exp *= 1.25
	}
	exp = exp*dupOrigShare + lg.carry
	n := int(exp)
	lg.carry = exp - float64(n)
	var ls []*plet
	for i := 0; i < n; i++ {
		l, err := lg.plan(y)
		if err != nil {
			return err
		}
		if l != nil {
			ls = append(ls, l)
			lg.duplicates(l)
		}
	}
	ls = append(ls, lg.pending[y]...)
	delete(lg.pending, y)
	slices.SortStableFunc(ls, func(a, b *plet) int { return int(a.recv - b.recv) })
	for _, l := range ls {
		l.id = g.next("letters")
	}
	for i, l := range ls {
		if i%256 == 0 {
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		if err := lg.emit(l); err != nil {
			return err
		}
	}
	return nil
}

// kindOf draws the kind of an original letter. Duplicates, drawn by named
// letters only, lift the named kinds back to ≈ 55/20/10/15.
func (lg *lgen) kindOf() ktgs.LetterKind {
	switch x := lg.r.IntN(100); {
	case x < 54:
		return ktgs.LetterDenunciation
	case x < 73:
		return ktgs.LetterPetition
	case x < 83:
		return ktgs.LetterComplaint
	}
	return ktgs.LetterAnonymous
}

// channelOf draws how a letter received on d arrived: the public form
// only from 2026, when the portal opened.
func (lg *lgen) channelOf(d civil.Date, named bool) ktgs.LetterChannel {
	if d.Year() >= 2026 && lg.r.IntN(100) < 22 {
		return ktgs.ChannelPublicForm
	}
	switch x := lg.r.IntN(100); {
	case !named && x < 94:
		return ktgs.ChannelPost
	case !named:
		return ktgs.ChannelPhone
	case x < 80:
		return ktgs.ChannelPost
	case x < 93:
		return ktgs.ChannelInPerson
	}
	return ktgs.ChannelPhone
}

// endsSoon reports whether organisation oi ends less than 200 days after
// d: its letters would outlive it.
func (lg *lgen) endsSoon(oi int32, d civil.Date) bool {
	e := lg.orgs[oi].ended
	return !e.IsForever() && e.Before(d.AddDays(200))
}

// plan draws one original letter received in year y, or nil.
func (lg *lgen) plan(y int) (*plet, error) {
	g := lg.agen
	for try := 0; try < 12; try++ {
		R := g.workday(lg.receiptDate(y))
		if R.Year() != y {
			continue
		}
		era := 0
		if !R.Before(ktgs.ReformDate) {
			era = 1
		}
		cl := g.pickClass(era, kiDHVP)
		if cl < 0 {
			continue
		}
		oi := g.classes[era][cl].pick(g.r)
		if oi < 0 || g.body(oi, ktgs.BodyInspectionCommission) == 0 {
			continue
		}
		// A UBKT closing at the reorganisation hands its letters to the
		// level above.
		if oi = lg.lasting(oi, R); oi < 0 {
			continue
		}
		vi := g.verAt(oi, R)
		if vi < 0 {
			continue
		}
		l := &plet{recv: R, recvOrg: oi, holder: oi, competent: -1, sndMem: -1, signers: 1, kind: lg.kindOf()}
		l.mode = ktgs.SenderNamed
		if l.kind == ktgs.LetterAnonymous {
			l.mode = ktgs.SenderAnonymous
			if g.r.IntN(100) < 25 {
				l.mode = ktgs.SenderFalseName
			}
		}
		l.channel = lg.channelOf(R, l.mode == ktgs.SenderNamed)
		ok, err := lg.allegations(l, vi)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if l.competent >= 0 && l.competent != oi {
			// Most letters reach the competent UBKT directly; some go to
			// another (a higher level, the wrong commune) and are
			// transferred (R14: the clock starts on arrival).
			l.holder = l.competent
			if g.r.IntN(100) >= 22 {
				l.recvOrg = l.competent
			}
		}
		lg.facts(l)
		lg.sender(l)
		if err := lg.timeline(l); err != nil {
			return nil, err
		}
		return l, nil
	}
	return nil, nil
}

// receiptDate draws a day of year y up to actToday, spread over the
// months as the cases are (monthWeight), the month of actToday counting
// for the part of it already past.
func (lg *lgen) receiptDate(y int) civil.Date {
	last := civil.Min(civil.New(y, 12, 31), actToday)
	w := func(m time.Month) float64 {
		if m == last.Month() {
			return monthWeight(y, m) * float64(last.Day()) / float64(civil.DaysIn(y, m))
		}
		return monthWeight(y, m)
	}
	tot := 0.0
	for m := time.January; m <= last.Month(); m++ {
		tot += w(m)
	}
	x := lg.r.Float64() * tot
	m := time.January
	for ; m < last.Month(); m++ {
		if x -= w(m); x < 0 {
			break
		}
	}
	days := civil.DaysIn(y, m)
	if m == last.Month() {
		days = last.Day()
	}
	return civil.New(y, m, 1+lg.r.IntN(days))
}

var letterOrgOK = func(t ktgs.OrgType) bool {
	return t != ktgs.OrgTypePartyGroup && t != ktgs.OrgTypeDirectlyUnderCC && t != ktgs.OrgTypeCentral
}

// allegations draws the subjects of l among the members and
// organisations below the receiving organisation's version vi on the
// day, and routes the letter (app routing: the first matched subject's
// competent UBKT). It reports false when no suitable subject was found.
func (lg *lgen) allegations(l *plet, vi int32) (bool, error) {
	g := lg.agen
	v := &g.vers[vi]
	n := 1
	switch l.kind {
	case ktgs.LetterDenunciation, ktgs.LetterAnonymous:
		if x := g.r.IntN(100); x < 3 {
			n = 3
		} else if x < 18 {
			n = 2
		}
	case ktgs.LetterPetition:
		if g.r.IntN(100) < 12 {
			n = 2
		}
	}
	orgShare := map[ktgs.LetterKind]int{ktgs.LetterDenunciation: 12, ktgs.LetterAnonymous: 10, ktgs.LetterPetition: 45,
		ktgs.LetterComplaint: 100}[l.kind]
	seen := map[int32]bool{}
	for i := 0; i < n; i++ {
		a := lalleg{kind: l.kind, mem: -1, org: -1, ver: -1}
		if l.kind == ktgs.LetterAnonymous {
			a.kind = ktgs.LetterDenunciation
		}
		if l.kind == ktgs.LetterDenunciation && i > 0 && g.r.IntN(100) < 20 {
			a.kind = ktgs.LetterPetition
		}
		switch {
		case (i > 0 || l.kind == ktgs.LetterAnonymous) && g.r.IntN(100) < 10:
			// Named in words only: staff have still to match it.
			a.subj, a.name, a.unit = ktgs.AllegedUnknown, g.personName(), v.name
		case g.r.IntN(100) < orgShare:
			x := g.pickLower(v, l.recv, g.r.IntN(2) == 0, letterOrgOK)
			if x < 0 || seen[-1-g.vers[x].org] {
				if i == 0 {
					return false, nil
				}
				continue
			}
			seen[-1-g.vers[x].org] = true
			a.subj, a.org, a.ver, a.name = ktgs.AllegedOrg, g.vers[x].org, x, g.vers[x].name
			if p := g.vers[x].parent; p >= 0 {
				if pv := g.verAt(p, l.recv); pv >= 0 {
					a.unit = g.vers[pv].name
				}
			}
		default:
			b := g.pickBranch(v, l.recv)
			if b < 0 {
				if i == 0 {
					return false, nil
				}
				continue
			}
			m := g.pickMember(g.vers[b].org, l.recv)
			if m < 0 || seen[m] {
				if i == 0 {
					return false, nil
				}
				continue
			}
			seen[m] = true
			a.subj, a.org, a.ver, a.mem, a.name, a.unit = ktgs.AllegedMember, g.vers[b].org, b, m, g.memName(m), g.vers[b].name
		}
		a.topic = lg.topicFor(&a)
		if a.subj != ktgs.AllegedUnknown && l.competent < 0 {
			c, err := lg.competentFor(&a, l.recv)
			if err != nil {
				return false, err
			}
			if c == -2 {
				return false, nil
			}
			l.competent = c
		}
		l.alls = append(l.alls, a)
	}
	return len(l.alls) > 0, nil
}

// ubktUp returns the nearest organisation on path (itself included when
// self) that has a UBKT lasting beyond the letters received on d, or -1.
func (lg *lgen) ubktUp(path string, self bool, d civil.Date) int32 {
	ids := store.PathIDs(path)
	if !self && len(ids) > 0 {
		ids = ids[:len(ids)-1]
	}
	for i := len(ids) - 1; i >= 0; i-- {
		oi, ok := lg.orgIdx[ids[i]]
		if ok && lg.body(oi, ktgs.BodyInspectionCommission) != 0 && !lg.endsSoon(oi, d) {
			return oi
		}
	}
	return -1
}

// lasting returns oi, or when oi closes less than 200 days after d (the
// reorganisation of 2025) the nearest organisation above it that has a
// UBKT and does not: -1 if there is none.
func (lg *lgen) lasting(oi int32, d civil.Date) int32 {
	if !lg.endsSoon(oi, d) {
		return oi
	}
	v := lg.verAt(oi, d)
	if v < 0 {
		return -1
	}
	return lg.ubktUp(lg.vers[v].path, false, d)
}

// competentFor mirrors the service's routing (RULES.md §5, who resolves)
// on the hierarchy as it was on d: a member's letter goes to the first
// UBKT above the organisation managing the member (a leader's managing
// committee is higher up); an organisation's to the first UBKT above it;
// a UBKT closing at the reorganisation is passed over for the next.
// It returns -2 for a subject the Politburo or Secretariat would handle
// (CC-managed cadres, organisations directly under the CC), which the
// generator leaves out.
func (lg *lgen) competentFor(a *lalleg, d civil.Date) (int32, error) {
	g := lg.agen
	switch a.subj {
	case ktgs.AllegedMember:
		if g.mems[a.mem].flags&memLeader == 0 {
			return lg.ubktUp(g.vers[a.ver].path, true, d), nil
		}
		m, err := g.tx.Member(g.ctx, g.mems[a.mem].id, d)
		if err != nil {
			return 0, err
		}
		mo, ok := g.orgIdx[m.Managing.OrgID]
		if !ok {
			return -2, nil
		}
		mv := g.verAt(mo, d)
		if mv < 0 {
			mv = g.orgs[mo].vers[len(g.orgs[mo].vers)-1]
		}
		if g.vers[mv].typ == ktgs.OrgTypeCentral {
			return -2, nil
		}
		return lg.ubktUp(g.vers[mv].path, true, d), nil
	case ktgs.AllegedOrg:
		if t := g.vers[a.ver].typ; t == ktgs.OrgTypeDirectlyUnderCC || t == ktgs.OrgTypeCentral {
			return -2, nil
		}
		return lg.ubktUp(g.vers[a.ver].path, false, d), nil
	}
	return -1, nil
}

// facts draws the intake facts R12 weighs: most named denunciations are
// to be resolved; some are too vague, signed by several people, not
// signed by hand, without a clear address or from someone without full
// civil capacity. Most anonymous letters name a clear target and content.
func (lg *lgen) facts(l *plet) {
	g := lg.agen
	switch l.kind {
	case ktgs.LetterAnonymous:
		l.clear = g.r.IntN(100) < 70
		l.addrVague = l.mode == ktgs.SenderFalseName
	case ktgs.LetterDenunciation:
		switch x := g.r.IntN(1000); {
		case x < 80:
			l.unspecific = true
		case x < 110:
			l.signers = 2 + g.r.IntN(8)
		case x < 135:
			l.notSigned = true
		case x < 155:
			l.addrVague = true
		case x < 160:
			l.noCapacity = true
		}
	}
}

// mobilePrefixes are Vietnamese mobile number prefixes.
var mobilePrefixes = []string{"032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082",
	"083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"}

// sender draws who wrote l: nobody for an anonymous letter, a name for a
// false-name one, else a person living near the accused (or, for a few
// denunciations, a party member of the holding đảng bộ).
func (lg *lgen) sender(l *plet) {
	g := lg.agen
	switch l.mode {
	case ktgs.SenderAnonymous:
		return
	case ktgs.SenderFalseName:
		l.snd = &ktgs.Sender{Name: g.personName()}
		if g.r.IntN(2) == 0 {
			l.snd.Address = lg.address(l.alls[0].ver, l.recv, l.recvOrg)
		}
		return
	}
	s := &ktgs.Sender{}
	home := l.alls[0].ver
	if l.kind == ktgs.LetterDenunciation && g.r.IntN(100) < 8 {
		if b := g.pickBranch(&g.vers[g.verAt(l.holder, l.recv)], l.recv); b >= 0 {
			// Not an inspection cadre: a denouncer never handles the letter.
			if m := g.pickMember(g.vers[b].org, l.recv); m >= 0 && g.mems[m].flags&memCadre == 0 &&
				!slices.ContainsFunc(l.alls, func(a lalleg) bool { return a.mem == m }) {
				l.sndMem, home = m, b
				s.Name, s.MemberID = g.memName(m), g.mems[m].id
			}
		}
	}
	if s.Name == "" {
		s.Name = g.personName()
	}
	if !l.addrVague {
		s.Address = lg.address(home, l.recv, l.recvOrg)
	}
	if g.r.IntN(100) < 85 || l.channel == ktgs.ChannelPhone {
		s.Phone = g.pick(mobilePrefixes) + fmt.Sprintf(" %03d %04d", g.r.IntN(1000), g.r.IntN(10000))
	}
	if g.r.IntN(100) < 35 || l.channel == ktgs.ChannelInPerson {
		s.IDNumber = fmt.Sprintf("0%02d%d%02d%06d", 1+g.r.IntN(96), g.r.IntN(4), g.r.IntN(100), g.r.IntN(1000000))
	}
	if x := g.r.IntN(100); x < 8 || (l.channel == ktgs.ChannelPublicForm && x < 45) {
		f := strings.Fields(vn.Fold(s.Name))
		if len(f) > 0 {
			s.Email = f[len(f)-1] + f[0] + strconv.Itoa(60+g.r.IntN(45)) + g.pick([]string{"@gmail.com", "@gmail.com", "@yahoo.com", "@outlook.com"})
		}
	}
	l.snd = s
}

// place returns the village, commune and province of version v (a chi
// bộ or any organisation) as they were on d, for addresses and texts.
func (lg *lgen) place(v int32, d civil.Date) (village, commune, province string) {
	g := lg.agen
	if v < 0 {
		return "", "", ""
	}
	x := &g.vers[v]
	if x.typ.IsBranch() {
		if n, ok := strings.CutPrefix(x.name, "Chi bộ "); ok {
			for _, p := range []string{"thôn ", "tổ dân phố ", "bản ", "ấp ", "xóm ", "khu phố ", "buôn ", "làng ", "khối ", "tổ "} {
				if strings.HasPrefix(n, p) {
					village = n
					break
				}
			}
		}
	}
	for _, id := range slices.Backward(store.PathIDs(x.path)) {
		oi, ok := g.orgIdx[id]
		if !ok {
			continue
		}
		w := g.verAt(oi, d)
		if w < 0 {
			continue
		}
		y := &g.vers[w]
		if commune == "" {
			for _, p := range []string{"Đảng bộ xã ", "Đảng bộ phường ", "Đảng bộ thị trấn ", "Đảng bộ đặc khu "} {
				if strings.HasPrefix(y.name, p) {
					commune = strings.TrimPrefix(y.name, "Đảng bộ ")
				}
			}
		}
		if y.typ == ktgs.OrgTypeDirectlyUnderCC {
			province = strings.TrimPrefix(y.name, "Đảng bộ ")
		}
	}
	return village, commune, province
}

// address writes a postal address near version v (or organisation oi).
func (lg *lgen) address(v int32, d civil.Date, oi int32) string {
	g := lg.agen
	if v < 0 {
		v = g.verAt(oi, d)
	}
	village, commune, province := lg.place(v, d)
	if village == "" {
		village = "tổ dân phố số " + strconv.Itoa(1+g.r.IntN(15))
	}
	parts := []string{village}
	if g.r.IntN(2) == 0 {
		parts = []string{"số nhà " + strconv.Itoa(1+g.r.IntN(300)), village}
	}
	for _, p := range []string{commune, province} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// userName is the name an inspection cadre's account shows.
func (lg *lgen) userName(u int32) string {
	if m := lg.users[u].member; m >= 0 {
		return lg.memName(m)
	}
	return lg.users[u].username
}

// actor returns the cadre who records the steps of organisation oi's
// letters (-1: none, the system).
func (lg *lgen) actor(oi int32) int32 {
	if co := lg.cadreOrgOf(oi); co >= 0 {
		return lg.orgs[co].cadres[0]
	}
	return -1
}

// team picks the handling team among the cadres the holder's letters are
// handled by (R13: never the accused or the denouncer), the one
// presiding first.
func (lg *lgen) team(l *plet) {
	g := lg.agen
	co := g.cadreOrgOf(l.holder)
	if co < 0 {
		return
	}
	cands := slices.DeleteFunc(slices.Clone(g.orgs[co].cadres), func(u int32) bool {
		m := g.users[u].member
		return m >= 0 && (m == l.sndMem || slices.ContainsFunc(l.alls, func(a lalleg) bool { return a.mem == m }))
	})
	g.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	l.team = cands[:min(len(cands), 2+g.r.IntN(2))]
}

var teamRoles = []string{"PRESIDE", "RESOLVE", "TEAM_MEMBER"}

// bodyName names the UBKT of organisation oi on d.
func (lg *lgen) bodyName(oi int32, d civil.Date) string {
	v := lg.verAt(oi, d)
	if v < 0 {
		v = lg.orgs[oi].vers[len(lg.orgs[oi].vers)-1]
	}
	return bodyLabel(ktgs.BodyInspectionCommission, lg.vers[v].typ, lg.vers[v].name)
}

func vi(key string, args ...any) string { return i18n.Default().T("vi", key, args...) }

// Reasons recorded with a classification that does not resolve a letter.
var notResolvedReasons = map[string]string{
	"ANONYMOUS_OR_NO_ADDRESS":   "Đơn không ghi rõ họ tên, địa chỉ người gửi; nội dung không đủ cơ sở để nắm tình hình. Lưu đơn.",
	"NOT_SPECIFIC":              "Nội dung đơn chung chung, không nêu cụ thể sự việc, thời gian, địa điểm; không có cơ sở để thẩm tra, xác minh.",
	"NOT_PERSONALLY_SIGNED":     "Đơn là bản photocopy, không có chữ ký trực tiếp của người tố cáo.",
	"MULTIPLE_SIGNERS":          "Đơn có nhiều người cùng ký tên; hướng dẫn người tố cáo gửi đơn riêng theo quy định.",
	"NO_CIVIL_CAPACITY":         "Người gửi đơn không có năng lực hành vi dân sự đầy đủ (có xác nhận của chính quyền địa phương).",
	"CONCLUDED_NO_NEW_EVIDENCE": "Nội dung đã được cấp có thẩm quyền kết luận, nay tố cáo lại nhưng không có tài liệu, chứng cứ mới.",
}

var (
	reasonNoAddress   = "Đơn không ghi rõ địa chỉ người tố cáo, không liên hệ được để làm rõ nội dung. Lưu đơn."
	reasonComplaint   = "Đơn khiếu nại về kỷ luật đảng, không có nội dung tố cáo; chuyển giải quyết theo thủ tục khiếu nại kỷ luật đảng."
	reasonPetition    = "Đơn phản ánh, kiến nghị, không có nội dung tố cáo; chuyển cơ quan có thẩm quyền xem xét, trả lời theo quy định."
	reasonInformation = "Đơn nặc danh, mạo danh có đối tượng và nội dung rõ ràng: lưu đơn, nắm tình hình phục vụ công tác kiểm tra, giám sát."
	verifyNotes       = []string{"Làm việc với người bị tố cáo; đề nghị giải trình bằng văn bản các nội dung đơn nêu.",
		"Thu thập hồ sơ, tài liệu tại bộ phận địa chính và văn phòng Ủy ban nhân dân; đối chiếu với nội dung đơn.",
		"Làm việc với các hộ dân và cán bộ có liên quan; lập biên bản làm việc.",
		"Đối chiếu chứng từ, sổ sách kế toán các năm có liên quan; làm việc với kế toán đơn vị.",
		"Xác minh tại thực địa khu đất được nêu trong đơn; lập biên bản hiện trạng."}
	extendReasons = []string{"Nội dung tố cáo phức tạp, liên quan nhiều cơ quan; cần thêm thời gian xác minh.",
		"Chờ kết quả cung cấp hồ sơ, tài liệu của cơ quan chuyên môn để kết luận."}
	withdrawReasons = []string{"Người tố cáo có đơn xin rút đơn tố cáo; xác minh việc rút đơn không do bị đe dọa, ép buộc hay mua chuộc.",
		"Người tố cáo trực tiếp đến rút đơn, cho biết đã được giải thích rõ; không bị ép buộc."}
)

// timeline plans the steps of l (RULES.md §5 procedure): receipt, a
// transfer and its arrival at the competent UBKT, classification by R12,
// and for a denunciation to be resolved the clock of R14, the team,
// verification, an extension for some, the conclusion and the result
// notice; a few are withdrawn. Steps after today are kept: emit cuts
// them, and duplicates need to know how long the letter stayed open.
func (lg *lgen) timeline(l *plet) error {
	g := lg.agen
	wd := func(d civil.Date, n int) civil.Date { return g.cal.Add(d, n, calendar.WorkingDays) }
	named := l.mode == ktgs.SenderNamed
	R := l.recv
	public := int32(-2)
	recvActor := lg.actor(l.recvOrg)
	if l.channel == ktgs.ChannelPublicForm {
		recvActor = public
	}
	l.steps = append(l.steps, lstep{step: ktgs.StepLetterReceive, to: ktgs.LetterReceived, on: R, holder: l.recvOrg, actor: recvActor})
	actor := lg.actor(l.holder)
	holderName := lg.bodyName(l.holder, R)
	C0 := R
	if l.recvOrg != l.holder {
		T := wd(R, 2+g.r.IntN(8))
		A := wd(T, 1+g.r.IntN(6))
		from := lg.bodyName(l.recvOrg, R)
		s := lstep{step: ktgs.StepLetterTransfer, from: ktgs.LetterReceived, to: ktgs.LetterTransferred, on: T, holder: l.holder,
			actor: lg.actor(l.recvOrg), note: from + " → " + holderName + "."}
		if named {
			s.notices = append(s.notices, ktgs.LetterNotice{Kind: ktgs.NoticeTransfer, On: T, To: "người gửi",
				Text: vi("letter.notice.transfer", from, T.VN(), holderName), Delivered: "post"})
		}
		l.steps = append(l.steps, s,
			lstep{step: ktgs.StepLetterArrive, from: ktgs.LetterTransferred, to: ktgs.LetterReceived, on: A, holder: l.holder, actor: actor})
		C0 = A
	}
	l.openUntil = actToday.AddDays(1)
	K := wd(C0, 4+g.r.IntN(12))
	if g.r.IntN(100) < 25 {
		K = wd(C0, 16+g.r.IntN(25)) // a backlog: classified weeks later
	}
	hasDen := slices.ContainsFunc(l.alls, func(a lalleg) bool { return a.kind == ktgs.LetterDenunciation })
	req := rules.IntakeRequest{ReceivedOn: C0.String(), Sender: string(l.mode), AddressUnclear: l.addrVague,
		ContentUnspecific: l.unspecific, NoDenunciation: !hasDen, NotPersonallySigned: l.notSigned, Signers: l.signers,
		LacksCivilCapacity: l.noCapacity, ClearTargetAndContent: l.clear}
	dec, js, err := app.LetterRule(lg.reg, "R12", req)
	if err != nil {
		return fmt.Errorf("seed letters: R12: %w", err)
	}
	classify := lstep{step: ktgs.StepLetterClassify, from: ktgs.LetterReceived, on: K, holder: l.holder, actor: actor,
		rules: map[string]*rules.Decision{"R12": dec}}
	switch dec.Outcome {
	case "NOT_RESOLVED":
		classify.to = ktgs.LetterNotResolved
		var grounds []string
		if res, ok := dec.Result.(*rules.IntakeResult); ok {
			grounds = res.Grounds
		}
		switch {
		case l.kind == ktgs.LetterComplaint:
			classify.note = reasonComplaint
		case l.kind == ktgs.LetterPetition:
			classify.note = reasonPetition
		case l.mode == ktgs.SenderNamed && l.addrVague:
			classify.note = reasonNoAddress
		case len(grounds) > 0 && notResolvedReasons[grounds[0]] != "":
			classify.note = notResolvedReasons[grounds[0]]
		default:
			classify.note = notResolvedReasons["NOT_SPECIFIC"]
		}
		if named {
			classify.notices = append(classify.notices, ktgs.LetterNotice{Kind: ktgs.NoticeNotHeld, On: K, To: "người gửi",
				Text: vi("letter.notice.not_resolved", holderName, K.VN(), app.LetterGroundsText(dec)), Delivered: "post"})
		}
		l.intake, l.openUntil = js, K
		l.steps = append(l.steps, classify)
		return nil
	case "INFORMATION_ONLY":
		classify.to, classify.note = ktgs.LetterInformation, reasonInformation
		l.intake, l.openUntil = js, K
		l.steps = append(l.steps, classify)
		return nil
	}
	if l.competent != l.holder {
		// Not matched to a subject of this UBKT: staff have it still.
		return nil
	}
	level := "PROVINCIAL_OR_BELOW"
	if v := g.verAt(l.holder, C0); v >= 0 && g.vers[v].typ == ktgs.OrgTypeCentral {
		level = "CENTRAL"
	}
	creq := rules.ClockRequest{ReceivedByCompetentOn: C0.String(), Level: level}
	if R.Before(C0) {
		creq.FirstReceivedOn = R.String()
	}
	l.base = &ktgs.Letter{ReceivedOn: R}
	cdec, err := app.LetterClock(lg.reg, l.base, creq)
	if err != nil {
		return fmt.Errorf("seed letters: R14: %w", err)
	}
	if cdec.Outcome != "DUE" || l.base.DueOn.IsZero() {
		return nil
	}
	classify.to = ktgs.LetterAccepted
	classify.rules["R14"] = cdec
	l.intake = js
	l.steps = append(l.steps, classify)
	// The team (R13), then verification.
	lg.team(l)
	V := wd(K, 3+g.r.IntN(10))
	if g.r.IntN(100) < 30 {
		V = wd(K, 15+g.r.IntN(30)) // the team waits for the commission's meeting
	}
	lead := actor
	if len(l.team) > 0 {
		lead = l.team[0]
	}
	var names []string
	for i, u := range l.team {
		names = append(names, lg.userName(u)+" ("+teamRoles[min(i, 2)]+")")
	}
	l.steps = append(l.steps, lstep{step: ktgs.StepLetterTeam, from: ktgs.LetterAccepted, to: ktgs.LetterVerifying, on: V, holder: l.holder,
		actor: actor, note: strings.Join(names, ", ")})
	// The conclusion: most on time; one in five late, half of those
	// after an extension (once, within the rule set's maximum: R14).
	due := l.base.DueOn
	late := g.r.IntN(100) < 20
	var X civil.Date
	var ext *lstep
	if late && g.r.IntN(100) < 55 {
		E := g.workday(due.AddDays(-3 - g.r.IntN(12)))
		if E.After(V) {
			r2 := creq
			r2.Extensions = []rules.ExtensionIn{{N: 10 + g.r.IntN(21)}}
			x := &ktgs.Letter{ReceivedOn: R}
			if edec, err := app.LetterClock(lg.reg, x, r2); err == nil && x.DueOn.After(due) {
				l.ext, l.extOn = x, E
				ext = &lstep{step: ktgs.StepLetterExtend, from: ktgs.LetterVerifying, to: ktgs.LetterVerifying, on: E, holder: l.holder,
					actor: lead, note: g.pick(extendReasons), rules: map[string]*rules.Decision{"R14": edec}}
				ext.notices = append(ext.notices, ktgs.LetterNotice{Kind: ktgs.NoticeExtension, On: E, To: "người gửi",
					Text: vi("letter.notice.extension", holderName, x.DueOn.VN()), Delivered: "post"})
				due = x.DueOn
				late = g.r.IntN(100) < 25
			}
		}
	}
	if late {
		X = wd(due, 3+g.r.IntN(55))
	} else {
		span := g.cal.WorkingDaysBetween(V, due)
		X = wd(V, max(5, span*(40+g.r.IntN(58))/100))
	}
	if !X.After(V) {
		X = wd(V, 5)
	}
	if ext != nil && !X.After(ext.on) {
		X = wd(ext.on, 2+g.r.IntN(10))
	}
	var mid []lstep
	if !lg.lean {
		span := g.cal.WorkingDaysBetween(V, X)
		for k := 1 + g.r.IntN(2); k > 0 && span > 2; k-- {
			mid = append(mid, lstep{step: ktgs.StepLetterVerify, from: ktgs.LetterVerifying, to: ktgs.LetterVerifying,
				on: wd(V, 1+g.r.IntN(span-1)), holder: l.holder, actor: lead, note: g.pick(verifyNotes)})
		}
	}
	if ext != nil {
		mid = append(mid, *ext)
	}
	slices.SortStableFunc(mid, func(a, b lstep) int { return int(a.on - b.on) })
	l.steps = append(l.steps, mid...)
	// A few denouncers withdraw (R12: handling ends unless coerced).
	if g.r.IntN(100) < 4 {
		W := wd(K, 1+g.r.IntN(max(1, g.cal.WorkingDaysBetween(K, X)-1)))
		wdec, _, err := app.LetterRule(lg.reg, "R12", rules.IntakeRequest{ReceivedOn: W.String(), Sender: "NAMED", Withdrawn: true})
		if err != nil {
			return fmt.Errorf("seed letters: R12 withdrawal: %w", err)
		}
		if res, ok := wdec.Result.(*rules.IntakeResult); ok && slices.Contains(res.Grounds, "WITHDRAWN") {
			l.steps = slices.DeleteFunc(l.steps, func(s lstep) bool { return s.on.After(W) })
			from := l.steps[len(l.steps)-1].to
			l.steps = append(l.steps, lstep{step: ktgs.StepLetterWithdraw, from: from, to: ktgs.LetterWithdrawn, on: W, holder: l.holder,
				actor: lead, note: g.pick(withdrawReasons), rules: map[string]*rules.Decision{"R12": wdec}})
			if l.extOn.After(W) {
				l.ext, l.extOn = nil, 0
			}
			l.openUntil = W
			return nil
		}
	}
	// The conclusion on each denunciation allegation; the texts are
	// written with the letter (emit), the results drawn now.
	for i := range l.alls {
		if l.alls[i].kind == ktgs.LetterDenunciation {
			switch x := g.r.IntN(100); {
			case x < 28:
				l.alls[i].result = ktgs.ResultFounded
			case x < 58:
				l.alls[i].result = ktgs.ResultPartlyFounded
			default:
				l.alls[i].result = ktgs.ResultUnfounded
			}
		}
	}
	l.steps = append(l.steps, lstep{step: ktgs.StepLetterConclude, from: ktgs.LetterVerifying, to: ktgs.LetterConcluded, on: X,
		holder: l.holder, actor: lead})
	N := wd(X, 1+g.r.IntN(8))
	l.steps = append(l.steps, lstep{step: ktgs.StepLetterNotify, from: ktgs.LetterConcluded, to: ktgs.LetterClosed, on: N,
		holder: l.holder, actor: lead})
	l.openUntil = X
	return nil
}

// duplicates draws the letters in which the sender of l writes again
// while l is still being handled (RULES.md §5: linked to the first, not
// handled twice): about one named letter in seven, a few twice.
func (lg *lgen) duplicates(l *plet) {
	g := lg.agen
	if l.mode != ktgs.SenderNamed || l.snd == nil || g.r.IntN(1000) >= 145 {
		return
	}
	n := 1
	if g.r.IntN(100) < 20 {
		n = 2
	}
	last := l.recv
	end := civil.Min(l.openUntil, actToday.AddDays(1))
	for ; n > 0; n-- {
		span := end.Sub(last)
		if span < 3 {
			return
		}
		D := g.workday(last.AddDays(1 + g.r.IntN(span-1)))
		if !D.After(last) || !D.Before(end) || D.After(actToday) {
			return
		}
		d := &plet{recv: D, kind: l.kind, mode: l.mode, snd: l.snd, sndMem: l.sndMem, recvOrg: l.holder, holder: l.holder,
			competent: l.competent, signers: l.signers, dupOf: l, openUntil: D}
		if s, ok := l.reached(ktgs.StepLetterTransfer); ok && D.Before(s.on) {
			d.recvOrg, d.holder = l.recvOrg, l.recvOrg
		}
		d.channel = lg.channelOf(D, true)
		actor := lg.actor(d.holder)
		if d.channel == ktgs.ChannelPublicForm {
			actor = -2
		}
		d.steps = []lstep{{step: ktgs.StepLetterReceive, to: ktgs.LetterDuplicate, on: D, holder: d.holder, actor: actor, note: "duplicate"}}
		lg.pending[D.Year()] = append(lg.pending[D.Year()], d)
		last = D
	}
}

// receiptHash is the stored hash of a receipt code nobody holds: seeded
// letters cannot be looked up on the public status page.
func receiptHash() string {
	var b [32]byte
	crand.Read(b[:])
	h := sha256.Sum256(b[:])
	return hex.EncodeToString(h[:])
}

// emit writes letter l as it stands today: its row, allegations, keys,
// team, history and notices.
func (lg *lgen) emit(l *plet) error {
	g := lg.agen
	n := 0
	for n < len(l.steps) && !l.steps[n].on.After(actToday) {
		n++
	}
	steps := l.steps[:n]
	last := steps[n-1]
	holder := last.holder
	st := lg.st
	kl := &ktgs.Letter{ID: l.id, Code: fmt.Sprintf("ĐT-%d-%06d", l.recv.Year(), l.id), Channel: l.channel, Mode: l.mode,
		Signers: l.signers, NotPersonallySigned: l.notSigned, LacksCivilCapacity: l.noCapacity, AddressUnclear: l.addrVague,
		ReadBackSigned: l.channel == ktgs.ChannelInPerson, ReceivedOn: l.recv, ReceivedOrgID: g.orgs[l.recvOrg].id,
		HolderBodyID: g.body(holder, ktgs.BodyInspectionCommission), HolderOrgID: g.orgs[holder].id, ScopePath: g.scopeOf(holder),
		Status: last.to, Mark: authz.Secret}
	if l.competent >= 0 {
		kl.CompetentBodyID = g.body(l.competent, ktgs.BodyInspectionCommission)
	}
	if a, ok := l.reached(ktgs.StepLetterArrive); ok && !a.on.After(actToday) {
		kl.CompetentOn = a.on
	} else if l.competent == holder && l.recvOrg == holder {
		kl.CompetentOn = l.recv
	}
	if _, ok := l.reached(ktgs.StepLetterTransfer); ok && last.to == ktgs.LetterTransferred {
		kl.CompetentBodyID = kl.HolderBodyID
	}
	// Texts.
	alls := l.alls
	if l.dupOf != nil {
		alls = l.dupOf.alls
		kl.DuplicateOf = l.dupOf.id
		kl.Title, kl.Content = l.dupOf.title, lg.repeatText(l.dupOf)
	} else {
		kl.Title, kl.Content = lg.texts(l, holder)
		l.title, l.content = kl.Title, kl.Content
	}
	classified := false
	for _, s := range steps {
		switch s.step {
		case ktgs.StepLetterClassify:
			classified = true
		case ktgs.StepLetterExtend:
			kl.Extensions = 1
		case ktgs.StepLetterConclude:
			kl.ConcludedOn = s.on
		case ktgs.StepLetterNotify:
			kl.NotifiedOn = s.on
		case ktgs.StepLetterWithdraw:
			kl.WithdrawnOn = s.on
		}
	}
	keep := !lg.lean || kl.Status.Open()
	if classified && keep {
		kl.Intake = l.intake
	}
	if classified && l.base != nil && !l.base.DueOn.IsZero() && kl.Status != ktgs.LetterNotResolved && kl.Status != ktgs.LetterInformation {
		c := l.base
		if kl.Extensions > 0 && l.ext != nil {
			c = l.ext
		}
		kl.DueOn = c.DueOn
		if keep {
			kl.Clock = c.Clock
		}
	}
	concluded := !kl.ConcludedOn.IsZero()
	for i := range alls {
		a := &alls[i]
		x := ktgs.Allegation{ID: g.next("letter_allegations"), LetterID: l.id, Seq: i + 1, Kind: a.kind, Subject: a.subj,
			AccusedName: a.name, AccusedUnit: a.unit, Content: a.content, SubjectName: a.name}
		switch a.subj {
		case ktgs.AllegedMember:
			x.MemberID = g.mems[a.mem].id
		case ktgs.AllegedOrg:
			x.OrgID = g.orgs[a.org].id
		}
		if concluded && l.dupOf == nil && a.result != "" {
			x.Result, x.Conclusion = a.result, a.conclusion
		}
		kl.Allegations = append(kl.Allegations, x)
	}
	if err := lg.letterDiscipline(l, kl); err != nil {
		return err
	}
	if l.snd != nil {
		if l.dupOf == nil {
			lg.distinctSender(l, kl)
		}
		if err := app.SealLetterSender(lg.keys, kl, l.snd); err != nil {
			return err
		}
	}
	kl.Kind = app.LetterKindOf(kl)
	kl.Fingerprint = dedup.Of(kl.Title + "\n" + kl.Content).Encode()
	// History and notices.
	var rows []store.Row
	var prev time.Time
	for _, s := range steps {
		t := g.at(s.on)
		if !t.After(prev) {
			t = prev.Add(time.Duration(5+g.r.IntN(90)) * time.Minute)
		}
		prev = t
		e := &ktgs.LetterEvent{ID: g.next("letter_events"), LetterID: l.id, At: t, On: s.on, Actor: app.SystemActor, Step: s.step,
			From: s.from, To: s.to, BodyID: g.body(s.holder, ktgs.BodyInspectionCommission), Note: s.note}
		switch {
		case s.actor == -2:
			e.Actor = "public"
		case s.actor >= 0:
			e.ActorID, e.Actor = g.users[s.actor].id, lg.userName(s.actor)
		}
		if !lg.lean {
			e.Rules = app.LetterStepRules(s.rules)
		}
		if s.step == ktgs.StepLetterReceive {
			kl.CreatedAt, kl.CreatedBy = t, e.ActorID
		}
		rows = append(rows, g.rb.LetterEvent(e))
		notices := s.notices
		if s.step == ktgs.StepLetterConclude {
			notices = lg.accusedNotices(l, kl, s.on)
		}
		if s.step == ktgs.StepLetterNotify {
			var parts []string
			for _, a := range kl.Allegations {
				if a.Kind == ktgs.LetterDenunciation && a.Result != "" {
					parts = append(parts, fmt.Sprintf("%d. %s: %s", a.Seq, vi("letter.result."+string(a.Result)), a.Conclusion))
				}
			}
			notices = []ktgs.LetterNotice{{Kind: ktgs.NoticeResult, On: s.on, To: "người gửi", Delivered: "post",
				Text: vi("letter.notice.result", lg.bodyName(holder, s.on), l.recv.VN(), strings.Join(parts, "\n"))}}
		}
		for _, x := range notices {
			x.ID, x.LetterID = g.next("letter_notices"), l.id
			rows = append(rows, g.rb.LetterNotice(&x))
			st.Notices++
		}
		st.Events++
		if s.step == ktgs.StepLetterTransfer {
			st.Transfers++
		}
	}
	kl.UpdatedAt = prev
	g.add(g.rb.Letter(kl, receiptHash()))
	for i := range kl.Allegations {
		g.add(g.rb.LetterAllegation(&kl.Allegations[i]))
	}
	keys := app.LetterKeys(kl)
	for _, k := range keys {
		g.add(g.rb.LetterKey(l.id, k))
	}
	if slices.ContainsFunc(steps, func(s lstep) bool { return s.step == ktgs.StepLetterTeam }) {
		for i, u := range l.team {
			m := &ktgs.LetterTeamMember{UserID: g.users[u].id, Role: teamRoles[min(i, 2)]}
			if mi := g.users[u].member; mi >= 0 {
				m.MemberID = g.mems[mi].id
			}
			g.add(g.rb.LetterTeamMember(l.id, m))
		}
		st.Team += int64(len(l.team))
	}
	g.add(rows...)
	st.Letters++
	st.Allegations += int64(len(kl.Allegations))
	st.Keys += int64(len(keys))
	st.ByKind[slices.Index(ktgs.LetterKinds, kl.Kind)]++
	st.ByStatus[slices.Index(ktgs.LetterStatuses, kl.Status)]++
	st.ByChannel[slices.Index(ktgs.LetterChannels, kl.Channel)]++
	if kl.Status == ktgs.LetterDuplicate {
		st.Duplicates++
	}
	if kl.Extensions > 0 {
		st.Extensions++
	}
	if kl.Overdue(actToday) {
		st.Overdue++
	}
	return nil
}

// accusedNotices are the conclusion notices to each matched accused: the
// conclusion only, never who denounced.
func (lg *lgen) accusedNotices(l *plet, kl *ktgs.Letter, d civil.Date) []ktgs.LetterNotice {
	var out []ktgs.LetterNotice
	name := lg.bodyName(l.holder, d)
	for _, a := range kl.Allegations {
		if a.Kind != ktgs.LetterDenunciation || a.Result == "" || a.Subject == ktgs.AllegedUnknown {
			continue
		}
		out = append(out, ktgs.LetterNotice{Kind: ktgs.NoticeAccused, On: d, To: a.AccusedName,
			Text: vi("letter.notice.accused", name, d.VN(), a.AccusedName, vi("letter.result."+string(a.Result)), a.Conclusion)})
	}
	return out
}

// distinctSender draws another name for the sender of l when the name
// happens to be one the letter shows (an accused, a cadre on the team):
// the clear text would seem to name the sender.
func (lg *lgen) distinctSender(l *plet, kl *ktgs.Letter) {
	var b strings.Builder
	b.WriteString(kl.Title + "\n" + kl.Content)
	for _, a := range kl.Allegations {
		b.WriteString("\n" + a.AccusedName + "\n" + a.AccusedUnit + "\n" + a.Content + "\n" + a.Conclusion)
	}
	for _, s := range l.steps {
		b.WriteString("\n" + s.note)
		if s.actor >= 0 {
			b.WriteString("\n" + lg.userName(s.actor))
		}
	}
	text := b.String()
	for try := 0; try < 20 && strings.Contains(text, l.snd.Name); try++ {
		l.sndMem, l.snd.MemberID = -1, 0
		l.snd.Name = lg.personName()
	}
}
