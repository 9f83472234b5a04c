package audit

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var ict = time.FixedZone("ICT", 7*3600)

// newChain returns n sealed entries with Vietnamese content.
func newChain(n int) []Entry {
	actions := []string{"org.create", "member.update", "member.read_protected", "auth.login"}
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, ict)
	chain := make([]Entry, n)
	prev := Genesis
	for i := range chain {
		e := Entry{
			Seq:        int64(i + 1),
			At:         start.Add(time.Duration(i) * 1500 * time.Millisecond).Add(789), // sub-µs noise
			ActorID:    int64(i % 7),
			Actor:      fmt.Sprintf("Nguyễn Văn Ánh %d", i%7),
			Action:     actions[i%len(actions)],
			ObjectType: "member",
			ObjectID:   fmt.Sprint(1000 + i),
			Before:     json.RawMessage(fmt.Sprintf(`{"họ_tên": "Trần Thị Bích", "số": %d}`, i)),
			After:      json.RawMessage(fmt.Sprintf(`{"số": %d, "họ_tên": "Trần Thị Bích Ngọc"}`, i)),
			Reason:     "Xem xét hồ sơ theo yêu cầu của Ủy ban Kiểm tra",
			RequestID:  fmt.Sprintf("req-%04x", i),
		}
		if i%10 == 0 {
			e.Before = nil // a creation
		}
		e.Seal(prev)
		prev = e.Hash
		chain[i] = e
	}
	return chain
}

// verify runs a Verifier over chain and returns it and the first error.
func verify(chain []Entry) (*Verifier, error) {
	var v Verifier
	for _, e := range chain {
		if err := v.Add(e); err != nil {
			return &v, err
		}
	}
	return &v, nil
}

func TestChainOf1000(t *testing.T) {
	chain := newChain(1000)
	v, err := verify(chain)
	if err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	seq, hash := v.Head()
	if seq != 1000 || hash != chain[999].Hash || v.Count() != 1000 || v.Broken() != nil {
		t.Errorf("Head = %d, %.8s; Count = %d; Broken = %v; want 1000, %.8s, 1000, nil",
			seq, hash, v.Count(), v.Broken(), chain[999].Hash)
	}
	if chain[0].PrevHash != Genesis {
		t.Errorf("first PrevHash = %q, want Genesis", chain[0].PrevHash)
	}
	for i, e := range chain {
		if len(e.Hash) != 64 || strings.ToLower(e.Hash) != e.Hash {
			t.Fatalf("entry %d hash %q is not lower-case hex SHA-256", i+1, e.Hash)
		}
		if i > 0 && e.PrevHash != chain[i-1].Hash {
			t.Fatalf("entry %d PrevHash does not link", i+1)
		}
	}
	// Resuming from a checkpoint verifies the rest.
	r := NewVerifier(500, chain[499].Hash)
	for _, e := range chain[500:] {
		if err := r.Add(e); err != nil {
			t.Fatalf("resumed verifier: %v", err)
		}
	}
	if r.Count() != 500 {
		t.Errorf("resumed Count = %d, want 500", r.Count())
	}
	if seq, hash := (&Verifier{}).Head(); seq != 0 || hash != Genesis {
		t.Errorf("zero Verifier Head = %d, %q; want 0, Genesis", seq, hash)
	}
}

func TestTampering(t *testing.T) {
	const k = 500 // index of entry Seq k+1 … we tamper with Seq 500 (index 499)
	idx := k - 1
	field := func(name string, change func(e *Entry)) func([]Entry) []Entry {
		return func(c []Entry) []Entry { change(&c[idx]); return c }
	}
	tests := []struct {
		name    string
		tamper  func([]Entry) []Entry
		seq     int64
		reason  string
		anyLast bool
	}{
		{"seq", field("seq", func(e *Entry) { e.Seq = 9999 }), k, ReasonSeqGap, false},
		{"at", field("at", func(e *Entry) { e.At = e.At.Add(time.Microsecond) }), k, ReasonContentHash, false},
		{"at by a second", field("at", func(e *Entry) { e.At = e.At.Add(-time.Second) }), k, ReasonContentHash, false},
		{"actor id", field("actor id", func(e *Entry) { e.ActorID = 0 }), k, ReasonContentHash, false},
		{"actor", field("actor", func(e *Entry) { e.Actor = "Nguyễn Văn Anh" }), k, ReasonContentHash, false},
		{"action", field("action", func(e *Entry) { e.Action = "member.read" }), k, ReasonContentHash, false},
		{"object type", field("object type", func(e *Entry) { e.ObjectType = "org" }), k, ReasonContentHash, false},
		{"object id", field("object id", func(e *Entry) { e.ObjectID = "1" }), k, ReasonContentHash, false},
		{"before", field("before", func(e *Entry) { e.Before = json.RawMessage(`{"họ_tên":"Trần Thị Bích","số":0}`) }), k, ReasonContentHash, false},
		{"before removed", field("before", func(e *Entry) { e.Before = nil }), k, ReasonContentHash, false},
		{"after", field("after", func(e *Entry) { e.After = json.RawMessage(`{"họ_tên":"Trần Thị Bích Ngọc","số":499.0}`) }), k, ReasonContentHash, false},
		{"reason", field("reason", func(e *Entry) { e.Reason = "" }), k, ReasonContentHash, false},
		{"request id", field("request id", func(e *Entry) { e.RequestID += " " }), k, ReasonContentHash, false},
		{"hash", field("hash", func(e *Entry) { e.Hash = strings.Repeat("a", 64) }), k, ReasonContentHash, false},
		{"hash upper case", field("hash", func(e *Entry) { e.Hash = strings.ToUpper(e.Hash) }), k, ReasonContentHash, false},
		{"prev hash", field("prev hash", func(e *Entry) { e.PrevHash = Genesis }), k, ReasonPrevHash, false},
		{"resealed after change", field("resealed", func(e *Entry) {
			e.Reason = "Không có lý do"
			e.Seal(e.PrevHash) // content and hash agree again …
		}), k + 1, ReasonPrevHash, false}, // … but the next entry no longer links
		{"resealed on a wrong link", field("resealed", func(e *Entry) { e.Seal(Genesis) }), k, ReasonPrevHash, false},
		{"first entry link", func(c []Entry) []Entry { c[0].PrevHash = ""; return c }, 1, ReasonPrevHash, false},
		{"first entry removed", func(c []Entry) []Entry { return c[1:] }, 1, ReasonSeqGap, false},
		{"delete", func(c []Entry) []Entry { return append(c[:idx], c[idx+1:]...) }, k, ReasonSeqGap, false},
		{"delete and renumber", func(c []Entry) []Entry {
			c = append(c[:idx], c[idx+1:]...)
			for i := idx; i < len(c); i++ {
				c[i].Seq--
			}
			return c
		}, k, ReasonPrevHash, false},
		{"swap", func(c []Entry) []Entry { c[idx], c[idx+1] = c[idx+1], c[idx]; return c }, k, ReasonSeqGap, false},
		{"swap and renumber", func(c []Entry) []Entry {
			c[idx], c[idx+1] = c[idx+1], c[idx]
			c[idx].Seq, c[idx+1].Seq = c[idx+1].Seq, c[idx].Seq
			return c
		}, k, ReasonPrevHash, false},
		{"insert", func(c []Entry) []Entry {
			x := Entry{Seq: k + 1, At: c[idx].At, Action: "member.delete", ObjectType: "member", ObjectID: "7"}
			x.Seal(c[idx].Hash) // a well-formed entry after Seq k …
			return append(c[:idx+1], append([]Entry{x}, c[idx+1:]...)...)
		}, k + 2, ReasonSeqGap, false}, // … and the chain breaks at the next one
		{"insert and renumber", func(c []Entry) []Entry {
			x := Entry{Seq: k + 1, At: c[idx].At, Action: "member.delete", ObjectType: "member", ObjectID: "7"}
			x.Seal(c[idx].Hash)
			c = append(c[:idx+1], append([]Entry{x}, c[idx+1:]...)...)
			for i := idx + 2; i < len(c); i++ {
				c[i].Seq++
			}
			return c
		}, k + 2, ReasonPrevHash, false},
		{"duplicate", func(c []Entry) []Entry {
			return append(c[:idx+1], append([]Entry{c[idx]}, c[idx+1:]...)...)
		}, k + 1, ReasonSeqGap, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chain := tt.tamper(newChain(1000))
			v, err := verify(chain)
			var b *BrokenLink
			if !errors.As(err, &b) {
				t.Fatalf("tampered chain verified: err = %v", err)
			}
			if b.Seq != tt.seq || b.Reason != tt.reason {
				t.Errorf("broken link = seq %d %s, want seq %d %s (%v)", b.Seq, b.Reason, tt.seq, tt.reason, err)
			}
			if v.Broken() != b {
				t.Errorf("Broken() = %v, want %v", v.Broken(), b)
			}
			if seq, _ := v.Head(); seq != tt.seq-1 || v.Count() != tt.seq-1 {
				t.Errorf("Head seq = %d, Count = %d; want both %d", seq, v.Count(), tt.seq-1)
			}
			// The break is sticky.
			if err2 := v.Add(chain[len(chain)-1]); err2 != err {
				t.Errorf("Add after a break = %v, want the same %v", err2, err)
			}
		})
	}
}

func TestTamperingEveryPosition(t *testing.T) {
	base := newChain(60)
	for i := range base {
		chain := append([]Entry(nil), base...)
		chain[i].Actor += "."
		_, err := verify(chain)
		var b *BrokenLink
		if !errors.As(err, &b) || b.Seq != int64(i+1) || b.Reason != ReasonContentHash {
			t.Errorf("changed entry %d: %v", i+1, err)
		}
	}
}

// TestTruncationAndRewrite documents what the chain alone cannot show: an
// attacker who deletes the newest entries, or rewrites and reseals every
// entry from some point on, leaves a valid chain. Only a head recorded
// outside the database (see the package documentation) reveals it.
func TestTruncationAndRewrite(t *testing.T) {
	chain := newChain(100)
	_, anchored := chain[99].Seq, chain[99].Hash

	v, err := verify(chain[:90])
	if err != nil {
		t.Fatalf("truncated chain: %v", err)
	}
	if seq, hash := v.Head(); seq == 100 || hash == anchored {
		t.Error("truncated chain has the anchored head")
	}

	rewritten := append([]Entry(nil), chain...)
	for i := 50; i < len(rewritten); i++ {
		rewritten[i].Reason = "Đã sửa"
		rewritten[i].Seal(rewritten[i-1].Hash)
	}
	v, err = verify(rewritten)
	if err != nil {
		t.Fatalf("rewritten chain: %v", err)
	}
	if seq, hash := v.Head(); seq != 100 || hash == anchored {
		t.Errorf("rewritten chain head = %d, %.8s; want 100 and a hash other than the anchor", seq, hash)
	}
}

func TestEquivalentJSONStillVerifies(t *testing.T) {
	chain := newChain(20)
	// The database returned the JSON re-serialised: other key order, white
	// space and escapes. The chain must still verify.
	chain[5].Before = json.RawMessage("{\n  \"s\\u1ed1\" : 5 ,\n  \"h\\u1ecd_t\\u00ean\" : \"Tr\\u1ea7n Th\\u1ecb B\\u00edch\"\n}")
	chain[5].After = json.RawMessage(` { "họ_tên":"Trần Thị Bích Ngọc" , "số":5 } `)
	chain[10].Before = json.RawMessage("null") // nil stored as JSON null
	if _, err := verify(chain); err != nil {
		t.Fatalf("equivalent JSON broke the chain: %v", err)
	}
}

func TestSealNormalises(t *testing.T) {
	e := Entry{
		Seq:    1,
		At:     time.Date(2026, 3, 2, 9, 30, 15, 123456789, ict),
		Action: "org.create",
		Before: json.RawMessage(" null "),
		After:  json.RawMessage(`{ "b": [1, 2], "a": "<Đảng bộ> & \u00e9" }`),
	}
	e.Seal(Genesis)
	if want := time.Date(2026, 3, 2, 2, 30, 15, 123456000, time.UTC); !e.At.Equal(want) || e.At.Location() != time.UTC {
		t.Errorf("At = %v, want %v", e.At, want)
	}
	if e.Before != nil {
		t.Errorf("Before = %q, want nil", e.Before)
	}
	if got, want := string(e.After), `{"a":"<Đảng bộ> & é","b":[1,2]}`; got != want {
		t.Errorf("After = %s, want %s", got, want)
	}
	if err := Check(Genesis, e); err != nil {
		t.Errorf("Check after Seal: %v", err)
	}
	// A copy read back from the database with microsecond precision in
	// another zone still checks.
	back := e
	back.At = back.At.In(ict)
	if err := Check(Genesis, back); err != nil {
		t.Errorf("Check of the stored form: %v", err)
	}
}

func TestCheck(t *testing.T) {
	e := Entry{Seq: 1, At: time.Now(), Actor: "Hệ thống", Action: "auth.login"}
	e.Seal(Genesis)
	if err := Check(Genesis, e); err != nil {
		t.Fatalf("Check = %v, want nil", err)
	}
	tests := []struct {
		name   string
		prev   string
		change func(*Entry)
		reason string
	}{
		{"wrong prev", strings.Repeat("1", 64), func(*Entry) {}, ReasonPrevHash},
		{"empty prev", "", func(*Entry) {}, ReasonPrevHash},
		{"changed content", Genesis, func(e *Entry) { e.Actor = "Quản trị" }, ReasonContentHash},
		{"empty hash", Genesis, func(e *Entry) { e.Hash = "" }, ReasonContentHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e
			tt.change(&c)
			err := Check(tt.prev, c)
			var b *BrokenLink
			if !errors.As(err, &b) || b.Reason != tt.reason || b.Seq != 1 {
				t.Errorf("Check = %v, want a BrokenLink at seq 1 with %s", err, tt.reason)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "audit: broken link at seq 1: "+tt.reason) {
				t.Errorf("error text %q", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Entry{Seq: 1, At: time.Now(), Action: "member.read_protected", Reason: "Thẩm tra theo Quyết định 15-QĐ/UBKT",
		Before: json.RawMessage(`{"a":1}`)}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate = %v, want nil", err)
	}
	tests := []struct {
		name   string
		change func(*Entry)
	}{
		{"seq 0", func(e *Entry) { e.Seq = 0 }},
		{"no time", func(e *Entry) { e.At = time.Time{} }},
		{"year 10000", func(e *Entry) { e.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"no action", func(e *Entry) { e.Action = "" }},
		{"no reason", func(e *Entry) { e.Reason = "" }},
		{"blank reason", func(e *Entry) { e.Reason = "  " }},
		{"bad before", func(e *Entry) { e.Before = json.RawMessage(`{"a":}`) }},
		{"duplicate key", func(e *Entry) { e.After = json.RawMessage(`{"a":1,"a":2}`) }},
		{"bad utf-8", func(e *Entry) { e.Actor = "\xff" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			err := e.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), "audit: ") {
				t.Errorf("Validate = %v, want an audit: error", err)
			}
		})
	}
}

// goldenEntry is the example of the package documentation.
func goldenEntry() Entry {
	return Entry{
		Seq:        1,
		At:         time.Date(2026, 3, 2, 9, 30, 15, 123456789, ict),
		ActorID:    42,
		Actor:      "Nguyễn Văn Ánh",
		Action:     "member.read_protected",
		ObjectType: "member",
		ObjectID:   "1234",
		OrgID:      77,
		After:      json.RawMessage(`{"số_thẻ": "12.345.678", "họ_tên": "Trần Thị Bích"}`),
		Reason:     "Xem xét hồ sơ theo Quyết định số 15-QĐ/UBKTTW",
		RequestID:  "req-7f3a",
	}
}

// goldenHash is the hash of goldenEntry sealed on Genesis. It must never
// change: stored chains depend on it.
const goldenHash = "8166802d53a99b7ebceb77fe12d19db19bb11b5d074cd413efbe17cc8526e820"

func TestGolden(t *testing.T) {
	e := goldenEntry()
	e.Seal(Genesis)
	if e.Hash != goldenHash {
		t.Errorf("golden hash = %s, want %s", e.Hash, goldenHash)
	}
	// Decode the canonical form back into its fields.
	c := Canonical(e)
	var fields []string
	for len(c) > 0 {
		if len(c) < 8 {
			t.Fatalf("truncated length prefix")
		}
		n := binary.BigEndian.Uint64(c)
		if uint64(len(c)-8) < n {
			t.Fatalf("field longer than the rest")
		}
		fields = append(fields, string(c[8:8+n]))
		c = c[8+n:]
	}
	want := []string{"ktgs-audit-v1", "1", "2026-03-02T02:30:15.123456Z", "42", "Nguyễn Văn Ánh",
		"member.read_protected", "member", "1234", "77", "", `{"họ_tên":"Trần Thị Bích","số_thẻ":"12.345.678"}`,
		"Xem xét hồ sơ theo Quyết định số 15-QĐ/UBKTTW", "req-7f3a", Genesis}
	if len(fields) != len(want) {
		t.Fatalf("%d fields, want %d: %q", len(fields), len(want), fields)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i, fields[i], want[i])
		}
	}
}
