package ktgs

import (
	"slices"
	"sort"
	"strings"
	"time"

	"ktgs/internal/civil"
)

// Statistics (issue "Statistics and periodic reports"; RULES.md §8.1): the
// standard indicators as data. Every figure is counted live from the
// records (cases with their subjects and findings, discipline proceedings,
// complaints, letters); this file says what is counted, in which stages,
// for which subjects and by which date a record falls in a period. The
// queries are in internal/store/stats.go, the use case in
// internal/app/stats.go.
//
// What places a record in a period (inclusive at both ends):
//
//   - INSPECTED: a subject (organisation or member) of a case whose
//     decision (quyết định kiểm tra, giám sát) is dated in the period and
//     that was not cancelled. A member inspected in two cases counts twice
//     (lượt đối tượng), as the national reports count.
//   - WITH_SHORTCOMINGS_OR_VIOLATIONS, WITH_VIOLATIONS, MUST_DISCIPLINE: a
//     subject of a case concluded in the period (not cancelled) with at
//     least one finding about it that is a shortcoming or a violation
//     (resp. a violation; resp. warrants discipline). The cohort is the
//     period's conclusions, not the period's decisions: each stage counts
//     what happened in the period, as periodic reports do.
//   - DISCIPLINED (funnel): a proceeding opened from a finding of a case of
//     the indicator, decided in the period (decision date) and still in
//     force (status DECIDED: an annulled decision is not counted; a form
//     changed on complaint counts under its new form).
//   - DISCIPLINED (discipline totals, indicator 8): every proceeding decided
//     in the period and in force, whatever its origin.
//   - RECEIVED, RESOLVED (denunciations): letters classified as
//     denunciations (tố cáo) received in the period (first receipt; a
//     duplicate of an earlier letter is not counted), resp. concluded in
//     the period.
//   - RECEIVED, RESOLVED (complaints about discipline): each filing before
//     one level, by filing date; resp. each resolution (uphold, change of
//     form, annulment) by resolution date.
//
// "Of which committee members" (trong đó cấp ủy viên): a member subject
// who held, on the stage's date, a seat on any committee — a cấp ủy, its
// standing committee, the Politburo or Secretariat, or a chi bộ's
// committee (chi ủy, or the secretary and deputy seats of a chi bộ
// without one). UBKT seats are not committee seats (Điều lệ Đảng, Điều
// 30), as in app.memberSubject.
//
// Units. A record counts under the unit of its acting body (cases), of
// the body that opened the proceeding (discipline, complaints) or of the
// body holding the letter. Two views of reorganised units (StatsView):
// TODAY files every record under today's tree (its scope path, which
// reorganisations rewrite onto the successor); AS_THEN files it under
// its unit as the unit stood on the last day of the period, and a unit
// that ended before then under its last place.

// StatsView chooses how reorganised units are shown.
type StatsView string

// The views.
const (
	// ViewToday: today's tree, with the history of merged, split and moved
	// units mapped onto their successors.
	ViewToday StatsView = "TODAY"
	// ViewAsThen: units as they stood on the last day of the period; a
	// unit that ended earlier, as it stood when it ended.
	ViewAsThen StatsView = "AS_THEN"
)

// Valid reports whether v is a known view.
func (v StatsView) Valid() bool { return v == ViewToday || v == ViewAsThen }

// StatsBreakdown chooses the columns of a report.
type StatsBreakdown string

// The breakdowns.
const (
	BreakdownNone     StatsBreakdown = "NONE"     // the unit's total only
	BreakdownChildren StatsBreakdown = "CHILDREN" // the total, the unit's own records, one column per child unit
)

// Valid reports whether b is a known breakdown.
func (b StatsBreakdown) Valid() bool { return b == BreakdownNone || b == BreakdownChildren }

// StatsStage is a stage of an indicator.
type StatsStage string

// The stages: the inspection funnel, then letters and complaints.
const (
	StageInspected       StatsStage = "INSPECTED"                       // kiểm tra, giám sát
	StageWithShortcoming StatsStage = "WITH_SHORTCOMINGS_OR_VIOLATIONS" // có khuyết điểm, vi phạm
	StageWithViolation   StatsStage = "WITH_VIOLATIONS"                 // có vi phạm
	StageMustDiscipline  StatsStage = "MUST_DISCIPLINE"                 // phải thi hành kỷ luật
	StageDisciplined     StatsStage = "DISCIPLINED"                     // đã thi hành kỷ luật
	StageReceived        StatsStage = "RECEIVED"                        // tiếp nhận
	StageResolved        StatsStage = "RESOLVED"                        // giải quyết
)

// StatsSource is the kind of record an indicator counts.
type StatsSource string

// The sources.
const (
	SourceCases      StatsSource = "CASES"      // case subjects, their findings and the proceedings from them
	SourceDiscipline StatsSource = "DISCIPLINE" // proceedings
	SourceLetters    StatsSource = "LETTERS"    // letters classified as denunciations
	SourceComplaints StatsSource = "COMPLAINTS" // complaints about discipline
	// SourceNone: KTGS holds no records for the indicator yet; reports show
	// it as not available, never as zero.
	SourceNone StatsSource = "NONE"
)

// StatsBase is one family of counted records with the date that places
// each in a period; an indicator's stage reads one base.
type StatsBase string

// The bases.
const (
	BaseCaseDecided      StatsBase = "CASE_DECIDED"       // case subjects by cases.decided_on
	BaseCaseConcluded    StatsBase = "CASE_CONCLUDED"     // case subjects by cases.concluded_on, with their findings
	BaseCaseDisciplined  StatsBase = "CASE_DISCIPLINED"   // proceedings from case findings by proceedings.decided_on
	BaseDiscipline       StatsBase = "DISCIPLINE"         // proceedings by decided_on
	BaseLetterReceived   StatsBase = "LETTER_RECEIVED"    // denunciations by letters.received_on
	BaseLetterResolved   StatsBase = "LETTER_RESOLVED"    // denunciations by letters.concluded_on
	BaseComplaintFiled   StatsBase = "COMPLAINT_FILED"    // complaints by filed_on
	BaseComplaintResolve StatsBase = "COMPLAINT_RESOLVED" // complaints by resolved_on
)

// Finding flags of a case subject (BaseCaseConcluded): which kinds of
// finding the case concluded about it.
const (
	FlagShortcomingOrViolation = 1 // a SHORTCOMING or VIOLATION finding
	FlagViolation              = 2 // a VIOLATION finding
	FlagWarrantsDiscipline     = 4 // a finding that warrants discipline
)

// StatsBodyGroup groups acting and deciding bodies as the national
// reports do.
type StatsBodyGroup string

// The groups.
const (
	// GroupCentral: the Central Committee (its cấp ủy body), the Politburo
	// and the Secretariat.
	GroupCentral StatsBodyGroup = "CENTRAL"
	// GroupCommittee: committees, standing committees, chi bộ and chi ủy
	// below the centre.
	GroupCommittee StatsBodyGroup = "COMMITTEE"
	// GroupUBKT: inspection commissions of every level, the central one
	// included.
	GroupUBKT StatsBodyGroup = "UBKT"
)

// StatsBodyGroups lists the groups in report order.
var StatsBodyGroups = []StatsBodyGroup{GroupCentral, GroupCommittee, GroupUBKT}

// StatsCause is the cause a discipline is counted under (RULES.md §8.1
// item 8).
type StatsCause string

// The causes.
const (
	CauseCorruption  StatsCause = "CORRUPTION"  // tham nhũng, lãng phí, tiêu cực
	CauseDegradation StatsCause = "DEGRADATION" // suy thoái tư tưởng chính trị, đạo đức, lối sống; những điều đảng viên không được làm
	CauseOther       StatsCause = "OTHER"
)

// StatsCauses lists the causes in report order.
var StatsCauses = []StatsCause{CauseCorruption, CauseDegradation, CauseOther}

// CauseOfCategory maps the violation categories of the rules package
// (rules.Categories, QĐ 69) to the causes of the national reports. It is
// KTGS's reading, to be confirmed against QĐ 885-QĐ/UBKTTW's forms, which
// were not retrieved (RULES.md §8):
//
//   - corruption, waste and "negativity" (tham nhũng, lãng phí, tiêu cực):
//     THAM_NHUNG, LANG_PHI, CHAY_CHUC_CHAY_QUYEN (buying posts or power);
//   - degradation in political ideology, ethics and lifestyle, and the
//     things members must not do (QĐ 37): QUAN_DIEM_CHINH_TRI,
//     TUYEN_TRUYEN_PHAT_NGON (statements against the line), DAO_DUC_LOI_SONG,
//     TE_NAN_XA_HOI, DAN_SO_GIA_DINH;
//   - every other category, and a proceeding without one: OTHER.
var CauseOfCategory = map[string]StatsCause{
	"THAM_NHUNG":             CauseCorruption,
	"LANG_PHI":               CauseCorruption,
	"CHAY_CHUC_CHAY_QUYEN":   CauseCorruption,
	"QUAN_DIEM_CHINH_TRI":    CauseDegradation,
	"TUYEN_TRUYEN_PHAT_NGON": CauseDegradation,
	"DAO_DUC_LOI_SONG":       CauseDegradation,
	"TE_NAN_XA_HOI":          CauseDegradation,
	"DAN_SO_GIA_DINH":        CauseDegradation,
}

// CauseOf returns the cause a violation category counts under.
func CauseOf(category string) StatsCause {
	if c, ok := CauseOfCategory[category]; ok {
		return c
	}
	return CauseOther
}

// CategoriesOf returns the categories mapped to cause c, sorted (OTHER:
// none; it is everything else).
func CategoriesOf(c StatsCause) []string {
	var out []string
	for k, v := range CauseOfCategory {
		if v == c {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// StatsLevel is the level of the organisation holding a letter
// (denunciations "by level").
type StatsLevel string

// The levels.
const (
	StatsLevelCentral      StatsLevel = "CENTRAL"      // Trung ương
	StatsLevelProvincial   StatsLevel = "PROVINCIAL"   // tỉnh và tương đương
	StatsLevelIntermediate StatsLevel = "INTERMEDIATE" // huyện (before 1/7/2025), xã, cấp trên trực tiếp cơ sở
	StatsLevelGrassroots   StatsLevel = "GRASSROOTS"   // cơ sở
)

// StatsLevels lists the levels top down.
var StatsLevels = []StatsLevel{StatsLevelCentral, StatsLevelProvincial, StatsLevelIntermediate, StatsLevelGrassroots}

// LevelOf returns the level of an organisation of type t (its latest
// type: a unit that ended keeps the type it had).
func LevelOf(t OrgType) StatsLevel {
	switch t {
	case OrgTypeCentral:
		return StatsLevelCentral
	case OrgTypeDirectlyUnderCC:
		return StatsLevelProvincial
	case OrgTypeDistrict, OrgTypeUpperGrassroots, OrgTypeCommune:
		return StatsLevelIntermediate
	}
	return StatsLevelGrassroots
}

// StatsIndicator is one standard indicator of RULES.md §8.1.
type StatsIndicator struct {
	// ID names the indicator in queries, cell keys and message keys
	// ("stats.ind." + lower case ID).
	ID string
	// Ref is its number in RULES.md §8.1.
	Ref    string
	Source StatsSource
	// CaseKinds and Groups select the cases of a case indicator: of these
	// kinds, by an acting body of these groups.
	CaseKinds []CaseKind
	Groups    []StatsBodyGroup
	// Stages are counted in this order.
	Stages []StatsStage
	// Subjects are the kinds of subject counted (TCĐ, ĐV); none for
	// letters.
	Subjects []SubjectKind
	// Committee adds "of which committee members" under the members.
	Committee bool
}

// LabelKey is the message key of the indicator's name.
func (ind StatsIndicator) LabelKey() string { return "stats.ind." + strings.ToLower(ind.ID) }

// Available reports whether KTGS holds the records the indicator counts.
func (ind StatsIndicator) Available() bool { return ind.Source != SourceNone }

var (
	funnel     = []StatsStage{StageInspected, StageWithShortcoming, StageMustDiscipline, StageDisciplined}
	both       = []SubjectKind{SubjectOrg, SubjectMember}
	committees = []StatsBodyGroup{GroupCentral, GroupCommittee}
	ubkt       = []StatsBodyGroup{GroupUBKT}
)

// StatsIndicators are the standard indicators, in report order.
var StatsIndicators = []StatsIndicator{
	// 1. Committee inspections (cấp ủy kiểm tra), the Politburo and
	// Secretariat included.
	{ID: "COMMITTEE_INSPECTION", Ref: "1", Source: SourceCases, CaseKinds: []CaseKind{CaseKindKTChapHanh}, Groups: committees,
		Stages: funnel, Subjects: both, Committee: true},
	// 2. Committees and chi bộ, inspections on signs of violation.
	{ID: "COMMITTEE_DHVP", Ref: "2", Source: SourceCases, CaseKinds: []CaseKind{CaseKindKTDHVP}, Groups: committees,
		Stages: funnel, Subjects: both, Committee: true},
	// 3. UBKT, inspections on signs of violation.
	{ID: "UBKT_DHVP", Ref: "3", Source: SourceCases, CaseKinds: []CaseKind{CaseKindKTDHVP}, Groups: ubkt,
		Stages: funnel, Subjects: both, Committee: true},
	// 4. UBKT, inspection of lower levels' KTGS work (organisations).
	{ID: "UBKT_KTGS_PERFORMANCE", Ref: "4", Source: SourceCases, CaseKinds: []CaseKind{CaseKindKTThucHienKTGS}, Groups: ubkt,
		Stages: []StatsStage{StageInspected, StageWithShortcoming}, Subjects: []SubjectKind{SubjectOrg}},
	// 5. UBKT, party-finance inspections: organisations; members (dues).
	// The split budget / business versus dues needs a topic on the case
	// that KTGS does not record yet.
	{ID: "UBKT_FINANCE", Ref: "5", Source: SourceCases, CaseKinds: []CaseKind{CaseKindKTTaiChinh}, Groups: ubkt,
		Stages: []StatsStage{StageInspected, StageWithShortcoming}, Subjects: both},
	// 6. UBKT, asset-declaration checks: KTGS holds no such records yet.
	{ID: "UBKT_ASSETS", Ref: "6", Source: SourceNone,
		Stages: []StatsStage{StageInspected, StageWithViolation}, Subjects: []SubjectKind{SubjectMember}},
	// 7. Supervision: committees' thematic supervision, UBKT supervision
	// (thematic and regular), committees' regular supervision.
	{ID: "COMMITTEE_SUPERVISION", Ref: "7", Source: SourceCases, CaseKinds: []CaseKind{CaseKindGSChuyenDe}, Groups: committees,
		Stages: []StatsStage{StageInspected, StageWithViolation}, Subjects: both, Committee: true},
	{ID: "UBKT_SUPERVISION", Ref: "7", Source: SourceCases, CaseKinds: []CaseKind{CaseKindGSChuyenDe, CaseKindGSThuongXuyen}, Groups: ubkt,
		Stages: []StatsStage{StageInspected, StageWithViolation}, Subjects: both, Committee: true},
	{ID: "COMMITTEE_REGULAR_SUPERVISION", Ref: "7", Source: SourceCases, CaseKinds: []CaseKind{CaseKindGSThuongXuyen}, Groups: committees,
		Stages: []StatsStage{StageInspected, StageWithViolation}, Subjects: both, Committee: true},
	// 8. Discipline by deciding body × form × cause.
	{ID: "DISCIPLINE", Ref: "8", Source: SourceDiscipline, Groups: StatsBodyGroups,
		Stages: []StatsStage{StageDisciplined}, Subjects: both, Committee: true},
	// 9. Denunciations received and resolved by level; complaints about
	// discipline received and resolved by outcome.
	{ID: "DENUNCIATIONS", Ref: "9", Source: SourceLetters, Stages: []StatsStage{StageReceived, StageResolved}},
	{ID: "COMPLAINTS", Ref: "9", Source: SourceComplaints, Stages: []StatsStage{StageReceived, StageResolved}},
}

// StatsIndicatorByID returns the indicator called id.
func StatsIndicatorByID(id string) (StatsIndicator, bool) {
	for _, ind := range StatsIndicators {
		if ind.ID == id {
			return ind, true
		}
	}
	return StatsIndicator{}, false
}

// Base returns the base a stage of the indicator reads, or "" if the
// indicator has no such stage or no records.
func (ind StatsIndicator) Base(st StatsStage) StatsBase {
	if !slices.Contains(ind.Stages, st) {
		return ""
	}
	switch ind.Source {
	case SourceCases:
		switch st {
		case StageInspected:
			return BaseCaseDecided
		case StageWithShortcoming, StageWithViolation, StageMustDiscipline:
			return BaseCaseConcluded
		case StageDisciplined:
			return BaseCaseDisciplined
		}
	case SourceDiscipline:
		return BaseDiscipline
	case SourceLetters:
		if st == StageReceived {
			return BaseLetterReceived
		}
		return BaseLetterResolved
	case SourceComplaints:
		if st == StageReceived {
			return BaseComplaintFiled
		}
		return BaseComplaintResolve
	}
	return ""
}

// StageFlag is the finding flag a case stage requires (0 for none).
func StageFlag(st StatsStage) int {
	switch st {
	case StageWithShortcoming:
		return FlagShortcomingOrViolation
	case StageWithViolation:
		return FlagViolation
	case StageMustDiscipline:
		return FlagWarrantsDiscipline
	}
	return 0
}

// StatsRow is one line of a statistics table: a stage of an indicator,
// for a kind of subject, narrowed by the dimensions that are set. Empty
// dimensions mean "all".
type StatsRow struct {
	Key       string           `json:"key"`
	Indicator string           `json:"indicator"`
	Stage     StatsStage       `json:"stage"`
	Subject   SubjectKind      `json:"subject,omitempty"`
	Committee bool             `json:"committee,omitempty"` // of which committee members
	Group     StatsBodyGroup   `json:"group,omitempty"`     // deciding body (discipline)
	Form      DisciplineForm   `json:"form,omitempty"`
	Cause     StatsCause       `json:"cause,omitempty"`
	Level     StatsLevel       `json:"level,omitempty"`
	Outcome   ComplaintOutcome `json:"outcome,omitempty"`
	// Depth is the row's indentation under its stage (0: the stage's
	// total), and LabelKey the message key of its own label.
	Depth    int    `json:"depth"`
	LabelKey string `json:"label_key"`
}

// rowKey is the canonical key of r: the indicator, the stage, then each
// set dimension in a fixed order. Cell keys and drill-down requests use it.
func rowKey(r StatsRow) string {
	parts := []string{r.Indicator, string(r.Stage)}
	if r.Subject != "" {
		parts = append(parts, string(r.Subject))
	}
	if r.Group != "" {
		parts = append(parts, "g="+string(r.Group))
	}
	if r.Form != "" {
		parts = append(parts, "f="+string(r.Form))
	}
	if r.Cause != "" {
		parts = append(parts, "c="+string(r.Cause))
	}
	if r.Level != "" {
		parts = append(parts, "l="+string(r.Level))
	}
	if r.Outcome != "" {
		parts = append(parts, "o="+string(r.Outcome))
	}
	if r.Committee {
		parts = append(parts, "cm")
	}
	return strings.Join(parts, "/")
}

// SubjectForms are the forms a subject kind can receive (R1): an
// organisation is reprimanded, warned or dissolved; a member reprimanded,
// warned, removed or expelled.
var SubjectForms = map[SubjectKind][]DisciplineForm{
	SubjectOrg:    {FormReprimand, FormWarning, FormDissolution},
	SubjectMember: {FormReprimand, FormWarning, FormRemoval, FormExpulsion},
}

// Rows returns the lines of the indicator in report order.
func (ind StatsIndicator) Rows() []StatsRow {
	var out []StatsRow
	add := func(r StatsRow, depth int, label string) {
		r.Indicator, r.Depth, r.LabelKey = ind.ID, depth, label
		r.Key = rowKey(r)
		out = append(out, r)
	}
	subjects := func(st StatsStage, r StatsRow, depth int) {
		for _, sk := range ind.Subjects {
			r.Subject = sk
			add(r, depth, "stats.subject."+strings.ToLower(string(sk)))
			if sk == SubjectMember && ind.Committee {
				c := r
				c.Committee = true
				add(c, depth+1, "stats.subject.committee")
			}
		}
	}
	for _, st := range ind.Stages {
		base := StatsRow{Stage: st}
		switch ind.Source {
		case SourceDiscipline:
			groups := append([]StatsBodyGroup{""}, ind.Groups...)
			for _, g := range groups {
				for _, sk := range ind.Subjects {
					r := StatsRow{Stage: st, Group: g, Subject: sk}
					label := "stats.subject." + strings.ToLower(string(sk))
					depth := 0
					if g != "" {
						depth = 1
					}
					add(r, depth, label)
					if sk == SubjectMember && ind.Committee {
						c := r
						c.Committee = true
						add(c, depth+1, "stats.subject.committee")
					}
					for _, f := range SubjectForms[sk] {
						fr := r
						fr.Form = f
						add(fr, depth+1, "stats.form."+strings.ToLower(string(f)))
					}
					for _, c := range StatsCauses {
						cr := r
						cr.Cause = c
						add(cr, depth+1, "stats.cause."+strings.ToLower(string(c)))
					}
				}
			}
		case SourceLetters:
			add(base, 0, "stats.stage."+strings.ToLower(string(st)))
			for _, l := range StatsLevels {
				r := base
				r.Level = l
				add(r, 1, "stats.level."+strings.ToLower(string(l)))
			}
		case SourceComplaints:
			add(base, 0, "stats.stage."+strings.ToLower(string(st)))
			if st == StageResolved {
				for _, o := range ComplaintOutcomes {
					r := base
					r.Outcome = o
					add(r, 1, "stats.outcome."+strings.ToLower(string(o)))
				}
			}
		default:
			subjects(st, base, 0)
		}
	}
	return out
}

// PeriodKind is the kind of a reporting period (RULES.md §8: monthly, Q1,
// 6 months, 9 months, annual, term).
type PeriodKind string

// The period kinds.
const (
	PeriodMonth  PeriodKind = "MONTH"
	PeriodQ1     PeriodKind = "Q1"
	PeriodH1     PeriodKind = "H1" // 6 months
	PeriodM9     PeriodKind = "M9" // 9 months
	PeriodYear   PeriodKind = "YEAR"
	PeriodTerm   PeriodKind = "TERM" // a committee term of the unit
	PeriodCustom PeriodKind = "CUSTOM"
)

// PeriodKinds lists the kinds.
var PeriodKinds = []PeriodKind{PeriodMonth, PeriodQ1, PeriodH1, PeriodM9, PeriodYear, PeriodTerm, PeriodCustom}

// Valid reports whether k is a known kind.
func (k PeriodKind) Valid() bool { return slices.Contains(PeriodKinds, k) }

// Period is a reporting period: From and To are both included.
type Period struct {
	Kind  PeriodKind `json:"kind"`
	Year  int        `json:"year,omitempty"`  // MONTH, Q1, H1, M9, YEAR
	Month int        `json:"month,omitempty"` // MONTH: 1–12
	// TermID names the term of a TERM period (0: the unit's committee
	// term running at the end of Year, or today); TermName is filled in.
	TermID   int64      `json:"term_id,omitempty"`
	TermName string     `json:"term_name,omitempty"`
	From     civil.Date `json:"from"`
	To       civil.Date `json:"to"`
}

// Contains reports whether day d lies in the period.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// PeriodBoundaries says where reporting periods begin. The cut-off dates
// of QĐ 885-QĐ/UBKTTW were not retrieved (RULES.md §8), so KTGS counts
// calendar periods by default (StartDay 1: a month is the 1st to its last
// day, Q1 is 1/1–31/3, the year 1/1–31/12). With StartDay N (2–28) a
// reporting month M runs from day N of month M−1 to day N−1 of month M:
// StartDay 15 gives the state inspectorate's 15th-to-14th periods (Q1 =
// 15/12 to 14/3), which RULES.md says not to assume without confirmation.
type PeriodBoundaries struct {
	StartDay int `json:"start_day,omitempty"` // 0 or 1: calendar periods
}

// month returns reporting month m of year y.
func (b PeriodBoundaries) month(y int, m time.Month) (civil.Date, civil.Date) {
	if b.StartDay <= 1 {
		return civil.New(y, m, 1), civil.New(y, m, civil.DaysIn(y, m))
	}
	end := civil.New(y, m, b.StartDay-1)
	return civil.New(y, m, b.StartDay).AddMonths(-1), end
}

// Resolve fills From and To of a MONTH, Q1, H1, M9 or YEAR period from
// its year (and month) and checks a CUSTOM or TERM period's dates. The
// field errors name "period.kind", "period.year", "period.month",
// "period.from" and "period.to".
func (b PeriodBoundaries) Resolve(p Period) (Period, error) {
	var v Validation
	if b.StartDay < 0 || b.StartDay > 28 {
		v.Add("period.start_day", "err.stats.start_day")
		return p, v.Err()
	}
	switch p.Kind {
	case PeriodMonth, PeriodQ1, PeriodH1, PeriodM9, PeriodYear:
		if p.Year < 1930 || p.Year > 2100 {
			v.Add("period.year", "err.stats.period_year")
			return p, v.Err()
		}
		last := map[PeriodKind]time.Month{PeriodQ1: 3, PeriodH1: 6, PeriodM9: 9, PeriodYear: 12}[p.Kind]
		first := time.January
		if p.Kind == PeriodMonth {
			if p.Month < 1 || p.Month > 12 {
				v.Add("period.month", "err.stats.period_month")
				return p, v.Err()
			}
			first, last = time.Month(p.Month), time.Month(p.Month)
		}
		p.From, _ = b.month(p.Year, first)
		_, p.To = b.month(p.Year, last)
	case PeriodCustom, PeriodTerm:
		if p.From.IsZero() {
			v.Add("period.from", "err.required")
		}
		if p.To.IsZero() {
			v.Add("period.to", "err.required")
		}
		if err := v.Err(); err != nil {
			return p, err
		}
		if p.To.Before(p.From) {
			v.Add("period.to", "err.stats.period_order", p.From.VN(), p.To.VN())
			return p, v.Err()
		}
	default:
		v.Add("period.kind", "err.stats.period_kind", string(p.Kind))
		return p, v.Err()
	}
	return p, nil
}
