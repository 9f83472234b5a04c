package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"unicode"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/mail"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Mailer sends e-mail (internal/mail.Sender).
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Team.

// AddTeamMember puts a cadre on a case's team. The cadre must be allowed
// to work on the case (role, scope, clearance) and must have no conflict
// of interest with a subject: being a subject, working in a subject's unit,
// or a conflict registered for them (a relative, a denouncer, the accused).
// A conflicted cadre is refused with the reason.
func (s *Service) AddTeamMember(ctx context.Context, caseID, userID int64, role ktgs.TeamRole) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, caseID, authz.CaseWrite)
		if err != nil {
			return err
		}
		if !c.Status.Open() || c.Status == ktgs.CaseSuspended {
			return ktgs.Invalid("user_id", "err.case.closed")
		}
		rel, err := s.relation(ctx, tx, c)
		if err != nil {
			return err
		}
		if !rel[ktgs.ActorHead] && !rel[ktgs.ActorLead] {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD, LEAD"}}
		}
		return s.addTeamMember(ctx, tx, c, userID, role, "user_id")
	})
}

// addTeamMember checks and adds a cadre to c's team in tx; field names
// the input field errors are reported on.
func (s *Service) addTeamMember(ctx context.Context, tx *store.Tx, c *ktgs.Case, userID int64, role ktgs.TeamRole, field string) error {
	if role != ktgs.TeamRoleLead && role != ktgs.TeamRoleMember {
		return ktgs.Invalid("role", "err.case.team_role")
	}
	u, err := tx.User(ctx, userID)
	if notFound(err) {
		return ktgs.Invalid(field, "err.not_found")
	} else if err != nil {
		return err
	}
	// A conflict of interest first: it is the more precise reason.
	if kind, what, err := s.conflictOf(ctx, tx, c, u); err != nil {
		return err
	} else if kind != "" {
		return ktgs.Invalid(field, "err.case.conflict."+strings.ToLower(string(kind)), u.DisplayName, what)
	}
	// The cadre must be able to work on the case like any team member.
	obj, err := s.CaseObject(ctx, tx, c)
	if err != nil {
		return err
	}
	obj.Team = append(obj.Team, u.ID)
	cadre := &authz.Actor{UserID: u.ID, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance, MemberID: u.MemberID, TwoFactor: true}
	if d := authz.Decide(cadre, authz.CaseWrite, obj); !d.Allow {
		return ktgs.Invalid(field, "err.case.cadre_cannot", u.DisplayName, d.Reason)
	}
	team, err := tx.Team(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, m := range team {
		if m.RemovedOn.IsZero() && m.UserID == u.ID {
			return ktgs.Invalid(field, "err.case.already_on_team", u.DisplayName)
		}
		if m.RemovedOn.IsZero() && role == ktgs.TeamRoleLead && m.Role == ktgs.TeamRoleLead {
			return ktgs.Invalid("role", "err.case.lead_exists", m.DisplayName)
		}
	}
	m := &ktgs.TeamMember{CaseID: c.ID, UserID: u.ID, Role: role, AddedOn: s.Today()}
	if err := tx.AddTeamMember(ctx, m); err != nil {
		return err
	}
	if err := s.caseEvent(ctx, tx, c, "team_add", c.Status, c.Status, u.DisplayName+" ("+string(role)+")"); err != nil {
		return err
	}
	return s.audit(ctx, tx, auditEntry{Action: "case.team_add", ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID,
		After: map[string]any{"user_id": u.ID, "role": role}})
}

// conflictOf returns the first conflict of interest of cadre u with a
// subject of c, and what it is with.
func (s *Service) conflictOf(ctx context.Context, tx *store.Tx, c *ktgs.Case, u *ktgs.User) (ktgs.ConflictKind, string, error) {
	var home int64
	if u.MemberID != 0 {
		if m, err := tx.Member(ctx, u.MemberID, s.Today()); err == nil {
			home = m.HomeOrgID
		}
	}
	for _, sb := range c.Subjects {
		if sb.MemberID != 0 && sb.MemberID == u.MemberID {
			return ktgs.ConflictSubject, sb.Name, nil
		}
		if home != 0 && sb.OrgID == home {
			return ktgs.ConflictSameUnit, sb.Name, nil
		}
	}
	reg, err := tx.Conflicts(ctx, u.ID)
	if err != nil {
		return "", "", err
	}
	for _, cf := range reg {
		for _, sb := range c.Subjects {
			if (cf.MemberID != 0 && cf.MemberID == sb.MemberID) || (cf.OrgID != 0 && cf.OrgID == sb.OrgID) {
				return cf.Kind, sb.Name, nil
			}
		}
	}
	return "", "", nil
}

// Recuse takes a cadre off a case's team with the stated reason (rút khỏi
// đoàn): the cadre themself, or the head.
func (s *Service) Recuse(ctx context.Context, caseID, userID int64, reason string) error {
	reason = vn.CleanText(reason)
	if len([]rune(strings.TrimSpace(reason))) < 5 {
		return ktgs.Invalid("reason", "err.case.reason")
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(ctx, caseID)
		if err != nil {
			return err
		}
		if !c.Status.Open() {
			return ktgs.Invalid("reason", "err.case.closed")
		}
		obj, err := s.CaseObject(ctx, tx, c)
		if err != nil {
			return err
		}
		a := ActorFrom(ctx)
		self := a != nil && a.UserID == userID
		if !self {
			if err := s.Authorize(ctx, authz.CaseWrite, obj); err != nil {
				return err
			}
			if rel, err := s.relation(ctx, tx, c); err != nil {
				return err
			} else if !rel[ktgs.ActorHead] {
				return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD"}}
			}
		} else if err := s.Authorize(ctx, authz.CaseRead, obj); err != nil {
			return err
		}
		if err := tx.RemoveTeamMember(ctx, caseID, userID, s.Today(), reason); err != nil {
			return err
		}
		if err := s.caseEvent(ctx, tx, c, "team_recuse", c.Status, c.Status, reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "case.team_recuse", ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID,
			After: map[string]any{"user_id": userID}, Reason: reason})
	})
}

// ConflictInput registers a conflict of interest of a cadre.
type ConflictInput struct {
	UserID     int64             `json:"user_id"`
	Kind       ktgs.ConflictKind `json:"kind"`
	MemberID   int64             `json:"member_id,omitempty"`
	CardNumber string            `json:"card_number,omitempty"`
	OrgCode    string            `json:"org_code,omitempty"`
	Note       string            `json:"note,omitempty"`
}

// RegisterConflict records a conflict of interest (a relative, a
// denouncer …): the cadre themself declares it, or an administrator of
// their scope.
func (s *Service) RegisterConflict(ctx context.Context, in ConflictInput) (*ktgs.Conflict, error) {
	var out *ktgs.Conflict
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		a := ActorFrom(ctx)
		if a == nil && !isSystem(ctx) {
			return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
		}
		u, err := tx.User(ctx, in.UserID)
		if notFound(err) {
			return ktgs.Invalid("user_id", "err.not_found")
		} else if err != nil {
			return err
		}
		if !isSystem(ctx) && a.UserID != u.ID {
			if err := s.authorizeUser(ctx, tx, u); err != nil {
				return err
			}
		}
		switch in.Kind {
		case ktgs.ConflictRelative, ktgs.ConflictSameUnit, ktgs.ConflictDenouncer, ktgs.ConflictAccused, ktgs.ConflictSubject:
		default:
			return ktgs.Invalid("kind", "err.case.conflict_kind")
		}
		cf := &ktgs.Conflict{UserID: u.ID, Kind: in.Kind, MemberID: in.MemberID, Note: vn.CleanText(in.Note)}
		if cf.MemberID == 0 && in.CardNumber != "" {
			m, err := tx.MemberByCard(ctx, NormaliseCard(in.CardNumber), s.Today())
			if notFound(err) {
				return ktgs.Invalid("card_number", "err.member_card_unknown", in.CardNumber)
			} else if err != nil {
				return err
			}
			cf.MemberID = m.ID
		}
		if in.OrgCode != "" {
			id, err := tx.OrgIDByCode(ctx, NormaliseCode(in.OrgCode))
			if notFound(err) {
				return ktgs.Invalid("org_code", "err.auth.scope_code", in.OrgCode)
			} else if err != nil {
				return err
			}
			cf.OrgID = id
		}
		if cf.MemberID == 0 && cf.OrgID == 0 {
			return ktgs.Invalid("card_number", "err.required")
		}
		if err := tx.InsertConflict(ctx, cf); err != nil {
			return err
		}
		out = cf
		return s.audit(ctx, tx, auditEntry{Action: "conflict.register", ObjectType: "user", ObjectID: u.ID, After: cf})
	})
	return out, err
}

// Subjects' reports.

// RecordSubjectDoc records that a subject's self-report or explanation
// ("self_report") or its comments on the draft report ("comments") were
// received on day d, with the file if one is given.
func (s *Service) RecordSubjectDoc(ctx context.Context, caseID int64, seq int, what string, d civil.Date, f *FileInput) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, caseID, authz.CaseWrite)
		if err != nil {
			return err
		}
		if rel, err := s.relation(ctx, tx, c); err != nil {
			return err
		} else if !rel[ktgs.ActorTeam] && !rel[ktgs.ActorHead] {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"TEAM"}}
		}
		if seq < 1 || seq > len(c.Subjects) {
			return ktgs.Invalid("subject_seq", "err.case.subject_seq")
		}
		if d.IsZero() {
			d = s.Today()
		}
		var v ktgs.Validation
		checkDate(&v, "date", d, true)
		if err := v.Err(); err != nil {
			return err
		}
		sb := &c.Subjects[seq-1]
		kind := "SELF_REPORT"
		switch what {
		case "self_report":
			if c.Status != ktgs.CaseAnnounced && c.Status != ktgs.CaseSelfReported {
				return ktgs.Invalid("what", "err.case.out_of_order", what, string(c.Status))
			}
			sb.SelfReportOn = d
		case "comments":
			if c.Status != ktgs.CaseDraftReport {
				return ktgs.Invalid("what", "err.case.out_of_order", what, string(c.Status))
			}
			sb.CommentsOn, kind = d, "COMMENTS"
		default:
			return ktgs.Invalid("what", "err.bad_request")
		}
		if err := tx.UpdateSubjectDates(ctx, c.ID, sb); err != nil {
			return err
		}
		if f != nil {
			f.Kind, f.SubjectSeq = kind, seq
			if _, err := s.storeCaseFile(ctx, tx, c, f); err != nil {
				return err
			}
		}
		ev := "self_report_doc"
		if kind == "COMMENTS" {
			ev = "comments"
		}
		if err := s.caseEvent(ctx, tx, c, ev, c.Status, c.Status, sb.Name); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "case.subject_" + strings.ToLower(kind), ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID,
			After: map[string]any{"subject_seq": seq, "date": d}})
	})
}

// Findings.

// FindingInput records a finding.
type FindingInput struct {
	SubjectSeq int              `json:"subject_seq"`
	Kind       ktgs.FindingKind `json:"kind"`
	Text       string           `json:"text"`
	// Responsible names the person responsible by party card number; Head
	// says they are the head of the subject organisation.
	ResponsibleCard    string `json:"responsible_card,omitempty"`
	Head               bool   `json:"head,omitempty"`
	Spread             bool   `json:"spread,omitempty"`
	Category           string `json:"category,omitempty"`
	WarrantsDiscipline bool   `json:"warrants_discipline,omitempty"`
}

// AddFinding records a strength, shortcoming or violation of a subject
// during verification, the draft report or the meeting.
func (s *Service) AddFinding(ctx context.Context, caseID int64, in FindingInput) (*ktgs.Finding, error) {
	var f *ktgs.Finding
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, caseID, authz.CaseWrite)
		if err != nil {
			return err
		}
		if rel, err := s.relation(ctx, tx, c); err != nil {
			return err
		} else if !rel[ktgs.ActorTeam] && !rel[ktgs.ActorHead] {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"TEAM"}}
		}
		switch c.Status {
		case ktgs.CaseSelfReported, ktgs.CaseVerifying, ktgs.CaseDraftReport, ktgs.CaseMeeting:
		default:
			return ktgs.Invalid("kind", "err.case.findings_when", string(c.Status))
		}
		var v ktgs.Validation
		in.Text, in.Category = vn.CleanText(in.Text), vn.Clean(in.Category)
		if in.SubjectSeq < 1 || in.SubjectSeq > len(c.Subjects) {
			v.Add("subject_seq", "err.case.subject_seq")
		}
		switch in.Kind {
		case ktgs.FindingStrength, ktgs.FindingShortcoming, ktgs.FindingViolation:
		default:
			v.Add("kind", "err.case.finding_kind")
		}
		if strings.TrimSpace(in.Text) == "" {
			v.Add("text", "err.required")
		} else if len([]rune(in.Text)) > maxContent {
			v.Add("text", "err.too_long", maxContent)
		}
		if in.Spread && in.Kind != ktgs.FindingStrength {
			v.Add("spread", "err.case.spread_strength")
		}
		if in.WarrantsDiscipline && in.Kind != ktgs.FindingViolation {
			v.Add("warrants_discipline", "err.case.discipline_violation")
		}
		if in.Kind == ktgs.FindingViolation && in.Category == "" {
			v.Add("category", "err.required")
		}
		var resp int64
		if in.ResponsibleCard != "" {
			m, err := tx.MemberByCard(ctx, NormaliseCard(in.ResponsibleCard), s.Today())
			if notFound(err) {
				v.Add("responsible_card", "err.member_card_unknown", in.ResponsibleCard)
			} else if err != nil {
				return err
			} else {
				resp = m.ID
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		f = &ktgs.Finding{CaseID: c.ID, SubjectSeq: in.SubjectSeq, Kind: in.Kind, Text: in.Text, ResponsibleMemberID: resp, IsHead: in.Head,
			Spread: in.Spread, Category: in.Category, WarrantsDiscipline: in.WarrantsDiscipline}
		if err := tx.InsertFinding(ctx, f, vn.Fold(in.Text)); err != nil {
			return err
		}
		if err := s.caseEvent(ctx, tx, c, "finding", c.Status, c.Status, string(in.Kind)); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "case.finding", ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID, After: f})
	})
	return f, err
}

// Remediation.

func (s *Service) loadRemediation(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Remediation, *ktgs.Case, error) {
	r, err := tx.Remediation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.loadCaseFor(ctx, tx, r.CaseID, act)
	if err != nil {
		return nil, nil, err
	}
	return r, c, nil
}

// RemediationAction is a step on a remediation request: "report"
// (progress by or for the subject, with evidence), "verify" (the team
// checked it) or "waive" (with a reason).
type RemediationAction struct {
	Kind string     `json:"kind"`
	Text string     `json:"text"`
	File *FileInput `json:"-"`
}

// ActOnRemediation records a progress report, a verification or a waiver.
func (s *Service) ActOnRemediation(ctx context.Context, id int64, in RemediationAction) (*ktgs.Remediation, error) {
	var r *ktgs.Remediation
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var c *ktgs.Case
		var err error
		if r, c, err = s.loadRemediation(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if c.Status != ktgs.CaseConcluded && c.Status != ktgs.CaseFollowUp {
			return ktgs.Invalid("kind", "err.case.out_of_order", in.Kind, string(c.Status))
		}
		rel, err := s.relation(ctx, tx, c)
		if err != nil {
			return err
		}
		in.Text = vn.CleanText(in.Text)
		if strings.TrimSpace(in.Text) == "" {
			return ktgs.Invalid("text", "err.required")
		}
		if r.Status.Done() {
			return ktgs.Invalid("kind", "err.case.remediation_done")
		}
		before := *r
		switch in.Kind {
		case "report":
			if !rel[ktgs.ActorTeam] && !rel[ktgs.ActorHead] {
				return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"TEAM"}}
			}
			r.Status = ktgs.RemediationReported
		case "verify":
			if !rel[ktgs.ActorTeam] && !rel[ktgs.ActorHead] {
				return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"TEAM"}}
			}
			if r.Status != ktgs.RemediationReported {
				return ktgs.Invalid("kind", "err.case.verify_unreported")
			}
			r.Status = ktgs.RemediationVerified
		case "waive":
			if !rel[ktgs.ActorHead] {
				return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD"}}
			}
			if len([]rune(strings.TrimSpace(in.Text))) < 5 {
				return ktgs.Invalid("text", "err.case.reason")
			}
			r.Status, r.Reason = ktgs.RemediationWaived, in.Text
		default:
			return ktgs.Invalid("kind", "err.bad_request")
		}
		if err := tx.UpdateRemediation(ctx, r); err != nil {
			return err
		}
		rep := &store.RemediationReport{RemediationID: r.ID, Kind: strings.ToUpper(in.Kind), Text: in.Text}
		if a := ActorFrom(ctx); a != nil {
			rep.UserID = a.UserID
		}
		if err := tx.InsertRemediationReport(ctx, rep); err != nil {
			return err
		}
		if in.File != nil {
			in.File.Kind, in.File.SubjectSeq, in.File.RemediationReportID = "REMEDIATION", r.SubjectSeq, rep.ID
			if _, err := s.storeCaseFile(ctx, tx, c, in.File); err != nil {
				return err
			}
		}
		if err := s.caseEvent(ctx, tx, c, "remediation_"+in.Kind, c.Status, c.Status, r.Text); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "case.remediation_" + in.Kind, ObjectType: "remediation", ObjectID: r.ID, OrgID: c.OrgID,
			Before: before, After: r})
	})
	return r, err
}

// Files.

// FileInput is an uploaded file.
type FileInput struct {
	Name                string
	Data                []byte
	Kind                string // EVIDENCE, SELF_REPORT, COMMENTS, REMEDIATION
	SubjectSeq          int
	RemediationReportID int64
}

// DefaultMaxFileSize is the evidence file limit when none is configured.
const DefaultMaxFileSize = 20 << 20

// allowedTypes are the evidence file types KTGS accepts, by sniffed
// content, never by name.
var allowedTypes = map[string]string{
	"application/pdf": ".pdf",
	"image/png":       ".png",
	"image/jpeg":      ".jpg",
	"text/plain":      ".txt",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       ".xlsx",
	"application/vnd.oasis.opendocument.text":                                 ".odt",
}

// SniffType returns the content type of data from its bytes (the name is
// not trusted), or "" if it is not an accepted type.
func SniffType(data []byte) string {
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "application/zip":
		// Office files are zip archives; tell them apart by their parts.
		switch {
		case bytes.Contains(data, []byte("word/document.xml")) || bytes.Contains(data, []byte("word/_rels")):
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case bytes.Contains(data, []byte("xl/workbook.xml")) || bytes.Contains(data, []byte("xl/_rels")):
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case bytes.Contains(data[:min(len(data), 200)], []byte("application/vnd.oasis.opendocument.text")):
			return "application/vnd.oasis.opendocument.text"
		}
		return ""
	case "text/plain":
		return ct
	}
	if _, ok := allowedTypes[ct]; ok {
		return ct
	}
	return ""
}

// SizeLabel writes a byte count for people: "20 MB", "512 KB".
func SizeLabel(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return vn.Int(n>>20, "vi") + " MB"
	}
	if n >= 1<<10 {
		return vn.Int((n+1<<10-1)>>10, "vi") + " KB"
	}
	return vn.Int(n, "vi") + " B"
}

// SafeFileName makes a download name from what the user called the file:
// no directories, no control or reserved characters, NFC, at most 120
// characters, and the extension of the sniffed type.
func SafeFileName(name, mime string) string {
	name = vn.Clean(path.Base(strings.ReplaceAll(name, `\`, "/")))
	ext := allowedTypes[mime]
	name = strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' || r == ' ' || r == '(' || r == ')':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := strings.Trim(b.String(), " ._")
	if out == "" {
		out = "tep"
	}
	if r := []rune(out); len(r) > 120 {
		out = string(r[:120])
	}
	return out + ext
}

// AddCaseFile attaches an evidence file to a case.
func (s *Service) AddCaseFile(ctx context.Context, caseID int64, f *FileInput) (*store.CaseFile, error) {
	var cf *store.CaseFile
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, caseID, authz.CaseWrite)
		if err != nil {
			return err
		}
		if rel, err := s.relation(ctx, tx, c); err != nil {
			return err
		} else if !rel[ktgs.ActorTeam] && !rel[ktgs.ActorHead] {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"TEAM"}}
		}
		if !c.Status.Open() {
			return ktgs.Invalid("file", "err.case.closed")
		}
		if f.Kind == "" {
			f.Kind = "EVIDENCE"
		}
		cf, err = s.storeCaseFile(ctx, tx, c, f)
		return err
	})
	return cf, err
}

func (s *Service) storeCaseFile(ctx context.Context, tx *store.Tx, c *ktgs.Case, f *FileInput) (*store.CaseFile, error) {
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	if len(f.Data) == 0 {
		return nil, ktgs.Invalid("file", "err.file.empty")
	}
	if int64(len(f.Data)) > limit {
		return nil, ktgs.Invalid("file", "err.file.too_large", SizeLabel(limit))
	}
	mime := SniffType(f.Data)
	if mime == "" {
		return nil, ktgs.Invalid("file", "err.file.type", http.DetectContentType(f.Data))
	}
	sum := sha256.Sum256(f.Data)
	hash := hex.EncodeToString(sum[:])
	if err := tx.PutFile(ctx, hash, mime, f.Data); err != nil {
		return nil, err
	}
	cf := &store.CaseFile{CaseID: c.ID, Hash: hash, Name: SafeFileName(f.Name, mime), Kind: f.Kind, SubjectSeq: f.SubjectSeq,
		RemediationReportID: f.RemediationReportID, Size: int64(len(f.Data)), Mime: mime}
	if a := ActorFrom(ctx); a != nil {
		cf.UploadedBy = a.UserID
	}
	if err := tx.InsertCaseFile(ctx, cf); err != nil {
		return nil, err
	}
	if err := s.caseEvent(ctx, tx, c, "file", c.Status, c.Status, cf.Name); err != nil {
		return nil, err
	}
	return cf, s.audit(ctx, tx, auditEntry{Action: "case.file", ObjectType: "case", ObjectID: c.ID, OrgID: c.OrgID,
		After: map[string]any{"name": cf.Name, "sha256": hash, "size": cf.Size, "mime": mime, "kind": cf.Kind}})
}

// CaseFile returns an attached file's record and content, for a reader
// of the case.
func (s *Service) CaseFile(ctx context.Context, fileID int64) (*store.CaseFile, []byte, error) {
	var cf *store.CaseFile
	var data []byte
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if cf, err = tx.CaseFileByID(ctx, fileID); err != nil {
			return err
		}
		if _, err := s.loadCaseFor(ctx, tx, cf.CaseID, authz.CaseRead); err != nil {
			return err
		}
		data, _, err = tx.File(ctx, cf.Hash)
		return err
	})
	return cf, data, err
}

// Reading.

// CaseDetail is everything the case page shows.
type CaseDetail struct {
	Case         *ktgs.Case
	Team         []ktgs.TeamMember
	Events       []ktgs.CaseEvent
	Findings     []ktgs.Finding
	Remediations []ktgs.Remediation
	Reports      []store.RemediationReport
	Files        []store.CaseFile
	Documents    []store.Document
	// Next are the transitions the actor may take now.
	Next     []ktgs.Transition
	Relation map[ktgs.CaseActor]bool
	CanWrite bool
}

// CaseDetail returns case id for a reader of it.
func (s *Service) CaseDetail(ctx context.Context, id int64) (*CaseDetail, error) {
	d := &CaseDetail{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		d.Case = c
		if d.Team, err = tx.Team(ctx, id); err != nil {
			return err
		}
		if d.Events, err = tx.CaseEvents(ctx, id); err != nil {
			return err
		}
		if d.Findings, err = tx.Findings(ctx, id); err != nil {
			return err
		}
		if d.Remediations, err = tx.Remediations(ctx, id); err != nil {
			return err
		}
		if d.Reports, err = tx.RemediationReports(ctx, id); err != nil {
			return err
		}
		if d.Files, err = tx.CaseFiles(ctx, id); err != nil {
			return err
		}
		if d.Documents, err = tx.Documents(ctx, id); err != nil {
			return err
		}
		obj, err := s.CaseObject(ctx, tx, c)
		if err != nil {
			return err
		}
		d.CanWrite = s.Authorize(ctx, authz.CaseWrite, obj) == nil
		if d.Relation, err = s.relation(ctx, tx, c); err != nil {
			return err
		}
		if d.CanWrite {
			for _, t := range ktgs.TransitionsFrom(c.Status) {
				for _, w := range t.Who {
					if d.Relation[w] {
						d.Next = append(d.Next, t)
						break
					}
				}
			}
		}
		return nil
	})
	return d, err
}

// CaseQuery filters the case list.
type CaseQuery struct {
	SubtreeOrgID int64 // 0: the actor's whole scope
	Kind         ktgs.CaseKind
	Status       ktgs.CaseStatus
	Year         int
	Overdue      bool
	BeforeID     int64
	Limit        int
}

// ListCases returns the cases the actor may read matching q, newest
// first: within the actor's scope (intersected with the subtree asked
// for), marked at most the actor's clearance.
func (s *Service) ListCases(ctx context.Context, q CaseQuery) ([]*ktgs.Case, bool, error) {
	var out []*ktgs.Case
	var more bool
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, mark, err := s.readablePaths(ctx, tx, authz.CaseRead, q.SubtreeOrgID)
		if err != nil {
			return err
		}
		out, more, err = tx.Cases(ctx, store.CaseFilter{Paths: paths, Kind: q.Kind, Status: q.Status, Year: q.Year, Overdue: q.Overdue,
			Today: s.Today(), MaxMark: mark, BeforeID: q.BeforeID, Limit: q.Limit})
		return err
	})
	return out, more, err
}

// readablePaths returns the current paths of the actor's scope
// organisations where it may do act, narrowed to the subtree of subtree
// (if non-zero), and the actor's clearance. Scope organisations that ended
// contribute their successors' paths.
func (s *Service) readablePaths(ctx context.Context, tx *store.Tx, act authz.Action, subtree int64) ([]string, authz.Mark, error) {
	var scope []int64
	mark := authz.TopSecret
	if !isSystem(ctx) {
		a := ActorFrom(ctx)
		if a == nil {
			return nil, 0, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
		}
		scope, mark = a.Scope, a.Clearance
	} else {
		roots, err := tx.RootIDs(ctx)
		if err != nil {
			return nil, 0, err
		}
		scope = roots
	}
	today := s.Today()
	var paths []string
	for _, id := range scope {
		if !isSystem(ctx) {
			obj, err := s.OrgObject(ctx, tx, id)
			if err != nil {
				continue
			}
			obj.Mark = authz.Normal
			if s.Authorize(ctx, act, obj) != nil {
				continue
			}
		}
		orgs, err := s.CurrentSuccessors(ctx, tx, id, today)
		if err != nil {
			return nil, 0, err
		}
		for _, o := range orgs {
			paths = append(paths, o.Path)
		}
	}
	if len(paths) == 0 && !isSystem(ctx) {
		return nil, 0, &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: authz.ReasonRole}
	}
	if subtree != 0 {
		o, err := tx.OrgLatest(ctx, subtree)
		if err != nil {
			return nil, 0, err
		}
		var narrowed []string
		for _, p := range paths {
			switch {
			case strings.HasPrefix(o.Path, p): // the subtree lies inside the scope
				narrowed = append(narrowed, o.Path)
			case strings.HasPrefix(p, o.Path): // the scope lies inside the subtree
				narrowed = append(narrowed, p)
			}
		}
		paths = narrowed
	}
	return dedupePrefixes(paths), mark, nil
}

// dedupePrefixes drops paths that lie under another path of the list.
func dedupePrefixes(paths []string) []string {
	var out []string
	for i, p := range paths {
		covered := false
		for j, q := range paths {
			if i != j && strings.HasPrefix(p, q) && (len(q) < len(p) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

// checkInitiation asks the rules whether the body may start this kind of
// case on these subjects (R20, with the citation).
func (s *Service) checkInitiation(ctx context.Context, tx *store.Tx, kind ktgs.CaseKind, body *ktgs.Body, org *ktgs.Org,
	subjects []ktgs.CaseSubject, d civil.Date) error {
	return s.initiationRule(ctx, tx, kind, body, org, subjects, d)
}

// GoodPractices searches the library of strengths marked to spread, within
// the actor's scope, by words with or without diacritics.
func (s *Service) GoodPractices(ctx context.Context, q string) ([]store.GoodPractice, error) {
	var out []store.GoodPractice
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, _, err := s.readablePaths(ctx, tx, authz.CaseRead, 0)
		if err != nil {
			return err
		}
		out, err = tx.GoodPractices(ctx, paths, strings.Fields(vn.Fold(q)), 100)
		return err
	})
	return out, err
}
