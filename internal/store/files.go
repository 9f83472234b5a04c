package store

import (
	"context"
	"database/sql"
	"time"

	"ktgs"
)

// PutFile stores content under its SHA-256 (hex) once; storing the same
// content again is a no-op.
func (tx *Tx) PutFile(ctx context.Context, hash, mime string, data []byte) error {
	_, err := tx.exec(ctx, `INSERT INTO files (hash, size, mime, data, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		hash, len(data), mime, data, tx.now)
	return err
}

// File returns the content and type of the file with the given hash.
func (tx *Tx) File(ctx context.Context, hash string) ([]byte, string, error) {
	var data []byte
	var mime string
	if err := tx.one(tx.queryRow(ctx, `SELECT data, mime FROM files WHERE hash = ?`, hash), "file", &data, &mime); err != nil {
		return nil, "", err
	}
	return data, mime, nil
}

// CaseFile is a file attached to a case.
type CaseFile struct {
	ID                  int64
	CaseID              int64
	Hash                string
	Name                string // safe file name for download
	Kind                string // EVIDENCE, SELF_REPORT, COMMENTS, REMEDIATION, DOCUMENT
	SubjectSeq          int
	RemediationReportID int64
	UploadedBy          int64
	UploadedAt          time.Time
	Size                int64
	Mime                string
}

// InsertCaseFile attaches a stored file to a case.
func (tx *Tx) InsertCaseFile(ctx context.Context, f *CaseFile) error {
	f.UploadedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO case_files (case_id, hash, name, kind, subject_seq, remediation_report_id, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.CaseID, f.Hash, f.Name, f.Kind, f.SubjectSeq, nullID(f.RemediationReportID), f.UploadedBy, tx.now)
	f.ID = id
	return err
}

const caseFileCols = `cf.id, cf.case_id, cf.hash, cf.name, cf.kind, cf.subject_seq, COALESCE(cf.remediation_report_id, 0), cf.uploaded_by, cf.uploaded_at, f.size, f.mime`

func scanCaseFile(sc interface{ Scan(...any) error }, f *CaseFile) error {
	return sc.Scan(&f.ID, &f.CaseID, &f.Hash, &f.Name, &f.Kind, &f.SubjectSeq, &f.RemediationReportID, &f.UploadedBy, &f.UploadedAt, &f.Size, &f.Mime)
}

// CaseFiles returns the files of case id.
func (tx *Tx) CaseFiles(ctx context.Context, caseID int64) ([]CaseFile, error) {
	rows, err := tx.query(ctx, `SELECT `+caseFileCols+` FROM case_files cf JOIN files f ON f.hash = cf.hash WHERE cf.case_id = ? ORDER BY cf.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseFile
	for rows.Next() {
		var f CaseFile
		if err := scanCaseFile(rows, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CaseFileByID returns the attachment id.
func (tx *Tx) CaseFileByID(ctx context.Context, id int64) (*CaseFile, error) {
	f := new(CaseFile)
	err := scanCaseFile(tx.queryRow(ctx, `SELECT `+caseFileCols+` FROM case_files cf JOIN files f ON f.hash = cf.hash WHERE cf.id = ?`, id), f)
	if err == sql.ErrNoRows {
		return nil, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found", "file")
	} else if err != nil {
		return nil, tx.db.d.translate(err)
	}
	return f, nil
}

// Reminders and notifications.

// ClaimReminder records that the reminder key is being sent and reports
// whether this call claimed it (false: already sent, here or by another
// server).
func (tx *Tx) ClaimReminder(ctx context.Context, key string) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO reminders (key, sent_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, tx.now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Notification is an in-app message to a user.
type Notification struct {
	ID        int64
	UserID    int64
	Key       string
	Text      string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// InsertNotification stores an in-app notification.
func (tx *Tx) InsertNotification(ctx context.Context, n *Notification) error {
	n.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO notifications (user_id, key, text, link, created_at) VALUES (?, ?, ?, ?, ?)`,
		n.UserID, n.Key, n.Text, n.Link, tx.now)
	n.ID = id
	return err
}

// Notifications returns the latest notifications of user id.
func (tx *Tx) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	rows, err := tx.query(ctx, `SELECT id, user_id, key, text, link, created_at, read_at FROM notifications WHERE user_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var read sql.NullTime
		if err := rows.Scan(&n.ID, &n.UserID, &n.Key, &n.Text, &n.Link, &n.CreatedAt, &read); err != nil {
			return nil, err
		}
		n.ReadAt = timePtr(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkNotificationsRead marks every notification of user id as read.
func (tx *Tx) MarkNotificationsRead(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, userID)
	return err
}
