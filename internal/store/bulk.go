package store

import (
	"context"
	"fmt"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// Loader appends rows with ids chosen by the caller, as fast as each engine
// allows: multi-row INSERTs in one transaction on SQLite, COPY on
// PostgreSQL. It is for the synthetic-data generator and bulk imports into
// an empty database; it skips the use-case checks, so callers must produce
// consistent data. Rows become visible when BulkLoad returns without error.
type Loader struct {
	tables map[string]*bulkTable
	order  []string
	sink   bulkSink
	now    any
}

// bulkTable buffers rows of one table.
type bulkTable struct {
	name string
	cols []string
	rows [][]any
}

// bulkSink writes buffered rows; one per engine.
type bulkSink interface {
	flush(ctx context.Context, t *bulkTable) error
	finish(ctx context.Context, tables []*bulkTable) error
	abort()
}

// flushRows is the buffer size per table.
const flushRows = 20000

var bulkSchema = []struct {
	name string
	cols []string
}{
	{"orgs", []string{"id", "code", "born", "ended", "created_at", "updated_at"}},
	{"org_versions", []string{"id", "org_id", "parent_id", "type", "name", "name_folded", "sort_key", "path", "depth", "valid_from", "valid_to"}},
	{"reorg_events", []string{"id", "kind", "date", "decision", "note", "created_at"}},
	{"reorg_links", []string{"event_id", "from_org_id", "to_org_id", "is_primary"}},
	{"bodies", []string{"id", "org_id", "kind", "name"}},
	{"terms", []string{"id", "body_id", "name", "start_date", "end_date", "congress_date"}},
	{"members", []string{"id", "card_number", "full_name", "name_folded", "sort_key", "gender", "birth_date", "admitted_on", "official_on",
		"home_org_id", "managing_org_id", "managing_body", "retired_on", "ended_on", "end_reason", "hometown", "occupation", "created_at", "updated_at"}},
	{"attachments", []string{"id", "member_id", "org_id", "kind", "valid_from", "valid_to", "note"}},
	{"seats", []string{"id", "term_id", "member_id", "role", "start_date", "end_date"}},
	{"posts", []string{"id", "member_id", "title", "agency", "level", "org_id", "from_date", "to_date"}},
	{"member_events", []string{"id", "member_id", "kind", "date", "from_org_id", "to_org_id", "note", "created_at"}},
}

// BulkLoad runs fn with a Loader and commits everything it added, or
// nothing if fn or a write fails.
func (db *DB) BulkLoad(ctx context.Context, fn func(*Loader) error) error {
	sink, err := db.newBulkSink(ctx)
	if err != nil {
		return err
	}
	l := &Loader{tables: map[string]*bulkTable{}, sink: sink, now: db.nowValue()}
	for _, s := range bulkSchema {
		l.tables[s.name] = &bulkTable{name: s.name, cols: s.cols}
		l.order = append(l.order, s.name)
	}
	if err := fn(l); err != nil {
		sink.abort()
		return err
	}
	var all []*bulkTable
	for _, n := range l.order {
		all = append(all, l.tables[n])
	}
	if err := sink.finish(ctx, all); err != nil {
		sink.abort()
		return err
	}
	return nil
}

func (db *DB) newBulkSink(ctx context.Context) (bulkSink, error) {
	if db.engine == Postgres {
		return newPostgresSink(ctx, db)
	}
	return newSQLiteSink(ctx, db)
}

// nowValue is the created_at value of loaded rows.
func (db *DB) nowValue() any { return db.Now() }

func (l *Loader) add(ctx context.Context, table string, row ...any) error {
	t := l.tables[table]
	if len(row) != len(t.cols) {
		panic(fmt.Sprintf("store: bulk %s: %d values for %d columns", table, len(row), len(t.cols)))
	}
	t.rows = append(t.rows, row)
	if len(t.rows) >= flushRows {
		// Parents before children: flush every table that precedes this
		// one so foreign keys hold at each flush.
		for _, n := range l.order {
			if err := l.flushTable(ctx, l.tables[n]); err != nil {
				return err
			}
			if n == table {
				break
			}
		}
	}
	return nil
}

func (l *Loader) flushTable(ctx context.Context, t *bulkTable) error {
	if len(t.rows) == 0 {
		return nil
	}
	if err := l.sink.flush(ctx, t); err != nil {
		return fmt.Errorf("store: bulk %s: %w", t.name, err)
	}
	t.rows = t.rows[:0]
	return nil
}

// Org adds an organisation identity row. Versions are added with Version.
func (l *Loader) Org(ctx context.Context, id int64, code string, born, ended civil.Date) error {
	if ended.IsZero() {
		ended = civil.Forever
	}
	return l.add(ctx, "orgs", id, code, born, ended, l.now, l.now)
}

// Version adds a version row for o (o.ID, o.Path and o.Depth must be set by
// the caller; versionID is the row id).
func (l *Loader) Version(ctx context.Context, versionID int64, o *ktgs.Org) error {
	return l.add(ctx, "org_versions", versionID, o.ID, nullID(o.ParentID), string(o.Type), o.Name, vn.Fold(o.Name), vn.SortKey(o.Name),
		o.Path, o.Depth, o.ValidFrom, o.ValidTo)
}

// Reorg adds a reorganisation event with its links.
func (l *Loader) Reorg(ctx context.Context, e *ktgs.ReorgEvent) error {
	if err := l.add(ctx, "reorg_events", e.ID, string(e.Kind), e.Date, e.Decision, e.Note, l.now); err != nil {
		return err
	}
	for _, k := range e.Links {
		if err := l.add(ctx, "reorg_links", e.ID, nullID(k.FromID), nullID(k.ToID), k.Primary); err != nil {
			return err
		}
	}
	return nil
}

// Body adds a body.
func (l *Loader) Body(ctx context.Context, b *ktgs.Body) error {
	return l.add(ctx, "bodies", b.ID, b.OrgID, string(b.Kind), b.Name)
}

// Term adds a term.
func (l *Loader) Term(ctx context.Context, t *ktgs.Term) error {
	return l.add(ctx, "terms", t.ID, t.BodyID, t.Name, t.Start, t.End, t.CongressDate)
}

// Seat adds a seat.
func (l *Loader) Seat(ctx context.Context, s *ktgs.Seat) error {
	return l.add(ctx, "seats", s.ID, s.TermID, s.MemberID, string(s.Role), s.Start, s.End)
}

// Member adds a member; sortKey may be nil to compute it here.
func (l *Loader) Member(ctx context.Context, m *ktgs.Member, folded string, sortKey []byte) error {
	if sortKey == nil {
		sortKey = vn.NameSortKey(m.FullName)
	}
	if folded == "" {
		folded = vn.Fold(m.FullName)
	}
	return l.add(ctx, "members", m.ID, m.CardNumber, m.FullName, folded, sortKey, string(m.Gender), m.BirthDate, m.AdmittedOn,
		m.OfficialOn, m.HomeOrgID, nullID(m.Managing.OrgID), string(m.Managing.Kind), m.RetiredOn, m.EndedOn, string(m.EndReason),
		m.Hometown, m.Occupation, l.now, l.now)
}

// Attachment adds an attachment.
func (l *Loader) Attachment(ctx context.Context, a *ktgs.Attachment) error {
	if a.To.IsZero() {
		a.To = civil.Forever
	}
	return l.add(ctx, "attachments", a.ID, a.MemberID, a.OrgID, string(a.Kind), a.From, a.To, a.Note)
}

// Post adds a post.
func (l *Loader) Post(ctx context.Context, p *ktgs.Post) error {
	if p.To.IsZero() {
		p.To = civil.Forever
	}
	return l.add(ctx, "posts", p.ID, p.MemberID, p.Title, p.Agency, string(p.Level), nullID(p.OrgID), p.From, p.To)
}

// Event adds a member event.
func (l *Loader) Event(ctx context.Context, e *ktgs.MemberEvent) error {
	return l.add(ctx, "member_events", e.ID, e.MemberID, string(e.Kind), e.Date, nullID(e.FromOrg), nullID(e.ToOrg), e.Note, l.now)
}

// MaxIDs returns the largest id in each table with an id column, so that a
// generator can continue numbering after existing rows.
func (db *DB) MaxIDs(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, s := range bulkSchema {
		if s.cols[0] != "id" {
			continue
		}
		var n int64
		if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+s.name).Scan(&n); err != nil {
			return nil, err
		}
		out[s.name] = n
	}
	return out, nil
}
