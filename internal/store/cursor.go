package store

import (
	"encoding/base64"
	"encoding/binary"
)

// encodeCursor packs a sort key and an id into an opaque URL-safe cursor.
func encodeCursor(key []byte, id int64) string {
	b := binary.AppendVarint(nil, id)
	b = append(b, key...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor is the inverse of encodeCursor; ok is false for an empty or
// malformed cursor, which callers treat as "first page".
func decodeCursor(s string) (key []byte, id int64, ok bool) {
	if s == "" {
		return nil, 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, 0, false
	}
	id, n := binary.Varint(b)
	if n <= 0 {
		return nil, 0, false
	}
	return b[n:], id, true
}
