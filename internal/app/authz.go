package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/store"
)

// ctxKey keys the values this package keeps in a context.
type ctxKey int

const (
	ctxActor ctxKey = iota
	ctxRequest
	ctxSystem
)

// AsSystem returns ctx marked as KTGS itself acting: the command line
// (whoever runs it holds the database credentials already), the seed and
// background jobs. Use cases allow the system everything and record it in
// the audit trail as "system". A context with neither a system mark nor an
// actor is refused: forgetting to authenticate fails closed.
func AsSystem(ctx context.Context) context.Context { return context.WithValue(ctx, ctxSystem, true) }

func isSystem(ctx context.Context) bool { v, _ := ctx.Value(ctxSystem).(bool); return v }

// WithActor returns ctx carrying the acting user. Use cases read it to
// authorise and to name the actor in the audit trail.
func WithActor(ctx context.Context, a *authz.Actor) context.Context {
	return context.WithValue(ctx, ctxActor, a)
}

// ActorFrom returns the acting user of ctx, or nil.
func ActorFrom(ctx context.Context) *authz.Actor {
	a, _ := ctx.Value(ctxActor).(*authz.Actor)
	return a
}

// RequestInfo is what the audit trail records about where a change came
// from.
type RequestInfo struct {
	ID string // request id
	IP string
}

// WithRequest returns ctx carrying the request's id and client address.
func WithRequest(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, ctxRequest, ri)
}

func requestFrom(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(ctxRequest).(RequestInfo)
	return ri
}

// Ancestry returns the ancestry of organisation id (authz.Object.Ancestry):
// the ids on every path the organisation ever had, plus, for each of those
// organisations that no longer exists, the current paths of the units that
// replaced it. So a commune that was under a district of a province merged
// on 1/7/2025 is in the scope of its old province, its old district, its own
// successor's chain and the new province. The result is sorted.
func (s *Service) Ancestry(ctx context.Context, tx *store.Tx, id int64) ([]int64, error) {
	if anc, ok := s.ancestry.get(id, s.now()); ok {
		return anc, nil
	}
	anc, err := s.ancestry1(ctx, tx, id)
	if err == nil {
		s.ancestry.put(id, anc, s.now())
	}
	return anc, err
}

// ancestryCache keeps ancestries for a short time: they change only when
// the hierarchy is reorganised, which clears the cache on this server;
// another server's reorganisation is seen within ancestryTTL.
type ancestryCache struct {
	mu sync.Mutex
	m  map[int64]ancestryEntry
}

type ancestryEntry struct {
	anc []int64
	at  time.Time
}

// ancestryTTL bounds how long a reorganisation made on another app server
// may go unseen by this one's authorisation decisions.
const ancestryTTL = 30 * time.Second

const ancestryMax = 200000

func (c *ancestryCache) get(id int64, now time.Time) ([]int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.Sub(e.at) > ancestryTTL || now.Before(e.at) {
		return nil, false
	}
	return e.anc, true
}

func (c *ancestryCache) put(id int64, anc []int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= ancestryMax {
		c.m = map[int64]ancestryEntry{}
	}
	c.m[id] = ancestryEntry{anc, now}
}

// clear forgets every ancestry (after a reorganisation).
func (c *ancestryCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

func (s *Service) ancestry1(ctx context.Context, tx *store.Tx, id int64) ([]int64, error) {
	hist, err := tx.OrgHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	set := map[int64]bool{}
	for _, v := range hist {
		for _, a := range store.PathIDs(v.Path) {
			set[a] = true
		}
	}
	// Every historical ancestor that has ended hands its scope on to its
	// current successors (and their ancestors).
	today := s.Today()
	ids := keys(set)
	alive, err := tx.OrgsAt(ctx, ids, today)
	if err != nil {
		return nil, err
	}
	for _, a := range ids {
		if alive[a] != nil {
			continue
		}
		succ, err := s.CurrentSuccessors(ctx, tx, a, today)
		if err != nil {
			return nil, err
		}
		for _, o := range succ {
			for _, x := range store.PathIDs(o.Path) {
				set[x] = true
			}
		}
	}
	return keys(set), nil
}

func keys(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ScopeAncestry returns the union of the ancestries of the scope
// organisations: what the actor may browse to reach its scope.
func (s *Service) ScopeAncestry(ctx context.Context, tx *store.Tx, scope []int64) ([]int64, error) {
	set := map[int64]bool{}
	for _, id := range scope {
		anc, err := s.Ancestry(ctx, tx, id)
		if notFound(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		for _, a := range anc {
			set[a] = true
		}
	}
	return keys(set), nil
}

// OrgObject is the authorisation object of organisation id.
func (s *Service) OrgObject(ctx context.Context, tx *store.Tx, id int64) (*authz.Object, error) {
	anc, err := s.Ancestry(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return &authz.Object{OrgID: id, Ancestry: anc}, nil
}

// MemberObject is the authorisation object of member id: in scope of its
// home chi bộ and, while temporarily attached, of the host chi bộ.
func (s *Service) MemberObject(ctx context.Context, tx *store.Tx, id int64) (*authz.Object, error) {
	m, err := tx.Member(ctx, id, s.Today())
	if err != nil {
		return nil, err
	}
	obj, err := s.OrgObject(ctx, tx, m.HomeOrgID)
	if err != nil {
		return nil, err
	}
	if m.TempOrgID != 0 {
		more, err := s.Ancestry(ctx, tx, m.TempOrgID)
		if err != nil {
			return nil, err
		}
		obj.Ancestry = union(obj.Ancestry, more)
	}
	return obj, nil
}

// SystemObject is the authorisation object for what belongs to no
// organisation: the audit log as a whole, accounts, settings.
func (s *Service) SystemObject(ctx context.Context, tx *store.Tx) (*authz.Object, error) {
	roots, err := tx.RootIDs(ctx)
	if err != nil {
		return nil, err
	}
	return &authz.Object{System: true, Ancestry: roots}, nil
}

func union(a, b []int64) []int64 {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// Authorize decides whether the actor of ctx may do act on obj, and returns
// nil or the error to show: ENOTFOUND when the object is outside the
// actor's scope (its existence is not revealed), EUNAUTHORIZED without an
// actor, EFORBIDDEN otherwise, with the reason.
func (s *Service) Authorize(ctx context.Context, act authz.Action, obj *authz.Object) error {
	if isSystem(ctx) {
		return nil
	}
	a := ActorFrom(ctx)
	d := authz.Decide(a, act, obj)
	if d.Allow {
		return nil
	}
	switch d.Reason {
	case authz.ReasonNoActor:
		return ktgs.Errorf(ktgs.EUNAUTHORIZED, "err.unauthorized")
	case authz.ReasonScope, authz.ReasonSystemScope:
		return ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: d.Reason}
}
