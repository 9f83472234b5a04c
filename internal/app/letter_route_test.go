package app

import (
	"testing"

	"ktgs"
)

// TestRouteLetterTo is the routing table of RULES.md §5 ("Who resolves"):
// the chain runs from where routing starts (the member's home chi bộ or
// managing committee; the organisation's parent) up to the root.
func TestRouteLetterTo(t *testing.T) {
	chiBo := routeOrg{ID: 5, Type: ktgs.OrgTypeGrassrootsBranch}
	chiBoTT := routeOrg{ID: 6, Type: ktgs.OrgTypeBranch}
	grass := routeOrg{ID: 7, Type: ktgs.OrgTypeGrassrootsCommittee, UBKT: 70}
	commune := routeOrg{ID: 4, Type: ktgs.OrgTypeCommune, UBKT: 40}
	prov := routeOrg{ID: 2, Type: ktgs.OrgTypeDirectlyUnderCC, UBKT: 20}
	root := routeOrg{ID: 1, Type: ktgs.OrgTypeCentral, UBKT: 10, BCT: 11}
	cases := []struct {
		name    string
		chain   []routeOrg
		central bool
		want    int64
	}{
		{"ordinary member of a village chi bộ → the commune UBKT", []routeOrg{chiBo, commune, prov, root}, false, 40},
		{"member of a chi bộ under a grassroots đảng ủy → its UBKT", []routeOrg{chiBoTT, grass, commune, prov, root}, false, 70},
		{"cadre managed by the commune committee → the commune UBKT", []routeOrg{commune, prov, root}, false, 40},
		{"cadre managed by the provincial committee → the provincial UBKT", []routeOrg{prov, root}, false, 20},
		{"CC-managed cadre → the Politburo", []routeOrg{root}, true, 11},
		{"organisation directly under the CC → the Politburo", []routeOrg{root}, true, 11},
		{"chi bộ (organisation) → UBKT of the committee above", []routeOrg{commune, prov, root}, false, 40},
		{"commune (organisation) → the provincial UBKT", []routeOrg{prov, root}, false, 20},
		{"no UBKT anywhere", []routeOrg{chiBo}, false, 0},
		{"central without a Politburo body falls back to the UBKT line", []routeOrg{chiBo, commune}, true, 40},
	}
	for _, c := range cases {
		if got := routeLetterTo(c.chain, c.central); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestNormaliseReceipt(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"ABCD-EFGH-IJKL-MNOP-QRST-UVWX", "ABCDEFGHIJKLMNOPQRSTUVWX", true},
		{"abcd efgh ijkl mnop qrst uvwx", "ABCDEFGHIJKLMNOPQRSTUVWX", true},
		{"0BCD-1FGH-8JKL-MNOP-QRST-UV23", "OBCDIFGHBJKLMNOPQRSTUV23", true},
		{"ABCD-EFGH-IJKL-MNOP-QRST-UVW", "", false},
		{"ABCD-EFGH-IJKL-MNOP-QRST-UVW9", "", false},
		{"<script>", "", false},
	}
	for _, c := range cases {
		got, ok := NormaliseReceipt(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: %q %v, want %q %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
