package audit

import "fmt"

// Verifier checks a chain of entries given in order and remembers the first
// broken link. The zero value verifies a chain from its start (Seq 1 after
// Genesis); NewVerifier resumes after a trusted entry. A Verifier is not safe
// for concurrent use.
type Verifier struct {
	seq    int64
	hash   string // "" means Genesis
	count  int64
	broken *BrokenLink
}

// NewVerifier returns a Verifier that expects the entry after the one with
// sequence number seq and hash hash, e.g. a checkpoint verified earlier and
// kept out of the database's reach. NewVerifier(0, Genesis) is the zero
// Verifier.
func NewVerifier(seq int64, hash string) *Verifier {
	return &Verifier{seq: seq, hash: hash}
}

// Add checks that e follows the last entry accepted: its Seq is one more,
// its PrevHash is that entry's Hash, and its Hash is the hash of its
// content. It returns nil and advances, or returns the *BrokenLink. After a
// break, Add returns the same *BrokenLink for every further entry: the rest
// of the chain cannot be trusted.
func (v *Verifier) Add(e Entry) error {
	if v.broken != nil {
		return v.broken
	}
	if want := v.seq + 1; e.Seq != want {
		v.broken = &BrokenLink{Seq: want, Reason: ReasonSeqGap,
			Detail: fmt.Sprintf("expected seq %d, found %d", want, e.Seq)}
		return v.broken
	}
	_, head := v.Head()
	if err := Check(head, e); err != nil {
		v.broken = err.(*BrokenLink)
		return v.broken
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.count++
	return nil
}

// Head returns the Seq and Hash of the last entry accepted, or the starting
// point (0 and Genesis for the zero Verifier). To detect entries removed
// from the end of the chain, compare Head with a head recorded elsewhere.
func (v *Verifier) Head() (seq int64, hash string) {
	if v.hash == "" {
		return v.seq, Genesis
	}
	return v.seq, v.hash
}

// Count returns the number of entries accepted.
func (v *Verifier) Count() int64 { return v.count }

// Broken returns the first broken link found, or nil while the chain is
// intact.
func (v *Verifier) Broken() *BrokenLink { return v.broken }
