package web_test

import (
	"io"
	"net/http"
	"regexp"
	"testing"

	"ktgs/internal/store"
	"ktgs/internal/testdb"
)

// TestNextPageKeepsFilters: the "next page" link of the register lists
// (one helper, nextQuery, serves every list; the demo has more than one
// proceeding and letter in the chair's scope)
// carries the filters of the page it follows, unescaped (html/template
// would otherwise query-escape "=" and "&" after the "?", and the next
// page would lose them); and the login page links the public form.
func TestNextPageKeepsFilters(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		ts, _ := demoServer(t, db)
		c := client(t, ts, "chunhiem")
		next := regexp.MustCompile(`<a href="([^"]*)" rel="next">`)
		for _, path := range []string{"/proceedings?limit=1", "/letters?limit=1"} {
			resp, err := c.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := next.FindSubmatch(body)
			if resp.StatusCode != http.StatusOK || m == nil {
				t.Errorf("%s: status %d, no next link", path, resp.StatusCode)
				continue
			}
			if ok, _ := regexp.Match(`^/\w+\?before=\d+&amp;limit=1$|^/\w+\?limit=1&amp;before=\d+$`, m[1]); !ok {
				t.Errorf("%s: next link %q does not keep limit=1", path, m[1])
			}
		}
		resp, err := client(t, ts, "-").Get(ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ok, _ := regexp.Match(`href="/public/letter"`, body); !ok {
			t.Error("the login page does not link the public form")
		}
	})
}
