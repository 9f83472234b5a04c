package auth

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
)

//go:embed messages.json
var messagesJSON []byte

// catalog parses messages.json once: lang → key → text.
var catalog = sync.OnceValue(func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(messagesJSON, &m); err != nil {
		panic(fmt.Sprintf("auth: messages.json: %v", err)) // checked by TestMessages
	}
	return m
})

// Messages returns a copy of the texts of this package's message keys
// ("err.auth.…"): language ("vi", "en") → key → text with placeholders {0},
// {1}, … Register it with the i18n catalogue.
func Messages() map[string]map[string]string {
	out := make(map[string]map[string]string, len(catalog()))
	for lang, m := range catalog() {
		out[lang] = maps.Clone(m)
	}
	return out
}
