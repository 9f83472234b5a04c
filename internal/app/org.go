package app

import (
	"context"
	"regexp"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// OrgInput is what it takes to create an organisation.
type OrgInput struct {
	Code       string       `json:"code"`
	Type       ktgs.OrgType `json:"type"`
	Name       string       `json:"name"`
	ParentID   int64        `json:"parent_id,omitempty"`
	ParentCode string       `json:"parent_code,omitempty"`
	ValidFrom  civil.Date   `json:"valid_from"`
}

// codePattern is the shape of an organisation code: letters, digits and
// . _ - (codes are typed by cadres and appear in CSV files).
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// normalise cleans the free-text fields.
func (in *OrgInput) normalise() {
	in.Code = strings.ToUpper(vn.Clean(in.Code))
	in.Name = vn.Clean(in.Name)
	in.ParentCode = strings.ToUpper(vn.Clean(in.ParentCode))
	in.Type = ktgs.OrgType(strings.ToUpper(strings.TrimSpace(string(in.Type))))
}

// validateOrg checks in against the hierarchy rules in tx and returns the
// parent (nil for the root).
func validateOrg(ctx context.Context, tx *store.Tx, in *OrgInput) (*ktgs.Org, error) {
	in.normalise()
	var v ktgs.Validation
	if in.Code == "" {
		v.Add("code", "err.required")
	} else if !codePattern.MatchString(in.Code) {
		v.Add("code", "err.code_format")
	}
	if in.Name == "" {
		v.Add("name", "err.required")
	} else if len([]rune(in.Name)) > maxOrgName {
		v.Add("name", "err.too_long", maxOrgName)
	}
	if !in.Type.Valid() {
		v.Add("type", "err.org_type_unknown", string(in.Type))
	}
	checkDate(&v, "valid_from", in.ValidFrom, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !in.Type.ValidOn(in.ValidFrom) {
		v.AddRule("type", "Quy định 298-QĐ/TW", "err.org_type_not_on_date", string(in.Type), in.ValidFrom.VN())
	}
	if in.ParentID == 0 && in.ParentCode != "" {
		id, err := tx.OrgIDByCode(ctx, in.ParentCode)
		if notFound(err) {
			v.Add("parent_code", "err.parent_not_found", in.ParentCode)
			return nil, v.Err()
		} else if err != nil {
			return nil, err
		}
		in.ParentID = id
	}
	var parent *ktgs.Org
	if in.ParentID != 0 {
		p, err := tx.OrgAt(ctx, in.ParentID, in.ValidFrom)
		if notFound(err) {
			v.Add("parent_code", "err.parent_not_on_date", in.ValidFrom.VN())
			return nil, v.Err()
		} else if err != nil {
			return nil, err
		}
		parent = p
		if !in.Type.CanSitUnder(p.Type) {
			v.Add("parent_code", "err.parent_type", string(in.Type), string(p.Type))
		}
	} else if !in.Type.CanSitUnder("") {
		v.Add("parent_code", "err.parent_required")
	} else {
		roots, err := tx.Roots(ctx, in.ValidFrom)
		if err != nil {
			return nil, err
		}
		if len(roots) > 0 {
			v.Add("type", "err.root_exists")
		}
	}
	return parent, v.Err()
}

// CreateOrg creates an organisation.
func (s *Service) CreateOrg(ctx context.Context, in OrgInput) (*ktgs.Org, error) {
	var o *ktgs.Org
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		o, err = s.createOrg(ctx, tx, &in)
		return err
	})
	return o, err
}

func (s *Service) createOrg(ctx context.Context, tx *store.Tx, in *OrgInput) (*ktgs.Org, error) {
	if _, err := validateOrg(ctx, tx, in); err != nil {
		return nil, err
	}
	if err := s.authorizeParent(ctx, tx, authz.OrgWrite, in.ParentID); err != nil {
		return nil, err
	}
	o := &ktgs.Org{Code: in.Code, Type: in.Type, Name: in.Name, ParentID: in.ParentID, ValidFrom: in.ValidFrom}
	if err := tx.InsertOrg(ctx, o); err != nil {
		if ktgs.ErrorCode(err) == ktgs.ECONFLICT {
			return nil, ktgs.Invalid("code", "err.code_taken", in.Code)
		}
		return nil, err
	}
	if err := tx.InsertReorgEvent(ctx, &ktgs.ReorgEvent{Kind: ktgs.ReorgCreate, Date: in.ValidFrom,
		Links: []ktgs.ReorgLink{{ToID: o.ID, Primary: true}}}); err != nil {
		return nil, err
	}
	for _, k := range ktgs.BodyKindsFor(o.Type) {
		if err := tx.InsertBody(ctx, &ktgs.Body{OrgID: o.ID, Kind: k, Name: BodyName(k, o.Type)}); err != nil {
			return nil, err
		}
	}
	if err := s.audit(ctx, tx, auditEntry{Action: "org.create", ObjectType: "org", ObjectID: o.ID, OrgID: o.ID, After: in}); err != nil {
		return nil, err
	}
	return o, nil
}

// authorizeParent authorises act under parent id; 0 (a new root) needs
// system-wide scope.
func (s *Service) authorizeParent(ctx context.Context, tx *store.Tx, act authz.Action, id int64) error {
	if isSystem(ctx) {
		return nil
	}
	if id == 0 {
		obj, err := s.SystemObject(ctx, tx)
		if err != nil {
			return err
		}
		return s.Authorize(ctx, act, obj)
	}
	return s.authorizeOrg(ctx, tx, act, id)
}

// BodyName returns the Vietnamese name of a body of kind k of an
// organisation of type t ("Ban Chấp hành Đảng bộ", "Ủy ban Kiểm tra" …).
func BodyName(k ktgs.BodyKind, t ktgs.OrgType) string {
	switch k {
	case ktgs.BodyCommittee:
		switch t {
		case ktgs.OrgTypeCentral:
			return "Ban Chấp hành Trung ương"
		case ktgs.OrgTypeSubCommittee:
			return "Đảng ủy bộ phận"
		}
		return "Ban Chấp hành Đảng bộ"
	case ktgs.BodyStandingCommittee:
		return "Ban Thường vụ"
	case ktgs.BodyInspectionCommission:
		if t == ktgs.OrgTypeCentral {
			return "Ủy ban Kiểm tra Trung ương"
		}
		return "Ủy ban Kiểm tra"
	case ktgs.BodyBranch:
		return "Chi bộ"
	case ktgs.BodyBranchCommittee:
		return "Chi ủy"
	case ktgs.BodyPolitburo:
		return "Bộ Chính trị"
	case ktgs.BodySecretariat:
		return "Ban Bí thư"
	}
	return string(k)
}

// maxOrgName is the longest organisation name accepted, in characters.
const maxOrgName = 200

// ReorgInput describes a reorganisation event.
//
//   - MERGE: Sources end on Date; their children and members move to the
//     target, which is either an existing organisation (TargetID, it
//     absorbs them) or a new one (New[0]).
//   - SPLIT: Sources[0] ends; New lists the new units; ChildTo maps each
//     child (by id) to the index in New it moves under, and MembersTo the
//     index for the split unit's own members (a split chi bộ). Unmapped
//     children and members go to New[0], the primary successor.
//   - RENAME: Sources[0] takes Name (and Type if set) from Date.
//   - MOVE: Sources[0] moves under ParentID from Date.
//   - DISSOLVE: Sources[0] ends; its members transfer to TransferTo, a chi
//     bộ; it must have no children left on Date.
//
// For MERGE and SPLIT, ChildType converts the types of the moved children.
type ReorgInput struct {
	Kind       ktgs.ReorgKind `json:"kind"`
	Date       civil.Date     `json:"date"`
	Decision   string         `json:"decision"`
	Note       string         `json:"note"`
	Sources    []int64        `json:"sources"`
	TargetID   int64          `json:"target_id,omitempty"`
	New        []OrgInput     `json:"new,omitempty"`
	ChildTo    map[int64]int  `json:"child_to,omitempty"`
	MembersTo  int            `json:"members_to,omitempty"`
	Name       string         `json:"name,omitempty"`
	Type       ktgs.OrgType   `json:"type,omitempty"`
	ParentID   int64          `json:"parent_id,omitempty"`
	TransferTo int64          `json:"transfer_to,omitempty"`
	// ChildType converts the type of moved children, e.g. CHI_BO_TRUC_THUOC
	// → CHI_BO_CO_SO when village chi bộ came directly under the new
	// commune đảng ủy on 1/7/2025.
	ChildType map[ktgs.OrgType]ktgs.OrgType `json:"child_type,omitempty"`
}

// Reorganize applies a reorganisation event in one transaction. The old
// units stay queryable as they were; the event links them to their
// successors so that history can be mapped onto today's tree.
func (s *Service) Reorganize(ctx context.Context, in ReorgInput) (*ktgs.ReorgEvent, error) {
	var ev *ktgs.ReorgEvent
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		ev, err = s.reorganize(ctx, tx, &in)
		return err
	})
	// Paths and successors changed: authorisation must see the new tree.
	s.ancestry.clear()
	return ev, err
}

func (s *Service) reorganize(ctx context.Context, tx *store.Tx, in *ReorgInput) (*ktgs.ReorgEvent, error) {
	var v ktgs.Validation
	checkDate(&v, "date", in.Date, true)
	in.Decision, in.Note = vn.Clean(in.Decision), vn.CleanText(in.Note)
	if len([]rune(in.Decision)) > 200 {
		v.Add("decision", "err.too_long", 200)
	}
	if len([]rune(in.Note)) > 2000 {
		v.Add("note", "err.too_long", 2000)
	}
	if len(in.Sources) == 0 {
		v.Add("sources", "err.required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	srcs := make([]*ktgs.Org, 0, len(in.Sources))
	seen := map[int64]bool{}
	for _, id := range in.Sources {
		if seen[id] {
			return nil, ktgs.Invalid("sources", "err.duplicate_source")
		}
		seen[id] = true
		o, err := tx.OrgAt(ctx, id, in.Date.AddDays(-1))
		if notFound(err) {
			return nil, ktgs.Invalid("sources", "err.org_not_on_date", id, in.Date.AddDays(-1).VN())
		} else if err != nil {
			return nil, err
		}
		if !o.ActiveOn(in.Date) {
			return nil, ktgs.Invalid("sources", "err.org_changes_on_date", o.Name, in.Date.VN())
		}
		if fut, err := tx.HasFutureVersions(ctx, o.Path, in.Date); err != nil {
			return nil, err
		} else if fut {
			return nil, ktgs.Invalid("date", "err.reorg_future_exists", o.Name)
		}
		if err := s.authorizeOrg(ctx, tx, authz.OrgWrite, id); err != nil {
			return nil, err
		}
		srcs = append(srcs, o)
	}
	for _, id := range []int64{in.TargetID, in.ParentID, in.TransferTo} {
		if id != 0 {
			if err := s.authorizeOrg(ctx, tx, authz.OrgWrite, id); err != nil {
				return nil, err
			}
		}
	}
	for _, n := range in.New {
		if n.ParentID != 0 {
			if err := s.authorizeOrg(ctx, tx, authz.OrgWrite, n.ParentID); err != nil {
				return nil, err
			}
		}
	}
	ev := &ktgs.ReorgEvent{Kind: in.Kind, Date: in.Date, Decision: in.Decision, Note: in.Note}
	var err error
	switch in.Kind {
	case ktgs.ReorgMerge:
		err = s.merge(ctx, tx, in, srcs, ev)
	case ktgs.ReorgSplit:
		err = s.split(ctx, tx, in, srcs, ev)
	case ktgs.ReorgRename:
		err = s.rename(ctx, tx, in, srcs, ev)
	case ktgs.ReorgMove:
		err = s.move(ctx, tx, in, srcs, ev)
	case ktgs.ReorgDissolve:
		err = s.dissolve(ctx, tx, in, srcs, ev)
	default:
		return nil, ktgs.Invalid("kind", "err.reorg_kind_unknown", string(in.Kind))
	}
	if err != nil {
		return nil, err
	}
	if err := tx.InsertReorgEvent(ctx, ev); err != nil {
		return nil, err
	}
	// Cases and programmes of a unit that ended follow its primary
	// successor in today's tree (moved subtrees were re-homed by Repath).
	for _, l := range ev.Links {
		if l.FromID == 0 || l.ToID == 0 || l.FromID == l.ToID || !l.Primary {
			continue
		}
		from, err := tx.OrgLatest(ctx, l.FromID)
		if err != nil {
			return nil, err
		}
		to, err := tx.OrgLatest(ctx, l.ToID)
		if err != nil {
			return nil, err
		}
		if err := tx.RehomeEnded(ctx, from.Path, to.Path); err != nil {
			return nil, err
		}
	}
	if err := s.audit(ctx, tx, auditEntry{Action: "org.reorganize", ObjectType: "reorg_event", ObjectID: ev.ID,
		OrgID: srcs[0].ID, After: map[string]any{"input": in, "links": ev.Links}}); err != nil {
		return nil, err
	}
	return ev, nil
}

func (s *Service) merge(ctx context.Context, tx *store.Tx, in *ReorgInput, srcs []*ktgs.Org, ev *ktgs.ReorgEvent) error {
	var target *ktgs.Org
	switch {
	case in.TargetID != 0 && len(in.New) > 0:
		return ktgs.Invalid("target_id", "err.merge_target_both")
	case in.TargetID != 0:
		t, err := tx.OrgAt(ctx, in.TargetID, in.Date)
		if notFound(err) {
			return ktgs.Invalid("target_id", "err.org_not_on_date", in.TargetID, in.Date.VN())
		} else if err != nil {
			return err
		}
		for _, s := range srcs {
			if s.ID == t.ID {
				return ktgs.Invalid("target_id", "err.merge_into_self")
			}
		}
		target = t
	case len(in.New) == 1:
		nin := in.New[0]
		nin.ValidFrom = in.Date
		t, err := s.createOrg(ctx, tx, &nin)
		if err != nil {
			return prefixFields(err, "new.0.")
		}
		target = t
	default:
		return ktgs.Invalid("new", "err.merge_target_required")
	}
	if len(srcs) < 1 || (in.TargetID == 0 && len(srcs) < 2) {
		return ktgs.Invalid("sources", "err.merge_needs_two")
	}
	for _, src := range srcs {
		if strings.HasPrefix(target.Path, src.Path) {
			return ktgs.Invalid("target_id", "err.cycle", target.Name, src.Name)
		}
		if err := s.moveChildren(ctx, tx, src, in.Date, in.ChildType, func(int64) *ktgs.Org { return target }); err != nil {
			return err
		}
		if err := s.transferMembers(ctx, tx, src, target, in.Date, ev.Kind); err != nil {
			return err
		}
		if err := tx.EndOrg(ctx, src.ID, in.Date); err != nil {
			return err
		}
		ev.Links = append(ev.Links, ktgs.ReorgLink{FromID: src.ID, ToID: target.ID, Primary: true})
	}
	return nil
}

func (s *Service) split(ctx context.Context, tx *store.Tx, in *ReorgInput, srcs []*ktgs.Org, ev *ktgs.ReorgEvent) error {
	if len(srcs) != 1 {
		return ktgs.Invalid("sources", "err.split_one_source")
	}
	if len(in.New) < 2 {
		return ktgs.Invalid("new", "err.split_needs_two")
	}
	src := srcs[0]
	targets := make([]*ktgs.Org, len(in.New))
	for i := range in.New {
		nin := in.New[i]
		nin.ValidFrom = in.Date
		t, err := s.createOrg(ctx, tx, &nin)
		if err != nil {
			return prefixFields(err, "new."+itoa(i)+".")
		}
		targets[i] = t
		ev.Links = append(ev.Links, ktgs.ReorgLink{FromID: src.ID, ToID: t.ID, Primary: i == 0})
	}
	pick := func(child int64) *ktgs.Org {
		if i, ok := in.ChildTo[child]; ok && i >= 0 && i < len(targets) {
			return targets[i]
		}
		return targets[0]
	}
	for child, i := range in.ChildTo {
		if i < 0 || i >= len(targets) {
			return ktgs.Invalid("child_to", "err.split_index", child, i)
		}
	}
	if err := s.moveChildren(ctx, tx, src, in.Date, in.ChildType, pick); err != nil {
		return err
	}
	mt := 0
	if in.MembersTo > 0 && in.MembersTo < len(targets) {
		mt = in.MembersTo
	}
	if err := s.transferMembers(ctx, tx, src, targets[mt], in.Date, ev.Kind); err != nil {
		return err
	}
	return tx.EndOrg(ctx, src.ID, in.Date)
}

func (s *Service) rename(ctx context.Context, tx *store.Tx, in *ReorgInput, srcs []*ktgs.Org, ev *ktgs.ReorgEvent) error {
	if len(srcs) != 1 {
		return ktgs.Invalid("sources", "err.one_source")
	}
	o := *srcs[0]
	name := vn.Clean(in.Name)
	if name == "" {
		return ktgs.Invalid("name", "err.required")
	}
	if len([]rune(name)) > maxOrgName {
		return ktgs.Invalid("name", "err.too_long", maxOrgName)
	}
	o.Name = name
	if in.Type != "" {
		if !in.Type.Valid() {
			return ktgs.Invalid("type", "err.org_type_unknown", string(in.Type))
		}
		if !in.Type.ValidOn(in.Date) {
			return ktgs.Invalid("type", "err.org_type_not_on_date", string(in.Type), in.Date.VN())
		}
		if o.ParentID != 0 {
			p, err := tx.OrgAt(ctx, o.ParentID, in.Date)
			if err != nil {
				return err
			}
			if !in.Type.CanSitUnder(p.Type) {
				return ktgs.Invalid("type", "err.parent_type", string(in.Type), string(p.Type))
			}
		}
		o.Type = in.Type
	}
	if err := tx.Repath(ctx, &o, in.Date); err != nil {
		return err
	}
	ev.Links = append(ev.Links, ktgs.ReorgLink{FromID: o.ID, ToID: o.ID, Primary: true})
	return nil
}

func (s *Service) move(ctx context.Context, tx *store.Tx, in *ReorgInput, srcs []*ktgs.Org, ev *ktgs.ReorgEvent) error {
	if len(srcs) != 1 {
		return ktgs.Invalid("sources", "err.one_source")
	}
	o := *srcs[0]
	p, err := tx.OrgAt(ctx, in.ParentID, in.Date)
	if notFound(err) {
		return ktgs.Invalid("parent_id", "err.parent_not_on_date", in.Date.VN())
	} else if err != nil {
		return err
	}
	if strings.HasPrefix(p.Path, o.Path) {
		return ktgs.Invalid("parent_id", "err.cycle", p.Name, o.Name)
	}
	typ := o.Type
	if in.Type != "" {
		typ = in.Type
	}
	if !typ.CanSitUnder(p.Type) {
		return ktgs.Invalid("parent_id", "err.parent_type", string(typ), string(p.Type))
	}
	o.ParentID, o.Type = p.ID, typ
	if err := tx.Repath(ctx, &o, in.Date); err != nil {
		return err
	}
	ev.Links = append(ev.Links, ktgs.ReorgLink{FromID: o.ID, ToID: o.ID, Primary: true})
	return nil
}

func (s *Service) dissolve(ctx context.Context, tx *store.Tx, in *ReorgInput, srcs []*ktgs.Org, ev *ktgs.ReorgEvent) error {
	if len(srcs) != 1 {
		return ktgs.Invalid("sources", "err.one_source")
	}
	src := srcs[0]
	kids, err := tx.Children(ctx, src.ID, in.Date)
	if err != nil {
		return err
	}
	if len(kids) > 0 {
		return ktgs.Invalid("sources", "err.dissolve_has_children", src.Name, len(kids))
	}
	if c, err := tx.CountMembers(ctx, src.ID, in.Date); err != nil {
		return err
	} else if c.Total > 0 {
		if in.TransferTo == 0 {
			return ktgs.Invalid("transfer_to", "err.dissolve_needs_transfer", c.Total)
		}
		to, err := tx.OrgAt(ctx, in.TransferTo, in.Date)
		if notFound(err) {
			return ktgs.Invalid("transfer_to", "err.org_not_on_date", in.TransferTo, in.Date.VN())
		} else if err != nil {
			return err
		}
		if err := s.transferMembers(ctx, tx, src, to, in.Date, ev.Kind); err != nil {
			return err
		}
	}
	ev.Links = append(ev.Links, ktgs.ReorgLink{FromID: src.ID, Primary: true})
	return tx.EndOrg(ctx, src.ID, in.Date)
}

// moveChildren moves every child of src (on day d) under the organisation
// pick returns for it.
func (s *Service) moveChildren(ctx context.Context, tx *store.Tx, src *ktgs.Org, d civil.Date, conv map[ktgs.OrgType]ktgs.OrgType, pick func(int64) *ktgs.Org) error {
	for from, to := range conv {
		if !from.Valid() || !to.Valid() {
			return ktgs.Invalid("child_type", "err.org_type_unknown", string(from)+"→"+string(to))
		}
	}
	kids, err := tx.Children(ctx, src.ID, d)
	if err != nil {
		return err
	}
	for _, k := range kids {
		to := pick(k.ID)
		typ := k.Type
		if nt, ok := conv[typ]; ok {
			typ = nt
		}
		if !typ.CanSitUnder(to.Type) {
			return ktgs.Invalid("sources", "err.child_cannot_move", k.Name, string(typ), to.Name, string(to.Type))
		}
		c := *k
		c.ParentID, c.Type = to.ID, typ
		if err := tx.Repath(ctx, &c, d); err != nil {
			return err
		}
	}
	return nil
}

// transferMembers moves the members whose home chi bộ is from to the chi bộ
// to, from day d, with a TRANSFER event citing the reorganisation.
func (s *Service) transferMembers(ctx context.Context, tx *store.Tx, from, to *ktgs.Org, d civil.Date, why ktgs.ReorgKind) error {
	c, err := tx.CountMembers(ctx, from.ID, d)
	if err != nil || c.Total == 0 {
		return err
	}
	if !to.Type.IsBranch() {
		return ktgs.Invalid("sources", "err.members_need_branch", from.Name, c.Total, to.Name)
	}
	cursor := ""
	for {
		page, err := tx.MembersOfOrg(ctx, from.ID, cursor, 500)
		if err != nil {
			return err
		}
		for _, m := range page.Members {
			if err := s.transfer(ctx, tx, m, to.ID, d, "reorg:"+string(why)); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		cursor = page.Next
	}
}

// prefixFields renames the field keys of a validation error (for errors of
// nested inputs such as the new units of a merge).
func prefixFields(err error, prefix string) error {
	e := ktgs.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	f := make(map[string]ktgs.FieldError, len(e.Fields))
	for k, v := range e.Fields {
		f[prefix+k] = v
	}
	c := *e
	c.Fields = f
	return &c
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// CurrentSuccessors returns the organisations existing on day d that
// organisation id became, following merge and split links. An organisation
// still existing on d is its own successor. For a split, the primary
// successor comes first.
func (s *Service) CurrentSuccessors(ctx context.Context, tx *store.Tx, id int64, d civil.Date) ([]*ktgs.Org, error) {
	var out []*ktgs.Org
	seen := map[int64]bool{}
	var walk func(id int64, primary bool) error
	walk = func(id int64, primary bool) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		if o, err := tx.OrgAt(ctx, id, d); err == nil {
			if primary {
				out = append([]*ktgs.Org{o}, out...)
			} else {
				out = append(out, o)
			}
			return nil
		} else if !notFound(err) {
			return err
		}
		links, err := tx.Successors(ctx, id)
		if err != nil {
			return err
		}
		for _, l := range links {
			if err := walk(l.ToID, primary && l.Primary); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(id, true)
}

// CreateOrgTx is CreateOrg inside the caller's transaction, for bulk
// imports that create many organisations in one transaction.
func (s *Service) CreateOrgTx(ctx context.Context, tx *store.Tx, in *OrgInput) (*ktgs.Org, error) {
	return s.createOrg(ctx, tx, in)
}
