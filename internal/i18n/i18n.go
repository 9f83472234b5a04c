// Package i18n holds the user-facing text of KTGS in Vietnamese (the
// default) and English, and formats messages with their arguments.
//
// Catalogues are flat JSON maps from a message key to a text with
// positional placeholders {0}, {1} …; a test checks that both languages
// have the same keys and the same placeholders. Other packages that own
// text (the rules package) register their catalogues with Add.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// Languages in order of preference; the first is the default.
var Languages = []string{"vi", "en"}

//go:embed vi.json en.json
var files embed.FS

// Catalog maps language → key → text.
type Catalog struct {
	mu   sync.RWMutex
	msgs map[string]map[string]string
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
)

// Default returns the catalogue built from the embedded files.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c := &Catalog{msgs: map[string]map[string]string{}}
		for _, l := range Languages {
			b, err := files.ReadFile(l + ".json")
			if err != nil {
				panic(err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s.json: %v", l, err))
			}
			c.msgs[l] = m
		}
		defaultCat = c
	})
	return defaultCat
}

// Add merges msgs (language → key → text) into the catalogue; existing
// keys are kept.
func (c *Catalog) Add(msgs map[string]map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for l, m := range msgs {
		if c.msgs[l] == nil {
			c.msgs[l] = map[string]string{}
		}
		for k, v := range m {
			if _, ok := c.msgs[l][k]; !ok {
				c.msgs[l][k] = v
			}
		}
	}
}

// Keys returns the keys of lang.
func (c *Catalog) Keys(lang string) map[string]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]string, len(c.msgs[lang]))
	for k, v := range c.msgs[lang] {
		out[k] = v
	}
	return out
}

// Has reports whether key exists in lang.
func (c *Catalog) Has(lang, key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.msgs[lang][key]
	return ok
}

// T returns the text of key in lang with the arguments filled in. A
// missing key falls back to Vietnamese, then to the key itself (so a
// forgotten translation is visible, not blank). Arguments are formatted
// for the language: integers with its digit grouping, dates as dd/mm/yyyy,
// and a string that names a field ("birth_date") as the field's label.
func (c *Catalog) T(lang, key string, args ...any) string {
	c.mu.RLock()
	s, ok := c.msgs[lang][key]
	if !ok {
		s, ok = c.msgs["vi"][key]
	}
	c.mu.RUnlock()
	if !ok {
		s = key
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '{' {
			if j := strings.IndexByte(s[i:], '}'); j > 1 {
				if n, err := strconv.Atoi(s[i+1 : i+j]); err == nil && n < len(args) {
					b.WriteString(c.arg(lang, args[n]))
					i += j
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (c *Catalog) arg(lang string, a any) string {
	switch v := a.(type) {
	case int:
		return vn.Int(int64(v), lang)
	case int64:
		return vn.Int(v, lang)
	case civil.Date:
		return vn.Date(v)
	case string:
		if c.Has(lang, "field."+v) {
			return c.T(lang, "field."+v)
		}
		return v
	}
	return fmt.Sprint(a)
}

var matcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

// Match picks the supported language for an Accept-Language header. It
// uses the index the matcher returns, not the tag, which carries extra
// subtags ("en-u-rg-uszzzz").
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[idx]
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}
