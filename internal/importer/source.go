// Package importer reads and writes organisation and member registers as
// CSV and XLSX files, the way Vietnamese party offices keep them.
//
// Import validates every row and reports every error with its line
// number. By default it changes nothing unless every row is valid; with
// SkipInvalid it imports the valid rows and writes the rejected ones, with
// their errors, to a CSV file. Natural keys make a re-run of the same file
// change nothing: the organisation code and the party card number. Input
// is streamed, so a file of any size is read in constant memory (apart
// from the set of keys already seen).
package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ktgs/internal/textenc"
	"ktgs/internal/vn"
)

// maxLine bounds one CSV record: a file that is one 2 GB "line" is refused
// instead of being read into memory.
const maxLine = 1 << 20

// source yields the records of a CSV or XLSX file.
type source interface {
	// next returns the next record and the 1-based line (row) number it
	// starts on; io.EOF at the end.
	next() ([]string, int, error)
	// read returns the bytes consumed so far (for progress), or rows for XLSX.
	read() int64
	close() error
}

// ErrEmpty is returned for a file with no header row.
var ErrEmpty = errors.New("importer: the file is empty")

// openSource sniffs r: an XLSX file (a ZIP archive) or a CSV file in UTF-8,
// or in enc if given. A CSV file that is not UTF-8 is refused with the
// encoding it looks like.
func openSource(r io.Reader, enc string) (source, error) {
	br := bufio.NewReaderSize(r, textenc.SampleSize)
	head, err := br.Peek(textenc.SampleSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, ErrEmpty
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return openXLSX(br)
	}
	if enc == "" {
		guess, reason := textenc.Detect(head)
		if guess != textenc.UTF8 && guess != textenc.UTF8BOM {
			return nil, &EncodingError{Guess: guess, Reason: reason}
		}
		enc = textenc.UTF8
	} else {
		c, err := textenc.Lookup(enc)
		if err != nil {
			return nil, err
		}
		enc = c
	}
	counter := &countingReader{r: br}
	var dec io.Reader
	if enc == textenc.UTF8 {
		// Fields are NFC-normalised one by one as they are read, so UTF-8
		// input only needs validating here, not a second NFC pass over
		// the whole stream.
		dec = &utf8Reader{r: counter, line: 1}
	} else if dec, err = textenc.NewReader(counter, enc); err != nil {
		return nil, err
	}
	lim := &lineLimiter{r: dec}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1 // checked per row, so a bad row is reported, not fatal
	cr.ReuseRecord = false
	cr.LazyQuotes = false
	// Spreadsheets exported with ";" as separator are common in locales
	// that write decimal commas; detect it from the header line.
	if first, _, _ := bytes.Cut(head, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	return &csvSource{r: cr, counter: counter, lim: lim}, nil
}

// EncodingError reports a CSV file that is not UTF-8.
type EncodingError struct {
	Guess  string
	Reason string
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("importer: the file is not UTF-8; it looks like %s (%s); convert it to UTF-8 or run again with --encoding %s",
		e.Guess, e.Reason, e.Guess)
}

type csvSource struct {
	r       *csv.Reader
	counter *countingReader
	lim     *lineLimiter
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	line, _ := s.r.FieldPos(0)
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, &lineError{line: pe.StartLine, err: pe.Err}
		}
		var te *textenc.EncodingError
		if errors.As(err, &te) {
			return nil, te.Line, err
		}
		return nil, line, err
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			rec[i] = strings.ToValidUTF8(f, "\uFFFD")
		}
	}
	return rec, line, nil
}

func (s *csvSource) read() int64  { return s.counter.n }
func (s *csvSource) close() error { return nil }

// lineError is a syntax error on one line of a CSV file.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// lineLimiter fails a read once a line exceeds maxLine bytes.
type lineLimiter struct {
	r   io.Reader
	run int
}

// ErrLineTooLong is returned for a line longer than 1 MiB.
var ErrLineTooLong = errors.New("importer: a line is longer than 1 MiB; the file is not a register")

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	rest := p[:n]
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.run += len(rest)
			break
		}
		if l.run+i > maxLine {
			return 0, ErrLineTooLong
		}
		l.run, rest = 0, rest[i+1:]
	}
	if l.run > maxLine {
		return 0, ErrLineTooLong
	}
	return n, err
}

// utf8Reader passes valid UTF-8 through (without a byte order mark) and
// fails with a *textenc.EncodingError naming the line of the first invalid
// byte and the encoding it looks like.
type utf8Reader struct {
	r      io.Reader
	carry  []byte // an incomplete rune from the previous read
	buf    []byte
	line   int
	offset int64
	start  bool
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	if len(p) < 8 {
		return 0, io.ErrShortBuffer
	}
	if cap(u.buf) < len(p) {
		u.buf = make([]byte, len(p))
	}
	k := copy(u.buf, u.carry)
	n, err := u.r.Read(u.buf[k : len(p)-0])
	n += k
	chunk := u.buf[:n]
	if !u.start && n >= 3 || err != nil {
		if !u.start && bytes.HasPrefix(chunk, []byte("\ufeff")) {
			chunk = chunk[3:]
			u.offset += 3
		}
		u.start = true
	}
	// Keep an incomplete rune at the end for the next read.
	cut := len(chunk)
	if err == nil {
		for i := 1; i <= 3 && i <= len(chunk); i++ {
			if c := chunk[len(chunk)-i]; c >= 0xC0 {
				if !utf8.FullRune(chunk[len(chunk)-i:]) {
					cut = len(chunk) - i
				}
				break
			} else if c < 0x80 {
				break
			}
		}
	}
	good := chunk[:cut]
	if !utf8.Valid(good) {
		bad := 0
		for bad < len(good) {
			r, size := utf8.DecodeRune(good[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		line := u.line + bytes.Count(good[:bad], []byte("\n"))
		guess, reason := textenc.Detect(good[bad:])
		return 0, &textenc.EncodingError{Offset: u.offset + int64(bad), Line: line, Guess: guess, Reason: reason}
	}
	if err != nil && cut < len(chunk) {
		return 0, &textenc.EncodingError{Offset: u.offset + int64(cut), Line: u.line, Reason: "the file ends inside a character"}
	}
	u.line += bytes.Count(good, []byte("\n"))
	u.offset += int64(len(good))
	u.carry = append(u.carry[:0], chunk[cut:]...)
	m := copy(p, good)
	if err == io.EOF && len(u.carry) == 0 {
		return m, io.EOF
	}
	if err != nil && err != io.EOF {
		return m, err
	}
	return m, nil
}

// xlsxSource reads the first worksheet of a workbook, streaming rows.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

func openXLSX(r io.Reader) (source, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("importer: not a readable XLSX workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, ErrEmpty
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) next() ([]string, int, error) {
	for s.rows.Next() {
		s.line++
		cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, s.line, err
		}
		empty := true
		for _, c := range cols {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		return cols, s.line, nil
	}
	if err := s.rows.Error(); err != nil {
		return nil, s.line, err
	}
	return nil, s.line, io.EOF
}

func (s *xlsxSource) read() int64 { return int64(s.line) }

func (s *xlsxSource) close() error {
	s.rows.Close()
	return s.f.Close()
}

// column describes one column of a register.
type column struct {
	name     string   // canonical Vietnamese header (written by export)
	field    string   // field name used in errors and the JSON API
	aliases  []string // other accepted headers (folded)
	required bool
}

// headerKey folds a header cell: "Số thẻ", "so_the" and "SO THE" all give
// "so_the".
func headerKey(s string) string {
	s = vn.Fold(strings.TrimPrefix(s, "\ufeff"))
	s = strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(strings.TrimSpace(s))
	return strings.Trim(s, "_")
}

// mapHeader returns, for each column spec, the index of its cell in the
// header, or -1. It reports missing required columns, unknown columns and
// duplicates as one error listing all of them.
func mapHeader(header []string, cols []column) ([]int, error) {
	idx := make([]int, len(cols))
	for i := range idx {
		idx[i] = -1
	}
	var problems []string
	for j, h := range header {
		k := headerKey(h)
		if k == "" {
			problems = append(problems, fmt.Sprintf("column %d has no header", j+1))
			continue
		}
		found := false
		for i, c := range cols {
			match := k == c.name || k == c.field
			for _, a := range c.aliases {
				match = match || k == a
			}
			if !match {
				continue
			}
			found = true
			if idx[i] >= 0 {
				problems = append(problems, fmt.Sprintf("column %q appears twice (columns %d and %d)", c.name, idx[i]+1, j+1))
			}
			idx[i] = j
		}
		if !found {
			problems = append(problems, fmt.Sprintf("unknown column %q (column %d)", strings.TrimSpace(h), j+1))
		}
	}
	for i, c := range cols {
		if c.required && idx[i] < 0 {
			problems = append(problems, fmt.Sprintf("missing required column %q", c.name))
		}
	}
	if len(problems) > 0 {
		var names []string
		for _, c := range cols {
			n := c.name
			if c.required {
				n += "*"
			}
			names = append(names, n)
		}
		return nil, &HeaderError{Problems: problems, Expected: names}
	}
	return idx, nil
}

// HeaderError lists what is wrong with a header row.
type HeaderError struct {
	Problems []string
	Expected []string // column names, required ones marked with *
}

func (e *HeaderError) Error() string {
	return "importer: bad header: " + strings.Join(e.Problems, "; ") + ". Expected columns: " + strings.Join(e.Expected, ", ")
}
