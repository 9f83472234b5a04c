package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// MemberInput is what it takes to record a party member.
type MemberInput struct {
	CardNumber   string        `json:"card_number"`
	FullName     string        `json:"full_name"`
	Gender       ktgs.Gender   `json:"gender"`
	BirthDate    civil.Date    `json:"birth_date"`
	AdmittedOn   civil.Date    `json:"admitted_on"`
	OfficialOn   civil.Date    `json:"official_on,omitempty"`
	HomeOrgID    int64         `json:"home_org_id,omitempty"`
	HomeOrgCode  string        `json:"home_org_code,omitempty"`
	HomeFrom     civil.Date    `json:"home_from,omitempty"` // default: admitted_on
	ManagingCode string        `json:"managing_org_code,omitempty"`
	ManagingID   int64         `json:"managing_org_id,omitempty"`
	ManagingKind ktgs.BodyKind `json:"managing_body,omitempty"`
	Hometown     string        `json:"hometown,omitempty"`
	Occupation   string        `json:"occupation,omitempty"`
}

// cardPattern: party card numbers are digits; dots and spaces that people
// type as thousands separators are removed by normalise.
var cardPattern = regexp.MustCompile(`^[0-9]{6,12}$`)

// NormaliseCard removes the separators people type in card numbers
// ("12.345.678" → "12345678").
func NormaliseCard(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' || r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, vn.Clean(s))
}

func (in *MemberInput) normalise() {
	in.CardNumber = NormaliseCard(in.CardNumber)
	in.FullName = vn.Clean(in.FullName)
	in.Gender = ktgs.Gender(strings.ToUpper(vn.Clean(string(in.Gender))))
	switch vn.Fold(string(in.Gender)) {
	case "nu", "f", "female":
		in.Gender = ktgs.GenderFemale
	case "nam", "m", "male":
		in.Gender = ktgs.GenderMale
	}
	in.HomeOrgCode = strings.ToUpper(vn.Clean(in.HomeOrgCode))
	in.ManagingCode = strings.ToUpper(vn.Clean(in.ManagingCode))
	in.ManagingKind = ktgs.BodyKind(strings.ToUpper(vn.Clean(string(in.ManagingKind))))
	in.Hometown = vn.Clean(in.Hometown)
	in.Occupation = vn.Clean(in.Occupation)
}

// validateFields checks the fields that need no database.
func (in *MemberInput) validateFields(v *ktgs.Validation) {
	in.normalise()
	if in.CardNumber == "" {
		v.Add("card_number", "err.required")
	} else if !cardPattern.MatchString(in.CardNumber) {
		v.Add("card_number", "err.card_format")
	}
	switch {
	case in.FullName == "":
		v.Add("full_name", "err.required")
	case len([]rune(in.FullName)) > 120:
		v.Add("full_name", "err.too_long", 120)
	case !validName(in.FullName):
		v.Add("full_name", "err.name_chars")
	}
	if in.Gender != "" && in.Gender != ktgs.GenderMale && in.Gender != ktgs.GenderFemale {
		v.Add("gender", "err.gender")
	}
	checkDate(v, "birth_date", in.BirthDate, false)
	checkDate(v, "admitted_on", in.AdmittedOn, true)
	checkDate(v, "official_on", in.OfficialOn, false)
	checkDate(v, "home_from", in.HomeFrom, false)
	if !in.BirthDate.IsZero() && !in.AdmittedOn.IsZero() && !in.BirthDate.Before(in.AdmittedOn) && !v.Has("admitted_on") {
		v.Add("admitted_on", "err.date_after", "birth_date")
	}
	if !in.OfficialOn.IsZero() && !in.AdmittedOn.IsZero() && !in.AdmittedOn.Before(in.OfficialOn) && !v.Has("official_on") {
		v.Add("official_on", "err.date_after", "admitted_on")
	}
	if !in.HomeFrom.IsZero() && in.HomeFrom.Before(in.AdmittedOn) && !v.Has("home_from") {
		v.Add("home_from", "err.date_not_before", "admitted_on")
	}
	if in.ManagingKind != "" && in.ManagingKind != ktgs.BodyCommittee && in.ManagingKind != ktgs.BodyStandingCommittee && in.ManagingKind != ktgs.BodyBranch {
		v.Add("managing_body", "err.managing_kind")
	}
	if in.HomeOrgID == 0 && in.HomeOrgCode == "" {
		v.Add("home_org_code", "err.required")
	}
}

// validName accepts letters (any script, any Unicode form after NFC),
// spaces, apostrophes and hyphens: names from ethnic minorities use them.
func validName(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == ' ' || r == '\'' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// resolveHome looks up the home chi bộ and managing body of in, checking
// that the chi bộ exists on the dates that matter.
func resolveHome(ctx context.Context, tx *store.Tx, in *MemberInput, v *ktgs.Validation) (home *ktgs.Org, err error) {
	if in.HomeOrgID == 0 {
		id, err := tx.OrgIDByCode(ctx, in.HomeOrgCode)
		if notFound(err) {
			v.Add("home_org_code", "err.org_code_unknown", in.HomeOrgCode)
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		in.HomeOrgID = id
	}
	// Without an explicit date the member joined the chi bộ when admitted,
	// or when the chi bộ was founded if that is later (registers imported
	// today rarely record when a member joined their current chi bộ).
	if in.HomeFrom.IsZero() {
		in.HomeFrom = in.AdmittedOn
		if o, err := tx.OrgLatest(ctx, in.HomeOrgID); err == nil && o.Born.After(in.HomeFrom) {
			in.HomeFrom = o.Born
		}
	}
	from := in.HomeFrom
	home, err = tx.OrgAt(ctx, in.HomeOrgID, from)
	if notFound(err) {
		v.Add("home_org_code", "err.org_not_on_date", in.HomeOrgCode, from.VN())
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !home.Type.IsBranch() {
		v.Add("home_org_code", "err.not_branch", home.Name)
	}
	if in.ManagingID == 0 && in.ManagingCode != "" {
		id, err := tx.OrgIDByCode(ctx, in.ManagingCode)
		if notFound(err) {
			v.Add("managing_org_code", "err.org_code_unknown", in.ManagingCode)
		} else if err != nil {
			return nil, err
		}
		in.ManagingID = id
	}
	return home, nil
}

// DefaultManaging returns the managing body of an ordinary member of chi bộ
// home: the grassroots organisation the member belongs to, that is the chi
// bộ cơ sở itself (its body is the chi bộ: it has no cấp ủy), or the
// committee of the đảng bộ cơ sở above a chi bộ trực thuộc.
func DefaultManaging(ctx context.Context, tx *store.Tx, home *ktgs.Org, d civil.Date) (ktgs.ManagingBody, error) {
	if home.Type == ktgs.OrgTypeGrassrootsBranch {
		return ManagingFor(home, nil), nil
	}
	anc, err := tx.Ancestors(ctx, home, d)
	if err != nil {
		return ktgs.ManagingBody{}, err
	}
	return ManagingFor(home, anc), nil
}

// ManagingFor is the rule behind DefaultManaging, given the chi bộ's
// ancestors (root first) on the day that matters.
func ManagingFor(home *ktgs.Org, ancestors []*ktgs.Org) ktgs.ManagingBody {
	if home.Type == ktgs.OrgTypeGrassrootsBranch {
		return ktgs.ManagingBody{OrgID: home.ID, Kind: ktgs.BodyBranch}
	}
	for i := len(ancestors) - 1; i >= 0; i-- {
		if ancestors[i].Type.Grassroots() {
			return ktgs.ManagingBody{OrgID: ancestors[i].ID, Kind: ktgs.BodyCommittee}
		}
	}
	if len(ancestors) > 0 {
		return ktgs.ManagingBody{OrgID: ancestors[len(ancestors)-1].ID, Kind: ktgs.BodyCommittee}
	}
	return ktgs.ManagingBody{OrgID: home.ID, Kind: ktgs.BodyBranch}
}

// Check normalises the input and validates the fields that need no
// database, adding problems to v. CreateMember does this too; bulk
// importers call it directly.
func (in *MemberInput) Check(v *ktgs.Validation) { in.validateFields(v) }

// CreateMember records a member, the home attachment and the admission
// (and recognition) events.
func (s *Service) CreateMember(ctx context.Context, in MemberInput) (*ktgs.Member, error) {
	var m *ktgs.Member
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		m, err = s.createMember(ctx, tx, &in)
		return err
	})
	return m, err
}

func (s *Service) createMember(ctx context.Context, tx *store.Tx, in *MemberInput) (*ktgs.Member, error) {
	var v ktgs.Validation
	in.validateFields(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	home, err := resolveHome(ctx, tx, in, &v)
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.authorizeOrg(ctx, tx, authz.MemberWrite, home.ID); err != nil {
		return nil, err
	}
	from := in.HomeFrom
	m := &ktgs.Member{CardNumber: in.CardNumber, FullName: in.FullName, Gender: in.Gender, BirthDate: in.BirthDate,
		AdmittedOn: in.AdmittedOn, OfficialOn: in.OfficialOn, HomeOrgID: home.ID, HomeSince: from, Hometown: in.Hometown, Occupation: in.Occupation,
		Managing: ktgs.ManagingBody{OrgID: in.ManagingID, Kind: in.ManagingKind}}
	if m.Managing.OrgID == 0 {
		mb, err := DefaultManaging(ctx, tx, home, from)
		if err != nil {
			return nil, err
		}
		m.Managing = mb
	} else if m.Managing.Kind == "" {
		m.Managing.Kind = ktgs.BodyCommittee
	}
	if err := tx.InsertMember(ctx, m); err != nil {
		if ktgs.ErrorCode(err) == ktgs.ECONFLICT {
			return nil, ktgs.Invalid("card_number", "err.card_taken", in.CardNumber)
		}
		return nil, err
	}
	m.Status = m.StatusOn(s.Today())
	if err := s.audit(ctx, tx, auditEntry{Action: "member.create", ObjectType: "member", ObjectID: m.ID, OrgID: home.ID, After: m}); err != nil {
		return nil, err
	}
	return m, nil
}

// authorizeMember authorises a change to member m and returns a snapshot
// of it for the audit trail.
func (s *Service) authorizeMember(ctx context.Context, tx *store.Tx, m *ktgs.Member) (ktgs.Member, error) {
	if !isSystem(ctx) {
		obj, err := s.MemberObject(ctx, tx, m.ID)
		if err != nil {
			return ktgs.Member{}, err
		}
		if err := s.Authorize(ctx, authz.MemberWrite, obj); err != nil {
			return ktgs.Member{}, err
		}
	}
	return *m, nil
}

// auditMember records a change to member m.
func (s *Service) auditMember(ctx context.Context, tx *store.Tx, action string, before ktgs.Member, m *ktgs.Member) error {
	return s.audit(ctx, tx, auditEntry{Action: action, ObjectType: "member", ObjectID: m.ID, OrgID: m.HomeOrgID, Before: before, After: m})
}

// activeMember loads member id and checks that it is a member on day d.
func activeMember(ctx context.Context, tx *store.Tx, id int64, d civil.Date, field string) (*ktgs.Member, error) {
	m, err := tx.Member(ctx, id, d)
	if err != nil {
		return nil, err
	}
	if !m.Active(d) {
		return nil, ktgs.Invalid(field, "err.member_not_active", m.FullName, d.VN())
	}
	return m, nil
}

// Transfer moves a member's home chi bộ (chuyển sinh hoạt đảng chính thức)
// to chi bộ to from day d. It is refused while the member is under
// consideration for discipline (R9); TransferOverride lets an authorised
// person proceed with a reason.
func (s *Service) Transfer(ctx context.Context, memberID, to int64, d civil.Date, note string) error {
	return s.TransferOverride(ctx, memberID, to, d, note, "")
}

// TransferOverride is Transfer with the reason for overriding the R9
// freeze (audited); empty means no override.
func (s *Service) TransferOverride(ctx context.Context, memberID, to int64, d civil.Date, note, override string) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		checkDate(&v, "date", d, true)
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, d, "date")
		if err != nil {
			return err
		}
		before, err := s.authorizeMember(ctx, tx, m)
		if err != nil {
			return err
		}
		if err := s.authorizeOrg(ctx, tx, authz.MemberWrite, to); err != nil && ktgs.ErrorCode(err) != ktgs.ENOTFOUND {
			return err
		} else if err != nil {
			return ktgs.Invalid("to_org", "err.org_not_on_date", to, d.VN())
		}
		if err := s.checkFreeze(ctx, tx, m, "TRANSFER", d, override, "date"); err != nil {
			return err
		}
		if err := s.transfer(ctx, tx, m, to, d, vn.CleanText(note)); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.transfer", before, m)
	})
}

func (s *Service) transfer(ctx context.Context, tx *store.Tx, m *ktgs.Member, to int64, d civil.Date, note string) error {
	dest, err := tx.OrgAt(ctx, to, d)
	if notFound(err) {
		return ktgs.Invalid("to_org", "err.org_not_on_date", to, d.VN())
	} else if err != nil {
		return err
	}
	if !dest.Type.IsBranch() {
		return ktgs.Invalid("to_org", "err.not_branch", dest.Name)
	}
	if dest.ID == m.HomeOrgID {
		return ktgs.Invalid("to_org", "err.same_branch", dest.Name)
	}
	if !m.HomeSince.Before(d) {
		return ktgs.Invalid("date", "err.transfer_before_current", m.HomeSince.VN())
	}
	// The period in the old chi bộ becomes history; the member row holds
	// the new one, so a member cannot have two home chi bộ at a time.
	from := m.HomeOrgID
	if err := tx.InsertAttachment(ctx, &ktgs.Attachment{MemberID: m.ID, OrgID: from, Kind: ktgs.AttachHome, From: m.HomeSince, To: d, Note: note}); err != nil {
		return err
	}
	// A member ordinarily managed by their grassroots committee follows the
	// chi bộ; a cadre on a higher list keeps the managing body.
	if old, err := DefaultManaging(ctx, tx, &ktgs.Org{ID: m.HomeOrgID, Type: ktgs.OrgTypeBranch, Path: m.HomeOrgPath}, d.AddDays(-1)); err == nil && old.OrgID == m.Managing.OrgID {
		if nm, err := DefaultManaging(ctx, tx, dest, d); err == nil {
			m.Managing = nm
		}
	}
	m.HomeOrgID, m.HomeSince = dest.ID, d
	if err := tx.UpdateMember(ctx, m); err != nil {
		return err
	}
	if err := tx.InsertMemberEvent(ctx, &ktgs.MemberEvent{MemberID: m.ID, Kind: ktgs.EventTransfer, Date: d, FromOrg: from, ToOrg: dest.ID, Note: note}); err != nil {
		return err
	}
	return s.warnRetaliation(ctx, tx, m.ID, "transfer", d.VN(), fmt.Sprintf("/members/%d", m.ID))
}

// AttachTemporarily records a temporary attachment (sinh hoạt tạm thời) to
// chi bộ org from day from until day to (zero: open-ended).
func (s *Service) AttachTemporarily(ctx context.Context, memberID, org int64, from, to civil.Date, note string) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		checkDate(&v, "from", from, true)
		checkDate(&v, "to", to, false)
		if !to.IsZero() && !from.Before(to) && !v.Has("to") {
			v.Add("to", "err.date_after", "from")
		}
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, from, "from")
		if err != nil {
			return err
		}
		before, err := s.authorizeMember(ctx, tx, m)
		if err != nil {
			return err
		}
		dest, err := tx.OrgAt(ctx, org, from)
		if notFound(err) {
			return ktgs.Invalid("org", "err.org_not_on_date", org, from.VN())
		} else if err != nil {
			return err
		}
		if !dest.Type.IsBranch() {
			return ktgs.Invalid("org", "err.not_branch", dest.Name)
		}
		if dest.ID == m.HomeOrgID {
			return ktgs.Invalid("org", "err.temp_is_home")
		}
		if m.TempOrgID != 0 {
			return ktgs.Invalid("org", "err.temp_exists", m.TempOrgName)
		}
		if err := tx.InsertAttachment(ctx, &ktgs.Attachment{MemberID: m.ID, OrgID: dest.ID, Kind: ktgs.AttachTemp, From: from, To: to, Note: vn.CleanText(note)}); err != nil {
			return err
		}
		if err := tx.InsertMemberEvent(ctx, &ktgs.MemberEvent{MemberID: m.ID, Kind: ktgs.EventTempAttach, Date: from, ToOrg: dest.ID, Note: vn.CleanText(note)}); err != nil {
			return err
		}
		m.TempOrgID, m.TempOrgName = dest.ID, dest.Name
		return s.auditMember(ctx, tx, "member.temp_attach", before, m)
	})
}

// RecognizeOfficial records that a probationary member became an official
// member on day d (công nhận đảng viên chính thức).
func (s *Service) RecognizeOfficial(ctx context.Context, memberID int64, d civil.Date) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		checkDate(&v, "date", d, true)
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, d, "date")
		if err != nil {
			return err
		}
		if !m.OfficialOn.IsZero() {
			return ktgs.Invalid("date", "err.already_official", m.OfficialOn.VN())
		}
		if !m.AdmittedOn.Before(d) {
			return ktgs.Invalid("date", "err.date_after", "admitted_on")
		}
		before, err := s.authorizeMember(ctx, tx, m)
		if err != nil {
			return err
		}
		m.OfficialOn = d
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.official", before, m)
	})
}

// Retire records retirement (nghỉ hưu). Membership continues.
func (s *Service) Retire(ctx context.Context, memberID int64, d civil.Date) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		checkDate(&v, "date", d, true)
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, d, "date")
		if err != nil {
			return err
		}
		if !m.RetiredOn.IsZero() {
			return ktgs.Invalid("date", "err.already_retired", m.RetiredOn.VN())
		}
		before, err := s.authorizeMember(ctx, tx, m)
		if err != nil {
			return err
		}
		m.RetiredOn = d
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.retire", before, m)
	})
}

// EndMembership records that membership ended on day d for reason (death,
// expulsion, striking from the roll, leaving). A temporary attachment ends
// that day; the member stays listed in the history of the last chi bộ.
func (s *Service) EndMembership(ctx context.Context, memberID int64, d civil.Date, reason ktgs.EndReason) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		checkDate(&v, "date", d, true)
		if reason == "" || !reason.Valid() {
			v.Add("reason", "err.end_reason")
		}
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, d, "date")
		if err != nil {
			return err
		}
		if !m.HomeSince.Before(d) {
			return ktgs.Invalid("date", "err.date_after", "home_from")
		}
		before, err := s.authorizeMember(ctx, tx, m)
		if err != nil {
			return err
		}
		m.EndedOn, m.EndReason = d, reason
		if err := tx.UpdateMember(ctx, m); err != nil {
			return err
		}
		if _, err = tx.EndTempAttachment(ctx, m.ID, d); err != nil {
			return err
		}
		return s.auditMember(ctx, tx, "member.end", before, m)
	})
}

// PostInput describes a post (chức vụ).
type PostInput struct {
	Title  string         `json:"title"`
	Agency string         `json:"agency"`
	Level  ktgs.PostLevel `json:"level"`
	OrgID  int64          `json:"org_id,omitempty"`
	From   civil.Date     `json:"from"`
	To     civil.Date     `json:"to,omitempty"`
	// Override is the reason for appointing a member under consideration
	// for discipline (R9); audited.
	Override string `json:"override,omitempty"`
}

// AddPost records a post held by a member.
func (s *Service) AddPost(ctx context.Context, memberID int64, in PostInput) (*ktgs.Post, error) {
	var p *ktgs.Post
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		in.Title, in.Agency = vn.Clean(in.Title), vn.Clean(in.Agency)
		var v ktgs.Validation
		if in.Title == "" {
			v.Add("title", "err.required")
		}
		if !in.Level.Valid() {
			v.Add("level", "err.post_level")
		}
		checkDate(&v, "from", in.From, true)
		checkDate(&v, "to", in.To, false)
		if !in.To.IsZero() && in.To.Before(in.From) && !v.Has("to") {
			v.Add("to", "err.date_not_before", "from")
		}
		if in.Level == ktgs.LevelDistrict && !in.From.Before(ktgs.ReformDate) {
			v.AddRule("level", "Quy định 298-QĐ/TW", "err.level_abolished", ktgs.ReformDate.VN())
		}
		if err := v.Err(); err != nil {
			return err
		}
		m, err := activeMember(ctx, tx, memberID, in.From, "from")
		if err != nil {
			return err
		}
		if _, err := s.authorizeMember(ctx, tx, m); err != nil {
			return err
		}
		if err := s.checkFreeze(ctx, tx, m, "APPOINTMENT", in.From, in.Override, "from", "APPOINTMENT_EQUAL_OR_HIGHER"); err != nil {
			return err
		}
		p = &ktgs.Post{MemberID: memberID, Title: in.Title, Agency: in.Agency, Level: in.Level, OrgID: in.OrgID, From: in.From, To: in.To}
		if err := tx.InsertPost(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "member.post", ObjectType: "member", ObjectID: memberID, OrgID: m.HomeOrgID, After: p})
	})
	return p, err
}
