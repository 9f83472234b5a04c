package store

import (
	"ktgs"
)

// Bulk rows of letters (đơn thư, 0012_letters.sql) for the synthetic-data
// generator: the letter, its allegations, duplicate-finding keys, handling
// team, history and notices. As for InsertLetter, the sender must already
// be sealed: no row builder here takes a clear-text identity.

var letterBulkCols = []string{"id", "code", "receipt_hash", "channel", "kind", "sender_mode", "sender_sealed", "sender_tag",
	"denouncer_tag", "signers", "not_personally_signed", "lacks_civil_capacity", "address_unclear", "read_back_signed",
	"congress_related", "title", "content", "fingerprint", "received_on", "received_org_id", "holder_body_id", "holder_org_id",
	"scope_path", "competent_body_id", "competent_on", "due_on", "extensions", "status", "duplicate_of", "resubmission_of", "intake",
	"clock", "concluded_on", "notified_on", "withdrawn_on", "mark", "created_by", "created_at", "updated_at"}

// Letter builds a letter row; l.ID and l.Code (ĐT-<year received>-<id>)
// must be set, and receiptHash is the SHA-256 of its receipt code (the
// code itself is never stored). Its allegations, keys, team, events and
// notices are built with the functions below.
func (b *RowBuilder) Letter(l *ktgs.Letter, receiptHash string) Row {
	return Row{tLetters, []any{l.ID, l.Code, receiptHash, string(l.Channel), string(l.Kind), string(l.Mode), l.SenderSealed, l.SenderTag,
		l.DenouncerTag, int64(l.Signers), l.NotPersonallySigned, l.LacksCivilCapacity, l.AddressUnclear, l.ReadBackSigned,
		l.CongressRelated, l.Title, l.Content, l.Fingerprint, b.date(l.ReceivedOn), l.ReceivedOrgID, l.HolderBodyID, l.HolderOrgID,
		l.ScopePath, id(l.CompetentBodyID), b.date(l.CompetentOn), b.date(l.DueOn), int64(l.Extensions), string(l.Status),
		id(l.DuplicateOf), id(l.ResubmissionOf), l.Intake, l.Clock, b.date(l.ConcludedOn), b.date(l.NotifiedOn), b.date(l.WithdrawnOn),
		l.Mark.Code(), l.CreatedBy, b.ts(l.CreatedAt), b.ts(l.UpdatedAt)}}
}

// LetterAllegation builds an allegation row (a.ID, a.LetterID and a.Seq
// set by the caller).
func (b *RowBuilder) LetterAllegation(a *ktgs.Allegation) Row {
	return Row{tLetterAllegations, []any{a.ID, a.LetterID, int64(a.Seq), string(a.Kind), string(a.Subject), id(a.MemberID), id(a.OrgID),
		a.AccusedName, a.AccusedUnit, a.Content, string(a.Result), a.Conclusion, id(a.ProceedingID), id(a.CaseID)}}
}

// LetterKey builds one duplicate-finding key row of letter letterID.
func (b *RowBuilder) LetterKey(letterID int64, key string) Row {
	return Row{tLetterKeys, []any{key, letterID}}
}

// LetterTeamMember builds one place on the handling team of letter
// letterID.
func (b *RowBuilder) LetterTeamMember(letterID int64, m *ktgs.LetterTeamMember) Row {
	return Row{tLetterTeam, []any{letterID, m.UserID, id(m.MemberID), m.Role}}
}

// LetterEvent builds a history row (e.ID set by the caller).
func (b *RowBuilder) LetterEvent(e *ktgs.LetterEvent) Row {
	return Row{tLetterEvents, []any{e.ID, e.LetterID, b.ts(e.At), b.date(e.On), e.ActorID, e.Actor, e.Step, string(e.From), string(e.To),
		e.BodyID, e.Note, e.Rules}}
}

// LetterNotice builds a notice row (n.ID set by the caller).
func (b *RowBuilder) LetterNotice(n *ktgs.LetterNotice) Row {
	return Row{tLetterNotices, []any{n.ID, n.LetterID, string(n.Kind), b.date(n.On), n.To, n.Text, n.Delivered}}
}
