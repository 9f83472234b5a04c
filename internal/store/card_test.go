package store

import "testing"

func TestCardKey(t *testing.T) {
	for _, c := range []string{"123456", "01000001", "1000001", "000000", "999999999999", "00000000001"} {
		k, ok := CardKey(c)
		if !ok || CardString(k) != c {
			t.Errorf("CardKey(%q)=%d,%v → %q", c, k, ok, CardString(k))
		}
	}
	a, _ := CardKey("01000001")
	b, _ := CardKey("1000001")
	if a == b {
		t.Error("leading zeros must keep cards distinct")
	}
	for _, c := range []string{"", "12345", "1234567890123", "12a456", "-12345", "+12345", "12 456"} {
		if _, ok := CardKey(c); ok {
			t.Errorf("CardKey(%q) accepted", c)
		}
	}
}
