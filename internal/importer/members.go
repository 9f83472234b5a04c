package importer

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strconv"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/vn"
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
	line   int
	rec    []string
	in     app.MemberInput
	m      ktgs.Member
	folded string
	key    []byte
	err    error
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

// cardKey packs a card number (digits only after validation) with its
// length, so that "01234567" and "1234567" stay distinct map keys without
// storing strings for millions of members.
func cardKey(card string) uint64 {
	n, _ := strconv.ParseUint(card, 10, 64)
	return n<<4 | uint64(len(card))
}

func importMembers(ctx context.Context, svc *app.Service, src source, opt Options) (*Report, error) {
	rep := &Report{}
	col := newCollector(opt, rep)
	header, idx, err := readHeader(src, memberColumns)
	if err != nil {
		return nil, err
	}
	col.start(header)
	orgs, err := loadOrgIndex(ctx, svc.DB)
	if err != nil {
		return nil, err
	}
	known := map[uint64]existing{}
	if err := svc.DB.View(ctx, func(tx *store.Tx) error {
		return tx.EachMember(ctx, func(m *ktgs.Member) error {
			known[cardKey(m.CardNumber)] = existing{id: m.ID, home: m.HomeOrgID, since: m.HomeSince}
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

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	raw := make(chan rowBatch, 8)
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
			raw <- batch
		}
		if opt.Progress != nil {
			opt.Progress(src.read())
		}
		readErr <- nil
	}()
	// Workers: normalise, validate, compute keys.
	workers := max(1, runtime.GOMAXPROCS(0))
	finished := make(chan struct{})
	for range workers {
		go func() {
			defer func() { finished <- struct{}{} }()
			for b := range raw {
				for _, r := range b.rows {
					if r.err == nil {
						prepareMember(r, idx, header, orgs)
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
	seen := map[uint64]int{}
	seenHome := map[uint64]int64{}
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
					if err := writeMember(ctx, l, r, col, known, seen, seenHome, &nextID, today, opt); err != nil {
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
		return nil
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
func prepareMember(r *memberRow, idx []int, header []string, orgs *orgIndex) {
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
	r.folded, r.key = vn.Fold(m.FullName), vn.NameSortKey(m.FullName)
}

// writeMember applies one prepared row.
func writeMember(ctx context.Context, l *store.Loader, r *memberRow, col *collector, known map[uint64]existing,
	seen map[uint64]int, seenHome map[uint64]int64, nextID *int64, today civil.Date, opt Options) error {
	col.report.Rows++
	if r.err != nil {
		col.fail(r.line, r.rec, r.err)
		return nil
	}
	k := cardKey(r.m.CardNumber)
	if first, dup := seen[k]; dup {
		if seenHome[k] != r.m.HomeOrgID {
			col.fail(r.line, r.rec, ktgs.Invalid("home_org_code", "err.import_two_homes", r.m.CardNumber, first))
		} else {
			col.fail(r.line, r.rec, ktgs.Invalid("card_number", "err.import_duplicate", r.m.CardNumber, first))
		}
		return nil
	}
	seen[k], seenHome[k] = r.line, r.m.HomeOrgID
	ex, ok := known[k]
	if !ok {
		*nextID++
		r.m.ID = *nextID
		col.report.Inserted++
		return l.Add(ctx, l.Member(&r.m, r.folded, r.key))
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
	n, err := l.ExecCount(ctx, `UPDATE members SET full_name = ?, name_folded = ?, sort_key = ?,
		gender = COALESCE(?, gender), birth_date = COALESCE(?, birth_date), admitted_on = ?, official_on = COALESCE(?, official_on),
		managing_org_id = COALESCE(?, managing_org_id), managing_body = COALESCE(?, managing_body),
		hometown = COALESCE(?, hometown), occupation = COALESCE(?, occupation), updated_at = ?
		WHERE id = ? AND (full_name <> ? OR gender IS DISTINCT FROM COALESCE(?, gender) OR birth_date IS DISTINCT FROM COALESCE(?, birth_date)
		OR admitted_on <> ? OR official_on IS DISTINCT FROM COALESCE(?, official_on)
		OR managing_org_id IS DISTINCT FROM COALESCE(?, managing_org_id) OR managing_body IS DISTINCT FROM COALESCE(?, managing_body)
		OR hometown IS DISTINCT FROM COALESCE(?, hometown) OR occupation IS DISTINCT FROM COALESCE(?, occupation))`,
		r.m.FullName, r.folded, r.key, nullStr(string(r.m.Gender)), r.m.BirthDate, r.m.AdmittedOn, r.m.OfficialOn,
		nullInt(r.in.ManagingCode, r.m.Managing.OrgID), nullStr(string(r.in.ManagingKind)), nullStr(r.m.Hometown), nullStr(r.m.Occupation), l.Now(),
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
