package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

//go:embed messages.json
var messagesJSON []byte

// catalog parses messages.json once: lang → key → text.
var catalog = sync.OnceValue(func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(messagesJSON, &m); err != nil {
		panic(fmt.Sprintf("rules: messages.json: %v", err)) // checked by TestMessages
	}
	return m
})

// Languages are the languages of the message catalogue, Vietnamese first.
var Languages = []string{"vi", "en"}

// Messages returns a copy of the message catalogue: language ("vi", "en")
// → message key → text with placeholders {0}, {1}, … It holds the texts of
// every reason code (key "rules.reason.<code>"), every validation message
// key used in a *ktgs.Error of this package, the rule titles
// ("rules.rule.R1") and the labels of forms, bodies and codes.
func Messages() map[string]map[string]string {
	out := make(map[string]map[string]string, len(catalog()))
	for lang, m := range catalog() {
		c := make(map[string]string, len(m))
		for k, v := range m {
			c[k] = v
		}
		out[lang] = c
	}
	return out
}

// text returns the message key in lang, or the key itself when missing
// (TestMessages keeps that from happening).
func text(lang, key string) string {
	if s, ok := catalog()[lang][key]; ok {
		return s
	}
	return key
}

// RenderMessage returns the text of message key in lang ("vi" or "en")
// with its placeholders {0}, {1}, … filled from args: use it to show the
// FieldError of a *ktgs.Error returned by Evaluate. A key missing from the
// catalogue is returned as is.
func RenderMessage(lang, key string, args ...any) string { return render(lang, key, args...) }

// render fills the placeholders {0}, {1}, … of key in lang with args.
func render(lang, key string, args ...any) string {
	s := text(lang, key)
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i)+"}", argText(lang, a))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// newReason renders reason code in both languages.
func newReason(code string, args ...any) Reason {
	key := "rules.reason." + code
	return Reason{Code: code, VI: render("vi", key, args...), EN: render("en", key, args...)}
}

// money is an amount in đồng, printed with the language's separators.
type money int64

// codeArg is a code of a code list, printed with its label
// "rules.code.<list>.<code>".
type codeArg struct{ list, code string }

// forms is a list of forms printed as labels.
type formList []Form

// codeList is a list of codes of one code list, printed as labels.
type codeList struct {
	list  string
	codes []string
}

// orgArg is an organisation printed by its name, or by its id when the
// request gave no name.
type orgArg struct {
	id   int64
	name string
}

// argText prints one placeholder value in lang.
func argText(lang string, a any) string {
	switch v := a.(type) {
	case civil.Date:
		return vn.Date(v)
	case Form:
		return text(lang, "rules.form."+string(v))
	case formList:
		parts := make([]string, len(v))
		for i, f := range v {
			parts[i] = text(lang, "rules.form."+string(f))
		}
		if len(parts) == 0 {
			return text(lang, "rules.word.none")
		}
		return strings.Join(parts, ", ")
	case codeList:
		parts := make([]string, len(v.codes))
		for i, c := range v.codes {
			parts[i] = text(lang, "rules.code."+v.list+"."+c)
		}
		if len(parts) == 0 {
			return text(lang, "rules.word.none")
		}
		return strings.Join(parts, "; ")
	case orgArg:
		if v.name != "" {
			return v.name
		}
		return render(lang, "rules.word.org_id", strconv.FormatInt(v.id, 10))
	case BodyKind:
		return text(lang, "rules.body."+string(v))
	case BodyRef:
		return bodyLabel(lang, v)
	case Duration:
		return render(lang, "rules.unit."+string(v.Unit), v.N)
	case Ratio:
		key := "rules.word.more_than"
		if v.Op == "ge" {
			key = "rules.word.at_least"
		}
		return render(lang, key, fmt.Sprintf("%d/%d", v.Num, v.Den))
	case money:
		return render(lang, "rules.word.money", vn.Int(int64(v), lang))
	case codeArg:
		return text(lang, "rules.code."+v.list+"."+v.code)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	}
	return fmt.Sprint(a)
}

// bodyLabel prints a body of an organisation: "Ban Thường vụ Đảng bộ tỉnh
// Thái Nguyên", "the standing committee of …"; the bodies of TW by their
// own names ("Ủy ban Kiểm tra Trung ương").
func bodyLabel(lang string, r BodyRef) string {
	if r.OrgType == ktgs.OrgTypeCentral {
		return text(lang, "rules.bodyof.TW."+string(r.Kind))
	}
	name := r.OrgName
	if name == "" {
		name = render(lang, "rules.word.org_id", strconv.FormatInt(r.OrgID, 10))
	}
	return render(lang, "rules.bodyof."+string(r.Kind), name)
}
