package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/importer"
	"ktgs/internal/textenc"
	"ktgs/internal/vn"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "import")
	bindDB(e, fs, &c)
	enc := fs.String("encoding", "", "encoding of a CSV file that is not UTF-8: "+strings.Join(textenc.Names(), ", "))
	skip := fs.Bool("skip-invalid", false, "import the valid rows and write the others to the rejects file")
	rejects := fs.String("rejects", "", "where --skip-invalid writes rejected rows (default FILE.rejects.csv)")
	if err := parse(fs, reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "orgs" && fs.Arg(0) != "members") {
		return errUsage
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, _ := f.Stat()
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	debug.SetGCPercent(400) // bulk work: trade some heap for less GC
	opt := importer.Options{Encoding: *enc, SkipInvalid: *skip, Lang: cliLang(e)}
	var rej *os.File
	if *skip {
		name := *rejects
		if name == "" {
			name = path + ".rejects.csv"
		}
		if rej, err = os.Create(name); err != nil {
			return err
		}
		defer rej.Close()
		opt.Rejects = rej
	}
	bar := newProgress(e.stderr, "import "+kind)
	total := st.Size()
	opt.Progress = func(done int64) { bar.update(done, total) }
	rep, err := importer.Import(ctx, app.New(db, c.logger(e.stderr)), kind, f, opt)
	bar.done()
	if rep != nil {
		lang := cliLang(e)
		fmt.Fprintf(e.stdout, "%s: %s %s, %s %s, %s %s, %s %s, %s %s (%s)\n", path,
			vn.Int(int64(rep.Rows), lang), word(lang, "dòng", "rows"), vn.Int(int64(rep.Inserted), lang), word(lang, "thêm mới", "inserted"),
			vn.Int(int64(rep.Updated), lang), word(lang, "cập nhật", "updated"), vn.Int(int64(rep.Unchanged), lang), word(lang, "không đổi", "unchanged"),
			vn.Int(int64(rep.Rejected), lang), word(lang, "bị từ chối", "rejected"), rep.Duration.Round(time.Millisecond))
		for _, re := range rep.Errors {
			fmt.Fprintln(e.stdout, "  "+re.String())
		}
		if rep.ErrorCount > len(rep.Errors) {
			fmt.Fprintf(e.stdout, "  … %s %s\n", vn.Int(int64(rep.ErrorCount-len(rep.Errors)), lang), word(lang, "lỗi khác", "more errors"))
		}
		if rej != nil && rep.Rejected > 0 {
			fmt.Fprintf(e.stdout, "%s: %s\n", word(lang, "Các dòng bị từ chối", "Rejected rows"), rej.Name())
		}
	}
	var ee *importer.EncodingError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s: %w", path, err)
	}
	return err
}

func word(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}

// reorder moves flags after positional arguments to the front, so that
// "ktgs import members FILE --skip-invalid" works as people type it.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && takesValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// takesValue lists the flags of import and export that take a value.
func takesValue(flag string) bool {
	switch strings.TrimLeft(flag, "-") {
	case "encoding", "rejects", "date", "under", "data", "database-url", "db-readers", "log-format", "log-level", "rules-dir":
		return true
	}
	return false
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	var c Config
	fs := newFlags(e, "export")
	bindDB(e, fs, &c)
	date := fs.String("date", "", "export the hierarchy as of this day, dd/mm/yyyy (default today)")
	under := fs.String("under", "", "export only the subtree of this organisation code")
	if err := parse(fs, reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "orgs" && fs.Arg(0) != "members") {
		return errUsage
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	format, err := importer.FormatOf(path)
	if err != nil {
		return err
	}
	d := civil.Today(app.Zone)
	if *date != "" {
		if d, err = civil.Parse(*date); err != nil {
			return fmt.Errorf("--date: %w", err)
		}
	}
	db, err := openDB(ctx, e, &c)
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	opt := importer.ExportOptions{Format: format, Date: d, Under: *under}
	var n int
	if kind == "orgs" {
		n, err = importer.ExportOrgs(ctx, db, f, opt)
	} else {
		n, err = importer.ExportMembers(ctx, db, f, opt)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s %s\n", path, vn.Int(int64(n), cliLang(e)), word(cliLang(e), "dòng", "rows"))
	return nil
}
