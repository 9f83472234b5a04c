// Package dedup recognises repeated letters (đơn trùng): the same
// denunciation, complaint or petition sent to several units and levels,
// retyped with or without diacritics, in another Unicode form, with its
// sentences reordered, a greeting or closing changed, a few words or a
// sentence added or removed, or with typos. A repeat is linked to the first
// letter of its group so that it is not handled twice.
//
// Texts are compared through a MinHash signature (Fingerprint) of their
// word 3-shingles after vn.Fold, so the comparison of two letters costs 128
// integer comparisons and needs no access to the texts; the signature is
// stored with the letter. Text similarity alone does not make a duplicate:
// Match also requires that the letters share the sender or an accused,
// because letters written from the same template about different people
// look alike (see corpus.go for the corpus the thresholds are tuned on).
//
// NothingNew answers a different question, asked when a concluded matter
// is raised again: does the new letter say anything the concluded one did
// not? It works on the texts, with exact shingle sets.
package dedup

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"unicode"
	"unicode/utf8"

	"ktgs/internal/vn"
)

// NumHashes is the number of hash functions of a Fingerprint. The standard
// error of a MinHash estimate of a Jaccard similarity J is
// sqrt(J(1-J)/NumHashes): at J = 0.5, 0.044 with 128 functions against
// 0.0625 with 64, so a repeat whose true similarity is 0.1 above the
// threshold is missed about 1% of the time instead of 5%. On the corpus,
// where most errors are letters that really are ambiguous, 64, 128 and 256
// functions give a mean F1 of 0.989, 0.989 and 0.992 over eight corpora
// (worst recall 0.970, 0.973, 0.978); 128 keeps the per-pair error small
// at 512 bytes (684 characters encoded) and about 50 µs to sign a
// 2,000-character letter, where 256 would double both.
const NumHashes = 128

// ShingleWords is the number of consecutive words in a shingle. Single
// words would make every letter about land look like every other one;
// with 3 words a typo or an inserted word changes at most 3 shingles and
// a moved sentence only the shingles that straddle its old and new
// boundaries (at most 6).
const ShingleWords = 3

// Thresholds of Match, on the estimated Jaccard similarity of the 3-shingle
// sets, tuned on Generate(1..3, 2000) and checked on held-out corpora
// (TestThresholdsAreTuned, TestDuplicateDetectionCorpus). Compared with the
// first letter of their group, repeats score 0.8 at the median and 0.48–0.54
// at the 1st percentile (typos in 3% of the words on top of a reordering,
// an inserted or deleted sentence and a new recipient); different letters
// that share a party (the same person on another topic, a serial writer's
// letters about other people on the same template, other writers about the
// same person and topic) score 0.16–0.22 at the median, 0.40–0.47 at the
// 99th percentile and up to 0.7. F1 is flat for linked in 0.40–0.50 and
// single in 0.50–0.55; the pair chosen sits in the middle of that plateau,
// on its stricter side for single links, because a false link hides a new
// letter behind an old one while a missed repeat is only handled twice.
const (
	// ThresholdLinked applies when the two letters have the same sender
	// and at least one accused in common: two independent pieces of
	// evidence, so the text need only be clearly the same letter.
	ThresholdLinked = 0.45
	// ThresholdSingle applies when only one link exists: the same sender
	// (the accused were recorded differently, or a serial writer of
	// template letters), or a shared accused with an anonymous sender or
	// two different senders (a letter and an anonymous copy of it, or a
	// petition signed by different people). Letters of a serial writer or
	// of other writers about the same person reach 0.45 and more, so the
	// bar is higher; repeats linked by the accused alone lose about 2% of
	// recall to it (anonymous copies retyped with many changes).
	ThresholdSingle = 0.55
)

// NothingNewContainment is the share of a new letter's shingles that must
// appear in a concluded letter for the new one to bring nothing new. A
// paragraph of new evidence that makes up a fifth of the new letter brings
// it to 0.8 at most; a resubmission that leaves parts out, goes to another
// unit or loses its diacritics stays above 0.9 (720 of 720 in
// TestNothingNewOnCorpus). Typos hide up to three shingles each: about 80%
// of copies retyped with typos in 3% of their words still pass, the rest
// go to a person, which is the safe side.
const NothingNewContainment = 0.9

// Why codes returned by Match.
const (
	WhySameSenderSameAccused = "same_sender_same_accused" // duplicate: same sender and a shared accused
	WhySameSender            = "same_sender"              // duplicate: same sender, no accused in common
	WhySameAccused           = "same_accused"             // duplicate: a shared accused, sender anonymous or different
	WhyNoCommonParty         = "no_common_party"          // not compared: neither sender nor accused shared
	WhyTextDiffers           = "text_differs"             // a party in common but the texts differ
)

// Fingerprint is the MinHash signature of a text: for each of NumHashes
// hash functions, the smallest hash of the text's shingles. The share of
// equal positions of two fingerprints estimates the Jaccard similarity of
// the two shingle sets. The zero Fingerprint is that of a text without
// words; it is similar to nothing.
type Fingerprint [NumHashes]uint32

// fingerprintVersion is the first byte of an encoded Fingerprint. The
// signature depends on the folding, the tokenisation, the shingle size and
// the hash functions; changing any of them must change the version so that
// stored fingerprints are recomputed instead of silently compared with
// incompatible ones.
const fingerprintVersion = 1

// encodedLen is the length of an encoded Fingerprint in bytes before base64.
const encodedLen = 1 + 4*NumHashes

// ErrBadFingerprint is returned by Decode for a string that is not an
// encoded Fingerprint of this version.
var ErrBadFingerprint = errors.New("dedup: malformed or incompatible fingerprint")

// Encode returns f as URL-safe unpadded base64 (684 characters) of a version
// byte followed by the hashes in little-endian order, for a TEXT column.
func (f Fingerprint) Encode() string {
	var b [encodedLen]byte
	b[0] = fingerprintVersion
	for i, h := range f {
		binary.LittleEndian.PutUint32(b[1+4*i:], h)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Decode parses a string made by Encode. It rejects any other string,
// including a fingerprint of another version.
func Decode(s string) (Fingerprint, error) {
	var f Fingerprint
	if base64.RawURLEncoding.DecodedLen(len(s)) != encodedLen {
		return f, ErrBadFingerprint
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != encodedLen || b[0] != fingerprintVersion {
		return f, ErrBadFingerprint
	}
	for i := range f {
		f[i] = binary.LittleEndian.Uint32(b[1+4*i:])
	}
	return f, nil
}

// IsZero reports whether f is the fingerprint of a text without words (or
// was never computed).
func (f Fingerprint) IsZero() bool {
	return f == Fingerprint{}
}

// Of returns the fingerprint of text.
func Of(text string) Fingerprint {
	return signature(shingles(text))
}

// Similarity returns the estimated Jaccard similarity of the shingle sets
// of the texts behind a and b, in [0, 1]. It is 0 when either is zero: two
// empty letters are not the same letter.
func Similarity(a, b Fingerprint) float64 {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}

// Letter is what Match needs to know about a letter.
type Letter struct {
	ID int64
	// SenderTag is the blind index of the sender's identity; empty when
	// the sender is anonymous (or hides behind a false name).
	SenderTag string
	// Accused are opaque keys of the persons and organisations accused:
	// "m:123" for a matched member, a folded name when not matched yet.
	Accused []string
	Text    string
	// FP is Of(Text). Match computes it when it is zero, but does not
	// store it: callers comparing a letter many times should fill it.
	FP Fingerprint
}

// fingerprint returns l.FP, or computes it from l.Text when it is zero.
func (l *Letter) fingerprint() Fingerprint {
	if l.FP.IsZero() && l.Text != "" {
		return Of(l.Text)
	}
	return l.FP
}

// Match decides whether a and b are the same letter. The texts must be
// similar, and the letters must share a party: the same non-empty sender
// tag or at least one accused. With both links the similarity must reach
// ThresholdLinked; with only one (in particular whenever a sender is
// anonymous, where only a shared accused can link the letters) it must
// reach ThresholdSingle. score is the estimated similarity; why is one of
// the Why codes.
func Match(a, b *Letter) (dup bool, score float64, why string) {
	return tuned.match(a, b)
}

// thresholds are the two thresholds of Match; tests vary them to show
// that the corpus punishes other choices.
type thresholds struct{ linked, single float64 }

var tuned = thresholds{linked: ThresholdLinked, single: ThresholdSingle}

func (t thresholds) match(a, b *Letter) (dup bool, score float64, why string) {
	if a == nil || b == nil {
		return false, 0, WhyNoCommonParty
	}
	sameSender := a.SenderTag != "" && a.SenderTag == b.SenderTag
	sameAccused := sharesAccused(a.Accused, b.Accused)
	if !sameSender && !sameAccused {
		return false, 0, WhyNoCommonParty
	}
	score = Similarity(a.fingerprint(), b.fingerprint())
	threshold := t.single
	switch {
	case sameSender && sameAccused:
		threshold, why = t.linked, WhySameSenderSameAccused
	case sameSender:
		why = WhySameSender
	default:
		why = WhySameAccused
	}
	if score < threshold {
		return false, score, WhyTextDiffers
	}
	return true, score, why
}

// sharesAccused reports whether a and b have a non-empty key in common.
// Letters name one to three accused, so the quadratic loop is the fastest.
func sharesAccused(a, b []string) bool {
	for _, x := range a {
		if x != "" && slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// FindFirst returns the candidate with the lowest ID that Match accepts as
// a duplicate of l, and its score; nil if there is none. Candidates are the
// earlier letters sharing a sender tag or an accused with l; l itself is
// skipped if present. The earliest is chosen rather than the most similar
// because a group of repeats is handled under its first letter. If the
// candidate found is itself a repeat, the caller follows its link to the
// first letter of the group.
func FindFirst(l *Letter, candidates []*Letter) (first *Letter, score float64) {
	return tuned.findFirst(l, candidates)
}

func (t thresholds) findFirst(l *Letter, candidates []*Letter) (first *Letter, score float64) {
	if l == nil {
		return nil, 0
	}
	self := *l
	self.FP = l.fingerprint() // computed once, not per candidate
	for _, c := range candidates {
		if c == nil || c == l || (l.ID != 0 && c.ID == l.ID) {
			continue
		}
		if first != nil && c.ID >= first.ID {
			continue
		}
		if dup, s, _ := t.match(&self, c); dup {
			first, score = c, s
		}
	}
	return first, score
}

// Containment returns the share of part's shingles that also occur in
// whole's, in [0, 1]; 0 when part has no words. Unlike Similarity it is
// asymmetric and exact: a shortened copy of a letter is fully contained in
// it though far from equal to it.
func Containment(part, whole string) float64 {
	p := shingles(part)
	if len(p) == 0 {
		return 0
	}
	w := shingles(whole)
	n, j := 0, 0
	for _, h := range p { // both sorted: one merge pass
		for j < len(w) && w[j] < h {
			j++
		}
		if j < len(w) && w[j] == h {
			n++
		}
	}
	return float64(n) / float64(len(p))
}

// NothingNew reports whether a letter resubmitted after a matter was
// concluded brings nothing new: at least NothingNewContainment of its
// shingles already occur in the concluded letter. A resubmission is often
// shorter than the original, so this is containment, not similarity. A
// letter without words is not judged here (false): that it says nothing is
// for the intake rules, not a sign that it repeats anything.
func NothingNew(newText, concludedText string) bool {
	return Containment(newText, concludedText) >= NothingNewContainment
}

// shingles returns the sorted, distinct 64-bit hashes of the word
// ShingleWords-shingles of vn.Fold(text). A text of fewer words than a
// shingle is one shingle of all its words, so a short text is still
// similar to itself retyped.
func shingles(text string) []uint64 {
	words := wordHashes(vn.Fold(text))
	if len(words) == 0 {
		return nil
	}
	k := min(ShingleWords, len(words))
	out := make([]uint64, 0, len(words)-k+1)
	for i := 0; i+k <= len(words); i++ {
		h := uint64(k)
		for _, w := range words[i : i+k] {
			h = mix(h ^ w) // mixing between words keeps the order significant
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// wordHashes splits folded text into words and returns their FNV-1a hashes.
// A word is a run of letters and digits; everything else separates words,
// so punctuation, line breaks and spacing do not matter, except that a dot
// or comma between two digits is dropped: "1.250", "1,250" and "1250" are
// the same number however the writer grouped it.
func wordHashes(folded string) []uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	words := make([]uint64, 0, len(folded)/5)
	h, inWord := uint64(offset), false
	var prev rune
	for i, r := range folded {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				h = (h ^ uint64(c)) * prime
			}
			inWord = true
		case (r == '.' || r == ',') && isDigit(prev) && i+1 < len(folded) && isDigit(rune(folded[i+1])):
			// A digit-group separator inside a number: keep the word open.
		default:
			if inWord {
				words = append(words, h)
			}
			h, inWord = offset, false
		}
		prev = r
	}
	if inWord {
		words = append(words, h)
	}
	return words
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// mix is the splitmix64 finaliser: a bijection of uint64 whose output bits
// each depend on every input bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashA and hashB define the hash functions h_i(s) = (A_i·s + B_i) >> 32
// (mod 2^64) applied to the already mixed shingle hashes. Multiply-shift
// costs one multiplication per function, which makes signing four times
// faster than re-mixing per function, and on well-mixed input its minima
// estimate Jaccard similarity as well (TestSimilarityEstimatesJaccard).
// The constants come from a fixed splitmix64 sequence: they are part of
// the stored format (fingerprintVersion) and must never be drawn at run
// time, unlike hash/maphash's per-process seeds.
var hashA, hashB = func() (a, b [NumHashes]uint64) {
	state := uint64(0x6b7467732d646475) // "ktgs-ddu"
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		return mix(state)
	}
	for i := range a {
		a[i] = next() | 1 // odd, so that the multiplication is a bijection
		b[i] = next()
	}
	return a, b
}()

// signature returns the MinHash signature of a set of shingle hashes.
func signature(set []uint64) Fingerprint {
	var f Fingerprint
	if len(set) == 0 {
		return f
	}
	// Four hash functions at a time over all shingles: their constants
	// and running minima stay in registers, the four independent chains
	// keep the multiplier busy, and the set streams from L1.
	for i := 0; i < NumHashes; i += 4 {
		a0, a1, a2, a3 := hashA[i], hashA[i+1], hashA[i+2], hashA[i+3]
		b0, b1, b2, b3 := hashB[i], hashB[i+1], hashB[i+2], hashB[i+3]
		m0, m1, m2, m3 := ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)
		for _, s := range set {
			m0 = min(m0, uint32((a0*s+b0)>>32))
			m1 = min(m1, uint32((a1*s+b1)>>32))
			m2 = min(m2, uint32((a2*s+b2)>>32))
			m3 = min(m3, uint32((a3*s+b3)>>32))
		}
		f[i], f[i+1], f[i+2], f[i+3] = m0, m1, m2, m3
	}
	return f
}
