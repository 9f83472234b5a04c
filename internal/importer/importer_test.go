package importer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/importer"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/textenc"
)

var ctx = app.AsSystem(context.Background())

const orgsCSV = `ma_to_chuc,ten_to_chuc,loai,ma_cap_tren,ngay_hieu_luc
TW,Đảng Cộng sản Việt Nam,TW,,03/02/1930
NBI,Đảng bộ tỉnh Ninh Bình,DANG_BO_TRUC_THUOC_TW,TW,01/07/2025
NBI-KB-CB1,Chi bộ thôn Đông,Chi bộ cơ sở,NBI-KB,01/07/2025
NBI-KB,Đảng bộ phường Kim Bảng,DANG_BO_XA_PHUONG_DAC_KHU,NBI,01/07/2025
NBI-KB-DB,Đảng bộ Trường Trung học phổ thông Kim Bảng,DANG_BO_CO_SO,NBI-KB,01/07/2025
NBI-KB-DB-1,Chi bộ Tổ Toán - Tin,CHI_BO_TRUC_THUOC,NBI-KB-DB,01/07/2025
`

const membersCSV = `Số thẻ,Họ tên,Giới tính,Ngày sinh,Ngày vào Đảng,Ngày chính thức,Mã chi bộ
01000001,Nguyễn Văn Hùng,Nam,01/05/1970,03/03/1995,03/03/1996,NBI-KB-CB1
01000002,Trần Thị Lan,Nữ,1980-01-01,03/03/2005,,NBI-KB-CB1
01000003,Lê Quang Minh,nam,12/12/1990,15/06/2020,15/06/2021,NBI-KB-DB-1
`

func load(t *testing.T, db *store.DB, kind, text string, opt importer.Options) (*importer.Report, error) {
	t.Helper()
	return importer.Import(ctx, app.New(db, nil), kind, strings.NewReader(text), opt)
}

func mustLoad(t *testing.T, db *store.DB, kind, text string) *importer.Report {
	t.Helper()
	rep, err := load(t, db, kind, text, importer.Options{})
	if err != nil {
		t.Fatalf("import %s: %v %+v", kind, err, rep)
	}
	return rep
}

func TestImportAndRerun(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *store.DB) {
		rep := mustLoad(t, db, "orgs", orgsCSV)
		if rep.Inserted != 6 || rep.Rejected != 0 {
			t.Fatalf("orgs: %+v", rep)
		}
		rep = mustLoad(t, db, "members", membersCSV)
		if rep.Inserted != 3 || rep.Rejected != 0 {
			t.Fatalf("members: %+v", rep)
		}
		// Re-running the same files changes nothing.
		if rep := mustLoad(t, db, "orgs", orgsCSV); rep.Unchanged != 6 || rep.Inserted != 0 {
			t.Errorf("orgs rerun: %+v", rep)
		}
		if rep := mustLoad(t, db, "members", membersCSV); rep.Unchanged != 3 || rep.Inserted+rep.Updated != 0 {
			t.Errorf("members rerun: %+v", rep)
		}
		db.View(ctx, func(tx *store.Tx) error {
			m, err := tx.MemberByCard(ctx, "01000002", civil.MustParse("2026-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			if m.FullName != "Trần Thị Lan" || m.Gender != ktgs.GenderFemale || m.BirthDate.String() != "1980-01-01" || m.Status != ktgs.MemberStatusProbationary {
				t.Errorf("member=%+v", m)
			}
			// Joined the chi bộ when it was founded (after admission).
			if m.HomeSince.String() != "2025-07-01" {
				t.Errorf("home since %s", m.HomeSince)
			}
			// Managed by the grassroots committee above a chi bộ trực thuộc.
			m3, _ := tx.MemberByCard(ctx, "01000003", civil.MustParse("2026-01-01"))
			db3, _ := tx.OrgIDByCode(ctx, "NBI-KB-DB")
			if m3.Managing.OrgID != db3 {
				t.Errorf("managing=%d, want the đảng bộ cơ sở %d", m3.Managing.OrgID, db3)
			}
			if p, _ := tx.Integrity(ctx); len(p) > 0 {
				t.Errorf("integrity: %v", p)
			}
			return nil
		})
		// A changed name updates; a changed chi bộ transfers with the date given.
		changed := "so_the,ho_ten,ngay_vao_dang,ma_chi_bo,ngay_sinh_hoat\n01000001,Nguyễn Văn Hùng,03/03/1995,NBI-KB-DB-1,01/09/2026\n01000002,Trần Thị Lan Anh,03/03/2005,NBI-KB-CB1,\n"
		rep = mustLoad(t, db, "members", changed)
		if rep.Updated != 2 {
			t.Fatalf("update: %+v", rep)
		}
		db.View(ctx, func(tx *store.Tx) error {
			m, _ := tx.MemberByCard(ctx, "01000001", civil.MustParse("2026-10-01"))
			atts, _ := tx.Attachments(ctx, m.ID)
			if m.HomeSince.String() != "2026-09-01" || len(atts) != 2 || atts[0].To.String() != "2026-09-01" {
				t.Errorf("transfer: home since %s, attachments %+v", m.HomeSince, atts)
			}
			if m.Gender != ktgs.GenderMale {
				t.Errorf("an empty cell must keep the stored value: gender %q", m.Gender)
			}
			l, _ := tx.MemberByCard(ctx, "01000002", civil.MustParse("2026-10-01"))
			if l.FullName != "Trần Thị Lan Anh" {
				t.Errorf("rename: %q", l.FullName)
			}
			return nil
		})
	})
}

func TestImportBadInput(t *testing.T) {
	db := testdb.OpenSQLite(t)
	mustLoad(t, db, "orgs", orgsCSV)
	mustLoad(t, db, "members", membersCSV)
	count := func() int {
		var n int
		db.View(ctx, func(tx *store.Tx) error {
			n, _ = tx.CountAllMembers(ctx)
			return nil
		})
		return n
	}
	tests := []struct {
		name, kind, text string
		wantErr          error
		wantHeader       bool
		wantLines        []int
		wantKeys         []string
	}{
		{name: "empty file", kind: "members", text: "", wantErr: importer.ErrEmpty},
		{name: "blank file", kind: "members", text: " \n\n", wantErr: importer.ErrEmpty},
		{name: "missing column", kind: "members", text: "so_the,ho_ten\n1,2\n", wantHeader: true},
		{name: "extra column", kind: "members", text: strings.Replace(membersCSV, "Mã chi bộ", "Mã chi bộ,Ghi chú", 1), wantHeader: true},
		{name: "unknown org type", kind: "orgs", text: "ma,ten,loai,ma_cap_tren,ngay_hieu_luc\nX1,Tên,DANG_BO_XYZ,NBI,01/08/2025\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2}, wantKeys: []string{"err.org_type_unknown"}},
		{name: "cycle", kind: "orgs", text: "ma,ten,loai,ma_cap_tren,ngay_hieu_luc\nA1,A,DANG_BO_CO_SO,B1,01/08/2025\nB1,B,DANG_BO_CO_SO,A1,01/08/2025\nC1,C,CHI_BO_TRUC_THUOC,A1,01/08/2025\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2, 3, 4}, wantKeys: []string{"err.import_cycle", "err.import_cycle", "err.import_parent_rejected"}},
		{name: "changed existing org", kind: "orgs", text: "ma,ten,loai,ma_cap_tren,ngay_hieu_luc\nNBI,Đảng bộ tỉnh Khác,DANG_BO_TRUC_THUOC_TW,TW,01/07/2025\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2}, wantKeys: []string{"err.import_org_differs"}},
		{name: "two home chi bộ", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000001,Phạm Văn A,01/01/2010,NBI-KB-CB1\n09000001,Phạm Văn A,01/01/2010,NBI-KB-DB-1\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{3}, wantKeys: []string{"err.import_two_homes"}},
		{name: "duplicate card", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000002,Phạm Văn B,01/01/2010,NBI-KB-CB1\n09.000.002,Phạm Văn B,01/01/2010,NBI-KB-CB1\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{3}, wantKeys: []string{"err.import_duplicate"}},
		{name: "dates out of order", kind: "members", text: "so_the,ho_ten,ngay_sinh,ngay_vao_dang,ngay_chinh_thuc,ma_chi_bo\n09000003,Phạm Văn C,01/01/2000,01/01/1990,,NBI-KB-CB1\n09000004,Phạm Văn D,01/01/1980,01/01/2010,01/01/2009,NBI-KB-CB1\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2, 3}, wantKeys: []string{"err.date_after", "err.date_after"}},
		{name: "bad dates", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000005,Phạm Văn E,31/02/2010,NBI-KB-CB1\n09000006,Phạm Văn F,2010/01/01,NBI-KB-CB1\n09000007,Phạm Văn G,01/01/1890,NBI-KB-CB1\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2, 3, 4}, wantKeys: []string{"err.date_nonexistent", "err.date_syntax", "err.date_range"}},
		{name: "not a chi bộ", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000008,Phạm Văn H,01/01/2010,NBI-KB\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2}, wantKeys: []string{"err.not_branch"}},
		{name: "row too wide", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000009,Phạm Văn I,01/01/2010,NBI-KB-CB1,thừa\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2}, wantKeys: []string{"err.row_width"}},
		{name: "broken quotes", kind: "members", text: "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09000010,\"Phạm \"Văn\" K,01/01/2010,NBI-KB-CB1\n",
			wantErr: importer.ErrInvalidRows, wantLines: []int{2}, wantKeys: []string{"err.csv_syntax"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := count()
			rep, err := load(t, db, tc.kind, tc.text, importer.Options{})
			var he *importer.HeaderError
			switch {
			case tc.wantHeader:
				if !errors.As(err, &he) {
					t.Fatalf("err=%v, want a header error", err)
				}
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("err=%v, want %v", err, tc.wantErr)
			}
			if len(tc.wantLines) > 0 {
				var lines []int
				var keys []string
				for _, e := range rep.Errors {
					lines = append(lines, e.Line)
					keys = append(keys, e.Key)
				}
				if !equalInts(lines, tc.wantLines) || strings.Join(keys, ",") != strings.Join(tc.wantKeys, ",") {
					t.Errorf("errors at %v %v, want %v %v (%+v)", lines, keys, tc.wantLines, tc.wantKeys, rep.Errors)
				}
				for _, e := range rep.Errors {
					if e.Message == "" || e.Message == e.Key {
						t.Errorf("line %d: no Vietnamese message for %s", e.Line, e.Key)
					}
				}
			}
			if after := count(); after != before {
				t.Errorf("rejected file changed the register: %d → %d members", before, after)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSkipInvalid(t *testing.T) {
	db := testdb.OpenSQLite(t)
	mustLoad(t, db, "orgs", orgsCSV)
	var rejects bytes.Buffer
	text := "so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n09100001,Đỗ Văn An,01/01/2010,NBI-KB-CB1\n123,Sai Số Thẻ,01/01/2010,NBI-KB-CB1\n09100002,Đỗ Thị Bình,01/01/2010,KHONG-CO\n09100003,Đỗ Văn Cường,01/01/2010,NBI-KB-CB1\n"
	rep, err := load(t, db, "members", text, importer.Options{SkipInvalid: true, Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Inserted != 2 || rep.Rejected != 2 || !rep.Committed {
		t.Fatalf("report %+v", rep)
	}
	out := rejects.String()
	for _, want := range []string{"dong,so_the,ho_ten,ngay_vao_dang,ma_chi_bo,loi", "3,123,Sai Số Thẻ", "card_number: Số thẻ đảng viên gồm 6 đến 12 chữ số.", "4,09100002", "KHONG-CO"} {
		if !strings.Contains(out, want) {
			t.Errorf("rejects file lacks %q:\n%s", want, out)
		}
	}
}

func TestLegacyEncodings(t *testing.T) {
	db := testdb.OpenSQLite(t)
	mustLoad(t, db, "orgs", orgsCSV)
	for _, enc := range []string{textenc.TCVN3, textenc.VNI, textenc.Windows1258} {
		t.Run(enc, func(t *testing.T) {
			name := map[string]string{textenc.TCVN3: "Đặng Thị Hường", textenc.VNI: "Ngô Văn Quyết", textenc.Windows1258: "Bùi Thị Thủy"}[enc]
			card := map[string]string{textenc.TCVN3: "09200001", textenc.VNI: "09200002", textenc.Windows1258: "09200003"}[enc]
			text := "so_the,ho_ten,ngay_vao_dang,ma_chi_bo,que_quan\n" + card + "," + strings.ToLower(name[:0]) + name + ",01/01/2010,NBI-KB-CB1,xã Kim Bảng\n"
			raw, err := textenc.Encode(text, enc)
			if err != nil {
				t.Fatal(err)
			}
			// Without --encoding the file is refused, naming what it looks like.
			_, err = importer.Import(ctx, app.New(db, nil), "members", bytes.NewReader(raw), importer.Options{})
			var ee *importer.EncodingError
			if !errors.As(err, &ee) || ee.Guess != enc {
				t.Fatalf("err=%v, want an EncodingError guessing %s", err, enc)
			}
			if _, err := importer.Import(ctx, app.New(db, nil), "members", bytes.NewReader(raw), importer.Options{Encoding: enc}); err != nil {
				t.Fatal(err)
			}
			db.View(ctx, func(tx *store.Tx) error {
				m, err := tx.MemberByCard(ctx, card, civil.MustParse("2026-01-01"))
				if err != nil || m.FullName != name || m.Hometown != "xã Kim Bảng" {
					t.Errorf("member %+v %v, want %s", m, err, name)
				}
				return nil
			})
		})
	}
}

// endless is a reader of one line that never ends: the importer must stop
// after the line limit instead of reading it all into memory.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	if e.n > 2<<30 {
		return 0, io.EOF
	}
	return len(p), nil
}

func TestHugeLineIsRefused(t *testing.T) {
	db := testdb.OpenSQLite(t)
	src := &endless{}
	r := io.MultiReader(strings.NewReader("so_the,ho_ten,ngay_vao_dang,ma_chi_bo\n"), src)
	_, err := importer.Import(ctx, app.New(db, nil), "members", r, importer.Options{})
	if !errors.Is(err, importer.ErrLineTooLong) {
		t.Fatalf("err=%v, want ErrLineTooLong", err)
	}
	if src.n > 8<<20 {
		t.Errorf("read %d bytes of the endless line; the limit is 1 MiB", src.n)
	}
}

func TestExportXLSXRoundTrip(t *testing.T) {
	db := testdb.OpenSQLite(t)
	mustLoad(t, db, "orgs", orgsCSV)
	mustLoad(t, db, "members", membersCSV)
	for _, f := range []importer.Format{importer.XLSX, importer.CSV} {
		var buf bytes.Buffer
		n, err := importer.ExportMembers(ctx, db, &buf, importer.ExportOptions{Format: f, Date: civil.MustParse("2026-01-01")})
		if err != nil || n != 3 {
			t.Fatalf("%s export: %d %v", f, n, err)
		}
		rep, err := importer.Import(ctx, app.New(db, nil), "members", &buf, importer.Options{})
		if err != nil || rep.Unchanged != 3 {
			t.Fatalf("%s re-import: %+v %v", f, rep, err)
		}
		var obuf bytes.Buffer
		if n, err := importer.ExportOrgs(ctx, db, &obuf, importer.ExportOptions{Format: f, Date: civil.MustParse("2026-01-01"), Under: "NBI-KB"}); err != nil || n != 4 {
			t.Fatalf("%s orgs export under NBI-KB: %d %v", f, n, err)
		}
	}
}
