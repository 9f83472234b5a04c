package importer

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Format is a file format.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format from a file name.
func FormatOf(name string) (Format, error) {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return XLSX, nil
	case strings.HasSuffix(strings.ToLower(name), ".csv"), strings.HasSuffix(strings.ToLower(name), ".txt"):
		return CSV, nil
	}
	return "", fmt.Errorf("importer: %s: name the file .csv or .xlsx", name)
}

// ExportOptions select what to export.
type ExportOptions struct {
	Format Format
	// Date is the day the hierarchy is exported as of (today if zero).
	Date civil.Date
	// Under limits the export to the subtree of this organisation code.
	Under string
}

// tableWriter writes rows as CSV (UTF-8 with a byte order mark, so that
// Excel shows Vietnamese correctly) or as an XLSX sheet, streaming.
type tableWriter interface {
	row(cells []string) error
	close() error
}

type csvTable struct{ w *csv.Writer }

func (t *csvTable) row(c []string) error { return t.w.Write(c) }
func (t *csvTable) close() error {
	t.w.Flush()
	return t.w.Error()
}

type xlsxTable struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	out io.Writer
	n   int
}

func (t *xlsxTable) row(c []string) error {
	t.n++
	cells := make([]any, len(c))
	for i, v := range c {
		// Every cell is text: card numbers keep their leading zeros and
		// dates stay dd/mm/yyyy whatever the spreadsheet's locale.
		cells[i] = excelize.Cell{Value: v}
	}
	ref, err := excelize.CoordinatesToCellName(1, t.n)
	if err != nil {
		return err
	}
	return t.sw.SetRow(ref, cells)
}

func (t *xlsxTable) close() error {
	if err := t.sw.Flush(); err != nil {
		return err
	}
	defer t.f.Close()
	return t.f.Write(t.out)
}

func newTable(w io.Writer, f Format, sheet string) (tableWriter, error) {
	if f == XLSX {
		x := excelize.NewFile()
		if err := x.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		return &xlsxTable{f: x, sw: sw, out: w}, nil
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	return &csvTable{w: csv.NewWriter(w)}, nil
}

func header(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// ExportOrgs writes the organisations existing on the date (in path order:
// parents before children) in the import layout, and returns the count.
func ExportOrgs(ctx context.Context, db *store.DB, w io.Writer, opt ExportOptions) (int, error) {
	t, err := newTable(w, opt.Format, "To chuc dang")
	if err != nil {
		return 0, err
	}
	if err := t.row(header(orgColumns)); err != nil {
		return 0, err
	}
	n := 0
	err = db.View(ctx, func(tx *store.Tx) error {
		d := opt.Date
		var within string
		if opt.Under != "" {
			id, err := tx.OrgIDByCode(ctx, strings.ToUpper(opt.Under))
			if err != nil {
				return err
			}
			o, err := tx.OrgAt(ctx, id, d)
			if err != nil {
				return err
			}
			within = o.Path
		}
		codes := map[int64]string{}
		return tx.EachOrgVersion(ctx, true, func(o *ktgs.Org) error {
			if !o.ActiveOn(d) {
				return nil
			}
			codes[o.ID] = o.Code
			if within != "" && !strings.HasPrefix(o.Path, within) {
				return nil
			}
			n++
			return t.row([]string{o.Code, o.Name, string(o.Type), codes[o.ParentID], vn.Date(o.ValidFrom)})
		})
	})
	if err != nil {
		return 0, err
	}
	return n, t.close()
}

// ExportMembers writes the current members (of a subtree if Under is set)
// in the import layout, and returns the count.
func ExportMembers(ctx context.Context, db *store.DB, w io.Writer, opt ExportOptions) (int, error) {
	t, err := newTable(w, opt.Format, "Dang vien")
	if err != nil {
		return 0, err
	}
	if err := t.row(header(memberColumns)); err != nil {
		return 0, err
	}
	n := 0
	err = db.View(ctx, func(tx *store.Tx) error {
		d := opt.Date
		codes := map[int64]string{}
		var root *ktgs.Org
		if err := tx.EachOrgVersion(ctx, true, func(o *ktgs.Org) error {
			codes[o.ID] = o.Code
			if o.ParentID == 0 && o.ActiveOn(d) && root == nil {
				root = o
			}
			return nil
		}); err != nil {
			return err
		}
		if opt.Under != "" {
			id, err := tx.OrgIDByCode(ctx, strings.ToUpper(opt.Under))
			if err != nil {
				return err
			}
			if root, err = tx.OrgAt(ctx, id, d); err != nil {
				return err
			}
		}
		if root == nil {
			return nil
		}
		return tx.EachMemberUnder(ctx, root.Path, d, func(m *ktgs.Member, home string) error {
			n++
			return t.row([]string{m.CardNumber, m.FullName, genderLabel(m.Gender), vn.Date(m.BirthDate), vn.Date(m.AdmittedOn),
				vn.Date(m.OfficialOn), home, vn.Date(m.HomeSince), codes[m.Managing.OrgID], string(m.Managing.Kind), m.Hometown, m.Occupation})
		})
	})
	if err != nil {
		return 0, err
	}
	return n, t.close()
}

func genderLabel(g ktgs.Gender) string {
	switch g {
	case ktgs.GenderMale:
		return "Nam"
	case ktgs.GenderFemale:
		return "Nữ"
	}
	return ""
}
