package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/i18n"
	"ktgs/internal/mail"
	"ktgs/internal/store"
)

// WorkItem is a line of "Việc của tôi": something the user must do by a
// date.
type WorkItem struct {
	Kind    string // CASE_DUE, STEP, REMEDIATION_DUE, ITEM_START
	CaseID  int64
	Code    string
	Title   string
	Status  ktgs.CaseStatus
	Due     civil.Date
	Overdue bool
	Link    string
	Detail  string
}

// MyWork lists what the signed-in user must do: the open cases on whose
// team they are (with the plan's due date), the remediation requests of
// those cases still to verify, and the programme items they lead that have
// not started; overdue first, then by due date.
func (s *Service) MyWork(ctx context.Context) ([]WorkItem, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	today := s.Today()
	var out []WorkItem
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.CasesOfUser(ctx, a.UserID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			c, err := tx.Case(ctx, id)
			if err != nil {
				return err
			}
			link := fmt.Sprintf("/cases/%d", c.ID)
			out = append(out, WorkItem{Kind: "CASE_DUE", CaseID: c.ID, Code: c.Code, Title: c.Title, Status: c.Status, Due: c.DueOn,
				Overdue: c.Overdue(today), Link: link})
			rems, err := tx.Remediations(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, r := range rems {
				if r.Status.Done() {
					continue
				}
				out = append(out, WorkItem{Kind: "REMEDIATION_DUE", CaseID: c.ID, Code: c.Code, Title: c.Title, Status: c.Status,
					Due: r.DueOn, Overdue: r.Overdue(today), Link: link + "#remediation", Detail: r.Text})
			}
		}
		// Discipline: the proceedings the user opened and still handles
		// (a state notice's R18 deadline as the due date), and the duties
		// their decisions created.
		procs, err := tx.ProceedingsCreatedBy(ctx, a.UserID)
		if err != nil {
			return err
		}
		for _, p := range procs {
			link := fmt.Sprintf("/proceedings/%d", p.ID)
			if p.Status.Pending() {
				out = append(out, WorkItem{Kind: "PROCEEDING", Code: p.Code, Title: p.SubjectName, Link: link, Detail: p.Violation})
			}
			tasks, err := tx.DisciplineTasks(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, t := range tasks {
				if t.DoneOn.IsZero() {
					out = append(out, WorkItem{Kind: "DISCIPLINE_TASK", Code: p.Code, Title: t.Text, Due: t.DueOn,
						Overdue: !t.DueOn.IsZero() && t.DueOn.Before(today), Link: link + "#tasks", Detail: t.Citation})
				}
			}
		}
		items, err := tx.ItemsLedBy(ctx, a.UserID)
		if err != nil {
			return err
		}
		for _, it := range items {
			out = append(out, WorkItem{Kind: "ITEM_START", Title: it.Content, Due: it.From, Overdue: it.From.Before(today),
				Link: fmt.Sprintf("/programmes/%d#item-%d", it.ProgrammeID, it.ID), Detail: it.SubjectName})
		}
		return nil
	})
	sortWork(out)
	return out, err
}

func sortWork(w []WorkItem) {
	less := func(a, b WorkItem) bool {
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		if a.Due.IsZero() != b.Due.IsZero() {
			return !a.Due.IsZero()
		}
		if a.Due != b.Due {
			return a.Due.Before(b.Due)
		}
		return a.CaseID < b.CaseID
	}
	for i := 1; i < len(w); i++ {
		for j := i; j > 0 && less(w[j], w[j-1]); j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
}

// ReminderDays is how many days before a due date the team is reminded.
const ReminderDays = 3

// RunReminders sends the reminders due on day d: cases whose plan ends
// within ReminderDays or has passed, and remediation requests likewise;
// overdue remediation requests are escalated to the head once. Each
// reminder has a key (what, which, which due date, which kind) claimed in
// the database before sending, so however many servers run this, each
// reminder goes out once. Reminders are in-app notifications for every
// team member, and e-mails when a Mailer is configured and the user's
// address is known.
func (s *Service) RunReminders(ctx context.Context, d civil.Date) (int, error) {
	ctx = AsSystem(ctx)
	sent := 0
	var cases []*ktgs.Case
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		cases, err = tx.CasesDueBy(ctx, d.AddDays(ReminderDays), 5000)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, c := range cases {
		kind := "soon"
		if c.DueOn.Before(d) {
			kind = "overdue"
		}
		key := fmt.Sprintf("case:%d:%s:%s", c.ID, c.DueOn, kind)
		n, err := s.remind(ctx, key, c, kind == "overdue", fmt.Sprintf("remind.case_%s", kind), c.Code, c.Title, c.DueOn.VN())
		if err != nil {
			return sent, err
		}
		sent += n
	}
	// The duties of discipline decisions (reports to higher bodies …),
	// to the cadre who opened the proceeding.
	var tasks []store.DueTask
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		tasks, err = tx.DisciplineTasksDueBy(ctx, d.AddDays(ReminderDays), 5000)
		return err
	})
	if err != nil {
		return sent, err
	}
	for _, t := range tasks {
		kind := "soon"
		if t.DueOn.Before(d) {
			kind = "overdue"
		}
		if t.CreatedBy == 0 {
			continue
		}
		text := i18n.Default().T("vi", "remind.task_"+kind, t.Code, t.Text, t.DueOn.VN())
		n, err := s.notifyOnce(ctx, fmt.Sprintf("dtask:%d:%s:%s", t.ID, t.DueOn, kind), []int64{t.CreatedBy}, text,
			fmt.Sprintf("/proceedings/%d#tasks", t.ProceedingID))
		if err != nil {
			return sent, err
		}
		sent += n
	}
	// Complaints to resolve by the rule set's time limit (R11), to
	// whoever recorded them: when due soon, and once more when overdue.
	var cps []*ktgs.Complaint
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		cps, err = tx.ComplaintsDueBy(ctx, d.AddDays(ReminderDays), 5000)
		return err
	})
	if err != nil {
		return sent, err
	}
	for _, c := range cps {
		if c.CreatedBy == 0 {
			continue
		}
		kind := "soon"
		if c.ResolveBy.Before(d) {
			kind = "overdue"
		}
		text := i18n.Default().T("vi", "remind.complaint_"+kind, c.Code, c.ComplainantName, c.ResolveBy.VN())
		n, err := s.notifyOnce(ctx, fmt.Sprintf("complaint:%d:%s:%s", c.ID, c.ResolveBy, kind), []int64{c.CreatedBy}, text,
			fmt.Sprintf("/complaints/%d", c.ID))
		if err != nil {
			return sent, err
		}
		sent += n
	}
	// Suspensions about to end: the body must decide before the member's
	// party activity resumes; reminded to whoever recorded it.
	susps, err := s.SuspensionsEndingBy(ctx, d.AddDays(ReminderDays), 5000)
	if err != nil {
		return sent, err
	}
	for _, sp := range susps {
		if sp.CreatedBy == 0 || sp.LastDay().Before(d) {
			continue
		}
		text := i18n.Default().T("vi", "remind.suspension_soon", sp.Code, sp.SubjectName, sp.LastDay().VN())
		n, err := s.notifyOnce(ctx, fmt.Sprintf("suspension:%d:%s", sp.ID, sp.LastDay()), []int64{sp.CreatedBy}, text,
			fmt.Sprintf("/suspensions/%d", sp.ID))
		if err != nil {
			return sent, err
		}
		sent += n
	}
	n, err := s.remindLetters(ctx, d)
	sent += n
	if err != nil {
		return sent, err
	}
	var rems []ktgs.Remediation
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		rems, err = tx.OverdueRemediations(ctx, d, 5000)
		return err
	})
	if err != nil {
		return sent, err
	}
	for _, r := range rems {
		var c *ktgs.Case
		escalated := false
		err := s.DB.Update(ctx, func(tx *store.Tx) error {
			var err error
			if c, err = tx.Case(ctx, r.CaseID); err != nil {
				return err
			}
			// Only the server whose update marks it escalates it.
			if escalated, err = tx.MarkEscalated(ctx, r.ID, d); err != nil || !escalated {
				return err
			}
			if err := s.caseEvent(ctx, tx, c, "remediation_escalate", c.Status, c.Status, r.Text); err != nil {
				return err
			}
			return s.audit(ctx, tx, auditEntry{Action: "case.remediation_escalate", ObjectType: "remediation", ObjectID: r.ID, OrgID: c.OrgID,
				After: map[string]any{"due_on": r.DueOn, "escalated_on": d}})
		})
		if err != nil {
			return sent, err
		}
		if !escalated {
			continue
		}
		n, err := s.remind(ctx, fmt.Sprintf("remediation:%d:%s:escalate", r.ID, r.DueOn), c, true, "remind.remediation_overdue", c.Code, r.Text, r.DueOn.VN())
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// remind claims key and, if this call claimed it, notifies the case's team
// and, for an escalation, the heads over the case (the commission chairs
// and chi bộ secretaries whose scope holds it), in the app and by e-mail.
// It returns the number of people notified.
func (s *Service) remind(ctx context.Context, key string, c *ktgs.Case, heads bool, msg string, args ...any) (int, error) {
	var team []ktgs.TeamMember
	var emails []string
	claimed := false
	notified := 0
	text := i18n.Default().T("vi", msg, args...)
	link := fmt.Sprintf("/cases/%d", c.ID)
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		ok, err := tx.ClaimReminder(ctx, key)
		if err != nil || !ok {
			return err
		}
		claimed = true
		if team, err = tx.Team(ctx, c.ID); err != nil {
			return err
		}
		to := map[int64]bool{}
		for _, m := range team {
			if m.RemovedOn.IsZero() {
				to[m.UserID] = true
			}
		}
		if heads {
			ids, err := s.headsOf(ctx, tx, c)
			if err != nil {
				return err
			}
			for _, id := range ids {
				to[id] = true
			}
		}
		for _, id := range keysOf(to) {
			if err := tx.InsertNotification(ctx, &store.Notification{UserID: id, Key: key, Text: text, Link: link}); err != nil {
				return err
			}
			if u, err := tx.User(ctx, id); err == nil && strings.Contains(u.Email, "@") {
				emails = append(emails, u.Email)
			}
			notified++
		}
		return nil
	})
	if err != nil || !claimed {
		return 0, err
	}
	s.mailReminder(ctx, key, text, link, emails)
	return notified, nil
}

// mailReminder sends a reminder by e-mail when a Mailer is configured. The
// notification is already in the app; the e-mail is best effort and its
// failure is logged for the operator.
func (s *Service) mailReminder(ctx context.Context, key, text, link string, emails []string) {
	if s.Mailer == nil || len(emails) == 0 {
		return
	}
	m := mail.Message{To: emails, Subject: "[KTGS] " + text, Body: text + "\n\n" + s.BaseURL + link + "\n", ID: strings.NewReplacer(":", "-").Replace("ktgs-" + key)}
	if err := s.Mailer.Send(ctx, m); err != nil {
		s.Log.WarnContext(ctx, "reminder e-mail failed", "key", key, "error", err.Error())
	}
}

// notifyOnce claims key and, if this call claimed it, notifies users in
// the app and by e-mail: the same once-only guarantee as remind, for
// reminders that are not about a case's team.
func (s *Service) notifyOnce(ctx context.Context, key string, users []int64, text, link string) (int, error) {
	var emails []string
	claimed := false
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		ok, err := tx.ClaimReminder(ctx, key)
		if err != nil || !ok {
			return err
		}
		claimed = true
		for _, id := range users {
			if err := tx.InsertNotification(ctx, &store.Notification{UserID: id, Key: key, Text: text, Link: link}); err != nil {
				return err
			}
			if u, err := tx.User(ctx, id); err == nil && strings.Contains(u.Email, "@") {
				emails = append(emails, u.Email)
			}
		}
		return nil
	})
	if err != nil || !claimed {
		return 0, err
	}
	s.mailReminder(ctx, key, text, link, emails)
	return len(users), nil
}

// headsOf returns the heads of the work over case c: the commission
// chairs and chi bộ secretaries who may write it and whose scope is
// nearest to the acting organisation (the commune's chair, not every
// chair above it).
func (s *Service) headsOf(ctx context.Context, tx *store.Tx, c *ktgs.Case) ([]int64, error) {
	users, err := tx.UsersByRoles(ctx, []authz.Role{authz.RoleChair, authz.RoleSecretary})
	if err != nil {
		return nil, err
	}
	obj, err := s.CaseObject(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	org, err := tx.OrgLatest(ctx, c.OrgID)
	if err != nil {
		return nil, err
	}
	path := store.PathIDs(c.ScopePath)
	if len(path) == 0 {
		path = store.PathIDs(org.Path)
	}
	depth := func(u *ktgs.User) int {
		best := -1
		for _, id := range u.Scope {
			if i := slices.Index(path, id); i > best {
				best = i
			}
		}
		return best
	}
	var out []int64
	bestDepth := -1
	for _, u := range users {
		if u.DisabledAt != nil {
			continue
		}
		a := &authz.Actor{UserID: u.ID, Role: u.Role, Scope: u.Scope, Clearance: u.Clearance, MemberID: u.MemberID, TwoFactor: true}
		if !authz.Allowed(a, authz.CaseWrite, obj) {
			continue
		}
		switch d := depth(u); {
		case d > bestDepth:
			out, bestDepth = []int64{u.ID}, d
		case d == bestDepth:
			out = append(out, u.ID)
		}
	}
	return out, nil
}

func keysOf(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Notifications returns the signed-in user's latest notifications.
func (s *Service) Notifications(ctx context.Context) ([]store.Notification, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	}
	var out []store.Notification
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Notifications(ctx, a.UserID, 50)
		return err
	})
	return out, err
}
