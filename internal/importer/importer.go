package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/i18n"
)

// Options control an import.
type Options struct {
	// Encoding names the encoding of a CSV file that is not UTF-8
	// (windows-1258, tcvn3, vni …); empty means the file must be UTF-8.
	Encoding string
	// SkipInvalid imports the valid rows and writes the others to Rejects.
	SkipInvalid bool
	// Rejects receives the rejected rows as CSV (header, then each row
	// with its errors in a last "loi" column). Required with SkipInvalid.
	Rejects io.Writer
	// Progress, if set, is called with the bytes (CSV) or rows (XLSX) read.
	Progress func(done int64)
	// MaxErrors bounds the errors kept in the report (default 1000); all
	// are counted.
	MaxErrors int
	// Lang is the language of error messages in Report and Rejects.
	Lang string
}

// Report says what an import did.
type Report struct {
	Rows      int // data rows read
	Inserted  int
	Updated   int
	Unchanged int
	Rejected  int
	// Errors are the first MaxErrors row errors, by line.
	Errors     []RowError
	ErrorCount int
	Committed  bool
	Duration   time.Duration
}

// RowError is one problem with one row.
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Key     string `json:"key"`
	Message string `json:"message"`
	Rule    string `json:"rule,omitempty"`
}

func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("dòng %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("dòng %d, %s: %s", e.Line, e.Field, e.Message)
}

// ErrInvalidRows is returned when rows are invalid and SkipInvalid is off:
// nothing was imported.
var ErrInvalidRows = errors.New("importer: invalid rows; nothing was imported (use --skip-invalid to import the valid rows)")

// collector gathers row errors and rejected rows.
type collector struct {
	opt     Options
	cat     *i18n.Catalog
	report  *Report
	header  []string
	rejects *csv.Writer
	// rejected lines, so a row is written to the rejects file once
	bad map[int]bool
}

func newCollector(opt Options, r *Report) *collector {
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = 1000
	}
	if opt.Lang == "" {
		opt.Lang = "vi"
	}
	c := &collector{opt: opt, cat: i18n.Default(), report: r, bad: map[int]bool{}}
	if opt.Rejects != nil {
		c.rejects = csv.NewWriter(opt.Rejects)
	}
	return c
}

// fail records err (a *ktgs.Error with field errors, or any error) for the
// row at line, and the row itself for the rejects file.
func (c *collector) fail(line int, rec []string, err error) {
	var errs []RowError
	if e := ktgs.AsError(err); e != nil && len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			f := e.Fields[k]
			errs = append(errs, RowError{Line: line, Field: k, Key: f.Key, Message: c.cat.T(c.opt.Lang, f.Key, f.Args...), Rule: f.Rule})
		}
	} else if e != nil {
		errs = append(errs, RowError{Line: line, Key: e.Message, Message: c.cat.T(c.opt.Lang, e.Message, e.Args...), Rule: e.Rule})
	} else {
		errs = append(errs, RowError{Line: line, Key: "err.row", Message: err.Error()})
	}
	for _, re := range errs {
		c.report.ErrorCount++
		if len(c.report.Errors) < c.opt.MaxErrors {
			c.report.Errors = append(c.report.Errors, re)
		}
	}
	if !c.bad[line] {
		c.bad[line] = true
		c.report.Rejected++
		if c.rejects != nil {
			var msgs []string
			for _, re := range errs {
				if re.Field != "" {
					msgs = append(msgs, re.Field+": "+re.Message)
				} else {
					msgs = append(msgs, re.Message)
				}
			}
			row := append(append([]string{strconv.Itoa(line)}, rec...), strings.Join(msgs, "; "))
			c.rejects.Write(row)
		}
	}
}

// start writes the rejects header.
func (c *collector) start(header []string) {
	c.header = header
	if c.rejects != nil {
		c.rejects.Write(append(append([]string{"dong"}, header...), "loi"))
	}
}

func (c *collector) finish() error {
	sort.SliceStable(c.report.Errors, func(i, j int) bool { return c.report.Errors[i].Line < c.report.Errors[j].Line })
	if c.rejects != nil {
		c.rejects.Flush()
		return c.rejects.Error()
	}
	return nil
}

// cell returns the trimmed value of spec column i of rec, "" if absent.
func cell(rec []string, idx []int, i int) string {
	j := idx[i]
	if j < 0 || j >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[j])
}

// parseDate reads a date cell: dd/mm/yyyy, yyyy-mm-dd, or an Excel serial
// number (a date cell of an XLSX file read raw).
func parseDate(v *ktgs.Validation, field, s string, required bool) civil.Date {
	if s == "" {
		if required {
			v.Add(field, "err.required")
		}
		return 0
	}
	if strings.IndexByte(s, '/') < 0 && strings.IndexByte(s, '-') < 0 {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 && n < 2958466 {
			// Excel's 1900 date system, day 1 = 1900-01-01 with the famous
			// fictitious 29/02/1900, so serials from 61 on are one day ahead.
			days := int(n)
			if days >= 61 {
				days--
			}
			return civil.New(1899, 12, 31).AddDays(days)
		}
	}
	d, err := civil.Parse(s)
	switch {
	case err == civil.ErrRange:
		v.Add(field, "err.date_nonexistent")
	case err != nil:
		v.Add(field, "err.date_syntax")
	case d.Year() < 1930 || d.Year() > 2100:
		v.Add(field, "err.date_range", "01/01/1930", "31/12/2100")
	default:
		return d
	}
	return 0
}

// checkWidth reports a row whose number of cells differs from the header.
func checkWidth(v *ktgs.Validation, rec []string, header []string) {
	if len(rec) == len(header) {
		return
	}
	// Trailing empty cells (spreadsheets drop them) are harmless.
	if len(rec) < len(header) {
		return
	}
	for _, extra := range rec[len(header):] {
		if strings.TrimSpace(extra) != "" {
			v.Add("row", "err.row_width", len(rec), len(header))
			return
		}
	}
}

// Import reads a register of kind "orgs" or "members" from r into the
// database of svc.
func Import(ctx context.Context, svc *app.Service, kind string, r io.Reader, opt Options) (*Report, error) {
	start := time.Now()
	if opt.SkipInvalid && opt.Rejects == nil {
		return nil, errors.New("importer: --skip-invalid needs a file for the rejected rows")
	}
	src, err := openSource(r, opt.Encoding)
	if err != nil {
		return nil, err
	}
	defer src.close()
	var rep *Report
	switch kind {
	case "orgs":
		rep, err = importOrgs(ctx, svc, src, opt)
	case "members":
		rep, err = importMembers(ctx, svc, src, opt)
	default:
		return nil, fmt.Errorf("importer: unknown register %q (want orgs or members)", kind)
	}
	if rep != nil {
		rep.Duration = time.Since(start)
	}
	return rep, err
}

// readHeader reads the header row.
func readHeader(src source, cols []column) ([]string, []int, error) {
	header, _, err := src.next()
	if err == io.EOF {
		return nil, nil, ErrEmpty
	}
	if err != nil {
		return nil, nil, err
	}
	idx, err := mapHeader(header, cols)
	return header, idx, err
}
