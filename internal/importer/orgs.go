package importer

import (
	"context"
	"errors"
	"io"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/i18n"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// orgColumns is the organisation register layout.
var orgColumns = []column{
	{name: "ma_to_chuc", field: "code", aliases: []string{"ma"}, required: true},
	{name: "ten_to_chuc", field: "name", aliases: []string{"ten"}, required: true},
	{name: "loai", field: "type", aliases: []string{"loai_to_chuc"}, required: true},
	{name: "ma_cap_tren", field: "parent_code", aliases: []string{"cap_tren"}},
	{name: "ngay_hieu_luc", field: "valid_from", aliases: []string{"ngay_thanh_lap", "hieu_luc_tu"}, required: true},
}

const (
	ocCode = iota
	ocName
	ocType
	ocParent
	ocFrom
)

type orgRow struct {
	line int
	rec  []string
	in   app.OrgInput
	err  error
}

// typeByLabel accepts the Vietnamese or English label of an organisation
// type as well as its code ("Chi bộ cơ sở" or "CHI_BO_CO_SO").
func typeByLabel(s string) ktgs.OrgType {
	t := ktgs.OrgType(strings.ToUpper(strings.TrimSpace(s)))
	if t.Valid() {
		return t
	}
	f := vn.Fold(s)
	cat := i18n.Default()
	for _, k := range ktgs.OrgTypes {
		for _, l := range i18n.Languages {
			label := vn.Fold(cat.T(l, "orgtype."+string(k)))
			if f == label || (strings.Contains(label, "(") && f == strings.TrimSpace(label[:strings.Index(label, "(")])) {
				return k
			}
		}
	}
	return t
}

func importOrgs(ctx context.Context, svc *app.Service, src source, opt Options) (*Report, error) {
	rep := &Report{}
	col := newCollector(opt, rep)
	header, idx, err := readHeader(src, orgColumns)
	if err != nil {
		return nil, err
	}
	col.start(header)
	// Organisation registers are small (a province has thousands of units,
	// the country some 330,000): read them whole so that a child may come
	// before its parent in the file.
	var rows []*orgRow
	byCode := map[string]*orgRow{}
	for {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var le *lineError
			if errors.As(err, &le) {
				rows = append(rows, &orgRow{line: line, err: ktgs.Invalid("row", "err.csv_syntax", le.err.Error())})
				continue
			}
			return nil, err
		}
		r := &orgRow{line: line, rec: rec}
		var v ktgs.Validation
		checkWidth(&v, rec, header)
		r.in = app.OrgInput{Code: cell(rec, idx, ocCode), Name: cell(rec, idx, ocName), Type: typeByLabel(cell(rec, idx, ocType)),
			ParentCode: cell(rec, idx, ocParent), ValidFrom: parseDate(&v, "valid_from", cell(rec, idx, ocFrom), true)}
		r.in.Code = strings.ToUpper(vn.Clean(r.in.Code))
		r.in.ParentCode = strings.ToUpper(vn.Clean(r.in.ParentCode))
		r.err = v.Err()
		if r.err == nil && r.in.Code != "" {
			if first, dup := byCode[r.in.Code]; dup {
				r.err = ktgs.Invalid("code", "err.import_duplicate", r.in.Code, first.line)
			} else {
				byCode[r.in.Code] = r
			}
		}
		rows = append(rows, r)
		if opt.Progress != nil && len(rows)%1000 == 0 {
			opt.Progress(src.read())
		}
	}
	if opt.Progress != nil {
		opt.Progress(src.read())
	}
	// Parents first: order the rows so that a parent defined in the file
	// comes before its children; rows in a cycle are rejected.
	order, cyclic := parentsFirst(rows, byCode)
	for _, r := range cyclic {
		r.err = ktgs.Invalid("parent_code", "err.import_cycle", r.in.ParentCode)
	}
	err = svc.DB.Update(ctx, func(tx *store.Tx) error {
		failed := map[string]bool{}
		for _, r := range order {
			rep.Rows++
			if r.err == nil && failed[r.in.ParentCode] {
				r.err = ktgs.Invalid("parent_code", "err.import_parent_rejected", r.in.ParentCode)
			}
			if r.err != nil {
				failed[r.in.Code] = true
				col.fail(r.line, r.rec, r.err)
				continue
			}
			same, err := sameAsStored(ctx, tx, &r.in)
			if err != nil {
				return err
			}
			switch {
			case same == matchSame:
				rep.Unchanged++
				continue
			case same == matchDiffers:
				failed[r.in.Code] = true
				col.fail(r.line, r.rec, ktgs.Invalid("code", "err.import_org_differs", r.in.Code))
				continue
			}
			in := r.in
			if _, err := svc.CreateOrgTx(ctx, tx, &in); err != nil {
				if ktgs.ErrorCode(err) != ktgs.EINVALID {
					return err
				}
				failed[r.in.Code] = true
				col.fail(r.line, r.rec, err)
				continue
			}
			rep.Inserted++
		}
		if rep.Rejected > 0 && !opt.SkipInvalid {
			return ErrInvalidRows
		}
		return nil
	})
	if ferr := col.finish(); err == nil {
		err = ferr
	}
	rep.Committed = err == nil
	return rep, err
}

type match int

const (
	matchNew match = iota
	matchSame
	matchDiffers
)

// sameAsStored compares a row with the stored organisation of that code,
// as it stood on the row's date: a re-run of the same file must change
// nothing, and a row that contradicts the register is an error, since a
// reorganisation needs a decision and a date.
func sameAsStored(ctx context.Context, tx *store.Tx, in *app.OrgInput) (match, error) {
	id, err := tx.OrgIDByCode(ctx, in.Code)
	if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
		return matchNew, nil
	} else if err != nil {
		return 0, err
	}
	o, err := tx.OrgAt(ctx, id, in.ValidFrom)
	if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
		return matchDiffers, nil
	} else if err != nil {
		return 0, err
	}
	if o.ValidFrom != in.ValidFrom || o.Name != vn.Clean(in.Name) || o.Type != in.Type {
		return matchDiffers, nil
	}
	var parent string
	if o.ParentID != 0 {
		p, err := tx.OrgAt(ctx, o.ParentID, in.ValidFrom)
		if err != nil {
			return 0, err
		}
		parent = p.Code
	}
	if parent != in.ParentCode {
		return matchDiffers, nil
	}
	return matchSame, nil
}

// parentsFirst orders rows so that each row whose parent is in the file
// follows it (a depth-first walk), and returns the rows caught in a cycle.
func parentsFirst(rows []*orgRow, byCode map[string]*orgRow) (order, cyclic []*orgRow) {
	const (
		unvisited = iota
		visiting
		visited
	)
	state := map[*orgRow]int{}
	var visit func(r *orgRow) bool
	visit = func(r *orgRow) bool {
		switch state[r] {
		case visited:
			return true
		case visiting:
			return false
		}
		state[r] = visiting
		ok := true
		if p, inFile := byCode[r.in.ParentCode]; inFile && r.err == nil && p != r {
			ok = visit(p)
		} else if inFile && p == r {
			ok = false
		}
		state[r] = visited
		if !ok && r.err == nil {
			cyclic = append(cyclic, r)
		}
		order = append(order, r)
		return ok
	}
	for _, r := range rows {
		visit(r)
	}
	return order, cyclic
}
