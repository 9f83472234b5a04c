package rules

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// NumberingRequest is the request of R17 (document-number): the next
// number of a document in the (issuer, type, committee term) sequence
// (Hướng dẫn 36-HD/VPTW). date chooses the rule set and the term.
type NumberingRequest struct {
	Date string `json:"date"`
	// Issuer is the issuer code ("UBKTĐU", "TU", "CB"); DocType the type
	// code ("QĐ", "KL", "BC").
	Issuer  string `json:"issuer"`
	DocType string `json:"doc_type"`
	// Secret documents share the sequence of the others.
	Secret bool `json:"secret,omitempty"`
	// Terms are the issuer's committee terms, oldest first; only the last
	// may be open-ended.
	Terms []TermIn `json:"terms"`
	// LastUsed is the last number used in this issuer and type, with its
	// term; absent when none was used yet.
	LastUsed *LastUsedIn `json:"last_used,omitempty"`
}

// TermIn is a committee term (nhiệm kỳ): first and last day.
type TermIn struct {
	Name  string `json:"name"`
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
}

// LastUsedIn is the last number used and the term it was used in.
type LastUsedIn struct {
	Term   string `json:"term"`
	Number int    `json:"number"`
}

// NumberingResult is the result of R17.
type NumberingResult struct {
	Number int `json:"number"`
	// Formatted is the number and symbol, "Số 01-QĐ/UBKTĐU".
	Formatted string `json:"formatted"`
	Term      string `json:"term"`
}

// symbolOK reports whether s is a document symbol code: 1–20 letters or
// digits.
func symbolOK(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 20 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// evalNumbering decides R17.
func evalNumbering(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[NumberingRequest]("R17", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R17"}
	date := v.date("date", req.Date, true)
	issuer, doc := vn.Clean(req.Issuer), vn.Clean(req.DocType)
	if !symbolOK(issuer) {
		v.add("issuer", "rules.err.symbol")
	}
	if !symbolOK(doc) {
		v.add("doc_type", "rules.err.symbol")
	}
	if len(req.Terms) == 0 {
		v.add("terms", "rules.err.required")
	}
	cur, last := -1, -1
	if v.list("terms", len(req.Terms)) {
		var prevEnd civil.Date
		names := map[string]bool{}
		for i, t := range req.Terms {
			f := "terms[" + strconv.Itoa(i) + "]"
			name := vn.Clean(t.Name)
			switch {
			case name == "":
				v.add(f+".name", "rules.err.required")
			case names[name]:
				v.add(f+".name", "rules.err.duplicate", truncate(name, 40))
			}
			names[name] = true
			s := v.date(f+".start", t.Start, true)
			e := v.date(f+".end", t.End, i < len(req.Terms)-1)
			v.order(f+".start", s, f+".end", e)
			if prevEnd != 0 && s != 0 && !s.After(prevEnd) {
				v.add(f+".start", "rules.err.terms_overlap")
			}
			prevEnd = e
			if date != 0 && s != 0 && !date.Before(s) && (e == 0 || !date.After(e)) {
				cur = i
			}
			if req.LastUsed != nil && vn.Clean(req.LastUsed.Term) == name {
				last = i
			}
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if cur < 0 {
		v.add("date", "rules.err.no_term", vn.Date(date))
	}
	if lu := req.LastUsed; lu != nil {
		switch {
		case last < 0:
			v.add("last_used.term", "rules.err.unknown_term", truncate(lu.Term, 40))
		case cur >= 0 && last > cur:
			v.add("last_used.term", "rules.err.last_after")
		}
		if lu.Number < 1 || lu.Number >= maxNumber {
			v.add("last_used.number", "rules.err.range", lu.Number, 1, maxNumber-1)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	b, err := r.newBuilder("R17", SeriesParty, date, "date")
	if err != nil {
		return nil, err
	}
	start := b.count(keyNumStart)
	digits := b.count(keyNumDigits)
	perTerm := b.flag(keyNumPerTerm)
	term := vn.Clean(req.Terms[cur].Name)
	res := &NumberingResult{Number: start, Term: term}
	switch lu := req.LastUsed; {
	case lu == nil:
		b.reason("r17.first", term, fmt.Sprintf("%0*d", digits, start))
	case last == cur || !perTerm:
		res.Number = lu.Number + 1
		b.reason("r17.next", lu.Number, term)
	default:
		b.reason("r17.new_term", term, fmt.Sprintf("%0*d", digits, start), vn.Clean(lu.Term))
	}
	if req.Secret {
		b.flag(keyNumSecret)
		b.reason("r17.secret")
	}
	res.Formatted = fmt.Sprintf("Số %0*d-%s/%s", digits, res.Number, doc, issuer)
	b.reason("r17.formatted", res.Formatted, digits)
	return b.finish("NUMBERED", res)
}
