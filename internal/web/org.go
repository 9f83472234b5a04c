package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// treeNode is an organisation in the tree with its path for filters.
type treeNode struct {
	Org  *ktgs.Org
	Path []*ktgs.Org // ancestors, root first (filter results only)
}

type homePage struct {
	Roots    []*ktgs.Org
	Children map[int64][]*ktgs.Org // the root's children, open on arrival
	Query    string
}

// handleHome shows the tree: the root with the 40 organisations under it.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	d := s.dateOf(r)
	data := homePage{Children: map[int64][]*ktgs.Org{}}
	p := s.page(r, "tree.title")
	err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		ctx := r.Context()
		roots, err := tx.Roots(ctx, d)
		if err != nil {
			return err
		}
		data.Roots = s.visibleOrgs(ctx, tx, false, roots, p.browseOnly)
		for _, root := range data.Roots {
			kids, err := tx.Children(ctx, root.ID, d)
			if err != nil {
				return err
			}
			data.Children[root.ID] = s.visibleOrgs(ctx, tx, !p.browseOnly[root.ID], kids, p.browseOnly)
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// handleTreeChildren returns the <li> items under an organisation for the
// lazily loaded tree (htmx), or redirects a browser without JS to the
// organisation's page.
func (s *Server) handleTreeChildren(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") != "true" {
		http.Redirect(w, r, fmt.Sprintf("/orgs/%d", id)+s.page(r, "").DateQuery(), http.StatusSeeOther)
		return nil
	}
	d := s.dateOf(r)
	var kids []*ktgs.Org
	p := s.page(r, "")
	if err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		if kids, err = tx.Children(r.Context(), id, d); err != nil {
			return err
		}
		kids = s.visibleOrgs(r.Context(), tx, s.can(r.Context(), tx, authz.OrgRead, id), kids, p.browseOnly)
		return nil
	}); err != nil {
		return err
	}
	p.Data = kids
	s.fragment(w, r, "tree_items", p)
	return nil
}

type searchPage struct {
	Query   string
	Results []treeNode
}

// handleOrgSearch filters organisations by name with or without
// diacritics. An htmx request gets the result list only.
func (s *Server) handleOrgSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) > 100 {
		return ktgs.Invalid("q", "err.too_long", 100)
	}
	d := s.dateOf(r)
	data := searchPage{Query: q}
	if q != "" {
		res, err := s.searchOrgs(r, q, d, 50)
		if err != nil {
			return err
		}
		data.Results = res
	}
	p := s.page(r, "tree.results")
	p.Q = q
	p.Data = data
	if r.Header.Get("HX-Request") == "true" {
		s.fragment(w, r, "search_results", p)
		return nil
	}
	s.render(w, r, http.StatusOK, "search", p)
	return nil
}

// searchOrgs finds organisations and their ancestors (one query for all
// the ancestors, not one per result).
func (s *Server) searchOrgs(r *http.Request, q string, d civil.Date, limit int) ([]treeNode, error) {
	var out []treeNode
	err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		found, err := s.searchInScope(r.Context(), tx, q, d, limit)
		if err != nil {
			return err
		}
		need := map[int64]bool{}
		for _, o := range found {
			for _, id := range store.PathIDs(o.Path) {
				if id != o.ID {
					need[id] = true
				}
			}
		}
		anc, err := tx.OrgsAt(r.Context(), keys(need), d)
		if err != nil {
			return err
		}
		for _, o := range found {
			n := treeNode{Org: o}
			for _, id := range store.PathIDs(o.Path) {
				if a, ok := anc[id]; ok && id != o.ID {
					n.Path = append(n.Path, a)
				}
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// searchInScope searches the subtrees of the actor's scope (the whole
// tree for a scope that includes a root).
func (s *Server) searchInScope(ctx context.Context, tx *store.Tx, q string, d civil.Date, limit int) ([]*ktgs.Org, error) {
	a := app.ActorFrom(ctx)
	var out []*ktgs.Org
	seen := map[int64]bool{}
	for _, id := range a.Scope {
		o, err := tx.OrgAt(ctx, id, d)
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			continue // not on that date
		} else if err != nil {
			return nil, err
		}
		found, err := tx.SearchOrgs(ctx, q, o.Path, d, limit)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if !seen[f.ID] && len(out) < limit {
				seen[f.ID] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

type orgPage struct {
	Org         *ktgs.Org
	Exists      bool // exists on the page's date
	Ancestors   []*ktgs.Org
	Children    []*ktgs.Org
	Bodies      []*ktgs.Body
	History     []*ktgs.Org
	Events      []*ktgs.ReorgEvent
	Successors  []*ktgs.Org
	IsBranch    bool
	Members     *store.MemberPage
	Counts      *store.MemberCounts // for a chi bộ, counted inline
	BelowMin    bool
	Cursor      string
	MinOfficial int
	// Discipline is the organisation's discipline history, for readers of
	// case data (CanCases).
	Discipline []app.DisciplineRecord
	CanCases   bool
}

// handleOrg shows an organisation as of the page's date: its place in the
// hierarchy, bodies and terms, units under it, members (for a chi bộ) and
// its history.
func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := s.dateOf(r)
	data := orgPage{Cursor: r.URL.Query().Get("cursor"), MinOfficial: ktgs.MinOfficialMembers}
	p := s.page(r, "")
	err = s.DB.View(r.Context(), func(tx *store.Tx) error {
		ctx := r.Context()
		o, err := tx.OrgAt(ctx, id, d)
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			// Not on that date: show its last version and what it became.
			if o, err = tx.OrgLatest(ctx, id); err != nil {
				return err
			}
			data.Successors, err = s.App.CurrentSuccessors(ctx, tx, id, s.App.Today())
			if err != nil {
				return err
			}
			d = o.ValidTo.AddDays(-1)
		} else if err != nil {
			return err
		} else {
			data.Exists = true
		}
		data.Org = o
		data.IsBranch = o.Type.IsBranch()
		if data.Ancestors, err = tx.Ancestors(ctx, o, d); err != nil {
			return err
		}
		s.visibleOrgs(ctx, tx, false, data.Ancestors, p.browseOnly)
		data.Successors = s.visibleOrgs(ctx, tx, false, data.Successors, p.browseOnly)
		if data.Children, err = tx.Children(ctx, id, d); err != nil {
			return err
		}
		if data.Bodies, err = tx.Bodies(ctx, id); err != nil {
			return err
		}
		if data.History, err = tx.OrgHistory(ctx, id); err != nil {
			return err
		}
		if data.Events, err = tx.ReorgEvents(ctx, id); err != nil {
			return err
		}
		if data.IsBranch {
			c, err := tx.CountMembers(ctx, id, d)
			if err != nil {
				return err
			}
			data.Counts = &c
			data.BelowMin = data.Exists && c.Official < ktgs.MinOfficialMembers
			if data.Members, err = tx.MembersOfOrg(ctx, id, data.Cursor, 50); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if recs, err := s.App.OrgDiscipline(r.Context(), id); err == nil {
		data.Discipline, data.CanCases = recs, true
	}
	p.Title = data.Org.Name
	p.Data = data
	s.render(w, r, http.StatusOK, "org", p)
	return nil
}

// handleOrgCounts returns the member counts of an organisation's subtree
// (loaded after the page, as counting a province takes a while).
func (s *Server) handleOrgCounts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := s.dateOf(r)
	key := fmt.Sprintf("%d@%s", id, d)
	c, ok := s.counts.get(key)
	if !ok {
		err := s.DB.View(r.Context(), func(tx *store.Tx) error {
			o, err := tx.OrgAt(r.Context(), id, d)
			if err != nil {
				return err
			}
			c, err = tx.CountMembersInSubtree(r.Context(), o.Path, d)
			return err
		})
		if err != nil {
			return err
		}
		s.counts.put(key, c)
	}
	p := s.page(r, "org.member_counts")
	p.Data = c
	if r.Header.Get("HX-Request") == "true" {
		s.fragment(w, r, "counts", p)
		return nil
	}
	s.render(w, r, http.StatusOK, "counts", p)
	return nil
}
