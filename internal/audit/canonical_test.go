package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

func TestCanonicalizeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{" \t\n{ \"a\" : [ 1 , 2 , { } , [ ] ] }\r\n", `{"a":[1,2,{},[]]}`},
		{`{"z":{"y":1,"x":2},"a":null}`, `{"a":null,"z":{"x":2,"y":1}}`},
		{`"\u00e9\/\u0041"`, `"é/A"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{`"\"\\\b\f\n\r\t\u0001\u001f\u007f"`, "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\""},
		{`"\u2028\u003c\u0026"`, "\"\u2028<&\""},
		{`{"tên":"Ánh","Đảng":1,"a":2,"Z":3}`, `{"Z":3,"a":2,"tên":"Ánh","Đảng":1}`},
		{`{"é":1,"\u00e9x":2}`, `{"é":1,"éx":2}`},
		{`[1.0, 1, 1e0, -0, 0.5E+3, 12345678901234567890123]`, `[1.0,1,1e0,-0,0.5E+3,12345678901234567890123]`},
		{`true`, `true`},
		{` null `, `null`},
		{`[true,false,null]`, `[true,false,null]`},
		{`""`, `""`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := canonicalizeJSON([]byte(tt.in))
			if err != nil {
				t.Fatalf("canonicalizeJSON(%q): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("canonicalizeJSON(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := canonicalizeJSON(got)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %q → %q, %v", got, again, err)
			}
		})
	}
}

func TestCanonicalizeJSONRejects(t *testing.T) {
	tests := []string{
		``, ` `, `{`, `}`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `[1 2]`,
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `01`, `1.`, `.5`, `+1`, `1e`, `-`, `NaN`, `Infinity`,
		`tru`, `nul`, `"abc`, `"\x"`, `"\u12"`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800x"`,
		"\"a\x01b\"", "\"\xff\"", "\"\xed\xa0\x80\"", `1 2`, `{} []`, `[]]`,
		strings.Repeat("[", 1001) + strings.Repeat("]", 1001),
	}
	for _, in := range tests {
		t.Run(in[:min(len(in), 20)], func(t *testing.T) {
			if got, err := canonicalizeJSON([]byte(in)); err == nil {
				t.Errorf("canonicalizeJSON(%q) = %q, want an error", in, got)
			}
		})
	}
	deep := strings.Repeat("[", 1000) + strings.Repeat("]", 1000)
	if _, err := canonicalizeJSON([]byte(deep)); err != nil {
		t.Errorf("depth 1000 rejected: %v", err)
	}
}

func TestCanonicalJSON(t *testing.T) {
	type member struct {
		Name   string            `json:"họ_tên"`
		Card   string            `json:"số_thẻ,omitempty"`
		OrgID  int64             `json:"org_id"`
		Note   string            `json:"note"`
		Labels map[string]string `json:"labels,omitempty"`
	}
	got, err := CanonicalJSON(member{Name: "Trần Thị Bích", OrgID: 9007199254740993, Note: "<b> & </b>",
		Labels: map[string]string{"z": "1", "đ": "2", "a": "3"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"họ_tên":"Trần Thị Bích","labels":{"a":"3","z":"1","đ":"2"},"note":"<b> & </b>","org_id":9007199254740993}`
	if string(got) != want {
		t.Errorf("CanonicalJSON = %s, want %s", got, want)
	}
	for _, v := range []any{nil, (*member)(nil), map[string]int(nil)} {
		if got, err := CanonicalJSON(v); got != nil || err != nil {
			t.Errorf("CanonicalJSON(%#v) = %q, %v; want nil, nil", v, got, err)
		}
	}
	if _, err := CanonicalJSON(func() {}); err == nil || !strings.HasPrefix(err.Error(), "audit: ") {
		t.Errorf("CanonicalJSON(func) error = %v, want an audit: error", err)
	}
	if got, _ := CanonicalJSON(json.RawMessage(`{"b" : 2, "a" : 1}`)); string(got) != `{"a":1,"b":2}` {
		t.Errorf("CanonicalJSON(RawMessage) = %s", got)
	}
}

// jsonGen makes random JSON values and random encodings of them.
type jsonGen struct{ r *rand.Rand }

var stringPool = []string{"", "a", "Nguyễn Văn Ánh", "Đảng ủy", "ƯƠ ươ", "\"quoted\"", `back\slash`,
	"new\nline", "tab\t", "\x00nul", "<script>&amp;", "😀 emoji", "\u2028\u2029", "/slash/",
	"Ủy ban Kiểm tra Trung ương", "12.345.678", "\x7f", "\u00e9", "e\u0301"}

var runePool = []rune("abcxyzABCĐđăâêôơưáàảãạếềểễệ0189 _-./\\\"\n\t\x01<>&😀\u2028é\u0301")

func (g jsonGen) str() string {
	if g.r.IntN(2) == 0 {
		return stringPool[g.r.IntN(len(stringPool))]
	}
	n := g.r.IntN(10)
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = runePool[g.r.IntN(len(runePool))]
	}
	return string(rs)
}

var numberPool = []string{"0", "-0", "1", "-1", "42", "3.14", "1e10", "-2.5E-3", "1.0", "12345678901234567890", "0.000001"}

// value returns a random JSON value as map[string]any, []any, string,
// json.Number, bool or nil.
func (g jsonGen) value(depth int) any {
	k := g.r.IntN(7)
	if depth > 3 {
		k = g.r.IntN(4)
	}
	switch k {
	case 0:
		return g.str()
	case 1:
		return json.Number(numberPool[g.r.IntN(len(numberPool))])
	case 2:
		return g.r.IntN(2) == 0
	case 3:
		return nil
	case 4:
		a := make([]any, g.r.IntN(4))
		for i := range a {
			a[i] = g.value(depth + 1)
		}
		return a
	default:
		m := map[string]any{}
		for range g.r.IntN(5) {
			m[g.str()] = g.value(depth + 1)
		}
		return m
	}
}

// encode writes v as JSON; with fancy, it adds random white space, orders
// keys randomly and escapes characters in random legal ways.
func (g jsonGen) encode(v any, fancy bool) string {
	var b strings.Builder
	g.write(&b, v, fancy)
	return b.String()
}

func (g jsonGen) ws(b *strings.Builder, fancy bool) {
	if fancy {
		for range g.r.IntN(3) {
			b.WriteByte(" \t\n\r"[g.r.IntN(4)])
		}
	}
}

func (g jsonGen) write(b *strings.Builder, v any, fancy bool) {
	g.ws(b, fancy)
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		b.WriteString(string(v))
	case string:
		g.writeString(b, v, fancy)
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			g.write(b, x, fancy)
		}
		g.ws(b, fancy)
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if fancy {
			g.r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			g.ws(b, fancy)
			g.writeString(b, k, fancy)
			g.ws(b, fancy)
			b.WriteByte(':')
			g.write(b, v[k], fancy)
		}
		g.ws(b, fancy)
		b.WriteByte('}')
	}
	g.ws(b, fancy)
}

func (g jsonGen) writeString(b *strings.Builder, s string, fancy bool) {
	b.WriteByte('"')
	for _, r := range s {
		escape := r < 0x20 || r == '"' || r == '\\' || fancy && g.r.IntN(4) == 0
		switch {
		case !escape:
			b.WriteRune(r)
		case r == '/' && fancy && g.r.IntN(2) == 0:
			b.WriteString(`\/`)
		case r == '\n' && (!fancy || g.r.IntN(2) == 0):
			b.WriteString(`\n`)
		case (r == '"' || r == '\\') && (!fancy || g.r.IntN(2) == 0):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04X`, r1, r2)
		default:
			fmt.Fprintf(b, `\u%04X`, r)
		}
	}
	b.WriteByte('"')
}

// randomEntry returns a random entry and the JSON values of Before and After
// (nil for none).
func randomEntry(g jsonGen) (e Entry, before, after any, hasBefore, hasAfter bool) {
	e = Entry{
		Seq:        g.r.Int64N(1e12) + 1,
		At:         time.Unix(g.r.Int64N(4e9), g.r.Int64N(1e9)).In(ict),
		ActorID:    g.r.Int64N(2000) - 1000,
		Actor:      g.str(),
		Action:     g.str(),
		ObjectType: g.str(),
		ObjectID:   g.str(),
		OrgID:      g.r.Int64N(1e9),
		Reason:     g.str(),
		RequestID:  g.str(),
		PrevHash:   fmt.Sprintf("%064x", g.r.Uint64()),
		Hash:       fmt.Sprintf("%064x", g.r.Uint64()),
	}
	if hasBefore = g.r.IntN(5) != 0; hasBefore {
		before = g.value(0)
		e.Before = json.RawMessage(g.encode(before, false))
	}
	if hasAfter = g.r.IntN(5) != 0; hasAfter {
		after = g.value(0)
		e.After = json.RawMessage(g.encode(after, false))
	}
	return
}

// TestCanonicalProperty checks over random entries that Canonical is the
// same for equivalent entries and differs when any field differs.
func TestCanonicalProperty(t *testing.T) {
	const cases = 10000
	g := jsonGen{rand.New(rand.NewPCG(2026, 3))}
	for i := range cases {
		e, before, after, hasBefore, hasAfter := randomEntry(g)
		c := Canonical(e)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("case %d: %s\nentry %+v", i, fmt.Sprintf(format, args...), e)
		}

		// Equivalent: JSON re-encoded, At in another zone with sub-µs noise,
		// a different Hash, JSON null for no value.
		eq := e
		eq.At = normalTime(e.At).Add(time.Duration(g.r.IntN(1000))).In(time.FixedZone("X", g.r.IntN(50000)-25000))
		eq.Hash = ""
		if hasBefore {
			eq.Before = json.RawMessage(g.encode(before, true))
		} else if g.r.IntN(2) == 0 {
			eq.Before = json.RawMessage(" null ")
		}
		if hasAfter {
			eq.After = json.RawMessage(g.encode(after, true))
		} else if g.r.IntN(2) == 0 {
			eq.After = json.RawMessage("")
		}
		if got := Canonical(eq); !bytes.Equal(got, c) {
			fail("equivalent entry encodes differently:\nBefore %s\nvs     %s\nAfter %s\nvs    %s", e.Before, eq.Before, e.After, eq.After)
		}

		// Different: every single-field change.
		mutations := map[string]func(*Entry){
			"Seq":        func(m *Entry) { m.Seq++ },
			"At":         func(m *Entry) { m.At = m.At.Add(time.Microsecond) },
			"ActorID":    func(m *Entry) { m.ActorID = -m.ActorID - 1 },
			"Actor":      func(m *Entry) { m.Actor += "x" },
			"Action":     func(m *Entry) { m.Action = "x" + m.Action },
			"ObjectType": func(m *Entry) { m.ObjectType += " " },
			"ObjectID":   func(m *Entry) { m.ObjectID += "0" },
			"OrgID":      func(m *Entry) { m.OrgID++ },
			"Reason":     func(m *Entry) { m.Reason += "." },
			"RequestID":  func(m *Entry) { m.RequestID = "-" + m.RequestID },
			"PrevHash":   func(m *Entry) { m.PrevHash = m.PrevHash[1:] + "g" },
			"Before":     func(m *Entry) { m.Before = wrapJSON(m.Before) },
			"After":      func(m *Entry) { m.After = wrapJSON(m.After) },
			"Actor→Action": func(m *Entry) { // same concatenation, other boundary
				if m.Actor == "" {
					m.Actor = "a"
					return
				}
				last, size := utf8.DecodeLastRuneInString(m.Actor)
				m.Actor = m.Actor[:len(m.Actor)-size]
				m.Action = string(last) + m.Action
			},
			"Before↔After": func(m *Entry) {
				if bytes.Equal(canonicalValue(m.Before), canonicalValue(m.After)) {
					m.After = wrapJSON(m.After)
				}
				m.Before, m.After = m.After, m.Before
			},
		}
		for name, mutate := range mutations {
			m := e
			mutate(&m)
			if bytes.Equal(Canonical(m), c) {
				fail("changing %s does not change the encoding", name)
			}
			if hashOf(m) == hashOf(e) {
				fail("changing %s does not change the hash", name)
			}
		}
	}
}

// wrapJSON returns a JSON value different from raw: [raw], or 0 for none.
func wrapJSON(raw json.RawMessage) json.RawMessage {
	if canonicalValue(raw) == nil {
		return json.RawMessage("0")
	}
	return json.RawMessage("[" + string(raw) + "]")
}

func TestCanonicalVietnamese(t *testing.T) {
	e := goldenEntry()
	nfd := e
	nfd.Actor = "Nguye\u0302\u0303n Va\u0306n A\u0301nh" // the same name, decomposed
	if bytes.Equal(Canonical(e), Canonical(nfd)) {
		t.Error("NFC and NFD names encode alike; Canonical must hash the bytes as stored")
	}
	if !bytes.Contains(Canonical(e), []byte("Nguyễn Văn Ánh")) {
		t.Error("the actor's UTF-8 bytes are not in the encoding")
	}
}

func FuzzCanonicalizeJSON(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[true,null,"x"]}`, `"\ud83d\ude00"`, `{"a":1,"a":2}`, `[1.0e+5,-0]`, `"Đảng"`, "\"\xff\"", `{"":{"":{}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := canonicalizeJSON(in)
		if err != nil {
			return
		}
		if !json.Valid(out) || !json.Valid(in) {
			t.Fatalf("accepted %q → %q: not valid JSON", in, out)
		}
		again, err := canonicalizeJSON(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q, %v", in, out, again, err)
		}
		var a, b any
		da := json.NewDecoder(bytes.NewReader(in))
		da.UseNumber()
		db := json.NewDecoder(bytes.NewReader(out))
		db.UseNumber()
		if da.Decode(&a) != nil || db.Decode(&b) != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("%q and its canonical form %q decode differently", in, out)
		}
	})
}

func FuzzVerifier(f *testing.F) {
	f.Add([]byte("ab\xffcd\xff{\"a\":1}"), int64(0))
	f.Add([]byte{0, 1, 2, 0xff, 3, 0xff, 0xff}, int64(5))
	f.Add([]byte("\x00\xff\x00\xff\x01"), int64(-1))
	f.Fuzz(func(t *testing.T, data []byte, start int64) {
		var v *Verifier
		prev := Genesis
		if start > 0 {
			v = NewVerifier(start, prev)
		} else {
			v = &Verifier{}
			start = 0
		}
		seq := start
		for i, chunk := range bytes.Split(data, []byte{0xff}) {
			if i > 64 {
				break
			}
			seq++
			e := Entry{Seq: seq, At: time.Unix(int64(len(chunk))*1e6, 0), Actor: string(chunk), Before: json.RawMessage(chunk)}
			switch {
			case len(chunk) == 0:
				e.Seal(prev)
			case chunk[0]%4 == 0:
				e.Seal(prev)
			case chunk[0]%4 == 1:
				e.Seq = int64(chunk[0]) - 100
				e.Seal(prev)
			case chunk[0]%4 == 2:
				e.PrevHash, e.Hash = string(chunk), string(chunk)
			default:
				e.Seal(string(chunk))
			}
			before := v.Count()
			err := v.Add(e)
			if err == nil {
				if s, h := v.Head(); s != e.Seq || h != e.Hash || v.Count() != before+1 {
					t.Fatalf("accepted entry but Head = %d, %q; Count %d → %d", s, h, before, v.Count())
				}
				prev = e.Hash
			} else if v.Count() != before || v.Broken() == nil {
				t.Fatalf("rejected entry but Count %d → %d, Broken %v", before, v.Count(), v.Broken())
			}
		}
	})
}
