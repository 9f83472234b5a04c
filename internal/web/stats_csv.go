package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"

	"ktgs/internal/app"
)

// statsNA marks a cell that is not applicable (a unit that did not exist
// in the period, an indicator without records) in the page, the CSV and
// the XLSX: never a zero.
const statsNA = "—"

// statsFileName names an export of rep.
func statsFileName(rep *app.StatsReport, ext string) string {
	p := rep.Query.Period
	return "thong-ke-" + rep.Unit.Code + "-" + p.From.String() + "-" + p.To.String() + "." + ext
}

// handleStatsCSV writes the data behind the report table: one line per
// row of the report (the row key, the indicator, the row's full label),
// then one column per column of the table (total, own level, each child
// unit), numbers without grouping, "—" where not applicable. UTF-8 with a
// byte order mark and headers in the request's language, as /letters.csv.
func (s *Server) handleStatsCSV(w http.ResponseWriter, r *http.Request) error {
	q, _, err := s.statsQuery(r)
	if err != nil {
		return statsErr(err)
	}
	rep, err := s.App.Stats(r.Context(), q)
	if err != nil {
		return statsErr(err)
	}
	lang := langOf(r.Context())
	tb := s.statsTableOf(lang, rep)
	t := func(k string) string { return s.I18n.T(lang, k) }
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	head := []string{t("stats.col.row_key"), t("stats.col.indicator"), t("stats.col.content")}
	for _, c := range tb.Cols {
		head = append(head, csvCell(c.Name))
	}
	cw.Write(head)
	for _, sec := range tb.Sections {
		for _, ln := range sec.Lines {
			if ln.Heading {
				continue
			}
			rec := []string{ln.Key, csvCell(sec.Label), csvCell(ln.Full)}
			for _, c := range ln.Row.Cells {
				if c.NA {
					rec = append(rec, statsNA)
				} else {
					rec = append(rec, strconv.Itoa(c.Count))
				}
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	sendAttachment(w, statsFileName(rep, "csv"), "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
