package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/store"
)

// Letters (đơn thư, RULES.md §5), staff side: the inbox of each body with
// its CSV export. The intake form is in letters_intake.go, the letter page
// and its steps in letter_page.go, the JSON API in api_letters.go. No
// page, export or JSON answer carries a sender's identity, except the
// audited reveal (ReadLetterSender) on the one response that asked for it.

// letterFilters are the inbox's own query parameters (readListQuery adds
// org, before and limit).
var letterFilters = []string{"body", "kind", "status", "open", "due_within", "overdue", "duplicates"}

// queryFlag reads a checkbox-like query parameter.
func queryFlag(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// letterQuery reads the inbox filters: body (a body id, or an
// organisation code naming its UBKT), kind, status, open, due_within
// (days), overdue, duplicates, org (a subtree) and keyset paging.
func (s *Server) letterQuery(r *http.Request) (app.LetterQuery, map[string]string, error) {
	var v ktgs.Validation
	lq := s.readListQuery(r, &v, letterFilters...)
	q := app.LetterQuery{SubtreeOrgID: lq.Subtree, Kind: ktgs.LetterKind(lq.Vals["kind"]), Status: ktgs.LetterStatus(lq.Vals["status"]),
		Open: queryFlag(lq.Vals["open"]), Overdue: queryFlag(lq.Vals["overdue"]), Duplicates: queryFlag(lq.Vals["duplicates"]),
		BeforeID: lq.BeforeID, Limit: lq.Limit}
	if q.Kind != "" && !q.Kind.Valid() {
		v.Add("kind", "err.letter.kind")
	}
	if q.Status != "" && !q.Status.Valid() {
		v.Add("status", "err.letter.status")
	}
	if d := lq.Vals["due_within"]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 3650 {
			v.Add("due_within", "err.range", 1, 3650)
		}
		q.DueWithin = n
	}
	if b := lq.Vals["body"]; b != "" {
		id, err := s.letterBodyID(r, b)
		if err != nil {
			v.Add("body", "letters.err.body", b)
		}
		q.BodyID = id
	}
	return q, lq.Vals, v.Err()
}

// letterBodyID reads a body filter: a body id, or the code of an
// organisation whose inspection commission is meant.
func (s *Server) letterBodyID(r *http.Request, b string) (int64, error) {
	if id, err := strconv.ParseInt(b, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	var id int64
	err := s.DB.View(r.Context(), func(tx *store.Tx) error {
		org, err := tx.OrgIDByCode(r.Context(), app.NormaliseCode(b))
		if err != nil {
			return err
		}
		body, err := tx.BodyByKind(r.Context(), org, ktgs.BodyInspectionCommission)
		if err != nil {
			return err
		}
		id = body.ID
		return nil
	})
	return id, err
}

// accusedNames lists who a letter accuses, as matched or as written.
func accusedNames(l *ktgs.Letter) string {
	var names []string
	for _, a := range l.Allegations {
		n := a.SubjectName
		if n == "" {
			n = a.AccusedName
		}
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, "; ")
}

// letterRow is one line of the inbox.
type letterRow struct {
	*ktgs.Letter
	Accused string
	Overdue bool
	// Holder names the holding body with its organisation.
	Holder string
	// FirstCode is the code of the letter this one repeats, when the
	// caller may read it ("" otherwise: the link is not shown).
	FirstCode string
}

// bodyLabel names a body with its organisation ("Ủy ban Kiểm tra — Đảng
// bộ xã …"), as the discipline pages do.
func bodyLabel(ctx context.Context, tx *store.Tx, id int64) string {
	b, err := tx.Body(ctx, id)
	if err != nil {
		return ""
	}
	if o, err := tx.OrgLatest(ctx, b.OrgID); err == nil {
		return b.Name + " — " + o.Name
	}
	return b.Name
}

// letterRows decorates list for the inbox and the export. The letter a
// duplicate repeats is named only if the actor may read it (duplicates
// are found across bodies).
func (s *Server) letterRows(r *http.Request, list []*ktgs.Letter) ([]letterRow, error) {
	today := s.App.Today()
	rows := make([]letterRow, 0, len(list))
	codes := map[int64]string{}
	for _, l := range list {
		codes[l.ID] = l.Code
	}
	var missing []int64
	holders := map[int64]string{}
	for _, l := range list {
		if l.DuplicateOf != 0 && codes[l.DuplicateOf] == "" && !slices.Contains(missing, l.DuplicateOf) {
			missing = append(missing, l.DuplicateOf)
		}
		holders[l.HolderBodyID] = l.HolderBodyName
	}
	if len(list) > 0 {
		ctx := r.Context()
		err := s.DB.View(ctx, func(tx *store.Tx) error {
			for id := range holders {
				if label := bodyLabel(ctx, tx, id); label != "" {
					holders[id] = label
				}
			}
			for _, id := range missing {
				f, err := tx.Letter(ctx, id)
				if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
					continue
				} else if err != nil {
					return err
				}
				obj, err := s.App.LetterObject(ctx, tx, f)
				if err != nil {
					return err
				}
				if authz.Allowed(app.ActorFrom(ctx), authz.CaseRead, obj) {
					codes[id] = f.Code
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, l := range list {
		rows = append(rows, letterRow{Letter: l, Accused: accusedNames(l), Overdue: l.Overdue(today), Holder: holders[l.HolderBodyID],
			FirstCode: codes[l.DuplicateOf]})
	}
	return rows, nil
}

type letterListPage struct {
	Letters  []letterRow
	Kinds    []ktgs.LetterKind
	Statuses []ktgs.LetterStatus
	// NextURL and CSVURL are built from the encoded query (typed so the
	// template keeps its & and =).
	NextURL   template.URL
	CSVURL    template.URL
	CanCreate bool
}

func (s *Server) handleLetters(w http.ResponseWriter, r *http.Request) error {
	q, vals, err := s.letterQuery(r)
	f := &form{Q: vals}
	data := letterListPage{Kinds: ktgs.LetterKinds, Statuses: ktgs.LetterStatuses,
		CanCreate: slices.Contains(authz.Matrix[app.ActorFrom(r.Context()).Role], authz.CaseCreate)}
	if err == nil {
		var list []*ktgs.Letter
		var more bool
		list, more, err = s.App.ListLetters(r.Context(), q)
		if err == nil {
			data.Letters, err = s.letterRows(r, list)
		}
		if len(list) > 0 {
			data.NextURL = nextQuery(r, more, list[len(list)-1].ID)
		}
	}
	if err != nil {
		if ferr := s.formError(r, f, err); ferr != nil {
			return ferr
		}
	}
	csvQ := r.URL.Query()
	csvQ.Del("before")
	csvQ.Del("limit")
	data.CSVURL = template.URL("/letters.csv?" + csvQ.Encode())
	f.Extra = data
	p := s.page(r, "letters.list")
	p.Data = f
	s.render(w, r, formStatus(err), "letters", p)
	return nil
}

// maxLetterExport bounds one CSV export.
const maxLetterExport = 20000

// csvCell keeps a cell from being read as a formula by a spreadsheet.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// handleLettersCSV exports the inbox's filtered list, every page of it:
// UTF-8 with a byte order mark (so spreadsheets read the Vietnamese),
// headers in the page's language, dates dd/mm/yyyy. No identity, no
// sealed text, no blind-index tag: the columns are the inbox's.
func (s *Server) handleLettersCSV(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.letterQuery(r)
	if err != nil {
		return err
	}
	q.BeforeID, q.Limit = 0, 200
	var all []*ktgs.Letter
	for len(all) < maxLetterExport {
		list, more, err := s.App.ListLetters(r.Context(), q)
		if err != nil {
			return err
		}
		all = append(all, list...)
		if !more || len(list) == 0 {
			break
		}
		q.BeforeID = list[len(list)-1].ID
	}
	rows, err := s.letterRows(r, all)
	if err != nil {
		return err
	}
	lang := langOf(r.Context())
	t := func(k string) string { return s.I18n.T(lang, k) }
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	cw.Write([]string{t("letters.col.code"), t("letters.col.received_on"), t("letters.col.kind"), t("letters.col.title"),
		t("letters.col.accused"), t("letters.col.holder"), t("letters.col.status"), t("letters.col.due_on"), t("letters.col.overdue"),
		t("letters.col.duplicate_of")})
	for _, l := range rows {
		kind, overdue, dup := "", "", ""
		if l.Kind != "" {
			kind = t("letters.kind." + string(l.Kind))
		}
		if l.Overdue {
			overdue = t("letters.overdue")
		}
		if l.DuplicateOf != 0 {
			dup = l.FirstCode
			if dup == "" {
				dup = t("letters.duplicate_unnamed")
			}
		}
		cw.Write([]string{csvCell(l.Code), l.ReceivedOn.VN(), kind, csvCell(l.Title), csvCell(l.Accused), csvCell(l.Holder),
			t("letters.status." + string(l.Status)), l.DueOn.VN(), overdue, csvCell(dup)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	sendAttachment(w, "don-thu-"+s.App.Today().String()+".csv", "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
