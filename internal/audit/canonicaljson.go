package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth is the deepest nesting of arrays and objects accepted.
const maxJSONDepth = 1000

// CanonicalJSON marshals v with encoding/json and returns its canonical form
// (see canonicalizeJSON): object keys sorted, no insignificant white space,
// minimal string escapes. A value that marshals to null (a nil pointer, map
// or interface) returns nil, which Entry treats as "no value"; use it for
// the Before of a creation and the After of a deletion.
func CanonicalJSON(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshalling JSON: %w", err)
	}
	c, err := canonicalizeJSON(b)
	if err != nil {
		return nil, err
	}
	if string(c) == "null" {
		return nil, nil
	}
	return c, nil
}

// canonicalizeJSON returns the canonical form of the JSON text in: the same
// value with
//
//   - no white space outside strings;
//   - object members sorted by key, comparing the keys' UTF-8 bytes after
//     unescaping (which is Unicode code point order);
//   - strings with the minimal escapes: \" \\ \b \f \n \r \t, \u00xx (lower
//     case hex) for the other characters below U+0020, and every other
//     character as itself in UTF-8 (so "\u00e9" and "é" are the same, and "/"
//     is never escaped);
//   - numbers exactly as written (1.0, 1 and 1e0 stay different);
//   - true, false and null as themselves.
//
// It returns an error if in is not one RFC 8259 JSON value in valid UTF-8,
// has an object with two equal keys (after unescaping), a \u escape that is
// a lone UTF-16 surrogate, or arrays and objects nested deeper than 1000.
func canonicalizeJSON(in []byte) ([]byte, error) {
	p := &jsonParser{in: in}
	p.space()
	out, err := p.value(make([]byte, 0, len(in)))
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(in) {
		return nil, p.errorf("data after the JSON value")
	}
	return out, nil
}

// jsonParser is a strict recursive-descent JSON parser that writes the
// canonical form of what it reads.
type jsonParser struct {
	in    []byte
	pos   int
	depth int
}

var errBadJSON = errors.New("audit: invalid JSON")

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", errBadJSON, p.pos, fmt.Sprintf(format, args...))
}

// space skips JSON white space.
func (p *jsonParser) space() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value appends the canonical form of the value at p.pos to dst.
func (p *jsonParser) value(dst []byte) ([]byte, error) {
	if p.pos >= len(p.in) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(dst)
	case c == '[':
		return p.array(dst)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return appendString(dst, s), nil
	case c == '-' || '0' <= c && c <= '9':
		return p.number(dst)
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(string(p.in[p.pos:min(len(p.in), p.pos+5)]), lit) {
				p.pos += len(lit)
				return append(dst, lit...), nil
			}
		}
		return nil, p.errorf("unexpected character %q", c)
	}
}

// enter and leave track the nesting depth.
func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("nested deeper than %d", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) leave() { p.depth-- }

func (p *jsonParser) object(dst []byte) ([]byte, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.pos++ // {
	type member struct {
		key string
		val []byte
	}
	var members []member
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		return append(dst, "{}"...), nil
	}
	for {
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return nil, p.errorf("want an object key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return nil, p.errorf("want ':'")
		}
		p.pos++
		p.space()
		val, err := p.value(nil)
		if err != nil {
			return nil, err
		}
		members = append(members, member{key, val})
		p.space()
		if p.pos >= len(p.in) {
			return nil, p.errorf("unexpected end in object")
		}
		if p.in[p.pos] == '}' {
			p.pos++
			break
		}
		if p.in[p.pos] != ',' {
			return nil, p.errorf("want ',' or '}'")
		}
		p.pos++
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	dst = append(dst, '{')
	for i, m := range members {
		if i > 0 {
			if m.key == members[i-1].key {
				return nil, p.errorf("duplicate object key %q", m.key)
			}
			dst = append(dst, ',')
		}
		dst = appendString(dst, m.key)
		dst = append(dst, ':')
		dst = append(dst, m.val...)
	}
	return append(dst, '}'), nil
}

func (p *jsonParser) array(dst []byte) ([]byte, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.pos++ // [
	dst = append(dst, '[')
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		return append(dst, ']'), nil
	}
	for first := true; ; first = false {
		if !first {
			dst = append(dst, ',')
		}
		p.space()
		var err error
		if dst, err = p.value(dst); err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.in) {
			return nil, p.errorf("unexpected end in array")
		}
		if p.in[p.pos] == ']' {
			p.pos++
			return append(dst, ']'), nil
		}
		if p.in[p.pos] != ',' {
			return nil, p.errorf("want ',' or ']'")
		}
		p.pos++
	}
}

// number appends the number at p.pos as written, after checking its syntax:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number(dst []byte) ([]byte, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.in) && '0' <= p.in[p.pos] && p.in[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.in[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.in) && p.in[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.errorf("bad number")
	}
	if p.pos < len(p.in) && p.in[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("bad number fraction")
		}
	}
	if p.pos < len(p.in) && (p.in[p.pos] == 'e' || p.in[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.in) && (p.in[p.pos] == '+' || p.in[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("bad number exponent")
		}
	}
	return append(dst, p.in[start:p.pos]...), nil
}

// str reads the string at p.pos and returns it unescaped.
func (p *jsonParser) str() (string, error) {
	p.pos++ // opening quote
	var b []byte
	for {
		if p.pos >= len(p.in) {
			return "", p.errorf("unterminated string")
		}
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b), nil
		case c == '\\':
			if p.pos+1 >= len(p.in) {
				return "", p.errorf("unterminated escape")
			}
			e := p.in[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errorf("bad \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if r < 0xdc00 && p.pos+1 < len(p.in) && p.in[p.pos] == '\\' && p.in[p.pos+1] == 'u' {
						p.pos += 2
						r2, ok = p.hex4()
						if !ok {
							return "", p.errorf("bad \\u escape")
						}
					}
					r = utf16.DecodeRune(r, r2)
					if r == utf8.RuneError {
						return "", p.errorf("lone UTF-16 surrogate")
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", p.errorf("bad escape \\%c", e)
			}
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid UTF-8")
			}
			b = append(b, p.in[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
}

// hex4 reads four hex digits.
func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.in) {
		return 0, false
	}
	var r rune
	for _, c := range p.in[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// appendString appends s as a canonical JSON string.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
