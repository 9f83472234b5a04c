package web_test

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"ktgs/internal/app"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// specOperations reads "METHOD /path" pairs from the paths section of
// docs/openapi.yaml: a path is a two-space-indented key starting with "/",
// an operation a four-space-indented HTTP method under it.
func specOperations(t *testing.T) []string {
	f, err := os.Open("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pathRe := regexp.MustCompile(`^  (/[^:]*):\s*$`)
	opRe := regexp.MustCompile(`^    (get|post|put|patch|delete):`)
	var out []string
	var cur string
	inPaths := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && len(line) > 0 && line[0] != ' ':
			inPaths = false
		case inPaths && pathRe.MatchString(line):
			cur = pathRe.FindStringSubmatch(line)[1]
		case inPaths && cur != "" && opRe.MatchString(line):
			out = append(out, strings.ToUpper(opRe.FindStringSubmatch(line)[1])+" "+cur)
		}
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIMatchesRoutes fails when a JSON route is added, removed or
// renamed without the same change in docs/openapi.yaml.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	srv, err := web.New(app.New(testdb.OpenSQLite(t), nil), nil, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, r := range srv.Routes() {
		if method, path, ok := strings.Cut(r, " "); ok && strings.HasPrefix(path, "/api/") {
			routes = append(routes, method+" "+path)
		}
	}
	sort.Strings(routes)
	spec := specOperations(t)
	if strings.Join(routes, "\n") != strings.Join(spec, "\n") {
		t.Fatalf("routes and docs/openapi.yaml differ\nroutes:\n  %s\nspec:\n  %s", strings.Join(routes, "\n  "), strings.Join(spec, "\n  "))
	}
	if len(routes) < 10 {
		t.Fatalf("only %d API routes found", len(routes))
	}
}
