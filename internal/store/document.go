package store

import (
	"context"
	"database/sql"
	"time"

	"ktgs"
	"ktgs/internal/civil"
)

// Document is an official document of a case (decision, plan, conclusion
// notice) as stored.
type Document struct {
	ID     int64
	CaseID int64 // the owner: a case, or
	// ProceedingID a discipline proceeding, or SuspensionID a suspension
	// of party activity (exactly one is set).
	ProceedingID int64
	SuspensionID int64
	ComplaintID  int64
	Type         string // QD, KH, TB
	BodyID       int64
	TermName     string
	Number       int
	NumberText   string // "Số 05-QĐ/UBKT"
	Status       string // DRAFT, ISSUED
	Fields       string // JSON of the editable fields
	DocxHash     string
	PDFHash      string
	IssuedOn     civil.Date
	IssuedBy     int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const docCols = `id, COALESCE(case_id, 0), COALESCE(proceeding_id, 0), COALESCE(suspension_id, 0), COALESCE(complaint_id, 0), type, body_id, term_name, number, number_text, status, fields, COALESCE(docx_hash, ''), COALESCE(pdf_hash, ''),
	issued_on, issued_by, created_at, updated_at`

func scanDoc(sc interface{ Scan(...any) error }, d *Document) error {
	return sc.Scan(&d.ID, &d.CaseID, &d.ProceedingID, &d.SuspensionID, &d.ComplaintID, &d.Type, &d.BodyID, &d.TermName, &d.Number, &d.NumberText, &d.Status, &d.Fields, &d.DocxHash, &d.PDFHash,
		&d.IssuedOn, &d.IssuedBy, &d.CreatedAt, &d.UpdatedAt)
}

// InsertDocument stores a new (draft) document.
func (tx *Tx) InsertDocument(ctx context.Context, d *Document) error {
	d.CreatedAt, d.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO documents (case_id, proceeding_id, suspension_id, complaint_id, type, body_id, term_name, number, number_text, status,
		fields, docx_hash, pdf_hash, issued_on, issued_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(d.CaseID), nullID(d.ProceedingID), nullID(d.SuspensionID), nullID(d.ComplaintID), d.Type, d.BodyID, d.TermName, d.Number, d.NumberText, d.Status, d.Fields, nullStr(d.DocxHash), nullStr(d.PDFHash),
		d.IssuedOn, d.IssuedBy, tx.now, tx.now)
	d.ID = id
	return err
}

// UpdateDraft rewrites the fields of a draft; an issued document is
// refused (ECONFLICT).
func (tx *Tx) UpdateDraft(ctx context.Context, d *Document) error {
	d.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE documents SET fields = ?, updated_at = ? WHERE id = ? AND status = 'DRAFT'`, d.Fields, tx.now, d.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ECONFLICT, "err.document_issued")
	}
	return nil
}

// IssueDocument gives a draft its number and hashes and makes it
// immutable. A number already used by the issuer for the type in the term
// is refused by the unique index (ECONFLICT).
func (tx *Tx) IssueDocument(ctx context.Context, d *Document) error {
	d.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE documents SET term_name = ?, number = ?, number_text = ?, status = 'ISSUED', fields = ?, docx_hash = ?, pdf_hash = ?,
		issued_on = ?, issued_by = ?, updated_at = ? WHERE id = ? AND status = 'DRAFT'`,
		d.TermName, d.Number, d.NumberText, d.Fields, d.DocxHash, d.PDFHash, d.IssuedOn, d.IssuedBy, tx.now, d.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ktgs.Errorf(ktgs.ECONFLICT, "err.document_issued")
	}
	d.Status = "ISSUED"
	return nil
}

// Document returns document id.
func (tx *Tx) Document(ctx context.Context, id int64) (*Document, error) {
	d := new(Document)
	if err := scanDoc(tx.queryRow(ctx, `SELECT `+docCols+` FROM documents WHERE id = ?`, id), d); err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "document")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return d, nil
}

// Documents returns the documents of case id.
func (tx *Tx) Documents(ctx context.Context, caseID int64) ([]Document, error) {
	rows, err := tx.query(ctx, `SELECT `+docCols+` FROM documents WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := scanDoc(rows, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// LastDocumentNumber returns the highest number the body issued for the
// type in the term (0 if none).
func (tx *Tx) LastDocumentNumber(ctx context.Context, bodyID int64, typ, term string) (int, error) {
	return tx.count(ctx, `SELECT COALESCE(MAX(number), 0) FROM documents WHERE body_id = ? AND type = ? AND term_name = ?`, bodyID, typ, term)
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// DocumentNumberUsed reports whether the body already issued number n of
// the type in the term.
func (tx *Tx) DocumentNumberUsed(ctx context.Context, bodyID int64, typ, term string, n int) (bool, error) {
	c, err := tx.count(ctx, `SELECT COUNT(*) FROM documents WHERE body_id = ? AND type = ? AND term_name = ? AND number = ?`, bodyID, typ, term, n)
	return c > 0, err
}

// SuspensionDocuments returns the documents of suspension id.
func (tx *Tx) SuspensionDocuments(ctx context.Context, id int64) ([]Document, error) {
	return tx.documentsWhere(ctx, "suspension_id", id)
}

// ComplaintDocuments returns the documents of complaint id.
func (tx *Tx) ComplaintDocuments(ctx context.Context, id int64) ([]Document, error) {
	return tx.documentsWhere(ctx, "complaint_id", id)
}

func (tx *Tx) documentsWhere(ctx context.Context, col string, id int64) ([]Document, error) {
	rows, err := tx.query(ctx, `SELECT `+docCols+` FROM documents WHERE `+col+` = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := scanDoc(rows, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
