package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/i18n"
	"ktgs/internal/mail"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Routing (RULES.md §5, "Who resolves"): the competent body follows the
// accused's cadre-management line (QĐ 22 Art. 19; BCT/BBT for
// organisations directly under the CC and CC-managed cadres, QĐ 164).

// routeOrg is one organisation on the way up from where routing starts:
// the ids of its UBKT and Politburo bodies (0 if none); the type is read
// for the first one only (is the subject's managing unit the centre?).
type routeOrg struct {
	ID   int64
	Type ktgs.OrgType
	UBKT int64
	BCT  int64
}

// Route bases (message keys with the article).
const (
	routeGrassroots = "letter.route.grassroots" // the UBKT over the member's chi bộ
	routeManaging   = "letter.route.managing"   // the UBKT of the committee managing the cadre
	routeOrgAbove   = "letter.route.org"        // the UBKT of the committee above the organisation
	routeCentral    = "letter.route.central"    // BCT/BBT: CC-managed cadres, organisations directly under the CC
)

// routeLetterTo names the competent body on chain (from where routing
// starts, upward to the root). central says the subject is a cadre the
// central committee manages or an organisation directly under it: the
// Politburo of the root. Otherwise the first UBKT on the way up.
func routeLetterTo(chain []routeOrg, central bool) int64 {
	if central {
		for i := len(chain) - 1; i >= 0; i-- {
			if chain[i].BCT != 0 {
				return chain[i].BCT
			}
		}
	}
	for _, o := range chain {
		if o.UBKT != 0 {
			return o.UBKT
		}
	}
	return 0
}

// routeChain returns the organisations from start upward, with the ids
// of their UBKT and Politburo bodies (one query for the whole chain).
func (s *Service) routeChain(ctx context.Context, tx *store.Tx, start int64) ([]routeOrg, error) {
	o, err := tx.OrgLatest(ctx, start)
	if err != nil {
		return nil, err
	}
	ids := store.PathIDs(o.Path)
	slices.Reverse(ids)
	bodies, err := tx.BodiesOfKinds(ctx, ids, ktgs.BodyInspectionCommission, ktgs.BodyPolitburo)
	if err != nil {
		return nil, err
	}
	out := make([]routeOrg, len(ids))
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		out[i], at[id] = routeOrg{ID: id}, i
	}
	out[0].Type = o.Type
	for _, b := range bodies {
		switch b.Kind {
		case ktgs.BodyInspectionCommission:
			out[at[b.OrgID]].UBKT = b.ID
		case ktgs.BodyPolitburo:
			out[at[b.OrgID]].BCT = b.ID
		}
	}
	return out, nil
}

// competentFor names the competent body for one allegation and the basis,
// or 0 when its subject is not matched yet.
func (s *Service) competentFor(ctx context.Context, tx *store.Tx, a *ktgs.Allegation, d civil.Date) (int64, string, error) {
	switch a.Subject {
	case ktgs.AllegedMember:
		m, err := tx.MemberAsOf(ctx, a.MemberID, d)
		if err != nil {
			return 0, "", err
		}
		start, basis := m.HomeOrgID, routeGrassroots
		if m.Managing.OrgID != 0 && m.Managing.OrgID != m.HomeOrgID {
			start, basis = m.Managing.OrgID, routeManaging
		}
		chain, err := s.routeChain(ctx, tx, start)
		if err != nil {
			return 0, "", err
		}
		central := len(chain) > 0 && chain[0].Type == ktgs.OrgTypeCentral
		if central {
			basis = routeCentral
		}
		return routeLetterTo(chain, central), basis, nil
	case ktgs.AllegedOrg:
		o, err := tx.OrgLatest(ctx, a.OrgID)
		if err != nil {
			return 0, "", err
		}
		if o.ParentID == 0 {
			return 0, "", nil
		}
		chain, err := s.routeChain(ctx, tx, o.ParentID)
		if err != nil {
			return 0, "", err
		}
		if o.Type == ktgs.OrgTypeDirectlyUnderCC {
			return routeLetterTo(chain, true), routeCentral, nil
		}
		return routeLetterTo(chain, false), routeOrgAbove, nil
	}
	return 0, "", nil
}

// routeLetter sets l's competent body from its first matched allegation.
func (s *Service) routeLetter(ctx context.Context, tx *store.Tx, l *ktgs.Letter) error {
	l.CompetentBodyID = 0
	for i := range l.Allegations {
		id, _, err := s.competentFor(ctx, tx, &l.Allegations[i], l.ReceivedOn)
		if err != nil {
			return err
		}
		if id != 0 {
			l.CompetentBodyID = id
			if b, err := tx.Body(ctx, id); err == nil {
				l.CompetentBodyName = b.Name
			}
			return nil
		}
	}
	return nil
}

// ClassifyInput is the holding body's classification of a letter: the
// sender as it turned out, the allegations with their subjects matched,
// and the facts of the R12 grounds.
type ClassifyInput struct {
	Mode ktgs.SenderMode `json:"sender_mode,omitempty"` // default: as received
	// Allegations, when given, replace the letter's (a split, a subject
	// matched by staff).
	Allegations            []AllegationInput `json:"allegations,omitempty"`
	Signers                int               `json:"signers,omitempty"`
	NotPersonallySigned    bool              `json:"not_personally_signed,omitempty"`
	LacksCivilCapacity     bool              `json:"lacks_civil_capacity,omitempty"`
	AddressUnclear         bool              `json:"address_unclear,omitempty"`
	ContentUnspecific      bool              `json:"content_unspecific,omitempty"`
	NoBasisForVerification bool              `json:"no_basis_for_verification,omitempty"`
	NewEvidence            bool              `json:"new_evidence,omitempty"`
	ClearTargetAndContent  bool              `json:"clear_target_and_content,omitempty"`
	CongressRelated        bool              `json:"congress_related,omitempty"`
	// Reason is the holding body's reasoning; required when the letter
	// is not resolved.
	Reason string     `json:"reason,omitempty"`
	On     civil.Date `json:"on,omitempty"`
}

// clockState is what a letter keeps of its R14 clock: the request (to
// add an extension) and the decision.
type clockState struct {
	Request  rules.ClockRequest `json:"request"`
	Decision *rules.Decision    `json:"decision"`
}

// ClassifyLetter classifies a letter and, at the competent body, applies
// the intake filter (R12). At a body that is not competent it records the
// allegations as matched and the competent body they route to, and
// nothing more: the letter is to be transferred. At the competent body:
//   - a ground applies → NOT_RESOLVED, every ground with its article and
//     the body's reason;
//   - anonymous or false name with a clear target and content →
//     INFORMATION (it may feed an inspection; it never gets a conclusion);
//   - otherwise a denunciation is accepted (thụ lý) and the clock of R14
//     runs from the day the competent body received it, unless it is
//     congress-related and inside the pre-congress window of the
//     congress date stored on the body's term → HELD.
//
// Complaint and petition contents of a letter are not denunciations:
// R12's "no denunciation" ground applies to a letter with none, which
// goes to its own procedure (a complaint about discipline, RULES.md §4);
// a letter with both keeps its denunciation allegations here.
func (s *Service) ClassifyLetter(ctx context.Context, id int64, in ClassifyInput) (*ktgs.Letter, error) {
	in.Reason = vn.CleanText(in.Reason)
	d := s.dateOr(in.On)
	var v ktgs.Validation
	checkDate(&v, "on", d, true)
	if in.Mode != "" && !in.Mode.Valid() {
		v.Add("sender_mode", "err.letter.sender_mode")
	}
	if len(in.Allegations) > maxAllegations {
		v.Add("allegations", "err.too_many", maxAllegations)
	}
	if in.Signers < 0 || in.Signers > 1000 {
		v.Add("signers", "err.range", 1, 1000)
	}
	if len([]rune(in.Reason)) > maxNote {
		v.Add("reason", "err.too_long", maxNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.updateLetter(ctx, id, ktgs.StepLetterClassify, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		if in.Mode != "" {
			l.Mode = in.Mode
		}
		if len(in.Allegations) > 0 {
			for i := range in.Allegations {
				a := &in.Allegations[i]
				a.AccusedName, a.AccusedUnit, a.Content = vn.Clean(a.AccusedName), vn.Clean(a.AccusedUnit), vn.CleanText(a.Content)
			}
			as, err := s.resolveAllegations(ctx, tx, in.Allegations, l.Content, d)
			if err != nil {
				return "", nil, err
			}
			l.Allegations = as
			if err := tx.ReplaceAllegations(ctx, l); err != nil {
				return "", nil, err
			}
			if err := tx.ReplaceLetterKeys(ctx, l.ID, s.letterKeys(l)); err != nil {
				return "", nil, err
			}
		}
		if in.Signers > 0 {
			l.Signers = in.Signers
		}
		l.NotPersonallySigned = l.NotPersonallySigned || in.NotPersonallySigned
		l.LacksCivilCapacity = l.LacksCivilCapacity || in.LacksCivilCapacity
		l.AddressUnclear = l.AddressUnclear || in.AddressUnclear
		l.CongressRelated = l.CongressRelated || in.CongressRelated
		l.Kind = letterKind(l)
		if err := s.routeLetter(ctx, tx, l); err != nil {
			return "", nil, err
		}
		// A body that is not competent only records whom the letter is
		// about and where it must go: the competent body applies the
		// intake filter once it has the letter (transfer, then arrive).
		if l.CompetentBodyID != 0 && l.CompetentBodyID != l.HolderBodyID {
			return i18n.Default().T("vi", "letter.routed", bodyLabel(ctx, tx, l.CompetentBodyID)), nil, nil
		}
		received := l.ReceivedOn
		if !l.CompetentOn.IsZero() {
			received = l.CompetentOn
		}
		hasDenunciation := slices.ContainsFunc(l.Allegations, func(a ktgs.Allegation) bool { return a.Kind == ktgs.LetterDenunciation })
		req := rules.IntakeRequest{ReceivedOn: received.String(), Sender: string(l.Mode), AddressUnclear: l.AddressUnclear,
			PreviouslyConcluded: l.ResubmissionOf != 0, NewEvidence: in.NewEvidence, ContentUnspecific: in.ContentUnspecific,
			NoBasisVerification: in.NoBasisForVerification, NoDenunciation: !hasDenunciation,
			NotPersonallySigned: l.NotPersonallySigned, Signers: l.Signers, LacksCivilCapacity: l.LacksCivilCapacity,
			ClearTargetAndContent: in.ClearTargetAndContent}
		dec, err := s.askRule("R12", req, map[string]string{"received_on": "on"})
		if err != nil {
			return "", nil, err
		}
		l.Intake = ruleJSON(dec)
		decisions := stepRules{"R12": dec}
		switch dec.Outcome {
		case "NOT_RESOLVED":
			if len([]rune(strings.TrimSpace(in.Reason))) < 10 {
				return "", nil, ktgs.Invalid("reason", "err.letter.reason_required", 10)
			}
			l.Status = ktgs.LetterNotResolved
			if _, _, err := s.senderNoticeFor(ctx, tx, l, ktgs.NoticeNotHeld, d, i18n.Default().T("vi", "letter.notice.not_resolved",
				bodyLabel(ctx, tx, l.HolderBodyID), d.VN(), groundsText(dec))); err != nil {
				return "", nil, err
			}
			return in.Reason, decisions, nil
		case "INFORMATION_ONLY":
			l.Status = ktgs.LetterInformation
			return in.Reason, decisions, nil
		}
		// To be resolved: only by the competent body, on a matched subject.
		if l.CompetentBodyID == 0 {
			return "", nil, ktgs.Invalid("allegations", "err.letter.accused_unmatched")
		}
		if l.CompetentOn.IsZero() {
			l.CompetentOn = l.ReceivedOn
		}
		cs, err := s.letterClock(ctx, tx, l, l.CompetentOn, l.CongressRelated)
		if err != nil {
			return "", nil, err
		}
		decisions["R14"] = cs.Decision
		if cs.Decision.Outcome == "HELD_FOR_CONGRESS" {
			l.Status = ktgs.LetterHeld
			l.DueOn = 0
		} else {
			l.Status = ktgs.LetterAccepted
		}
		return in.Reason, decisions, nil
	})
}

// groundsText lists the R12 grounds of dec in words.
func groundsText(dec *rules.Decision) string {
	var res rules.IntakeResult
	_ = resultAs(dec, &res)
	var out []string
	for _, g := range res.Grounds {
		out = append(out, i18n.Default().T("vi", "letter.ground."+g))
	}
	return strings.Join(out, "; ")
}

// letterClock asks R14 when the letter must be resolved, from start (the
// day the competent body received it), and stores the clock on l.
func (s *Service) letterClock(ctx context.Context, tx *store.Tx, l *ktgs.Letter, start civil.Date, congress bool) (*clockState, error) {
	org, err := tx.OrgLatest(ctx, l.HolderOrgID)
	if err != nil {
		return nil, err
	}
	req := rules.ClockRequest{ReceivedByCompetentOn: start.String(), Level: "PROVINCIAL_OR_BELOW"}
	if l.ReceivedOn.Before(start) {
		req.FirstReceivedOn = l.ReceivedOn.String()
	}
	if org.Type == ktgs.OrgTypeCentral {
		req.Level = "CENTRAL"
	}
	if congress {
		if c, err := s.nextCongress(ctx, tx, org, start); err != nil {
			return nil, err
		} else if c != nil {
			req.Congress = c
		}
	}
	return s.evalClock(l, req)
}

func (s *Service) evalClock(l *ktgs.Letter, req rules.ClockRequest) (*clockState, error) {
	dec, err := s.askRule("R14", req, map[string]string{"received_by_competent_on": "on", "extensions.": "days"})
	if err != nil {
		return nil, err
	}
	cs := &clockState{Request: req, Decision: dec}
	var res rules.ClockResult
	if err := resultAs(dec, &res); err != nil {
		return nil, err
	}
	if dec.Outcome == "EXTENSION_REJECTED" {
		return cs, &ktgs.Error{Code: ktgs.EINVALID, Message: "err.letter.extension_rejected", Rule: citation(dec),
			Fields: map[string]ktgs.FieldError{"days": {Key: "err.letter.extension_rejected", Rule: citation(dec)}}}
	}
	b, _ := json.Marshal(cs)
	l.Clock = string(b)
	l.DueOn = res.Deadline
	l.Extensions = res.AcceptedExtensions
	return cs, nil
}

// nextCongress finds the congress that ends the term in force at the
// holding organisation's committee (or chi bộ) on d, from the congress
// date stored on the term.
func (s *Service) nextCongress(ctx context.Context, tx *store.Tx, org *ktgs.Org, d civil.Date) (*rules.CongressIn, error) {
	bodies, err := tx.Bodies(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	level := "ABOVE_GRASSROOTS"
	switch org.Type {
	case ktgs.OrgTypeCommune, ktgs.OrgTypeGrassrootsCommittee, ktgs.OrgTypeGrassrootsBranch:
		level = "GRASSROOTS"
	}
	for _, b := range bodies {
		if b.Kind != ktgs.BodyCommittee && b.Kind != ktgs.BodyBranch {
			continue
		}
		for _, t := range b.Terms {
			if !t.CongressDate.IsZero() && !t.CongressDate.Before(d) && !d.Before(t.Start) {
				return &rules.CongressIn{OpeningDate: t.CongressDate.String(), Level: level, Related: true}, nil
			}
		}
	}
	return nil, nil
}

// TransferInput sends a letter on to another body (by default the
// competent one routing named).
type TransferInput struct {
	BodyID   int64         `json:"body_id,omitempty"`
	OrgCode  string        `json:"org_code,omitempty"`
	BodyKind ktgs.BodyKind `json:"body_kind,omitempty"`
	On       civil.Date    `json:"on,omitempty"`
	Note     string        `json:"note,omitempty"`
}

// TransferLetter sends a letter received by a body that is not competent
// on to the competent body, with a notice to the sender (who is told
// where it went, never anything about the accused's side). The clock
// does not start: it starts when the competent body records its receipt
// (ArriveLetter; R14).
func (s *Service) TransferLetter(ctx context.Context, id int64, in TransferInput) (*ktgs.Letter, error) {
	d := s.dateOr(in.On)
	in.Note = vn.CleanText(in.Note)
	var notice *ktgs.LetterNotice
	var snd *ktgs.Sender
	l, err := s.updateLetter(ctx, id, ktgs.StepLetterTransfer, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		if d.Before(l.ReceivedOn) {
			return "", nil, ktgs.Invalid("on", "err.letter.before_receipt", l.ReceivedOn.VN())
		}
		bodyID := in.BodyID
		if bodyID == 0 && in.OrgCode == "" {
			if l.CompetentBodyID == 0 {
				return "", nil, ktgs.Invalid("body_id", "err.letter.accused_unmatched")
			}
			bodyID = l.CompetentBodyID
		}
		body, org, err := s.resolveBody(ctx, tx, bodyID, in.OrgCode, in.BodyKind, d)
		if err != nil {
			return "", nil, err
		}
		if body.ID == l.HolderBodyID {
			return "", nil, ktgs.Invalid("body_id", "err.letter.same_body")
		}
		today, err := tx.OrgLatest(ctx, org.ID)
		if err != nil {
			return "", nil, err
		}
		from := bodyLabel(ctx, tx, l.HolderBodyID)
		to := bodyLabel(ctx, tx, body.ID)
		l.HolderBodyID, l.HolderOrgID, l.ScopePath, l.HolderBodyName = body.ID, org.ID, today.Path, body.Name
		l.CompetentBodyID, l.CompetentOn, l.Status = body.ID, 0, ktgs.LetterTransferred
		l.Team = nil
		if err := tx.SetLetterTeam(ctx, l.ID, nil); err != nil {
			return "", nil, err
		}
		text := i18n.Default().T("vi", "letter.notice.transfer", from, d.VN(), to)
		if notice, snd, err = s.senderNoticeFor(ctx, tx, l, ktgs.NoticeTransfer, d, text); err != nil {
			return "", nil, err
		}
		return strings.TrimSpace(from + " → " + to + ". " + in.Note), nil, nil
	})
	if err == nil {
		s.deliverNotice(ctx, notice, snd)
	}
	return l, err
}

// ArriveLetter records that the competent body received a transferred
// letter: its clock starts that day (R14).
func (s *Service) ArriveLetter(ctx context.Context, id int64, on civil.Date) (*ktgs.Letter, error) {
	d := s.dateOr(on)
	return s.updateLetter(ctx, id, ktgs.StepLetterArrive, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		if d.Before(l.ReceivedOn) {
			return "", nil, ktgs.Invalid("on", "err.letter.before_receipt", l.ReceivedOn.VN())
		}
		l.Status, l.CompetentOn, l.CompetentBodyID = ktgs.LetterReceived, d, l.HolderBodyID
		return "", nil, nil
	})
}

// ReleaseLetter hands a letter held before a congress to the new-term
// committee: accepted, its clock running from the release (R14).
func (s *Service) ReleaseLetter(ctx context.Context, id int64, on civil.Date) (*ktgs.Letter, error) {
	d := s.dateOr(on)
	return s.updateLetter(ctx, id, ktgs.StepLetterRelease, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		cs, err := s.letterClock(ctx, tx, l, d, false)
		if err != nil {
			return "", nil, err
		}
		l.Status, l.CompetentOn = ktgs.LetterAccepted, d
		return "", stepRules{"R14": cs.Decision}, nil
	})
}

// TeamMemberInput is one person proposed to handle a letter.
type TeamMemberInput struct {
	UserID int64  `json:"user_id"`
	Role   string `json:"role"` // PRESIDE, RESOLVE, TEAM_MEMBER
}

// SetLetterTeam forms the handling team (R13): the accused, the
// denouncer and the people involved may not be on it, whatever their
// role; one person presides. The identity check runs on member ids and
// the denouncer's blind tag, without opening the sender's seal.
func (s *Service) SetLetterTeam(ctx context.Context, id int64, team []TeamMemberInput, on civil.Date) (*ktgs.Letter, error) {
	d := s.dateOr(on)
	var v ktgs.Validation
	if len(team) == 0 {
		v.Add("team", "err.required")
	} else if len(team) > 30 {
		v.Add("team", "err.too_many", 30)
	}
	presides := 0
	for i, m := range team {
		if !slices.Contains([]string{"PRESIDE", "RESOLVE", "TEAM_MEMBER"}, m.Role) {
			v.Add(fmt.Sprintf("team[%d].role", i), "err.letter.team_role")
		}
		if m.Role == "PRESIDE" {
			presides++
		}
	}
	if len(team) > 0 && presides != 1 {
		v.Add("team", "err.letter.one_presides")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.updateLetter(ctx, id, ktgs.StepLetterTeam, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		var members []ktgs.LetterTeamMember
		var handlers []rules.HandlerIn
		var denouncers, accused []int64
		for i, m := range team {
			u, err := tx.User(ctx, m.UserID)
			if notFound(err) {
				return "", nil, ktgs.Invalid(fmt.Sprintf("team[%d].user_id", i), "err.not_found")
			} else if err != nil {
				return "", nil, err
			}
			if slices.ContainsFunc(members, func(x ktgs.LetterTeamMember) bool { return x.UserID == u.ID }) {
				return "", nil, ktgs.Invalid(fmt.Sprintf("team[%d].user_id", i), "err.letter.team_twice")
			}
			members = append(members, ktgs.LetterTeamMember{UserID: u.ID, MemberID: u.MemberID, Role: m.Role, Name: u.DisplayName})
			if u.MemberID != 0 {
				handlers = append(handlers, rules.HandlerIn{MemberID: u.MemberID, Role: m.Role})
				if l.DenouncerTag != "" && memberTag(s.Keys, u.MemberID) == l.DenouncerTag {
					denouncers = append(denouncers, u.MemberID)
				}
			}
		}
		for _, a := range l.Allegations {
			if a.MemberID != 0 {
				accused = append(accused, a.MemberID)
			}
		}
		decisions := stepRules{}
		if len(accused) == 0 {
			// An organisation is accused: R13 asks about accused members,
			// of whom there are none; it still keeps the denouncer off
			// the team, as the person the rule must not let handle it.
			accused = denouncers
		}
		if len(handlers) > 0 && len(accused) > 0 {
			req := rules.ConflictRequest{Date: d.String(), AccusedIDs: accused, DenouncerIDs: denouncers, Handlers: handlers}
			dec, err := s.askRule("R13", req, map[string]string{"handlers": "team"})
			if err != nil {
				return "", nil, err
			}
			decisions["R13"] = dec
			if dec.Outcome == "BLOCKED" {
				return "", nil, &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.letter.handler_conflict", Rule: citation(dec)}
			}
		}
		if err := tx.SetLetterTeam(ctx, l.ID, members); err != nil {
			return "", nil, err
		}
		l.Team = members
		l.Status = ktgs.LetterVerifying
		names := make([]string, 0, len(members))
		for _, m := range members {
			names = append(names, m.Name+" ("+m.Role+")")
		}
		return strings.Join(names, ", "), decisions, nil
	})
}

// RecordVerification adds a verification note (thẩm tra, xác minh).
func (s *Service) RecordVerification(ctx context.Context, id int64, note string, on civil.Date) (*ktgs.Letter, error) {
	note = vn.CleanText(note)
	if n := len([]rune(strings.TrimSpace(note))); n < 10 || n > maxContent {
		return nil, ktgs.Invalid("note", "err.letter.note_length", 10, maxContent)
	}
	d := s.dateOr(on)
	return s.updateLetter(ctx, id, ktgs.StepLetterVerify, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		return note, nil, nil
	})
}

// ExtendLetter extends the time limit once, within the rule set (R14),
// with a notice to the denouncer.
func (s *Service) ExtendLetter(ctx context.Context, id int64, days int, reason string, on civil.Date) (*ktgs.Letter, error) {
	reason = vn.CleanText(reason)
	if len([]rune(strings.TrimSpace(reason))) < 10 {
		return nil, ktgs.Invalid("reason", "err.letter.reason_required", 10)
	}
	if days < 1 || days > 3650 {
		return nil, ktgs.Invalid("days", "err.range", 1, 3650)
	}
	d := s.dateOr(on)
	var notice *ktgs.LetterNotice
	var snd *ktgs.Sender
	l, err := s.updateLetter(ctx, id, ktgs.StepLetterExtend, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		var cs clockState
		if err := json.Unmarshal([]byte(l.Clock), &cs); err != nil {
			return "", nil, ktgs.Errorf(ktgs.ECONFLICT, "err.letter.no_clock")
		}
		req := cs.Request
		req.Extensions = append(slices.Clone(req.Extensions), rules.ExtensionIn{N: days})
		next, err := s.evalClock(l, req)
		if err != nil {
			return "", nil, err
		}
		text := i18n.Default().T("vi", "letter.notice.extension", bodyLabel(ctx, tx, l.HolderBodyID), l.DueOn.VN())
		if notice, snd, err = s.senderNoticeFor(ctx, tx, l, ktgs.NoticeExtension, d, text); err != nil {
			return "", nil, err
		}
		return reason, stepRules{"R14": next.Decision}, nil
	})
	if err == nil {
		s.deliverNotice(ctx, notice, snd)
	}
	return l, err
}

// ResultInput is the conclusion on one allegation.
type ResultInput struct {
	Seq        int               `json:"seq"`
	Result     ktgs.LetterResult `json:"result"`
	Conclusion string            `json:"conclusion"`
}

// ConcludeLetter records the conclusion (kết luận giải quyết tố cáo) on
// each denunciation allegation, and the notice to each accused: the
// conclusion only, never who denounced (RULES.md §5; R13). A letter kept
// as information (anonymous) never gets here (R12), and the notice text
// may not contain the sender's name or contact.
func (s *Service) ConcludeLetter(ctx context.Context, id int64, results []ResultInput, on civil.Date) (*ktgs.Letter, error) {
	d := s.dateOr(on)
	for i := range results {
		results[i].Conclusion = vn.CleanText(results[i].Conclusion)
	}
	return s.updateLetter(ctx, id, ktgs.StepLetterConclude, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		if l.Kind == ktgs.LetterAnonymous || l.Mode != ktgs.SenderNamed {
			return "", nil, &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.letter.anonymous_no_conclusion", Rule: "R12"}
		}
		snd, err := s.openSender(l)
		if err != nil {
			return "", nil, err
		}
		var v ktgs.Validation
		done := map[int]bool{}
		for i, r := range results {
			f := fmt.Sprintf("results[%d]", i)
			idx := slices.IndexFunc(l.Allegations, func(a ktgs.Allegation) bool { return a.Seq == r.Seq })
			if idx < 0 || l.Allegations[idx].Kind != ktgs.LetterDenunciation {
				v.Add(f+".seq", "err.letter.allegation")
				continue
			}
			if !r.Result.Valid() {
				v.Add(f+".result", "err.letter.result")
			}
			if n := len([]rune(strings.TrimSpace(r.Conclusion))); n < 10 || n > maxContent {
				v.Add(f+".conclusion", "err.letter.note_length", 10, maxContent)
			}
			if revealsSender(r.Conclusion, snd) {
				v.Add(f+".conclusion", "err.letter.identity_in_notice")
			}
			done[r.Seq] = true
		}
		for _, a := range l.Allegations {
			if a.Kind == ktgs.LetterDenunciation && !done[a.Seq] {
				v.Add("results", "err.letter.result_missing", a.Seq)
			}
		}
		if err := v.Err(); err != nil {
			return "", nil, err
		}
		for _, r := range results {
			a := &l.Allegations[slices.IndexFunc(l.Allegations, func(a ktgs.Allegation) bool { return a.Seq == r.Seq })]
			a.Result, a.Conclusion = r.Result, r.Conclusion
			if err := tx.UpdateAllegation(ctx, a); err != nil {
				return "", nil, err
			}
			if a.Subject == ktgs.AllegedUnknown {
				continue
			}
			name := a.SubjectName
			if name == "" {
				name = a.AccusedName
			}
			text := i18n.Default().T("vi", "letter.notice.accused", bodyLabel(ctx, tx, l.HolderBodyID), d.VN(), name,
				i18n.Default().T("vi", "letter.result."+string(a.Result)), a.Conclusion)
			if err := tx.InsertLetterNotice(ctx, &ktgs.LetterNotice{LetterID: l.ID, Kind: ktgs.NoticeAccused, On: d, To: name, Text: text}); err != nil {
				return "", nil, err
			}
		}
		l.Status, l.ConcludedOn = ktgs.LetterConcluded, d
		return "", nil, nil
	})
}

// revealsSender reports whether text names the sender or gives their
// contact (folded, so "Nguyen Van A" finds "Nguyễn Văn A").
func revealsSender(text string, snd *ktgs.Sender) bool {
	if snd == nil {
		return false
	}
	t := vn.Fold(text)
	for _, x := range []string{snd.Name, snd.Phone, snd.Email, snd.IDNumber, snd.Address} {
		if f := vn.Fold(x); len([]rune(f)) >= 5 && strings.Contains(t, f) {
			return true
		}
	}
	return false
}

// NotifyLetter notifies the result to the denouncer and closes the
// letter.
func (s *Service) NotifyLetter(ctx context.Context, id int64, on civil.Date) (*ktgs.Letter, error) {
	d := s.dateOr(on)
	var notice *ktgs.LetterNotice
	var snd *ktgs.Sender
	l, err := s.updateLetter(ctx, id, ktgs.StepLetterNotify, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		var parts []string
		for _, a := range l.Allegations {
			if a.Kind == ktgs.LetterDenunciation && a.Result != "" {
				parts = append(parts, fmt.Sprintf("%d. %s: %s", a.Seq, i18n.Default().T("vi", "letter.result."+string(a.Result)), a.Conclusion))
			}
		}
		text := i18n.Default().T("vi", "letter.notice.result", bodyLabel(ctx, tx, l.HolderBodyID), l.ReceivedOn.VN(), strings.Join(parts, "\n"))
		var err error
		if notice, snd, err = s.senderNoticeFor(ctx, tx, l, ktgs.NoticeResult, d, text); err != nil {
			return "", nil, err
		}
		l.Status, l.NotifiedOn = ktgs.LetterClosed, d
		return "", nil, nil
	})
	if err == nil {
		s.deliverNotice(ctx, notice, snd)
	}
	return l, err
}

// WithdrawInput records a withdrawal by the denouncer.
type WithdrawInput struct {
	On      civil.Date `json:"on,omitempty"`
	Coerced bool       `json:"coerced,omitempty"` // made under threat, coercion or bribery
	Reason  string     `json:"reason"`
}

// WithdrawLetter records a withdrawal. It ends handling unless it was
// made under threat, coercion or bribery (R12): then handling goes on,
// and both facts are on record.
func (s *Service) WithdrawLetter(ctx context.Context, id int64, in WithdrawInput) (*ktgs.Letter, error) {
	in.Reason = vn.CleanText(in.Reason)
	if len([]rune(strings.TrimSpace(in.Reason))) < 10 {
		return nil, ktgs.Invalid("reason", "err.letter.reason_required", 10)
	}
	d := s.dateOr(in.On)
	return s.updateLetter(ctx, id, ktgs.StepLetterWithdraw, d, func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		dec, err := s.askRule("R12", rules.IntakeRequest{ReceivedOn: d.String(), Sender: "NAMED", Withdrawn: true,
			WithdrawalCoerced: in.Coerced}, map[string]string{"received_on": "on"})
		if err != nil {
			return "", nil, err
		}
		var res rules.IntakeResult
		_ = resultAs(dec, &res)
		if slices.Contains(res.Grounds, "WITHDRAWN") {
			l.Status, l.WithdrawnOn = ktgs.LetterWithdrawn, d
		}
		return in.Reason, stepRules{"R12": dec}, nil
	})
}

// LetterCase proposes an inspection on signs of violation (KT_DHVP, the
// default) or a supervision (GS_THUONG_XUYEN, GS_CHUYEN_DE) from a
// letter: from an anonymous letter kept as information (RULES.md §5: it
// may feed an inspection, combined with other sources), or from a
// concluded allegation (seq > 0) found to show a violation.
func (s *Service) LetterCase(ctx context.Context, id int64, seq int, in CaseInput) (*ktgs.Case, error) {
	var c *ktgs.Case
	switch in.Kind {
	case "":
		in.Kind = ktgs.CaseKindKTDHVP
	case ktgs.CaseKindKTDHVP, ktgs.CaseKindGSThuongXuyen, ktgs.CaseKindGSChuyenDe:
	default:
		return nil, ktgs.Invalid("kind", "err.letter.case_kind")
	}
	_, err := s.updateLetter(ctx, id, ktgs.StepLetterLink, s.Today(), func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		a, err := linkAllegation(l, seq, l.Status == ktgs.LetterInformation)
		if err != nil {
			return "", nil, err
		}
		if c, err = s.proposeCase(ctx, tx, &in); err != nil {
			return "", nil, err
		}
		if a != nil {
			a.CaseID = c.ID
			if err := tx.UpdateAllegation(ctx, a); err != nil {
				return "", nil, err
			}
		}
		return c.Code, nil, nil
	})
	return c, err
}

// LetterProceeding opens a discipline proceeding from a concluded
// allegation found (partly) founded (origin DENUNCIATION).
func (s *Service) LetterProceeding(ctx context.Context, id int64, seq int, in ProceedingInput) (*ktgs.Proceeding, error) {
	var p *ktgs.Proceeding
	in.Origin = ktgs.OriginDenunciation
	_, err := s.updateLetter(ctx, id, ktgs.StepLetterLink, s.Today(), func(tx *store.Tx, l *ktgs.Letter) (string, stepRules, error) {
		if l.Status == ktgs.LetterInformation {
			return "", nil, &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.letter.anonymous_no_conclusion", Rule: "R12"}
		}
		a, err := linkAllegation(l, seq, false)
		if err != nil {
			return "", nil, err
		}
		if a.Result != ktgs.ResultFounded && a.Result != ktgs.ResultPartlyFounded {
			return "", nil, ktgs.Invalid("seq", "err.letter.not_founded")
		}
		if in.MemberID == 0 && in.CardNumber == "" && in.OrgID == 0 && in.OrgCode == "" {
			in.MemberID, in.OrgID = a.MemberID, a.OrgID
			in.SubjectKind = ktgs.SubjectMember
			if a.OrgID != 0 {
				in.SubjectKind = ktgs.SubjectOrg
			}
		}
		if in.Violation == "" {
			in.Violation = a.Conclusion
		}
		if p, err = s.openProceeding(ctx, tx, &in); err != nil {
			return "", nil, err
		}
		a.ProceedingID = p.ID
		if err := tx.UpdateAllegation(ctx, a); err != nil {
			return "", nil, err
		}
		return p.Code, nil, nil
	})
	return p, err
}

// linkAllegation returns allegation seq of l (nil for seq 0 when
// optional).
func linkAllegation(l *ktgs.Letter, seq int, optional bool) (*ktgs.Allegation, error) {
	if seq == 0 && optional {
		return nil, nil
	}
	i := slices.IndexFunc(l.Allegations, func(a ktgs.Allegation) bool { return a.Seq == seq })
	if i < 0 {
		return nil, ktgs.Invalid("seq", "err.letter.allegation")
	}
	return &l.Allegations[i], nil
}

// senderNoticeFor records a notice to the sender and returns it with the
// opened identity for delivery after the transaction commits. The notice
// is addressed to "người gửi", never by name: the record stays free of
// identity whoever reads it.
func (s *Service) senderNoticeFor(ctx context.Context, tx *store.Tx, l *ktgs.Letter, kind ktgs.NoticeKind, d civil.Date,
	text string) (*ktgs.LetterNotice, *ktgs.Sender, error) {
	if l.Mode != ktgs.SenderNamed || l.SenderSealed == "" {
		return nil, nil, nil
	}
	snd, err := s.openSender(l)
	if err != nil {
		return nil, nil, err
	}
	n := &ktgs.LetterNotice{LetterID: l.ID, Kind: kind, On: d, To: "người gửi", Text: text, Delivered: "post"}
	if snd.Email != "" && s.Mailer != nil {
		n.Delivered = "email"
	}
	if err := tx.InsertLetterNotice(ctx, n); err != nil {
		return nil, nil, err
	}
	return n, snd, nil
}

// deliverNotice e-mails a notice to the sender when a mailer is set up
// and the sender gave an address; best effort, logged without the
// address.
func (s *Service) deliverNotice(ctx context.Context, n *ktgs.LetterNotice, snd *ktgs.Sender) {
	if n == nil || snd == nil || n.Delivered != "email" || s.Mailer == nil {
		return
	}
	m := mail.Message{To: []string{snd.Email}, Subject: "[KTGS] " + i18n.Default().T("vi", "letter.notice_subject"), Body: n.Text + "\n",
		ID: fmt.Sprintf("ktgs-letter-notice-%d", n.ID)}
	if err := s.Mailer.Send(ctx, m); err != nil {
		s.Log.WarnContext(ctx, "letter notice e-mail failed", "notice", n.ID, "error", err.Error())
	}
}

// ReadLetterSender reveals the sender of a letter to a member of its
// handling team, with a stated reason, audited (authz.DenouncerRead;
// ReadProtected).
func (s *Service) ReadLetterSender(ctx context.Context, id int64, reason string) (*ktgs.Sender, error) {
	var l *ktgs.Letter
	var obj *authz.Object
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if l, err = tx.Letter(ctx, id); err != nil {
			return err
		}
		obj, err = s.LetterObject(ctx, tx, l)
		return err
	})
	if err != nil {
		return nil, err
	}
	var snd *ktgs.Sender
	_, err = s.ReadProtected(ctx, obj, ProtectedField{ObjectType: "letter", ObjectID: l.ID, OrgID: l.HolderOrgID, Field: "sender"}, reason,
		func(tx *store.Tx) (string, error) {
			var err error
			snd, err = s.openSender(l)
			return "", err
		})
	return snd, err
}

// LetterFileContent returns an attachment, opened, to a member of the
// handling team (a signed scan names its sender): audited like the
// sender.
func (s *Service) LetterFileContent(ctx context.Context, id, fileID int64, reason string) (name, mime string, data []byte, err error) {
	var l *ktgs.Letter
	var obj *authz.Object
	var f *store.LetterFile
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if l, err = tx.Letter(ctx, id); err != nil {
			return err
		}
		if obj, err = s.LetterObject(ctx, tx, l); err != nil {
			return err
		}
		files, err := tx.LetterFiles(ctx, id, true)
		if err != nil {
			return err
		}
		for i := range files {
			if files[i].ID == fileID {
				f = &files[i]
			}
		}
		if f == nil {
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "file")
		}
		return nil
	})
	if err != nil {
		return "", "", nil, err
	}
	_, err = s.ReadProtected(ctx, obj, ProtectedField{ObjectType: "letter", ObjectID: l.ID, OrgID: l.HolderOrgID,
		Field: fmt.Sprintf("file:%d", f.ID)}, reason, func(tx *store.Tx) (string, error) {
		n, err := s.Keys.Open(f.NameSealed, aadFileName)
		if err != nil {
			return "", err
		}
		name = string(n)
		data, err = s.Keys.Open(f.DataSealed, aadFileData)
		return "", err
	})
	return name, f.Mime, data, err
}

// LetterDetail is a letter with everything its page shows.
type LetterDetail struct {
	Letter     *ktgs.Letter
	Events     []ktgs.LetterEvent
	Notices    []ktgs.LetterNotice
	Files      []store.LetterFile // without content or name
	Duplicates []*ktgs.Letter     // letters linked to this one
	First      *ktgs.Letter       // the letter this one repeats
	Intake     *rules.Decision
	Clock      *rules.Decision
	// CanWrite: the actor may take the next steps; CanReadSender: the
	// actor is on the handling team and may reveal the sender.
	CanWrite      bool
	CanReadSender bool
	Overdue       bool
}

// LetterDetail returns letter id for its page (case:read).
func (s *Service) LetterDetail(ctx context.Context, id int64) (*LetterDetail, error) {
	out := &LetterDetail{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		l, obj, err := s.loadLetterFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		out.Letter = l
		out.CanWrite = s.Authorize(ctx, authz.CaseWrite, obj) == nil
		out.CanReadSender = l.SenderSealed != "" && authz.Allowed(ActorFrom(ctx), authz.DenouncerRead, obj)
		if out.Events, err = tx.LetterEvents(ctx, id); err != nil {
			return err
		}
		if out.Notices, err = tx.LetterNotices(ctx, id); err != nil {
			return err
		}
		if out.Files, err = tx.LetterFiles(ctx, id, false); err != nil {
			return err
		}
		for i := range out.Files {
			out.Files[i].NameSealed = ""
		}
		if out.Duplicates, err = tx.LettersDuplicating(ctx, id); err != nil {
			return err
		}
		if l.DuplicateOf != 0 || l.ResubmissionOf != 0 {
			first := l.DuplicateOf
			if first == 0 {
				first = l.ResubmissionOf
			}
			if f, err := tx.Letter(ctx, first); err == nil {
				if fo, err := s.LetterObject(ctx, tx, f); err == nil && authz.Allowed(ActorFrom(ctx), authz.CaseRead, fo) {
					out.First = f
				}
			}
		}
		if l.Intake != "" {
			out.Intake = new(rules.Decision)
			_ = json.Unmarshal([]byte(l.Intake), out.Intake)
		}
		if l.Clock != "" {
			var cs clockState
			if json.Unmarshal([]byte(l.Clock), &cs) == nil {
				out.Clock = cs.Decision
			}
		}
		out.Overdue = l.Overdue(s.Today())
		return nil
	})
	return out, err
}

// LetterQuery filters an inbox.
type LetterQuery struct {
	SubtreeOrgID int64
	BodyID       int64
	Kind         ktgs.LetterKind
	Status       ktgs.LetterStatus
	Open         bool
	DueWithin    int // days: clocked letters due within this many days
	Overdue      bool
	Duplicates   bool
	BeforeID     int64
	Limit        int
}

// ListLetters returns the letters the actor may read, newest first, and
// whether more follow. Nothing of a sender's identity is in a letter.
func (s *Service) ListLetters(ctx context.Context, q LetterQuery) ([]*ktgs.Letter, bool, error) {
	if q.Kind != "" && !q.Kind.Valid() {
		return nil, false, ktgs.Invalid("kind", "err.letter.kind")
	}
	if q.Status != "" && !q.Status.Valid() {
		return nil, false, ktgs.Invalid("status", "err.letter.status")
	}
	var out []*ktgs.Letter
	var more bool
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		f := store.LetterFilter{Paths: paths, MaxMark: mark, HolderBodyID: q.BodyID, Kind: q.Kind, Status: q.Status, Open: q.Open,
			Duplicates: q.Duplicates, BeforeID: q.BeforeID, Limit: q.Limit}
		if q.DueWithin > 0 {
			f.DueBy = s.Today().AddDays(q.DueWithin)
		}
		if q.Overdue {
			f.Overdue = s.Today()
		}
		out, more, err = tx.Letters(ctx, f)
		return err
	})
	return out, more, err
}

// PublicStatus is all the status page shows: never the content, the
// accused or the sender.
type PublicStatus struct {
	Status     ktgs.LetterStatus `json:"status"`
	ReceivedOn civil.Date        `json:"received_on"`
	UpdatedOn  civil.Date        `json:"updated_on"`
}

// LetterStatusByReceipt answers the public status page.
func (s *Service) LetterStatusByReceipt(ctx context.Context, code string) (*PublicStatus, error) {
	raw, ok := NormaliseReceipt(code)
	if !ok {
		return nil, ktgs.Invalid("receipt_code", "err.letter.receipt_format")
	}
	var out *PublicStatus
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByReceipt(ctx, receiptHash(raw))
		if err != nil {
			return err
		}
		st := l.Status
		switch st {
		case ktgs.LetterTransferred:
			st = ktgs.LetterReceived // the sender was told where it went; no more
		case ktgs.LetterDuplicate:
			// A repeat is handled with the letter it repeats. Its sender
			// sees that letter's status only if they wrote it too; a match
			// with someone else's letter is never revealed.
			st = ktgs.LetterReceived
			if first, err := tx.Letter(ctx, l.DuplicateOf); err == nil && l.SenderTag != "" && first.SenderTag == l.SenderTag {
				st = first.Status
				if st == ktgs.LetterTransferred || st == ktgs.LetterDuplicate {
					st = ktgs.LetterReceived
				}
			}
		}
		out = &PublicStatus{Status: st, ReceivedOn: l.ReceivedOn, UpdatedOn: civil.Of(l.UpdatedAt.In(Zone))}
		return nil
	})
	return out, err
}

// warnRetaliation raises a retaliation warning (RULES.md §5, protection:
// retaliation is a violation) when member id, who denounced in a letter,
// becomes the subject of a discipline proceeding, a case or a transfer:
// the commission chairs over the letter's holding body are notified, once
// per letter and event, and the warning is audited.
func (s *Service) warnRetaliation(ctx context.Context, tx *store.Tx, memberID int64, what, ref, link string) error {
	if s.Keys == nil || memberID == 0 {
		return nil
	}
	ls, err := tx.LettersByDenouncer(ctx, memberTag(s.Keys, memberID))
	if err != nil || len(ls) == 0 {
		return err
	}
	chairs, err := tx.UsersByRoles(ctx, []authz.Role{authz.RoleChair})
	if err != nil {
		return err
	}
	for _, l := range ls {
		path := store.PathIDs(l.ScopePath)
		for _, u := range chairs {
			if !slices.ContainsFunc(u.Scope, func(id int64) bool { return slices.Contains(path, id) }) {
				continue
			}
			key := fmt.Sprintf("retaliation:%d:%s:%d", l.ID, ref, u.ID)
			ok, err := tx.ClaimReminder(ctx, key)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			text := i18n.Default().T("vi", "letter.retaliation", l.Code, i18n.Default().T("vi", "letter.retaliation."+what), ref)
			if err := tx.InsertNotification(ctx, &store.Notification{UserID: u.ID, Key: key, Text: text,
				Link: fmt.Sprintf("/letters/%d", l.ID)}); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, auditEntry{Action: "letter.retaliation_warning", ObjectType: "letter", ObjectID: l.ID, OrgID: l.HolderOrgID,
			After: map[string]any{"event": what, "ref": ref, "link": link}}); err != nil {
			return err
		}
	}
	return nil
}

// remindLetters reminds the handling team (or whoever recorded the
// letter) of letters due soon or overdue.
func (s *Service) remindLetters(ctx context.Context, d civil.Date) (int, error) {
	var ls []*ktgs.Letter
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		ls, err = tx.LettersDueBy(ctx, d.AddDays(ReminderDays), 5000)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, l := range ls {
		kind := "soon"
		if l.DueOn.Before(d) {
			kind = "overdue"
		}
		var users []int64
		for _, m := range l.Team {
			users = append(users, m.UserID)
		}
		if len(users) == 0 && l.CreatedBy != 0 {
			users = []int64{l.CreatedBy}
		}
		if len(users) == 0 {
			continue
		}
		text := i18n.Default().T("vi", "remind.letter_"+kind, l.Code, l.Title, l.DueOn.VN())
		n, err := s.notifyOnce(ctx, fmt.Sprintf("letter:%d:%s:%s", l.ID, l.DueOn, kind), users, text, fmt.Sprintf("/letters/%d", l.ID))
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// RotateKeys re-seals every sender identity and attachment with next's
// current key and recomputes the blind-index tags and duplicate keys,
// batch by batch. next must still hold the keys the data is sealed with
// (sealed.Keyring.Rotate keeps them). It returns the number of letters.
func (s *Service) RotateKeys(ctx context.Context, next *sealed.Keyring) (int, error) {
	ctx = AsSystem(ctx)
	old := s.Keys
	s.Keys = next
	n := 0
	var after int64
	for {
		var ids []int64
		err := s.DB.Update(ctx, func(tx *store.Tx) error {
			var err error
			if ids, err = tx.LetterIDsAfter(ctx, after, 500); err != nil {
				return err
			}
			for _, id := range ids {
				l, err := tx.Letter(ctx, id)
				if err != nil {
					return err
				}
				snd, err := s.openSender(l)
				if err != nil {
					return fmt.Errorf("letter %s: %w", l.Code, err)
				}
				if err := s.sealSender(l, snd); err != nil {
					return err
				}
				if err := tx.UpdateLetter(ctx, l); err != nil {
					return err
				}
				if err := tx.ReplaceLetterKeys(ctx, l.ID, s.letterKeys(l)); err != nil {
					return err
				}
				files, err := tx.LetterFiles(ctx, id, true)
				if err != nil {
					return err
				}
				for i := range files {
					f := &files[i]
					name, err := next.Open(f.NameSealed, aadFileName)
					if err != nil {
						return err
					}
					data, err := next.Open(f.DataSealed, aadFileData)
					if err != nil {
						return err
					}
					if f.NameSealed, err = next.Seal(name, aadFileName); err != nil {
						return err
					}
					if f.DataSealed, err = next.Seal(data, aadFileData); err != nil {
						return err
					}
					if err := tx.ResealLetterFile(ctx, f); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			s.Keys = old
			return n, err
		}
		if len(ids) == 0 {
			break
		}
		n += len(ids)
		after = ids[len(ids)-1]
	}
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, auditEntry{Action: "letter.keys_rotate", ObjectType: "keyring", After: map[string]any{"key": next.Current(), "letters": n}})
	})
	return n, err
}
