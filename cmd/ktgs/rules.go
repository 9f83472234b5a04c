package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/i18n"
	"ktgs/internal/rules"
)

// cmdRules is "ktgs rules list|lint [DIR]|explain RULE": the rules engine
// for operators and programs.
func cmdRules(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "rules")
	dir := fs.String("rules-dir", e.getenv("KTGS_RULES_DIR"), "directory of extra or corrected rule sets [KTGS_RULES_DIR]")
	if err := parse(fs, reorder(args)); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "list":
		lang := cliLang(e)
		for _, r := range rules.Rules() {
			fmt.Fprintf(e.stdout, "%-4s %-24s %s\n", r.ID, r.Alias, r.Title[lang])
		}
		return nil
	case "lint":
		fsys, where := rules.EmbeddedData(), "embedded rule sets"
		switch {
		case len(args) > 1:
			fsys, where = app.RulesFS(args[1]), "embedded rule sets with "+args[1]
		case *dir != "":
			fsys, where = app.RulesFS(*dir), "embedded rule sets with "+*dir
		}
		errs := rules.Lint(fsys)
		for _, err := range errs {
			fmt.Fprintln(e.stdout, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s: %d problem(s)", where, len(errs))
		}
		fmt.Fprintf(e.stdout, "%s: ok\n", where)
		return nil
	case "explain":
		if len(args) != 2 {
			return errUsage
		}
		req, err := io.ReadAll(io.LimitReader(e.stdin, 1<<20))
		if err != nil {
			return err
		}
		reg, err := app.LoadRules(*dir)
		if err != nil {
			return err
		}
		dec, err := reg.Evaluate(args[1], req)
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err != nil {
			ke := ktgs.AsError(err)
			if ke == nil {
				return err
			}
			enc.Encode(errorJSON(ke, cliLang(e)))
			return errExit1
		}
		return enc.Encode(dec)
	}
	return errUsage
}

// errExit1 ends a command with exit status 1 after it printed its own
// output.
var errExit1 = fmt.Errorf("exit 1")

// errorJSON is the API's error body, for the CLI's JSON output.
func errorJSON(e *ktgs.Error, lang string) map[string]any {
	cat := i18n.Default()
	cat.Add(rules.Messages())
	fields := map[string]any{}
	for k, f := range e.Fields {
		fields[k] = map[string]string{"key": f.Key, "message": cat.T(lang, f.Key, f.Args...), "rule": f.Rule}
	}
	return map[string]any{"error": map[string]any{"code": e.Code, "message": cat.T(lang, e.Message, e.Args...), "rule": e.Rule, "fields": fields}}
}
