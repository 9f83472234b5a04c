package store_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"ktgs"
	"ktgs/internal/audit"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// The audit trail's storage contract: gap-free sequence numbers, a hash
// chain that verifies, appends that commit or roll back with their
// transaction, and a table the application cannot rewrite.

// auditEntry returns an entry to append; i makes it distinct.
func auditEntry(i int) *audit.Entry {
	return &audit.Entry{
		ActorID:    int64(i % 3),
		Actor:      fmt.Sprintf("cán bộ %d", i%3),
		Action:     "member.update",
		ObjectType: "member",
		ObjectID:   fmt.Sprint(1000 + i),
		OrgID:      int64(i % 5),
		Before:     json.RawMessage(fmt.Sprintf(`{"họ_tên":"Nguyễn Văn %d","n":%d}`, i, i)),
		After:      json.RawMessage(fmt.Sprintf(`{"n":%d, "họ_tên":"Nguyễn Văn %d"}`, i+1, i)),
		RequestID:  fmt.Sprintf("req-%d", i),
	}
}

// appendAudit appends n entries, each in its own transaction.
func appendAudit(t *testing.T, db *store.DB, n int) []*audit.Entry {
	t.Helper()
	var out []*audit.Entry
	for i := range n {
		e := auditEntry(i)
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendAudit(ctx, e) }); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// verifyChain runs audit.Verifier over the stored trail and returns it
// with the recorded head.
func verifyChain(t *testing.T, db *store.DB) (v *audit.Verifier, entries []audit.Entry, headSeq int64, headHash string) {
	t.Helper()
	v = &audit.Verifier{}
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		if headSeq, headHash, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		return tx.EachAudit(ctx, func(e *audit.Entry) error {
			entries = append(entries, *e)
			v.Add(*e)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return v, entries, headSeq, headHash
}

func TestAuditAppendChain(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		v, entries, seq, hash := verifyChain(t, db)
		if len(entries) != 0 || seq != 0 || hash != audit.Genesis || v.Broken() != nil {
			t.Fatalf("empty trail: %d entries, head %d %s", len(entries), seq, hash)
		}
		appended := appendAudit(t, db, 12)
		prev := audit.Genesis
		for i, e := range appended {
			if e.Seq != int64(i+1) || e.PrevHash != prev || len(e.Hash) != 64 || e.At.IsZero() {
				t.Fatalf("entry %d: seq %d prev %.8s hash %q", i, e.Seq, e.PrevHash, e.Hash)
			}
			prev = e.Hash
		}
		// Two entries in one transaction take consecutive numbers.
		a, b := auditEntry(100), auditEntry(101)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AppendAudit(ctx, a); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, b)
		}); err != nil {
			t.Fatal(err)
		}
		if a.Seq != 13 || b.Seq != 14 || b.PrevHash != a.Hash {
			t.Fatalf("same transaction: seqs %d, %d", a.Seq, b.Seq)
		}

		v, entries, seq, hash = verifyChain(t, db)
		if v.Broken() != nil || v.Count() != 14 || len(entries) != 14 {
			t.Fatalf("chain: broken %v, %d entries", v.Broken(), v.Count())
		}
		for i, e := range entries {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d", i, e.Seq)
			}
		}
		if vs, vh := v.Head(); vs != seq || vh != hash || hash != b.Hash {
			t.Fatalf("AuditHead %d %.8s, chain ends at %d %.8s", seq, hash, vs, vh)
		}
		// What was read back is what was sealed (JSON canonical).
		if got := entries[0]; got.Hash != appended[0].Hash || string(got.After) != `{"họ_tên":"Nguyễn Văn 0","n":1}` || got.Actor != "cán bộ 0" {
			t.Errorf("entry 1 read back as %+v, after %s", got, got.After)
		}

		// A transaction that fails after appending leaves no entry and no
		// gap.
		boom := errors.New("boom")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AppendAudit(ctx, auditEntry(200)); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Update = %v", err)
		}
		// An invalid entry is refused.
		bad := auditEntry(201)
		bad.Action = ""
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendAudit(ctx, bad) }); ktgs.ErrorCode(err) != ktgs.EINTERNAL {
			t.Fatalf("entry without action: %v", err)
		}
		if _, _, s, h := verifyChain(t, db); s != 14 || h != hash {
			t.Fatalf("rolled-back appends moved the head to %d", s)
		}
		c := auditEntry(300)
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendAudit(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		if c.Seq != 15 || c.PrevHash != hash {
			t.Fatalf("after rollbacks: seq %d prev %.8s, want 15 on %.8s", c.Seq, c.PrevHash, hash)
		}
		if v, _, _, _ := verifyChain(t, db); v.Broken() != nil || v.Count() != 15 {
			t.Fatalf("chain after rollbacks: %v, %d", v.Broken(), v.Count())
		}
	})
}

// TestAuditConcurrentAppends: appenders in parallel transactions are
// serialised by the head row: no gap, no duplicate, one chain.
func TestAuditConcurrentAppends(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		start := make(chan struct{})
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := range each {
					e := auditEntry(w*each + i)
					if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendAudit(ctx, e) }); err != nil {
						errs <- fmt.Errorf("worker %d append %d: %w", w, i, err)
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		v, entries, seq, hash := verifyChain(t, db)
		if len(entries) != workers*each {
			t.Fatalf("%d entries, want %d", len(entries), workers*each)
		}
		seen := map[string]bool{}
		for i, e := range entries {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d: gap or duplicate", i, e.Seq)
			}
			seen[e.ObjectID] = true
		}
		if len(seen) != workers*each {
			t.Errorf("%d distinct entries stored, want %d", len(seen), workers*each)
		}
		if v.Broken() != nil {
			t.Fatalf("chain broken: %v", v.Broken())
		}
		if vs, vh := v.Head(); vs != seq || vh != hash || seq != workers*each {
			t.Fatalf("head %d, chain ends at %d", seq, vs)
		}
	})
}

// openAudit opens the store on a new database of engine eng and a second,
// plain database/sql handle on the same database with the same
// credentials, as any program holding the application's connection string
// could.
func openAudit(t *testing.T, eng testdb.Engine) (*store.DB, *sql.DB) {
	t.Helper()
	u := eng.URL(t)
	db, err := store.Open(ctx, u, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var raw *sql.DB
	if eng.Name == store.Postgres {
		raw, err = sql.Open("pgx", u)
	} else {
		raw, err = sql.Open("sqlite", "file:"+u+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

type auditRow struct {
	Seq                 int64
	Actor, Action, Hash string
}

func auditRows(t *testing.T, raw *sql.DB) []auditRow {
	t.Helper()
	rows, err := raw.Query(`SELECT seq, actor, action, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.Seq, &r.Actor, &r.Action, &r.Hash); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAuditAppendOnly: with the application's own credentials, audit rows
// can be neither changed nor removed.
func TestAuditAppendOnly(t *testing.T) {
	for _, eng := range testdb.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			db, raw := openAudit(t, eng)
			appendAudit(t, db, 5)
			before := auditRows(t, raw)
			if len(before) != 5 {
				t.Fatalf("%d rows through the raw handle, want 5", len(before))
			}
			stmts := []string{
				`UPDATE audit_log SET actor = 'x'`,
				`UPDATE audit_log SET actor = 'x' WHERE seq = 3`,
				`UPDATE audit_log SET hash = prev_hash WHERE seq = 5`,
				`DELETE FROM audit_log`,
				`DELETE FROM audit_log WHERE seq = 5`,
			}
			if eng.Name == store.Postgres {
				stmts = append(stmts, `TRUNCATE audit_log`)
			}
			for _, q := range stmts {
				if res, err := raw.Exec(q); err == nil {
					n, _ := res.RowsAffected()
					t.Errorf("%s: no error (%d rows affected)", q, n)
				} else {
					t.Logf("%s: %v", q, err)
				}
			}
			if after := auditRows(t, raw); !reflect.DeepEqual(after, before) {
				t.Errorf("rows changed:\nbefore %+v\nafter  %+v", before, after)
			}
			// Appending still works and the chain is whole.
			appendAudit(t, db, 1)
			if v, _, seq, _ := verifyChain(t, db); v.Broken() != nil || v.Count() != 6 || seq != 6 {
				t.Errorf("chain after the attempts: %v, %d entries, head %d", v.Broken(), v.Count(), seq)
			}
		})
	}
}

// TestAuditTamperDetection: someone who bypasses the triggers (the owner
// of a SQLite file can drop them) is caught by the chain: the first broken
// link is named, and entries removed from the end show against the
// recorded head.
func TestAuditTamperDetection(t *testing.T) {
	sqlite := testdb.Engines(t)[0]
	if sqlite.Name != store.SQLite {
		t.Fatalf("first engine is %s", sqlite.Name)
	}
	// tampered returns a trail of 15 entries with its triggers dropped.
	tampered := func(t *testing.T) (*store.DB, *sql.DB, []*audit.Entry) {
		db, raw := openAudit(t, sqlite)
		entries := appendAudit(t, db, 15)
		for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return db, raw, entries
	}
	exec := func(t *testing.T, raw *sql.DB, q string, args ...any) {
		t.Helper()
		res, err := raw.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q, n)
		}
	}
	broken := func(t *testing.T, db *store.DB, seq int64, reason string) {
		t.Helper()
		v, _, _, _ := verifyChain(t, db)
		b := v.Broken()
		if b == nil || b.Seq != seq || b.Reason != reason {
			t.Fatalf("broken link %v, want seq %d %s", b, seq, reason)
		}
		if v.Count() != seq-1 {
			t.Errorf("%d entries verified before the break, want %d", v.Count(), seq-1)
		}
	}

	t.Run("edited field", func(t *testing.T) {
		db, raw, entries := tampered(t)
		exec(t, raw, `UPDATE audit_log SET actor = ? WHERE seq = 7`, "người khác")
		broken(t, db, 7, audit.ReasonContentHash)
		// Putting it back mends the chain: the edit was the only break.
		exec(t, raw, `UPDATE audit_log SET actor = ? WHERE seq = 7`, entries[6].Actor)
		if v, _, _, _ := verifyChain(t, db); v.Broken() != nil || v.Count() != 15 {
			t.Fatalf("restored trail: %v", v.Broken())
		}
		// Editing the JSON, even to an equivalent spelling, is no edit;
		// changing a value is.
		exec(t, raw, `UPDATE audit_log SET after = ? WHERE seq = 9`, `{ "n" : 9, "họ_tên" : "Nguyễn Văn 8" }`)
		if v, _, _, _ := verifyChain(t, db); v.Broken() != nil {
			t.Fatalf("re-spelt JSON breaks the chain: %v", v.Broken())
		}
		exec(t, raw, `UPDATE audit_log SET after = ? WHERE seq = 9`, `{"n":10,"họ_tên":"Nguyễn Văn 8"}`)
		broken(t, db, 9, audit.ReasonContentHash)
	})
	t.Run("edited and resealed", func(t *testing.T) {
		db, raw, entries := tampered(t)
		e := *entries[6]
		e.Actor = "người khác"
		e.Seal(e.PrevHash)
		exec(t, raw, `UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 7`, e.Actor, e.Hash)
		broken(t, db, 8, audit.ReasonPrevHash)
	})
	t.Run("deleted entry", func(t *testing.T) {
		db, raw, _ := tampered(t)
		exec(t, raw, `DELETE FROM audit_log WHERE seq = 12`)
		broken(t, db, 12, audit.ReasonSeqGap)
	})
	t.Run("deleted last entry", func(t *testing.T) {
		db, raw, entries := tampered(t)
		exec(t, raw, `DELETE FROM audit_log WHERE seq = 15`)
		v, _, seq, hash := verifyChain(t, db)
		if v.Broken() != nil || v.Count() != 14 {
			t.Fatalf("remaining chain: %v, %d", v.Broken(), v.Count())
		}
		vs, vh := v.Head()
		if vs != 14 || vh != entries[13].Hash {
			t.Fatalf("chain head %d", vs)
		}
		if seq != 15 || hash != entries[14].Hash {
			t.Fatalf("recorded head %d %.8s, want 15 %.8s", seq, hash, entries[14].Hash)
		}
	})
}
