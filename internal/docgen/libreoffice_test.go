package docgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLibreOfficeRoundTrip opens each example DOCX in LibreOffice headless,
// converts it to PDF and checks the text: every line of Text is there, and
// each part of the page reads in order. It needs soffice and pdftotext
// (apt-get install -y --no-install-recommends libreoffice-writer-nogui
// poppler-utils); without them it is skipped, unless
// KTGS_REQUIRE_LIBREOFFICE=1.
func TestLibreOfficeRoundTrip(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	tool(t, "pdftotext")
	pdfinfo := tool(t, "pdfinfo")

	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// A private profile, so that parallel runs and a desktop session do
	// not share (and lock) one.
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	args := []string{"-env:UserInstallation=" + profile, "--headless", "--norestore", "--nolockcheck",
		"--convert-to", "pdf", "--outdir", out}
	docs := map[string]*Document{}
	for _, ex := range examples {
		d := ex.doc()
		docs[ex.name] = d
		var buf bytes.Buffer
		if err := WriteDOCX(&buf, d); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, ex.name+".docx")
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, file)
	}
	start := time.Now()
	log := run(t, 120*time.Second, soffice, args...)
	t.Logf("soffice converted %d documents in %v", len(examples), time.Since(start).Round(time.Millisecond))

	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			d := docs[ex.name]
			pdf, err := os.ReadFile(filepath.Join(out, ex.name+".pdf"))
			if err != nil {
				t.Fatalf("no PDF from LibreOffice: %v\n%s", err, log)
			}
			defer func() {
				if t.Failed() {
					docx, _ := os.ReadFile(filepath.Join(dir, ex.name+".docx"))
					saveArtifact(t, ex.name+".docx", docx)
					saveArtifact(t, ex.name+".libreoffice.pdf", pdf)
				}
			}()
			file := filepath.Join(out, ex.name+".pdf")
			if info := string(run(t, 30*time.Second, pdfinfo, file)); !strings.Contains(info, "(A4)") {
				t.Errorf("LibreOffice's PDF is not A4:\n%s", info)
			}
			text := dropPageNumbers(pdfToText(t, pdf))
			for _, want := range textLines(d) {
				if !strings.Contains(squeeze(text), squeeze(want)) {
					t.Errorf("LibreOffice's PDF lacks %q", want)
				}
			}
			// pdftotext reads a row's left column before its right one.
			v := newView(d)
			flow := []string{v.typ, v.summary}
			for _, b := range v.body {
				flow = append(flow, b.text())
			}
			for _, seq := range [][]string{
				{v.superior, v.issuing, v.number, PartyHeader, v.date, v.typ},
				flow,
				append([]string{v.body[len(v.body)-1].text(), RecipientsLabel}, v.recipients...),
				{v.recipients[len(v.recipients)-1], v.capacity, v.title, v.name},
			} {
				if missing, ok := inOrder(text, seq); !ok {
					t.Errorf("LibreOffice's PDF: %q missing or out of order in %q", missing, seq)
				}
			}
			if t.Failed() {
				t.Logf("pdftotext:\n%s", text)
			}
			ours := len(pageObject.FindAll(MustPDF(t, d), -1))
			theirs := strings.Count(text, "\f")
			t.Logf("pages: LibreOffice %d, WritePDF %d", theirs, ours)
		})
	}
}
