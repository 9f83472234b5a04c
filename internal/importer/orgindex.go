package importer

import (
	"context"
	"sort"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// orgIndex is the whole hierarchy in memory, every version of every unit,
// so that validating millions of member rows needs no database query.
// At national scale it holds about 330,000 units and 500,000 versions.
type orgIndex struct {
	byCode map[string]*orgRef
	byID   map[int64]*orgRef
}

type orgRef struct {
	id       int64
	code     string
	born     civil.Date
	versions []*ktgs.Org // by ValidFrom
}

// at returns the version covering day d, or nil.
func (r *orgRef) at(d civil.Date) *ktgs.Org {
	i := sort.Search(len(r.versions), func(i int) bool { return r.versions[i].ValidTo.After(d) })
	if i < len(r.versions) && r.versions[i].ActiveOn(d) {
		return r.versions[i]
	}
	return nil
}

func loadOrgIndex(ctx context.Context, db *store.DB) (*orgIndex, error) {
	x := &orgIndex{byCode: map[string]*orgRef{}, byID: map[int64]*orgRef{}}
	err := db.View(ctx, func(tx *store.Tx) error {
		return tx.EachOrgVersion(ctx, false, func(o *ktgs.Org) error {
			x.addVersion(o)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, r := range x.byID {
		sort.Slice(r.versions, func(i, j int) bool { return r.versions[i].ValidFrom < r.versions[j].ValidFrom })
	}
	return x, nil
}

func (x *orgIndex) addVersion(o *ktgs.Org) {
	r := x.byID[o.ID]
	if r == nil {
		r = &orgRef{id: o.ID, code: o.Code, born: o.Born}
		x.byID[o.ID], x.byCode[o.Code] = r, r
	}
	r.versions = append(r.versions, o)
}

// ancestors returns the ancestors of version v on day d, root first.
func (x *orgIndex) ancestors(v *ktgs.Org, d civil.Date) []*ktgs.Org {
	ids := store.PathIDs(v.Path)
	out := make([]*ktgs.Org, 0, len(ids))
	for _, id := range ids[:max(0, len(ids)-1)] {
		if r := x.byID[id]; r != nil {
			if a := r.at(d); a != nil {
				out = append(out, a)
			}
		}
	}
	return out
}
