package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Genesis is the PrevHash of the first entry (Seq 1): 64 zeros.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// formatVersion is the first field of every canonical encoding. A future
// format gets a new version string, so old entries keep their hashes.
const formatVersion = "ktgs-audit-v1"

// timeLayout formats At in the canonical encoding: UTC, always six
// fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Entry is one record of the audit trail. Each entry commits, through
// PrevHash, to the Hash of the entry before it, so that changing, removing,
// reordering or inserting entries breaks the chain at that point.
type Entry struct {
	Seq        int64           // 1, 2, 3 … gap-free
	At         time.Time       // UTC, microsecond precision (Seal truncates)
	ActorID    int64           // 0 for the system
	Actor      string          // display name or username at the time
	Action     string          // e.g. "org.create", "member.update", "member.read_protected", "auth.login"
	ObjectType string          // e.g. "org", "member", "user", "session"
	ObjectID   string          // the object's id as text
	OrgID      int64           // the organisation the object belongs to (scopes who may read the entry), 0 for none
	Before     json.RawMessage // JSON of the object before the action, or nil
	After      json.RawMessage // JSON of the object after the action, or nil
	Reason     string          // why; required for reads of protected fields
	RequestID  string          // the HTTP request or job that acted
	PrevHash   string          // Hash of the previous entry, Genesis for Seq 1
	Hash       string          // lower-case hex SHA-256 of Canonical(e)
}

// normalTime returns t in UTC truncated to the microsecond, without a
// monotonic clock reading.
func normalTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Canonical returns the byte string that e.Hash is the SHA-256 of: every
// field of e but Hash, in a fixed order, each as an 8-byte big-endian length
// followed by that many bytes. doc.go specifies it for auditors. Before and
// After are canonicalised, so JSON that differs only in white space, key
// order or string escapes encodes alike; nil, empty and JSON null encode as
// no value.
func Canonical(e Entry) []byte {
	fields := [...][]byte{
		[]byte(formatVersion),
		strconv.AppendInt(nil, e.Seq, 10),
		[]byte(normalTime(e.At).Format(timeLayout)),
		strconv.AppendInt(nil, e.ActorID, 10),
		[]byte(e.Actor),
		[]byte(e.Action),
		[]byte(e.ObjectType),
		[]byte(e.ObjectID),
		strconv.AppendInt(nil, e.OrgID, 10),
		canonicalValue(e.Before),
		canonicalValue(e.After),
		[]byte(e.Reason),
		[]byte(e.RequestID),
		[]byte(e.PrevHash),
	}
	n := 0
	for _, f := range fields {
		n += 8 + len(f)
	}
	out := make([]byte, 0, n)
	for _, f := range fields {
		out = binary.BigEndian.AppendUint64(out, uint64(len(f)))
		out = append(out, f...)
	}
	return out
}

// canonicalValue returns the encoding of Before or After: empty for no value
// (nil, empty or JSON null), the canonical JSON if raw is valid JSON, and
// raw itself otherwise (Validate reports that case; raw bytes can never
// equal a canonical form, which is always valid JSON).
func canonicalValue(raw json.RawMessage) []byte {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	c, err := canonicalizeJSON(raw)
	if err != nil {
		return raw
	}
	if string(c) == "null" {
		return nil
	}
	return c
}

// hashOf returns the lower-case hex SHA-256 of Canonical(e).
func hashOf(e Entry) string {
	sum := sha256.Sum256(Canonical(e))
	return hex.EncodeToString(sum[:])
}

// Seal sets e.PrevHash to prev (the Hash of the entry before, or Genesis for
// the first) and e.Hash to the hash of the entry's content. It first
// normalises e so that what is stored is exactly what was hashed: At to UTC
// truncated to the microsecond, Before and After to canonical JSON (nil for
// null). Call Validate before Seal to reject bad entries.
func (e *Entry) Seal(prev string) {
	e.At = normalTime(e.At)
	e.Before = canonicalRaw(e.Before)
	e.After = canonicalRaw(e.After)
	e.PrevHash = prev
	e.Hash = hashOf(*e)
}

// canonicalRaw returns raw canonicalised, nil for no value, or raw unchanged
// if it is not valid JSON.
func canonicalRaw(raw json.RawMessage) json.RawMessage {
	c := canonicalValue(raw)
	if c == nil {
		return nil
	}
	return json.RawMessage(c)
}

// Validate reports the first problem that makes e unfit to seal: Seq below
// 1, a zero At or one outside the years 1–9999, an empty Action, a string
// field that is not valid UTF-8, Before or After that is not valid JSON (see
// CanonicalJSON), or a missing Reason for an action on protected data
// (Action ending in ".read_protected").
func (e Entry) Validate() error {
	switch {
	case e.Seq < 1:
		return fmt.Errorf("audit: seq %d is below 1", e.Seq)
	case e.At.IsZero():
		return errors.New("audit: no time")
	case e.At.UTC().Year() < 1 || e.At.UTC().Year() > 9999:
		return fmt.Errorf("audit: time %v out of range", e.At)
	case e.Action == "":
		return errors.New("audit: no action")
	case strings.HasSuffix(e.Action, ".read_protected") && strings.TrimSpace(e.Reason) == "":
		return fmt.Errorf("audit: action %s needs a reason", e.Action)
	}
	for name, s := range map[string]string{"actor": e.Actor, "action": e.Action, "object type": e.ObjectType,
		"object id": e.ObjectID, "reason": e.Reason, "request id": e.RequestID} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("audit: %s is not valid UTF-8", name)
		}
	}
	for name, raw := range map[string]json.RawMessage{"before": e.Before, "after": e.After} {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		if _, err := canonicalizeJSON(raw); err != nil {
			return fmt.Errorf("audit: %s: %w", name, err)
		}
	}
	return nil
}

// Reasons of a BrokenLink.
const (
	// ReasonSeqGap: the entry's Seq is not one more than the previous
	// entry's (an entry was removed, inserted or moved).
	ReasonSeqGap = "seq_gap"
	// ReasonPrevHash: the entry's PrevHash is not the previous entry's Hash.
	ReasonPrevHash = "prev_hash_mismatch"
	// ReasonContentHash: the entry's Hash is not the hash of its content
	// (a field was changed after sealing).
	ReasonContentHash = "content_hash_mismatch"
)

// BrokenLink is the error returned for the first entry where the chain
// breaks. Seq is the sequence number at which the chain stops being intact:
// the entry's own Seq for a hash mismatch, the expected Seq for a gap.
type BrokenLink struct {
	Seq    int64
	Reason string // ReasonSeqGap, ReasonPrevHash or ReasonContentHash
	Detail string // what was expected and found, for people
}

// Error describes the break.
func (b *BrokenLink) Error() string {
	s := fmt.Sprintf("audit: broken link at seq %d: %s", b.Seq, b.Reason)
	if b.Detail != "" {
		s += " (" + b.Detail + ")"
	}
	return s
}

// Check returns a *BrokenLink if e does not follow an entry whose Hash is
// prev (Genesis for the first entry): if e.PrevHash differs from prev
// (ReasonPrevHash) or e.Hash is not the hash of e's content
// (ReasonContentHash). It does not look at Seq; Verifier does.
func Check(prev string, e Entry) error {
	if e.PrevHash != prev {
		return &BrokenLink{Seq: e.Seq, Reason: ReasonPrevHash,
			Detail: fmt.Sprintf("prev_hash %.16s…, previous hash %.16s…", e.PrevHash, prev)}
	}
	if h := hashOf(e); e.Hash != h {
		return &BrokenLink{Seq: e.Seq, Reason: ReasonContentHash,
			Detail: fmt.Sprintf("stored %.16s…, computed %.16s…", e.Hash, h)}
	}
	return nil
}
