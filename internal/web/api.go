package web

import (
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// Org is the JSON form of an organisation version. Dates are ISO
// (yyyy-mm-dd); valid_to is the first day after the version, null while
// current.
type orgJSON struct {
	ID         int64       `json:"id"`
	Code       string      `json:"code"`
	Type       string      `json:"type"`
	Name       string      `json:"name"`
	ParentID   *int64      `json:"parent_id"`
	Path       []int64     `json:"path"`
	ValidFrom  civil.Date  `json:"valid_from"`
	ValidTo    *civil.Date `json:"valid_to"`
	Born       civil.Date  `json:"born"`
	Ended      *civil.Date `json:"ended"`
	ChildCount *int        `json:"child_count,omitempty"`
}

func toOrgJSON(o *ktgs.Org, withCount bool) orgJSON {
	j := orgJSON{ID: o.ID, Code: o.Code, Type: string(o.Type), Name: o.Name, Path: store.PathIDs(o.Path), ValidFrom: o.ValidFrom, Born: o.Born}
	if o.ParentID != 0 {
		p := o.ParentID
		j.ParentID = &p
	}
	if !o.ValidTo.IsForever() {
		v := o.ValidTo
		j.ValidTo = &v
	}
	if !o.Ended.IsForever() {
		v := o.Ended
		j.Ended = &v
	}
	if withCount {
		n := o.ChildCount
		j.ChildCount = &n
	}
	return j
}

func orgsJSON(list []*ktgs.Org, withCount bool) []orgJSON {
	out := make([]orgJSON, 0, len(list))
	for _, o := range list {
		out = append(out, toOrgJSON(o, withCount))
	}
	return out
}

// listJSON wraps a list with the date it was evaluated on.
type listJSON[T any] struct {
	Date  civil.Date `json:"date"`
	Items []T        `json:"items"`
	Next  string     `json:"next,omitempty"`
}

func (s *Server) apiRoots(w http.ResponseWriter, r *http.Request) error {
	d := s.dateOf(r)
	var list []*ktgs.Org
	err := s.DB.View(r.Context(), func(tx *store.Tx) (err error) {
		if list, err = tx.Roots(r.Context(), d); err != nil {
			return err
		}
		list = s.visibleOrgs(r.Context(), tx, false, list, nil)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[orgJSON]{Date: d, Items: orgsJSON(list, true)})
	return nil
}

func (s *Server) apiOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var o *ktgs.Org
	err = s.DB.View(r.Context(), func(tx *store.Tx) (err error) {
		o, err = tx.OrgAt(r.Context(), id, s.dateOf(r))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toOrgJSON(o, false))
	return nil
}

func (s *Server) apiChildren(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := s.dateOf(r)
	var list []*ktgs.Org
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.OrgAt(r.Context(), id, d); err != nil {
			return err
		}
		if list, err = tx.Children(r.Context(), id, d); err != nil {
			return err
		}
		list = s.visibleOrgs(r.Context(), tx, s.can(r.Context(), tx, authz.OrgRead, id), list, nil)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[orgJSON]{Date: d, Items: orgsJSON(list, true)})
	return nil
}

// maxSubtree bounds a subtree response; larger subtrees must be walked
// with /children.
const maxSubtree = 20000

func (s *Server) apiSubtree(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := s.dateOf(r)
	var list []*ktgs.Org
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		n, err := tx.SubtreeSize(r.Context(), id, d)
		if err != nil {
			return err
		}
		if n > maxSubtree {
			return ktgs.Invalid("id", "err.subtree_too_large", n, maxSubtree)
		}
		list, err = tx.Subtree(r.Context(), id, d)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[orgJSON]{Date: d, Items: orgsJSON(list, false)})
	return nil
}

func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var versions []*ktgs.Org
	var events []*ktgs.ReorgEvent
	err = s.DB.View(r.Context(), func(tx *store.Tx) (err error) {
		if versions, err = tx.OrgHistory(r.Context(), id); err != nil {
			return err
		}
		if len(versions) == 0 {
			return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
		}
		events, err = tx.ReorgEvents(r.Context(), id)
		return err
	})
	if err != nil {
		return err
	}
	type linkJSON struct {
		From     *int64 `json:"from"`
		To       *int64 `json:"to"`
		Primary  bool   `json:"primary"`
		FromName string `json:"from_name,omitempty"`
		ToName   string `json:"to_name,omitempty"`
	}
	type eventJSON struct {
		ID       int64      `json:"id"`
		Kind     string     `json:"kind"`
		Date     civil.Date `json:"date"`
		Decision string     `json:"decision,omitempty"`
		Note     string     `json:"note,omitempty"`
		Links    []linkJSON `json:"links"`
	}
	out := struct {
		Versions []orgJSON   `json:"versions"`
		Events   []eventJSON `json:"events"`
	}{Versions: orgsJSON(versions, false), Events: []eventJSON{}}
	for _, e := range events {
		ej := eventJSON{ID: e.ID, Kind: string(e.Kind), Date: e.Date, Decision: e.Decision, Note: e.Note, Links: []linkJSON{}}
		for _, l := range e.Links {
			lj := linkJSON{Primary: l.Primary, FromName: l.FromName, ToName: l.ToName}
			if l.FromID != 0 {
				v := l.FromID
				lj.From = &v
			}
			if l.ToID != 0 {
				v := l.ToID
				lj.To = &v
			}
			ej.Links = append(ej.Links, lj)
		}
		out.Events = append(out.Events, ej)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSuccessors answers "what did this unit become": the organisations
// existing on the date (today by default) that it maps onto.
func (s *Server) apiSuccessors(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := s.dateOf(r)
	var list []*ktgs.Org
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.OrgLatest(r.Context(), id); err != nil {
			return err
		}
		if list, err = s.App.CurrentSuccessors(r.Context(), tx, id, d); err != nil {
			return err
		}
		list = s.visibleOrgs(r.Context(), tx, false, list, nil)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[orgJSON]{Date: d, Items: orgsJSON(list, false)})
	return nil
}

func (s *Server) apiBodies(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var bodies []*ktgs.Body
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.OrgLatest(r.Context(), id); err != nil {
			return err
		}
		bodies, err = tx.Bodies(r.Context(), id)
		return err
	})
	if err != nil {
		return err
	}
	type seatJSON struct {
		MemberID int64      `json:"member_id"`
		Name     string     `json:"member_name"`
		Role     string     `json:"role"`
		Start    civil.Date `json:"start"`
		End      civil.Date `json:"end"`
	}
	type termJSON struct {
		ID           int64       `json:"id"`
		Name         string      `json:"name"`
		Start        civil.Date  `json:"start"`
		End          civil.Date  `json:"end"`
		CongressDate *civil.Date `json:"congress_date"`
		Seats        []seatJSON  `json:"seats"`
	}
	type bodyJSON struct {
		ID    int64      `json:"id"`
		Kind  string     `json:"kind"`
		Name  string     `json:"name"`
		Terms []termJSON `json:"terms"`
	}
	out := []bodyJSON{}
	for _, b := range bodies {
		bj := bodyJSON{ID: b.ID, Kind: string(b.Kind), Name: b.Name, Terms: []termJSON{}}
		for _, t := range b.Terms {
			tj := termJSON{ID: t.ID, Name: t.Name, Start: t.Start, End: t.End, Seats: []seatJSON{}}
			if !t.CongressDate.IsZero() {
				c := t.CongressDate
				tj.CongressDate = &c
			}
			for _, st := range t.Seats {
				tj.Seats = append(tj.Seats, seatJSON{MemberID: st.MemberID, Name: st.MemberName, Role: string(st.Role), Start: st.Start, End: st.End})
			}
			bj.Terms = append(bj.Terms, tj)
		}
		out = append(out, bj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

// memberJSON is the JSON form of a member.
type memberJSON struct {
	ID           int64       `json:"id"`
	CardNumber   string      `json:"card_number"`
	FullName     string      `json:"full_name"`
	Gender       string      `json:"gender,omitempty"`
	BirthDate    *civil.Date `json:"birth_date"`
	AdmittedOn   civil.Date  `json:"admitted_on"`
	OfficialOn   *civil.Date `json:"official_on"`
	Status       string      `json:"status"`
	HomeOrgID    int64       `json:"home_org_id"`
	HomeOrgName  string      `json:"home_org_name,omitempty"`
	TempOrgID    *int64      `json:"temp_org_id,omitempty"`
	ManagingOrg  *int64      `json:"managing_org_id"`
	ManagingBody string      `json:"managing_body,omitempty"`
	RetiredOn    *civil.Date `json:"retired_on"`
	EndedOn      *civil.Date `json:"ended_on"`
	EndReason    string      `json:"end_reason,omitempty"`
	Hometown     string      `json:"hometown,omitempty"`
	Occupation   string      `json:"occupation,omitempty"`
}

func datePtr(d civil.Date) *civil.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func toMemberJSON(m *ktgs.Member) memberJSON {
	j := memberJSON{ID: m.ID, CardNumber: m.CardNumber, FullName: m.FullName, Gender: string(m.Gender), BirthDate: datePtr(m.BirthDate),
		AdmittedOn: m.AdmittedOn, OfficialOn: datePtr(m.OfficialOn), Status: string(m.Status), HomeOrgID: m.HomeOrgID, HomeOrgName: m.HomeOrgName,
		ManagingBody: string(m.Managing.Kind), RetiredOn: datePtr(m.RetiredOn), EndedOn: datePtr(m.EndedOn), EndReason: string(m.EndReason),
		Hometown: m.Hometown, Occupation: m.Occupation}
	if m.TempOrgID != 0 {
		v := m.TempOrgID
		j.TempOrgID = &v
	}
	if m.Managing.OrgID != 0 {
		v := m.Managing.OrgID
		j.ManagingOrg = &v
	}
	return j
}

func (s *Server) apiMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var m *ktgs.Member
	err = s.DB.View(r.Context(), func(tx *store.Tx) (err error) {
		m, err = tx.MemberAsOf(r.Context(), id, s.dateOf(r))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMemberJSON(m))
	return nil
}

func (s *Server) apiOrgMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return ktgs.Invalid("limit", "err.limit", 1, 1000)
		}
		limit = n
	}
	var page *store.MemberPage
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		if _, err := tx.OrgLatest(r.Context(), id); err != nil {
			return err
		}
		page, err = tx.MembersOfOrg(r.Context(), id, r.URL.Query().Get("cursor"), limit)
		return err
	})
	if err != nil {
		return err
	}
	out := listJSON[memberJSON]{Date: s.dateOf(r), Items: []memberJSON{}, Next: page.Next}
	for _, m := range page.Members {
		out.Items = append(out.Items, toMemberJSON(m))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiOrgSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return ktgs.Invalid("q", "err.required")
	}
	if len([]rune(q)) > 100 {
		return ktgs.Invalid("q", "err.too_long", 100)
	}
	d := s.dateOf(r)
	res, err := s.searchOrgs(r, q, d, 50)
	if err != nil {
		return err
	}
	type hit struct {
		orgJSON
		Ancestors []string `json:"ancestors"`
	}
	out := listJSON[hit]{Date: d, Items: []hit{}}
	for _, n := range res {
		h := hit{orgJSON: toOrgJSON(n.Org, false), Ancestors: []string{}}
		for _, a := range n.Path {
			h.Ancestors = append(h.Ancestors, a.Name)
		}
		out.Items = append(out.Items, h)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
