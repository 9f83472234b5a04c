package importer

import (
	"context"
	"errors"
	"io"
	"runtime"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// memberColumns is the member register layout. The first name of each
// column is what export writes; import also accepts the field names of
// the JSON API and the aliases.
var memberColumns = []column{
	{name: "so_the", field: "card_number", aliases: []string{"so_the_dang_vien", "the_dang_vien"}, required: true},
	{name: "ho_ten", field: "full_name", aliases: []string{"ho_va_ten"}, required: true},
	{name: "gioi_tinh", field: "gender"},
	{name: "ngay_sinh", field: "birth_date"},
	{name: "ngay_vao_dang", field: "admitted_on", aliases: []string{"ngay_ket_nap"}, required: true},
	{name: "ngay_chinh_thuc", field: "official_on"},
	{name: "ma_chi_bo", field: "home_org_code", aliases: []string{"chi_bo"}, required: true},
	{name: "ngay_sinh_hoat", field: "home_from", aliases: []string{"sinh_hoat_tu"}},
	{name: "ma_cap_uy_quan_ly", field: "managing_org_code", aliases: []string{"cap_uy_quan_ly"}},
	{name: "co_quan_quan_ly", field: "managing_body"},
	{name: "que_quan", field: "hometown"},
	{name: "nghe_nghiep", field: "occupation"},
}

const (
	mcCard = iota
	mcName
	mcGender
	mcBirth
	mcAdmitted
	mcOfficial
	mcHome
	mcHomeFrom
	mcManaging
	mcManagingBody
	mcHometown
	mcOccupation
)

// memberRow is one parsed, validated row.
type memberRow struct {
	line int
	rec  []string
	in   app.MemberInput
	m    ktgs.Member
	row  store.Row // the insert, built by the worker; the writer sets the id
	key  int64     // store.CardKey of the card number
	err  error
}

type rowBatch struct {
	seq  int
	rows []*memberRow
}

// existing is what the import needs to know of a member already stored.
type existing struct {
	id    int64
	home  int64
	since civil.Date
}

func importMembers(ctx context.Context, svc *app.Service, src source, opt Options) (*Report, error) {
	rep := &Report{}
	col := newCollector(opt, rep)
	header, idx, err := readHeader(src, memberColumns)
	if err != nil {
		return nil, err
	}
	col.start(header)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The reader starts at once; the workers wait for the hierarchy index,
	// which takes a few seconds to load at national scale.
	raw := make(chan rowBatch, 64)
	done := make(chan rowBatch, 8)
	readErr := make(chan error, 1)
	// Reader: records in batches, in file order.
	go func() {
		defer close(raw)
		seq := 0
		batch := rowBatch{seq: seq}
		for {
			rec, line, err := src.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var le *lineError
				if errors.As(err, &le) {
					batch.rows = append(batch.rows, &memberRow{line: line, err: ktgs.Invalid("row", "err.csv_syntax", le.err.Error())})
					continue
				}
				readErr <- err
				return
			}
			batch.rows = append(batch.rows, &memberRow{line: line, rec: rec})
			if len(batch.rows) == 1000 {
				select {
				case raw <- batch:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
				seq++
				batch = rowBatch{seq: seq}
				if opt.Progress != nil {
					opt.Progress(src.read())
				}
			}
		}
		if len(batch.rows) > 0 {
			select {
			case raw <- batch:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
		if opt.Progress != nil {
			opt.Progress(src.read())
		}
		readErr <- nil
	}()
	orgs, err := loadOrgIndex(ctx, svc.DB)
	if err != nil {
		return nil, err
	}
	known := map[int64]existing{}
	if err := svc.DB.View(ctx, func(tx *store.Tx) error {
		return tx.EachMember(ctx, func(m *ktgs.Member) error {
			k, _ := store.CardKey(m.CardNumber)
			known[k] = existing{id: m.ID, home: m.HomeOrgID, since: m.HomeSince}
			return nil
		})
	}); err != nil {
		return nil, err
	}
	maxIDs, err := svc.DB.MaxIDs(ctx)
	if err != nil {
		return nil, err
	}
	nextID := maxIDs["members"]
	today := svc.Today()
	rb := svc.DB.RowBuilder()

	// Workers: normalise, validate, build the row.
	workers := max(1, runtime.GOMAXPROCS(0))
	finished := make(chan struct{})
	for range workers {
		go func() {
			defer func() { finished <- struct{}{} }()
			for b := range raw {
				for _, r := range b.rows {
					if r.err == nil {
						prepareMember(r, idx, header, orgs, rb)
					}
				}
				done <- b
			}
		}()
	}
	go func() {
		for range workers {
			<-finished
		}
		close(done)
	}()

	// Writer: in file order, decide insert, update or reject.
	seen := map[int64]seenCard{}
	err = svc.DB.BulkLoad(ctx, func(l *store.Loader) error {
		pending := map[int]rowBatch{}
		want := 0
		for b := range done {
			pending[b.seq] = b
			for {
				nb, ok := pending[want]
				if !ok {
					break
				}
				delete(pending, want)
				want++
				for _, r := range nb.rows {
					if err := writeMember(ctx, l, r, col, known, seen, &nextID, today, opt); err != nil {
						cancel()
						for range done {
						}
						return err
					}
				}
			}
		}
		if err := <-readErr; err != nil {
			return err
		}
		if rep.Rejected > 0 && !opt.SkipInvalid {
			return ErrInvalidRows
		}
		ent, err := svc.JobEntry(ctx, "register.import_members", map[string]any{"rows": rep.Rows, "inserted": rep.Inserted,
			"updated": rep.Updated, "unchanged": rep.Unchanged, "rejected": rep.Rejected})
		if err != nil {
			return err
		}
		return l.Audit(ctx, ent)
	})
	if ferr := col.finish(); err == nil {
		err = ferr
	}
	rep.Committed = err == nil
	if err != nil {
		// Nothing was written: the counts describe what would have been.
		return rep, err
	}
	return rep, nil
}

// prepareMember parses and validates one row without the database.
func prepareMember(r *memberRow, idx []int, header []string, orgs *orgIndex, rb *store.RowBuilder) {
	var v ktgs.Validation
	checkWidth(&v, r.rec, header)
	in := app.MemberInput{
		CardNumber:   cell(r.rec, idx, mcCard),
		FullName:     cell(r.rec, idx, mcName),
		Gender:       ktgs.Gender(cell(r.rec, idx, mcGender)),
		BirthDate:    parseDate(&v, "birth_date", cell(r.rec, idx, mcBirth), false),
		AdmittedOn:   parseDate(&v, "admitted_on", cell(r.rec, idx, mcAdmitted), true),
		OfficialOn:   parseDate(&v, "official_on", cell(r.rec, idx, mcOfficial), false),
		HomeOrgCode:  cell(r.rec, idx, mcHome),
		HomeFrom:     parseDate(&v, "home_from", cell(r.rec, idx, mcHomeFrom), false),
		ManagingCode: cell(r.rec, idx, mcManaging),
		ManagingKind: ktgs.BodyKind(cell(r.rec, idx, mcManagingBody)),
		Hometown:     cell(r.rec, idx, mcHometown),
		Occupation:   cell(r.rec, idx, mcOccupation),
	}
	if !v.Has("admitted_on") {
		in.Check(&v)
	}
	if err := v.Err(); err != nil {
		r.err = err
		return
	}
	// The home chi bộ and the managing body, from the in-memory hierarchy.
	home := orgs.byCode[in.HomeOrgCode]
	if home == nil {
		r.err = ktgs.Invalid("home_org_code", "err.org_code_unknown", in.HomeOrgCode)
		return
	}
	from := in.HomeFrom
	explicit := !from.IsZero()
	if !explicit {
		from = civil.Max(in.AdmittedOn, home.born)
	}
	hv := home.at(from)
	if hv == nil {
		r.err = ktgs.Invalid("home_org_code", "err.org_not_on_date", in.HomeOrgCode, from.VN())
		return
	}
	if !hv.Type.IsBranch() {
		r.err = ktgs.Invalid("home_org_code", "err.not_branch", hv.Name)
		return
	}
	m := ktgs.Member{CardNumber: in.CardNumber, FullName: in.FullName, Gender: in.Gender, BirthDate: in.BirthDate,
		AdmittedOn: in.AdmittedOn, OfficialOn: in.OfficialOn, HomeOrgID: home.id, HomeSince: from,
		Hometown: in.Hometown, Occupation: in.Occupation}
	if in.ManagingCode != "" {
		mo := orgs.byCode[in.ManagingCode]
		if mo == nil {
			r.err = ktgs.Invalid("managing_org_code", "err.org_code_unknown", in.ManagingCode)
			return
		}
		m.Managing = ktgs.ManagingBody{OrgID: mo.id, Kind: in.ManagingKind}
		if m.Managing.Kind == "" {
			m.Managing.Kind = ktgs.BodyCommittee
		}
	} else {
		m.Managing = app.ManagingFor(hv, orgs.ancestors(hv, from))
	}
	r.in, r.m = in, m
	if !explicit {
		r.in.HomeFrom = 0
	}
	r.key, _ = store.CardKey(m.CardNumber)
	r.row = rb.Member(&r.m)
}

// writeMember applies one prepared row.
// seenCard is where a card number first appeared in the file.
type seenCard struct {
	line int
	home int64
}

func writeMember(ctx context.Context, l *store.Loader, r *memberRow, col *collector, known map[int64]existing,
	seen map[int64]seenCard, nextID *int64, today civil.Date, opt Options) error {
	col.report.Rows++
	if r.err != nil {
		col.fail(r.line, r.rec, r.err)
		return nil
	}
	k := r.key
	if first, dup := seen[k]; dup {
		if first.home != r.m.HomeOrgID {
			col.fail(r.line, r.rec, ktgs.Invalid("home_org_code", "err.import_two_homes", r.m.CardNumber, first.line))
		} else {
			col.fail(r.line, r.rec, ktgs.Invalid("card_number", "err.import_duplicate", r.m.CardNumber, first.line))
		}
		return nil
	}
	seen[k] = seenCard{r.line, r.m.HomeOrgID}
	ex, ok := known[k]
	if !ok {
		*nextID++
		col.report.Inserted++
		return l.Add(ctx, r.row.WithID(*nextID))
	}
	// An existing member: update the fields the file gives (an empty cell
	// keeps the stored value), and transfer on a change of chi bộ.
	changed := false
	if ex.home != r.m.HomeOrgID {
		d := r.in.HomeFrom
		if d.IsZero() {
			d = today
		}
		if !ex.since.Before(d) {
			col.fail(r.line, r.rec, ktgs.Invalid("home_from", "err.transfer_before_current", ex.since.VN()))
			return nil
		}
		if err := l.Exec(ctx, `INSERT INTO attachments (member_id, org_id, kind, valid_from, valid_to, note) VALUES (?, ?, 'HOME', ?, ?, ?)`,
			ex.id, ex.home, ex.since, d, "import"); err != nil {
			return err
		}
		if err := l.Exec(ctx, `INSERT INTO member_events (member_id, kind, date, from_org_id, to_org_id, note, created_at) VALUES (?, 'TRANSFER', ?, ?, ?, 'import', ?)`,
			ex.id, d, ex.home, r.m.HomeOrgID, l.Now()); err != nil {
			return err
		}
		if err := l.Exec(ctx, `UPDATE members SET home_org_id = ?, home_since = ? WHERE id = ?`, r.m.HomeOrgID, d, ex.id); err != nil {
			return err
		}
		changed = true
	} else if !r.in.HomeFrom.IsZero() && r.in.HomeFrom != ex.since {
		if err := l.Exec(ctx, `UPDATE members SET home_since = ? WHERE id = ?`, r.in.HomeFrom, ex.id); err != nil {
			return err
		}
		changed = true
	}
	n, err := l.ExecCount(ctx, `UPDATE members SET full_name = ?,
		gender = COALESCE(?, gender), birth_date = COALESCE(?, birth_date), admitted_on = ?, official_on = COALESCE(?, official_on),
		managing_org_id = COALESCE(?, managing_org_id), managing_body = COALESCE(?, managing_body),
		hometown = COALESCE(?, hometown), occupation = COALESCE(?, occupation)
		WHERE id = ? AND (full_name <> ? OR gender IS DISTINCT FROM COALESCE(?, gender) OR birth_date IS DISTINCT FROM COALESCE(?, birth_date)
		OR admitted_on <> ? OR official_on IS DISTINCT FROM COALESCE(?, official_on)
		OR managing_org_id IS DISTINCT FROM COALESCE(?, managing_org_id) OR managing_body IS DISTINCT FROM COALESCE(?, managing_body)
		OR hometown IS DISTINCT FROM COALESCE(?, hometown) OR occupation IS DISTINCT FROM COALESCE(?, occupation))`,
		r.m.FullName, nullStr(string(r.m.Gender)), r.m.BirthDate, r.m.AdmittedOn, r.m.OfficialOn,
		nullInt(r.in.ManagingCode, r.m.Managing.OrgID), nullStr(string(r.in.ManagingKind)), nullStr(r.m.Hometown), nullStr(r.m.Occupation),
		ex.id, r.m.FullName, nullStr(string(r.m.Gender)), r.m.BirthDate, r.m.AdmittedOn, r.m.OfficialOn,
		nullInt(r.in.ManagingCode, r.m.Managing.OrgID), nullStr(string(r.in.ManagingKind)), nullStr(r.m.Hometown), nullStr(r.m.Occupation))
	if err != nil {
		return err
	}
	if changed || n > 0 {
		col.report.Updated++
	} else {
		col.report.Unchanged++
	}
	return nil
}

// nullStr is NULL for an empty cell, so COALESCE keeps the stored value.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullInt is NULL unless the file named a managing body explicitly.
func nullInt(code string, id int64) any {
	if code == "" {
		return nil
	}
	return id
}
