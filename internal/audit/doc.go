// Package audit makes the KTGS audit trail tamper-evident. Every Entry
// records one action (who did what to which object, the object before and
// after, why) and carries Hash, the SHA-256 of its content, which includes
// PrevHash, the Hash of the entry before it. Changing, removing, reordering
// or inserting an entry therefore breaks the chain where it happened, and a
// Verifier reading the entries in order reports the first broken link.
//
// The package is pure logic: the store package keeps entries in SQL, in one
// transaction with the change they record, sealing each new entry on the
// Hash of the last one (serialise the appends, e.g. with a lock on the last
// row, so that two entries never share a predecessor).
//
// # What the chain proves, and what it does not
//
// Anyone who can write to the database can also recompute every hash, so
// the chain alone shows only accidental or clumsy changes. To detect a
// careful attacker, record the head of the chain (Verifier.Head: the last
// Seq and Hash) regularly outside the attacker's reach: print it in the
// daily report, sign it, send it to another system, write it in the minutes
// of the inspection committee. Deleting the newest entries or rewriting the
// chain from some entry on then no longer matches the recorded head, and
// NewVerifier can restart verification from the last recorded head.
//
// # Canonical encoding, version 1
//
// An auditor can re-implement the hash from this description alone.
//
// Hash is the SHA-256 of Canonical(e), written as 64 lower-case hexadecimal
// digits. Canonical(e) is the concatenation of these 14 fields, in this
// order, each written as its length in bytes as an unsigned 64-bit
// big-endian integer (8 bytes) followed by its bytes:
//
//  1. the format version, the 13 ASCII bytes "ktgs-audit-v1"
//  2. Seq, in decimal ASCII ("-" for negatives, no "+", no leading zeros)
//  3. At, in UTC truncated (not rounded) to the microsecond, formatted as
//     YYYY-MM-DDTHH:MM:SS.ffffffZ, always with six fractional digits,
//     e.g. "2026-03-02T02:30:15.123456Z"
//  4. ActorID, in decimal ASCII
//  5. Actor
//  6. Action
//  7. ObjectType
//  8. ObjectID
//  9. OrgID, in decimal ASCII
//  10. Before, as canonical JSON (below); empty if there is no value
//  11. After, likewise
//  12. Reason
//  13. RequestID
//  14. PrevHash, the 64 hex digits as ASCII ("000…0", 64 zeros, for Seq 1)
//
// Text fields are their UTF-8 bytes exactly as stored, without Unicode
// normalisation: "Ánh" in NFC and in NFD are different bytes and different
// hashes. Hash itself is not part of the encoding.
//
// Before and After have no value when they are absent (SQL NULL), empty, or
// the JSON literal null (after white space). Otherwise their canonical JSON
// is the same JSON value written
//
//   - without white space outside strings;
//   - with the members of every object sorted by key, comparing the keys'
//     UTF-8 bytes after unescaping (that is, by Unicode code point);
//   - with every string, keys included, written with these escapes only:
//     \" for U+0022, \\ for U+005C, \b \f \n \r \t for U+0008, U+000C,
//     U+000A, U+000D, U+0009, and \u00xx with lower-case hex digits for the
//     other characters below U+0020; every other character, including "/",
//     U+007F and all non-ASCII characters, as its UTF-8 bytes;
//   - with numbers exactly as written in the stored JSON (1, 1.0 and 1e0
//     are different);
//   - with true, false and null as themselves.
//
// This canonical form requires the stored JSON to be one RFC 8259 value in
// valid UTF-8, without two equal keys in one object (after unescaping),
// without \u escapes of lone UTF-16 surrogates, and nested at most 1000
// deep. JSON that breaks these rules is encoded as its stored bytes
// unchanged (this cannot collide with a canonical form, which always obeys
// them); Entry.Validate refuses such entries before they are sealed.
//
// Because the canonical form ignores white space, key order and escapes,
// Before and After may be stored as JSON text that the database reformats.
// They must not pass through a form that changes numbers: PostgreSQL's
// jsonb, for one, rewrites 1e2 as 100. Store them as text, json or bytea.
//
// # Example
//
// The entry
//
//	Seq 1, At 2026-03-02 09:30:15.123456789 +07:00, ActorID 42,
//	Actor "Nguyễn Văn Ánh", Action "member.read_protected",
//	ObjectType "member", ObjectID "1234", OrgID 77, Before absent,
//	After {"số_thẻ": "12.345.678", "họ_tên": "Trần Thị Bích"},
//	Reason "Xem xét hồ sơ theo Quyết định số 15-QĐ/UBKTTW",
//	RequestID "req-7f3a", PrevHash Genesis
//
// has the fields "ktgs-audit-v1", "1", "2026-03-02T02:30:15.123456Z", "42",
// "Nguyễn Văn Ánh", "member.read_protected", "member", "1234", "77", "",
// {"họ_tên":"Trần Thị Bích","số_thẻ":"12.345.678"}, "Xem xét hồ sơ theo
// Quyết định số 15-QĐ/UBKTTW", "req-7f3a" and 64 zeros, and the Hash
//
//	8166802d53a99b7ebceb77fe12d19db19bb11b5d074cd413efbe17cc8526e820
//
// (TestGolden checks it; a Python re-implementation of this description
// gives the same value).
package audit
