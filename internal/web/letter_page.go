package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// The letter page: what the letter is, where it stands, its history and
// notices, and one form per step the caller may take now. The sender's
// identity appears only on the response to the audited reveal.

// Letter step names in URLs beside the procedure's own (ktgs.StepLetter*):
// the two links a letter may lead to.
const (
	stepLetterCase       = "case"
	stepLetterProceeding = "proceeding"
)

// letterStepOrder is the order of the step forms on the page.
var letterStepOrder = []string{ktgs.StepLetterClassify, ktgs.StepLetterTransfer, ktgs.StepLetterArrive, ktgs.StepLetterRelease,
	ktgs.StepLetterTeam, ktgs.StepLetterVerify, ktgs.StepLetterExtend, ktgs.StepLetterConclude, ktgs.StepLetterNotify,
	ktgs.StepLetterWithdraw, stepLetterCase, stepLetterProceeding}

// letterTeamRoles are the roles of a handling team (R13).
var letterTeamRoles = []string{"PRESIDE", "RESOLVE", "TEAM_MEMBER"}

// letterTeamRows is the number of rows of the team form.
const letterTeamRows = 5

// letterNextSteps returns the steps the caller may take on d now.
func letterNextSteps(d *app.LetterDetail) []string {
	out := []string{}
	if !d.CanWrite {
		return out
	}
	l := d.Letter
	for _, st := range letterStepOrder {
		switch st {
		case stepLetterCase:
			if !ktgs.LetterStepAllowed(ktgs.StepLetterLink, l.Status) {
				continue
			}
			if l.Status != ktgs.LetterInformation && len(caseSeqs(l)) == 0 {
				continue
			}
		case stepLetterProceeding:
			if !ktgs.LetterStepAllowed(ktgs.StepLetterLink, l.Status) || len(foundedAllegations(l)) == 0 {
				continue
			}
		default:
			if !ktgs.LetterStepAllowed(st, l.Status) {
				continue
			}
		}
		out = append(out, st)
	}
	return out
}

// caseSeqs are the concluded allegations not yet linked to a case.
func caseSeqs(l *ktgs.Letter) []ktgs.Allegation {
	var out []ktgs.Allegation
	for _, a := range l.Allegations {
		if a.Result != "" && a.CaseID == 0 {
			out = append(out, a)
		}
	}
	return out
}

// foundedAllegations are the allegations found (partly) founded and not
// yet before a discipline proceeding.
func foundedAllegations(l *ktgs.Letter) []ktgs.Allegation {
	var out []ktgs.Allegation
	if l.Status == ktgs.LetterInformation {
		return nil
	}
	for _, a := range l.Allegations {
		if (a.Result == ktgs.ResultFounded || a.Result == ktgs.ResultPartlyFounded) && a.ProceedingID == 0 {
			out = append(out, a)
		}
	}
	return out
}

// letterRuleOrder orders a step's rule decisions.
var letterRuleOrder = []string{"R12", "R13", "R14"}

func letterRules(js string) []ruleEntry {
	var m map[string]*rules.Decision
	if js == "" || json.Unmarshal([]byte(js), &m) != nil {
		return nil
	}
	var out []ruleEntry
	for _, k := range letterRuleOrder {
		if d, ok := m[k]; ok && d != nil {
			out = append(out, ruleEntry{Rule: k, Decision: d})
		}
	}
	return out
}

// intakeGrounds returns the R12 grounds of an intake decision.
func intakeGrounds(d *rules.Decision) []string {
	if d == nil {
		return nil
	}
	b, err := json.Marshal(d.Result)
	if err != nil {
		return nil
	}
	var res rules.IntakeResult
	if json.Unmarshal(b, &res) != nil {
		return nil
	}
	return res.Grounds
}

// teamOption is a user the team form offers.
type teamOption struct {
	ID   int64
	Name string
}

// teamRow is a row of the team form: its index and its number.
type teamRow struct{ I, N int }

// letterFile is an attachment as the page lists it: never its name.
type letterFile struct {
	ID   int64
	N    int
	Mime string
	Size string
}

// letterPage is the letter page's data.
type letterPage struct {
	*app.LetterDetail
	Today   civil.Date
	Accused string
	// Receipt is the receipt code, shown once after intake.
	Receipt string
	// Sender is the identity revealed on this response (nil otherwise).
	Sender      *ktgs.Sender
	Grounds     []string
	EventRules  map[int64][]ruleEntry
	Steps       []string
	TeamUsers   []teamOption
	Roles       []string
	Modes       []ktgs.SenderMode
	Kinds       []ktgs.LetterKind
	Results     []ktgs.LetterResult
	BodyKinds   []ktgs.BodyKind
	Categories  []string
	Forms       []ktgs.DisciplineForm
	Rows        []allegationRow
	TeamRows    []teamRow
	IntakeRules []ruleEntry
	ClockRules  []ruleEntry
	Conclude    []ktgs.Allegation
	CaseSeqs    []ktgs.Allegation
	Founded     []ktgs.Allegation
	FileRows    []letterFile
	// HolderLabel and CompetentLabel name the bodies with their
	// organisations.
	HolderLabel, CompetentLabel string
	CanReadFiles                bool
	// Failed is the form that came back with errors ("sender", "file" or
	// a step), Errors its field errors.
	Failed string
	Errors []fieldMsg

	q, fields, defaults map[string]string
}

// V is the value of input name of the step form: what the user typed when
// that form failed, the default otherwise.
func (p *letterPage) V(step, name string) string {
	if p.Failed == step {
		return p.q[name]
	}
	return p.defaults[step+"."+name]
}

// E is the error of input name of the step form.
func (p *letterPage) E(step, name string) string {
	if p.Failed == step {
		return p.fields[name]
	}
	return ""
}

// Open reports whether the step form should be shown open.
func (p *letterPage) Open(step string) bool { return p.Failed == step }

// letterPageOpts is what a step's response adds to the page.
type letterPageOpts struct {
	failed string
	rows   []int // classify: the row of each allegation sent
	sender *ktgs.Sender
}

func (s *Server) letterPage(w http.ResponseWriter, r *http.Request, id int64, f *form, o letterPageOpts, status int) error {
	ctx := r.Context()
	d, err := s.App.LetterDetail(ctx, id)
	if err != nil {
		return err
	}
	if f == nil {
		f = &form{}
	}
	if f.Q == nil {
		f.Q = map[string]string{}
	}
	l := d.Letter
	data := &letterPage{LetterDetail: d, Today: s.App.Today(), Accused: accusedNames(l), Sender: o.sender, Grounds: intakeGrounds(d.Intake),
		EventRules: map[int64][]ruleEntry{}, Steps: letterNextSteps(d), Roles: letterTeamRoles,
		Modes: []ktgs.SenderMode{ktgs.SenderNamed, ktgs.SenderAnonymous, ktgs.SenderFalseName}, Kinds: allegationKinds,
		Results:    []ktgs.LetterResult{ktgs.ResultFounded, ktgs.ResultPartlyFounded, ktgs.ResultUnfounded},
		BodyKinds:  []ktgs.BodyKind{ktgs.BodyInspectionCommission, ktgs.BodyStandingCommittee, ktgs.BodyCommittee, ktgs.BodyBranch},
		Categories: rules.Categories, Forms: ktgs.DisciplineForms, CaseSeqs: caseSeqs(l), Founded: foundedAllegations(l),
		Failed: o.failed, q: f.Q, defaults: map[string]string{}}
	for _, e := range d.Events {
		if rs := letterRules(e.Rules); len(rs) > 0 {
			data.EventRules[e.ID] = rs
		}
	}
	for i, fl := range d.Files {
		data.FileRows = append(data.FileRows, letterFile{ID: fl.ID, N: i + 1, Mime: fl.Mime, Size: app.SizeLabel(fl.Size)})
	}
	for _, a := range l.Allegations {
		if a.Kind == ktgs.LetterDenunciation {
			data.Conclude = append(data.Conclude, a)
		}
	}
	for i := 0; i < letterTeamRows; i++ {
		data.TeamRows = append(data.TeamRows, teamRow{I: i, N: i + 1})
	}
	if d.Intake != nil {
		data.IntakeRules = []ruleEntry{{Rule: "R12", Decision: d.Intake}}
	}
	if d.Clock != nil {
		data.ClockRules = []ruleEntry{{Rule: "R14", Decision: d.Clock}}
	}
	if err := s.letterPageLookups(r, data); err != nil {
		return err
	}
	s.letterDefaults(data)
	data.Errors = s.letterFormErrors(r, f, o.rows)
	data.fields = f.Fields
	if o.failed == ktgs.StepLetterClassify {
		n, _ := strconv.Atoi(f.Q["rows"])
		data.Rows = formRows(f, min(max(n, 1), 20))
	} else {
		data.Rows = classifyRows(l)
	}
	if o.failed == "" && r.Method == http.MethodGet {
		data.Receipt = s.takeReceipt(w, r, id)
	}
	f.Extra = data
	p := s.page(r, "")
	p.Title = l.Code + " — " + l.Title
	p.Data = f
	if o.sender != nil {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	s.render(w, r, status, "letters_page", p)
	return nil
}

// letterPageLookups fills what the page needs from the register: the
// users the team form offers (roles that may handle a letter, in its
// scope, cleared for its mark, not accused by it), whether the caller may
// open attachments, and the codes the link forms start from.
func (s *Server) letterPageLookups(r *http.Request, data *letterPage) error {
	ctx := r.Context()
	l := data.Letter
	return s.DB.View(ctx, func(tx *store.Tx) error {
		obj, err := s.App.LetterObject(ctx, tx, l)
		if err != nil {
			return err
		}
		data.CanReadFiles = len(data.Files) > 0 && authz.Allowed(app.ActorFrom(ctx), authz.DenouncerRead, obj)
		data.HolderLabel, data.CompetentLabel = l.HolderBodyName, l.CompetentBodyName
		if label := bodyLabel(ctx, tx, l.HolderBodyID); label != "" {
			data.HolderLabel = label
		}
		if l.CompetentBodyID != 0 {
			if label := bodyLabel(ctx, tx, l.CompetentBodyID); label != "" {
				data.CompetentLabel = label
			}
		}
		if o, err := tx.OrgLatest(ctx, l.HolderOrgID); err == nil {
			data.defaults["case.org_code"] = o.Code
			data.defaults["proceeding.org_code"] = o.Code
		}
		var subjects []string
		for _, a := range l.Allegations {
			switch {
			case a.MemberID != 0:
				if m, err := tx.MemberAsOf(ctx, a.MemberID, s.App.Today()); err == nil && m.CardNumber != "" {
					subjects = append(subjects, m.CardNumber)
				}
			case a.OrgID != 0:
				if o, err := tx.OrgLatest(ctx, a.OrgID); err == nil {
					subjects = append(subjects, o.Code)
				}
			}
		}
		data.defaults["case.subjects"] = strings.Join(slices.Compact(subjects), "\n")
		if !slices.Contains(data.Steps, ktgs.StepLetterTeam) {
			return nil
		}
		users, err := tx.UsersByRoles(ctx, []authz.Role{authz.RoleChair, authz.RoleInspector, authz.RoleSecretary})
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.DisabledAt != nil || u.Clearance < obj.Mark || !slices.ContainsFunc(u.Scope, func(id int64) bool { return slices.Contains(obj.Ancestry, id) }) {
				continue
			}
			if u.MemberID != 0 && slices.Contains(obj.Accused, u.MemberID) {
				continue
			}
			data.TeamUsers = append(data.TeamUsers, teamOption{ID: u.ID, Name: u.DisplayName})
		}
		return nil
	})
}

// letterDefaults fills the step forms' starting values from the letter.
func (s *Server) letterDefaults(data *letterPage) {
	l, d := data.Letter, data.defaults
	yes := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	d["classify.sender_mode"] = string(l.Mode)
	d["classify.signers"] = strconv.Itoa(l.Signers)
	d["classify.not_personally_signed"] = yes(l.NotPersonallySigned)
	d["classify.lacks_civil_capacity"] = yes(l.LacksCivilCapacity)
	d["classify.address_unclear"] = yes(l.AddressUnclear)
	d["classify.congress_related"] = yes(l.CongressRelated)
	d["transfer.target"] = "competent"
	d["transfer.body_kind"] = string(ktgs.BodyInspectionCommission)
	for i, m := range l.Team {
		if i < letterTeamRows {
			d[fmt.Sprintf("team.team_user_%d", i)] = strconv.FormatInt(m.UserID, 10)
			d[fmt.Sprintf("team.team_role_%d", i)] = m.Role
		}
	}
	if len(l.Team) == 0 {
		d["team.team_role_0"] = "PRESIDE"
	}
	for _, a := range l.Allegations {
		d[fmt.Sprintf("conclude.result_%d", a.Seq)] = string(a.Result)
		d[fmt.Sprintf("conclude.conclusion_%d", a.Seq)] = a.Conclusion
	}
	d["case.body_kind"] = string(ktgs.BodyInspectionCommission)
	d["case.title"] = s.I18n.T("vi", "letters.case_title", l.Code)
	d["case.content"] = l.Title
	d["proceeding.body_kind"] = string(ktgs.BodyInspectionCommission)
	d["proceeding.warranted_form"] = string(ktgs.FormReprimand)
	d["proceeding.category"] = "KHAC"
	if f := data.Founded; len(f) > 0 {
		d["proceeding.seq"] = strconv.Itoa(f[0].Seq)
		d["proceeding.violation"] = f[0].Conclusion
	}
	if c := data.CaseSeqs; len(c) > 0 {
		d["case.seq"] = strconv.Itoa(c[0].Seq)
	}
}

// classifyRows are the classify form's rows: the letter's allegations as
// they stand, and one empty row to add another.
func classifyRows(l *ktgs.Letter) []allegationRow {
	var rows []allegationRow
	for i, a := range l.Allegations {
		row := allegationRow{N: i, Num: i + 1, Name: a.AccusedName, Unit: a.AccusedUnit, Kind: string(a.Kind), Text: a.Content}
		if a.MemberID != 0 {
			row.MemberID, row.SubjectName = strconv.FormatInt(a.MemberID, 10), a.SubjectName
		}
		if a.OrgID != 0 {
			row.OrgID, row.SubjectName = strconv.FormatInt(a.OrgID, 10), a.SubjectName
		}
		rows = append(rows, row)
	}
	return append(rows, allegationRow{N: len(rows), Num: len(rows) + 1, Kind: string(ktgs.LetterDenunciation)})
}

func (s *Server) handleLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.letterPage(w, r, id, nil, letterPageOpts{}, http.StatusOK)
}

// readLetterStepForm parses a step's form (at most 1 MiB: a conclusion
// may be long).
func readLetterStepForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, ktgs.Invalid("form", "err.bad_request")
	}
	f := &form{Q: map[string]string{}}
	for k := range r.PostForm {
		f.Q[k] = r.PostFormValue(k)
	}
	return f, nil
}

var (
	resultErrRE = regexp.MustCompile(`^results\[(\d+)\]\.(\w+)$`)
	teamErrRE   = regexp.MustCompile(`^team\[(\d+)\]\.(\w+)$`)
)

// renameFields renames the field errors of err that match re with name,
// which maps the match to the form's input.
func renameFields(err error, re *regexp.Regexp, name func(m []string) string) {
	e := ktgs.AsError(err)
	if e == nil {
		return
	}
	for k, fe := range e.Fields {
		if m := re.FindStringSubmatch(k); m != nil {
			delete(e.Fields, k)
			e.Fields[name(m)] = fe
		}
	}
}

// handleLetterStep takes one step from the page's forms. A refused step
// shows the page again with the form as typed and its errors.
func (s *Server) handleLetterStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readLetterStepForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	step := r.PathValue("step")
	var v ktgs.Validation
	on := formDate(&v, "on", f.Q["on"])
	var rows []int
	target := fmt.Sprintf("/letters/%d#history", id)
	switch step {
	case ktgs.StepLetterClassify:
		in := app.ClassifyInput{Mode: ktgs.SenderMode(f.Q["sender_mode"]), NotPersonallySigned: f.Q["not_personally_signed"] != "",
			LacksCivilCapacity: f.Q["lacks_civil_capacity"] != "", AddressUnclear: f.Q["address_unclear"] != "",
			ContentUnspecific: f.Q["content_unspecific"] != "", NoBasisForVerification: f.Q["no_basis_for_verification"] != "",
			NewEvidence: f.Q["new_evidence"] != "", ClearTargetAndContent: f.Q["clear_target_and_content"] != "",
			CongressRelated: f.Q["congress_related"] != "", Reason: f.Q["reason"], On: on}
		if n := strings.TrimSpace(f.Q["signers"]); n != "" {
			var perr error
			if in.Signers, perr = strconv.Atoi(n); perr != nil {
				v.Add("signers", "err.number")
			}
		}
		n, _ := strconv.Atoi(f.Q["rows"])
		in.Allegations, rows = readAllegationRows(r, f, min(max(n, 1), 20), &v)
		if err = v.Err(); err == nil {
			_, err = s.App.ClassifyLetter(ctx, id, in)
		}
	case ktgs.StepLetterTransfer:
		in := app.TransferInput{On: on, Note: f.Q["note"]}
		if f.Q["target"] == "other" {
			in.OrgCode, in.BodyKind = f.Q["org_code"], ktgs.BodyKind(f.Q["body_kind"])
			if strings.TrimSpace(in.OrgCode) == "" {
				v.Add("org_code", "err.required")
			}
		}
		if err = v.Err(); err == nil {
			_, err = s.App.TransferLetter(ctx, id, in)
		}
	case ktgs.StepLetterArrive, ktgs.StepLetterRelease, ktgs.StepLetterNotify:
		if err = v.Err(); err == nil {
			switch step {
			case ktgs.StepLetterArrive:
				_, err = s.App.ArriveLetter(ctx, id, on)
			case ktgs.StepLetterRelease:
				_, err = s.App.ReleaseLetter(ctx, id, on)
			default:
				_, err = s.App.NotifyLetter(ctx, id, on)
			}
		}
	case ktgs.StepLetterTeam:
		var team []app.TeamMemberInput
		var teamRows []int
		for i := 0; i < letterTeamRows; i++ {
			u := strings.TrimSpace(f.Q[fmt.Sprintf("team_user_%d", i)])
			if u == "" {
				continue
			}
			uid, perr := strconv.ParseInt(u, 10, 64)
			if perr != nil || uid <= 0 {
				v.Add(fmt.Sprintf("team_user_%d", i), "err.number")
			}
			team = append(team, app.TeamMemberInput{UserID: uid, Role: f.Q[fmt.Sprintf("team_role_%d", i)]})
			teamRows = append(teamRows, i)
		}
		if err = v.Err(); err == nil {
			_, err = s.App.SetLetterTeam(ctx, id, team, on)
			renameFields(err, teamErrRE, func(m []string) string {
				i, _ := strconv.Atoi(m[1])
				if i < len(teamRows) {
					i = teamRows[i]
				}
				if m[2] == "role" {
					return fmt.Sprintf("team_role_%d", i)
				}
				return fmt.Sprintf("team_user_%d", i)
			})
		}
	case ktgs.StepLetterVerify:
		if err = v.Err(); err == nil {
			_, err = s.App.RecordVerification(ctx, id, f.Q["note"], on)
		}
	case ktgs.StepLetterExtend:
		days, perr := strconv.Atoi(strings.TrimSpace(f.Q["days"]))
		if perr != nil {
			v.Add("days", "err.number")
		}
		if err = v.Err(); err == nil {
			_, err = s.App.ExtendLetter(ctx, id, days, f.Q["reason"], on)
		}
	case ktgs.StepLetterConclude:
		var results []app.ResultInput
		for _, sq := range r.PostForm["seq"] {
			seq, perr := strconv.Atoi(sq)
			if perr != nil {
				continue
			}
			results = append(results, app.ResultInput{Seq: seq, Result: ktgs.LetterResult(f.Q[fmt.Sprintf("result_%d", seq)]),
				Conclusion: f.Q[fmt.Sprintf("conclusion_%d", seq)]})
		}
		if err = v.Err(); err == nil {
			_, err = s.App.ConcludeLetter(ctx, id, results, on)
			renameFields(err, resultErrRE, func(m []string) string {
				i, _ := strconv.Atoi(m[1])
				seq := 0
				if i < len(results) {
					seq = results[i].Seq
				}
				if m[2] == "seq" {
					m[2] = "result"
				}
				return fmt.Sprintf("%s_%d", m[2], seq)
			})
		}
	case ktgs.StepLetterWithdraw:
		in := app.WithdrawInput{On: on, Coerced: f.Q["coerced"] != "", Reason: f.Q["reason"]}
		if err = v.Err(); err == nil {
			_, err = s.App.WithdrawLetter(ctx, id, in)
		}
	case stepLetterCase:
		seq, _ := strconv.Atoi(f.Q["seq"])
		in := app.CaseInput{Kind: ktgs.CaseKind(f.Q["case_kind"]), OrgCode: f.Q["org_code"], BodyKind: ktgs.BodyKind(f.Q["body_kind"]), Title: f.Q["title"], Content: f.Q["content"],
			Subjects: subjectLines(f.Q["subjects"]), ProposedOn: formDate(&v, "proposed_on", f.Q["proposed_on"])}
		if err = v.Err(); err == nil {
			var c *ktgs.Case
			if c, err = s.App.LetterCase(ctx, id, seq, in); err == nil {
				target = fmt.Sprintf("/cases/%d", c.ID)
			}
		}
	case stepLetterProceeding:
		seq, _ := strconv.Atoi(f.Q["seq"])
		in := app.ProceedingInput{BodyOrgCode: f.Q["org_code"], BodyKind: ktgs.BodyKind(f.Q["body_kind"]), Category: f.Q["category"],
			Violation: f.Q["violation"], ViolationOn: formDate(&v, "violation_on", f.Q["violation_on"]),
			WarrantedForm: ktgs.DisciplineForm(f.Q["warranted_form"]), OpenedOn: formDate(&v, "opened_on", f.Q["opened_on"])}
		if err = v.Err(); err == nil {
			var p *ktgs.Proceeding
			if p, err = s.App.LetterProceeding(ctx, id, seq, in); err == nil {
				target = fmt.Sprintf("/proceedings/%d", p.ID)
			}
		}
	default:
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	if err != nil {
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.ECONFLICT {
			// Out of order, not competent, a conflict of interest: said
			// on the page, next to the form.
			f.Message = s.I18n.T(langOf(ctx), e.Message, e.Args...)
			if e.Rule != "" {
				f.Message += " (" + e.Rule + ")"
			}
		} else if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.letterPage(w, r, id, f, letterPageOpts{failed: step, rows: rows}, formStatus(err))
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// handleLetterSender reveals the sender to a member of the handling team,
// with the stated reason; the use case audits it (letter.read_protected).
// The identity is on this response only, never cached.
func (s *Server) handleLetterSender(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := readLetterStepForm(w, r)
	if err != nil {
		return err
	}
	snd, err := s.App.ReadLetterSender(r.Context(), id, f.Q["reason"])
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		return s.letterPage(w, r, id, f, letterPageOpts{failed: "sender"}, formStatus(err))
	}
	return s.letterPage(w, r, id, &form{}, letterPageOpts{sender: snd}, http.StatusOK)
}

// handleLetterFile sends an attachment to a member of the handling team,
// with the stated reason (audited like the sender: a signed scan names
// its sender), as a download, never inline.
func (s *Server) handleLetterFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	f, err := readLetterStepForm(w, r)
	if err != nil {
		return err
	}
	name, typ, data, err := s.App.LetterFileContent(r.Context(), id, fid, f.Q["reason"])
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
		f.Q["fid"] = strconv.FormatInt(fid, 10)
		return s.letterPage(w, r, id, f, letterPageOpts{failed: "file"}, formStatus(err))
	}
	sendAttachment(w, name, typ, data)
	return nil
}

// sendAttachment writes data as a download named name: every file the
// app hands out (case and letter files, documents, reports, exports) is
// an attachment that no cache keeps.
func sendAttachment(w http.ResponseWriter, name, typ string, data []byte) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
