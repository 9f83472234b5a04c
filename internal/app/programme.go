package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// ProgrammeItemInput is one planned activity.
type ProgrammeItemInput struct {
	Kind    ktgs.CaseKind `json:"kind"`
	Subject SubjectInput  `json:"subject"`
	Content string        `json:"content"`
	From    civil.Date    `json:"from"`
	To      civil.Date    `json:"to"`
	// Lead is the username of the cadre who leads it, if known.
	Lead string `json:"lead,omitempty"`
}

// ProgrammeInput adopts a programme.
type ProgrammeInput struct {
	BodyID    int64              `json:"body_id,omitempty"`
	OrgCode   string             `json:"org_code,omitempty"`
	BodyKind  ktgs.BodyKind      `json:"body_kind,omitempty"`
	Kind      ktgs.ProgrammeKind `json:"kind"`
	Year      int                `json:"year,omitempty"`
	Title     string             `json:"title"`
	AdoptedOn civil.Date         `json:"adopted_on"`
	Items     []ProgrammeItemInput
}

// AdoptProgramme records a full-term or annual inspection and supervision
// programme of a body with its items.
func (s *Service) AdoptProgramme(ctx context.Context, in ProgrammeInput) (*ktgs.Programme, error) {
	var p *ktgs.Programme
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var v ktgs.Validation
		in.Title = vn.Clean(in.Title)
		if in.Title == "" {
			v.Add("title", "err.required")
		} else if len([]rune(in.Title)) > maxTitle {
			v.Add("title", "err.too_long", maxTitle)
		}
		checkDate(&v, "adopted_on", in.AdoptedOn, true)
		switch in.Kind {
		case ktgs.ProgrammeAnnual:
			if in.Year < 1930 || in.Year > 2100 {
				v.Add("year", "err.range", 1930, 2100)
			}
		case ktgs.ProgrammeTerm:
		default:
			v.Add("kind", "err.programme.kind")
		}
		if err := v.Err(); err != nil {
			return err
		}
		body, org, err := s.resolveBody(ctx, tx, in.BodyID, in.OrgCode, in.BodyKind, in.AdoptedOn)
		if err != nil {
			return err
		}
		obj, err := s.OrgObject(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
			return err
		}
		today, err := tx.OrgLatest(ctx, org.ID)
		if err != nil {
			return err
		}
		p = &ktgs.Programme{BodyID: body.ID, OrgID: org.ID, ScopePath: today.Path, Kind: in.Kind, Year: in.Year, Title: in.Title,
			AdoptedOn: in.AdoptedOn, BodyKind: body.Kind, OrgName: org.Name}
		if in.Kind == ktgs.ProgrammeTerm {
			p.Year = 0
			if t, err := s.termOn(ctx, tx, body.ID, in.AdoptedOn); err == nil {
				p.TermID = t.ID
			}
		}
		for i, it := range in.Items {
			item, err := s.programmeItem(ctx, tx, it, org, in.AdoptedOn, fmt.Sprintf("items.%d", i), &v)
			if err != nil {
				return err
			}
			if item != nil {
				p.Items = append(p.Items, *item)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.InsertProgramme(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "programme.adopt", ObjectType: "programme", ObjectID: p.ID, OrgID: org.ID, After: p})
	})
	return p, err
}

// AddProgrammeItem adds an item to an adopted programme.
func (s *Service) AddProgrammeItem(ctx context.Context, programmeID int64, in ProgrammeItemInput) (*ktgs.ProgrammeItem, error) {
	var out *ktgs.ProgrammeItem
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		p, err := tx.Programme(ctx, programmeID)
		if err != nil {
			return err
		}
		obj, err := s.OrgObject(ctx, tx, p.OrgID)
		if err != nil {
			return err
		}
		if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
			return err
		}
		org, err := tx.OrgLatest(ctx, p.OrgID)
		if err != nil {
			return err
		}
		var v ktgs.Validation
		item, err := s.programmeItem(ctx, tx, in, org, s.Today(), "item", &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		item.ProgrammeID = p.ID
		if err := tx.InsertProgrammeItem(ctx, item); err != nil {
			return err
		}
		out = item
		return s.audit(ctx, tx, auditEntry{Action: "programme.item", ObjectType: "programme", ObjectID: p.ID, OrgID: p.OrgID, After: item})
	})
	return out, err
}

func (s *Service) programmeItem(ctx context.Context, tx *store.Tx, in ProgrammeItemInput, org *ktgs.Org, d civil.Date, field string, v *ktgs.Validation) (*ktgs.ProgrammeItem, error) {
	in.Content = vn.CleanText(in.Content)
	if !in.Kind.Valid() {
		v.Add(field+".kind", "err.case.kind")
	}
	if strings.TrimSpace(in.Content) == "" {
		v.Add(field+".content", "err.required")
	}
	checkDate(v, field+".from", in.From, true)
	checkDate(v, field+".to", in.To, true)
	if !in.From.IsZero() && !in.To.IsZero() && in.To.Before(in.From) {
		v.Add(field+".to", "err.date_not_before", "from")
	}
	// The subject must exist when the item is to be carried out.
	if !in.From.IsZero() {
		d = in.From
	}
	subj, err := s.resolveSubjects(ctx, tx, []SubjectInput{in.Subject}, org, d)
	if err != nil {
		if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
			for _, f := range e.Fields {
				v.Add(field+".subject", f.Key, f.Args...)
			}
			return nil, nil
		}
		return nil, err
	}
	it := &ktgs.ProgrammeItem{Kind: in.Kind, SubjectKind: subj[0].Kind, SubjectName: subj[0].Name, Content: in.Content, From: in.From, To: in.To}
	if subj[0].Kind == ktgs.SubjectOrg {
		it.SubjectOrg = subj[0].OrgID
	} else {
		it.SubjectMem, it.SubjectOrg = subj[0].MemberID, subj[0].OrgID
	}
	if in.Lead != "" {
		u, err := tx.UserByName(ctx, NormaliseUsername(in.Lead))
		if notFound(err) {
			v.Add(field+".lead", "err.not_found")
		} else if err != nil {
			return nil, err
		} else if !slices.Contains(authz.Matrix[u.Role], authz.CaseWrite) {
			v.Add(field+".lead", "err.case.cadre_cannot", u.DisplayName, authz.ReasonRole)
		} else {
			it.LeadUserID = u.ID
		}
	}
	return it, nil
}

// termOn returns the term of body id running on day d.
func (s *Service) termOn(ctx context.Context, tx *store.Tx, bodyID int64, d civil.Date) (*ktgs.Term, error) {
	b, err := tx.Body(ctx, bodyID)
	if err != nil {
		return nil, err
	}
	bodies, err := tx.Bodies(ctx, b.OrgID)
	if err != nil {
		return nil, err
	}
	for _, ob := range bodies {
		if ob.ID != bodyID {
			continue
		}
		for i := range ob.Terms {
			t := &ob.Terms[i]
			if !d.Before(t.Start) && !d.After(t.End) {
				return t, nil
			}
		}
	}
	return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.no_term", d.VN())
}

// CaseFromItem turns a programme item into a proposed case in one step.
func (s *Service) CaseFromItem(ctx context.Context, itemID int64, title string) (*ktgs.Case, error) {
	var c *ktgs.Case
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		it, err := tx.ProgrammeItem(ctx, itemID)
		if err != nil {
			return err
		}
		if it.CaseID != 0 {
			return ktgs.Invalid("item", "err.item_started")
		}
		p, err := tx.Programme(ctx, it.ProgrammeID)
		if err != nil {
			return err
		}
		subj := SubjectInput{Kind: it.SubjectKind, OrgID: it.SubjectOrg, MemberID: it.SubjectMem}
		if it.SubjectKind == ktgs.SubjectMember {
			subj.OrgID = 0
		}
		if title == "" {
			title = it.Content
			if r := []rune(title); len(r) > 200 {
				title = string(r[:200])
			}
		}
		in := CaseInput{Kind: it.Kind, BodyID: p.BodyID, Title: title, Content: it.Content, Subjects: []SubjectInput{subj},
			ProgrammeItemID: it.ID, ProposedOn: s.Today()}
		if c, err = s.proposeCase(ctx, tx, &in); err != nil {
			return err
		}
		if it.LeadUserID != 0 {
			// The lead named in the programme leads the team, with the
			// same checks (role, scope, clearance, conflicts) as any team
			// member: a lead who may not is refused with the reason.
			return s.addTeamMember(ctx, tx, c, it.LeadUserID, ktgs.TeamRoleLead, "lead")
		}
		return nil
	})
	return c, err
}

// Programmes returns the programmes the actor may read (optionally of a
// year), newest first.
func (s *Service) Programmes(ctx context.Context, year int) ([]*ktgs.Programme, error) {
	var out []*ktgs.Programme
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		paths, _, err := s.readablePaths(ctx, tx, authz.CaseRead, 0)
		if err != nil {
			return err
		}
		out, err = tx.Programmes(ctx, paths, year, 200)
		return err
	})
	return out, err
}

// Programme returns programme id for a reader.
func (s *Service) Programme(ctx context.Context, id int64) (*ktgs.Programme, error) {
	var p *ktgs.Programme
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = tx.Programme(ctx, id); err != nil {
			return err
		}
		obj, err := s.OrgObject(ctx, tx, p.OrgID)
		if err != nil {
			return err
		}
		if err := s.Authorize(ctx, authz.CaseRead, obj); err != nil {
			return err
		}
		if o, err := tx.OrgLatest(ctx, p.OrgID); err == nil {
			p.OrgName = o.Name
		}
		return nil
	})
	return p, err
}

// Progress counts items by progress on day d.
type Progress struct {
	Planned, Started, Concluded, Overdue, Total int
}

// Add counts one item.
func (p *Progress) Add(it *ktgs.ProgrammeItem, d civil.Date) {
	p.Total++
	switch it.Progress(d) {
	case ktgs.ItemPlanned:
		p.Planned++
	case ktgs.ItemStarted:
		p.Started++
	case ktgs.ItemConcluded:
		p.Concluded++
	case ktgs.ItemOverdue:
		p.Overdue++
	}
}

// ProgressRow is one line of a progress roll-up: an organisation and the
// items of the programmes of its bodies and of every body under it.
type ProgressRow struct {
	Org      *ktgs.Org
	Own      bool // the organisation's own bodies only
	Progress Progress
}

// ProgressRollup counts programme items by progress for organisation id
// (its own bodies) and for each of its children today (their whole
// subtrees): the roll-up up the hierarchy, for year.
func (s *Service) ProgressRollup(ctx context.Context, id int64, year int) ([]ProgressRow, error) {
	var out []ProgressRow
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		obj, err := s.OrgObject(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.Authorize(ctx, authz.CaseRead, obj); err != nil {
			return err
		}
		today := s.Today()
		org, err := tx.OrgAt(ctx, id, today)
		if err != nil {
			return err
		}
		kids, err := tx.Children(ctx, id, today)
		if err != nil {
			return err
		}
		out = append(out, ProgressRow{Org: org, Own: true})
		index := map[string]int{}
		for _, k := range kids {
			index[k.Path] = len(out)
			out = append(out, ProgressRow{Org: k})
		}
		return tx.EachItemUnder(ctx, org.Path, year, func(st *store.ItemState) error {
			row := 0
			if st.ScopePath != org.Path {
				// The child whose subtree holds it: the path's next id.
				rest := st.ScopePath[len(org.Path):]
				if i := strings.IndexByte(rest, '/'); i >= 0 {
					if r, ok := index[org.Path+rest[:i+1]]; ok {
						row = r
					}
				}
			}
			out[row].Progress.Add(&st.Item, today)
			return nil
		})
	})
	return out, err
}
