package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/dedup"
	"ktgs/internal/guard"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Letters: denunciations and petitions (issue "Denunciations and
// petitions"; RULES.md §5). A letter arrives from staff intake (a letter,
// an in-person statement, a phone report), the public form or the JSON
// API. The procedure:
//
//	receive → (transfer → arrive at the competent body) → classify (R12)
//	→ accepted, clock running (R14) → team (R13) → verify → conclude
//	→ notify the denouncer → closed
//
// with the side exits of R12 (not resolved, with every ground and its
// reason; anonymous letters kept as information only), the pre-congress
// hold (R14), duplicates linked to their first letter, and withdrawal
// (unless coerced). Every step is one transaction with its audit entry;
// no audit entry ever holds a sender's identity.
//
// The sender's identity is sealed with Service.Keys (internal/sealed), a
// key kept outside the database. Two blind-index tags stand in for it
// where the procedure must compare: SenderTag (the same sender wrote
// before: duplicates) and DenouncerTag (the sender is member N: R13 and
// the retaliation warning). Only ReadLetterSender opens the seal for a
// person, and only for the handling team, audited with a stated reason.

// Limits of a letter.
const (
	minLetterContent = 20    // runes: anything shorter says nothing verifiable
	maxLetterContent = 20000 // runes
	maxAllegations   = 20
	maxLetterFiles   = 5
)

// aadSender and aadFile bind sealed values to their place, so a sealed
// identity cannot be moved into another column and opened there.
const (
	aadSender   = "letter.sender"
	aadFileName = "letter.file.name"
	aadFileData = "letter.file.data"
)

// AllegationInput is one allegation: its subject (a member by id or card
// number, an organisation by id or code, or only a name as written) and
// its content (default: the letter's).
type AllegationInput struct {
	Kind        ktgs.LetterKind `json:"kind,omitempty"` // default TO_CAO
	MemberID    int64           `json:"member_id,omitempty"`
	CardNumber  string          `json:"card_number,omitempty"`
	OrgID       int64           `json:"org_id,omitempty"`
	OrgCode     string          `json:"org_code,omitempty"`
	AccusedName string          `json:"accused_name,omitempty"`
	AccusedUnit string          `json:"accused_unit,omitempty"`
	Content     string          `json:"content,omitempty"`
}

// LetterFileInput is an attachment as uploaded.
type LetterFileInput struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// LetterInput records a letter.
type LetterInput struct {
	Channel ktgs.LetterChannel `json:"channel"`
	Mode    ktgs.SenderMode    `json:"sender_mode"`
	Sender  ktgs.Sender        `json:"sender"`
	Title   string             `json:"title"`
	Content string             `json:"content"`
	// ReceivedOn defaults to today.
	ReceivedOn civil.Date `json:"received_on,omitempty"`
	// The receiving body: BodyID, or OrgCode and BodyKind. The public
	// form sends to Service.PublicBodyID.
	BodyID      int64             `json:"body_id,omitempty"`
	OrgCode     string            `json:"org_code,omitempty"`
	BodyKind    ktgs.BodyKind     `json:"body_kind,omitempty"`
	Allegations []AllegationInput `json:"allegations"`
	// R12 facts known at intake.
	Signers             int  `json:"signers,omitempty"` // default 1
	NotPersonallySigned bool `json:"not_personally_signed,omitempty"`
	LacksCivilCapacity  bool `json:"lacks_civil_capacity,omitempty"`
	AddressUnclear      bool `json:"address_unclear,omitempty"`
	// ReadBackSigned: an in-person statement was written down, read back
	// to the denouncer and signed (RULES.md §5, denouncer's obligations).
	ReadBackSigned  bool              `json:"read_back_signed,omitempty"`
	CongressRelated bool              `json:"congress_related,omitempty"`
	Files           []LetterFileInput `json:"-"`
}

// Receipt is what a sender gets back: the code to look the status up
// with (shown once; only its hash is stored) and the staff reference.
type Receipt struct {
	Code       string     `json:"receipt_code"`
	LetterCode string     `json:"letter_code"`
	ReceivedOn civil.Date `json:"received_on"`
	// DuplicateOf is set when the letter repeats an earlier one, which
	// it is linked to.
	Duplicate bool `json:"duplicate"`
}

// ReceiveLetter records a letter taken in by staff (or an integration
// acting as a user): the actor needs case:create at the receiving body.
func (s *Service) ReceiveLetter(ctx context.Context, in LetterInput) (*ktgs.Letter, *Receipt, error) {
	if in.Channel == ktgs.ChannelPublicForm {
		return nil, nil, ktgs.Invalid("channel", "err.letter.channel")
	}
	return s.receiveLetter(ctx, in, false)
}

// SubmitPublicLetter records a letter from the public form: no account,
// the portal's receiving body (PublicBodyID). The sender gets only the
// receipt; nothing about the letter or other letters comes back.
func (s *Service) SubmitPublicLetter(ctx context.Context, in LetterInput) (*Receipt, error) {
	if s.PublicBodyID == 0 {
		return nil, ktgs.Errorf(ktgs.EINVALID, "err.letter.no_public_body")
	}
	in.Channel, in.BodyID, in.OrgCode, in.BodyKind = ktgs.ChannelPublicForm, s.PublicBodyID, "", ""
	in.ReceivedOn, in.ReadBackSigned = 0, false
	in.Sender.MemberID = 0 // a public sender cannot claim a member id
	for i := range in.Allegations {
		a := &in.Allegations[i]
		a.MemberID, a.CardNumber, a.OrgID, a.OrgCode = 0, "", 0, ""
	}
	_, r, err := s.receiveLetter(ctx, in, true)
	return r, err
}

func (s *Service) receiveLetter(ctx context.Context, in LetterInput, public bool) (*ktgs.Letter, *Receipt, error) {
	if s.Keys == nil {
		return nil, nil, ktgs.Errorf(ktgs.EINTERNAL, "err.letter.no_key")
	}
	var v ktgs.Validation
	cleanLetterInput(&in)
	if !in.Channel.Valid() {
		v.Add("channel", "err.letter.channel")
	}
	if in.Mode == "" {
		in.Mode = ktgs.SenderNamed
		if in.Sender.Empty() {
			in.Mode = ktgs.SenderAnonymous
		}
	}
	if !in.Mode.Valid() {
		v.Add("sender_mode", "err.letter.sender_mode")
	}
	if in.Mode == ktgs.SenderNamed && in.Sender.Name == "" {
		v.Add("sender.name", "err.letter.sender_name")
	}
	if in.Sender.Email != "" && (!strings.Contains(in.Sender.Email, "@") || len(in.Sender.Email) > 200) {
		v.Add("sender.email", "err.letter.email")
	}
	for f, x := range map[string]string{"sender.name": in.Sender.Name, "sender.address": in.Sender.Address,
		"sender.phone": in.Sender.Phone, "sender.id_number": in.Sender.IDNumber} {
		if len([]rune(x)) > 300 {
			v.Add(f, "err.too_long", 300)
		}
	}
	switch n := len([]rune(in.Title)); {
	case n == 0:
		v.Add("title", "err.required")
	case n > maxTitle:
		v.Add("title", "err.too_long", maxTitle)
	}
	switch n := len([]rune(in.Content)); {
	case n < minLetterContent:
		v.Add("content", "err.letter.content_short", minLetterContent)
	case n > maxLetterContent:
		v.Add("content", "err.too_long", maxLetterContent)
	}
	if in.ReceivedOn.IsZero() {
		in.ReceivedOn = s.Today()
	}
	checkDate(&v, "received_on", in.ReceivedOn, true)
	if in.ReceivedOn.After(s.Today()) {
		v.Add("received_on", "err.letter.future")
	}
	if in.Channel == ktgs.ChannelInPerson && !in.ReadBackSigned {
		v.Add("read_back_signed", "err.letter.read_back")
	}
	if in.Signers == 0 {
		in.Signers = 1
	}
	if in.Signers < 0 || in.Signers > 1000 {
		v.Add("signers", "err.range", 1, 1000)
	}
	if len(in.Allegations) == 0 {
		v.Add("allegations", "err.letter.no_accused")
	} else if len(in.Allegations) > maxAllegations {
		v.Add("allegations", "err.too_many", maxAllegations)
	}
	for i, a := range in.Allegations {
		if a.MemberID == 0 && a.CardNumber == "" && a.OrgID == 0 && a.OrgCode == "" && a.AccusedName == "" {
			v.Add(fmt.Sprintf("allegations[%d].accused_name", i), "err.letter.no_accused")
		}
		if a.Kind != "" && (!a.Kind.Valid() || a.Kind == ktgs.LetterAnonymous) {
			v.Add(fmt.Sprintf("allegations[%d].kind", i), "err.letter.kind")
		}
		if len([]rune(a.AccusedName)) > 200 || len([]rune(a.AccusedUnit)) > 300 {
			v.Add(fmt.Sprintf("allegations[%d].accused_name", i), "err.too_long", 200)
		}
		if len([]rune(a.Content)) > maxLetterContent {
			v.Add(fmt.Sprintf("allegations[%d].content", i), "err.too_long", maxLetterContent)
		}
	}
	files, err := s.checkLetterFiles(&v, in.Files)
	if err != nil {
		return nil, nil, err
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	code, hash, err := newReceiptCode()
	if err != nil {
		return nil, nil, err
	}
	var l *ktgs.Letter
	err = s.DB.Update(ctx, func(tx *store.Tx) error {
		body, org, err := s.resolveBody(ctx, tx, in.BodyID, in.OrgCode, in.BodyKind, in.ReceivedOn)
		if err != nil {
			return err
		}
		if !public {
			obj, err := s.OrgObject(ctx, tx, org.ID)
			if err != nil {
				return err
			}
			obj.Mark = authz.Secret
			if err := s.Authorize(ctx, authz.CaseCreate, obj); err != nil {
				return err
			}
		}
		today, err := tx.OrgLatest(ctx, org.ID)
		if err != nil {
			return err
		}
		l = &ktgs.Letter{Channel: in.Channel, Mode: in.Mode, Title: in.Title, Content: in.Content, ReceivedOn: in.ReceivedOn,
			ReceivedOrgID: org.ID, HolderBodyID: body.ID, HolderOrgID: org.ID, ScopePath: today.Path, Status: ktgs.LetterReceived,
			Signers: in.Signers, NotPersonallySigned: in.NotPersonallySigned, LacksCivilCapacity: in.LacksCivilCapacity,
			AddressUnclear: in.AddressUnclear, ReadBackSigned: in.ReadBackSigned, CongressRelated: in.CongressRelated,
			Mark: authz.Secret, HolderBodyName: body.Name, HolderBodyKind: body.Kind}
		if a := ActorFrom(ctx); a != nil {
			l.CreatedBy = a.UserID
		}
		if err := s.sealSender(l, &in.Sender); err != nil {
			return err
		}
		if l.Allegations, err = s.resolveAllegations(ctx, tx, in.Allegations, in.Content, in.ReceivedOn); err != nil {
			return err
		}
		l.Kind = letterKind(l)
		l.Fingerprint = dedup.Of(l.Title + "\n" + l.Content).Encode()
		if err := s.linkDuplicate(ctx, tx, l); err != nil {
			return err
		}
		if err := s.routeLetter(ctx, tx, l); err != nil {
			return err
		}
		if l.CompetentBodyID == l.HolderBodyID {
			l.CompetentOn = l.ReceivedOn
		}
		if err := tx.InsertLetter(ctx, l, hash, s.letterKeys(l)); err != nil {
			return err
		}
		for _, f := range files {
			name, err := s.Keys.Seal([]byte(f.name), aadFileName)
			if err != nil {
				return err
			}
			data, err := s.Keys.Seal(f.data, aadFileData)
			if err != nil {
				return err
			}
			if err := tx.InsertLetterFile(ctx, &store.LetterFile{LetterID: l.ID, NameSealed: name, Mime: f.kind.MIME,
				Size: int64(len(f.data)), DataSealed: data}); err != nil {
				return err
			}
		}
		note := ""
		if l.DuplicateOf != 0 {
			note = "duplicate"
		}
		if err := s.letterEvent(ctx, tx, l, ktgs.StepLetterReceive, "", l.ReceivedOn, note, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "letter.receive", ObjectType: "letter", ObjectID: l.ID, OrgID: l.HolderOrgID,
			After: letterAudit(l)})
	})
	if err != nil {
		return nil, nil, err
	}
	return l, &Receipt{Code: code, LetterCode: l.Code, ReceivedOn: l.ReceivedOn, Duplicate: l.DuplicateOf != 0}, nil
}

// cleanLetterInput NFC-normalises every text of in.
func cleanLetterInput(in *LetterInput) {
	in.Title, in.Content = vn.Clean(in.Title), vn.CleanText(in.Content)
	in.Sender.Name, in.Sender.Address = vn.Clean(in.Sender.Name), vn.Clean(in.Sender.Address)
	in.Sender.Phone, in.Sender.Email, in.Sender.IDNumber = vn.Clean(in.Sender.Phone), strings.ToLower(vn.Clean(in.Sender.Email)), vn.Clean(in.Sender.IDNumber)
	for i := range in.Allegations {
		a := &in.Allegations[i]
		a.AccusedName, a.AccusedUnit, a.Content = vn.Clean(a.AccusedName), vn.Clean(a.AccusedUnit), vn.CleanText(a.Content)
		a.CardNumber, a.OrgCode = vn.Clean(a.CardNumber), vn.Clean(a.OrgCode)
	}
}

type letterFile struct {
	name string
	data []byte
	kind guard.Kind
}

// checkLetterFiles checks attachments: how many, how large, and what
// they really are (sniffed, not trusted from the name).
func (s *Service) checkLetterFiles(v *ktgs.Validation, in []LetterFileInput) ([]letterFile, error) {
	if len(in) > maxLetterFiles {
		v.Add("files", "err.too_many", maxLetterFiles)
		return nil, nil
	}
	max := s.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	var out []letterFile
	for i, f := range in {
		field := fmt.Sprintf("files[%d]", i)
		if int64(len(f.Data)) > max {
			v.Add(field, "err.file.too_large", SizeLabel(max))
			continue
		}
		if len(f.Data) == 0 {
			v.Add(field, "err.file.empty")
			continue
		}
		k, err := guard.Sniff(f.Name, f.Data)
		if err != nil {
			v.Add(field, "err.letter.file_type")
			continue
		}
		out = append(out, letterFile{name: guard.SafeName(f.Name), data: f.Data, kind: k})
	}
	return out, nil
}

// newReceiptCode returns a public receipt code of 120 random bits (24
// base-32 letters in groups of four, no look-alike ambiguity beyond
// base-32's) and the hash stored in its place.
func newReceiptCode() (code, hash string, err error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	raw := base32.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(raw); i += 4 {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(raw[i : i+4])
	}
	return sb.String(), receiptHash(raw), nil
}

// NormaliseReceipt reads a receipt code as people type it (any case,
// spaces or dashes, the look-alikes 0/O, 1/I and 8/B of base 32 … only
// those base 32 lacks) and returns its 24 letters, or false.
func NormaliseReceipt(code string) (string, bool) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == '0':
			r = 'O'
		case r == '1':
			r = 'I'
		case r == '8':
			r = 'B'
		}
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return "", false
		}
		sb.WriteRune(r)
	}
	if sb.Len() != 24 {
		return "", false
	}
	return sb.String(), true
}

func receiptHash(raw string) string {
	h := sha256.Sum256([]byte("ktgs-receipt:" + raw))
	return hex.EncodeToString(h[:])
}

// sealSender seals the identity into l and computes its tags.
func (s *Service) sealSender(l *ktgs.Letter, snd *ktgs.Sender) error {
	l.SenderSealed, l.SenderTag, l.DenouncerTag = "", "", ""
	if snd.Empty() {
		return nil
	}
	var err error
	if l.SenderSealed, err = s.Keys.SealJSON(snd, aadSender); err != nil {
		return err
	}
	l.SenderTag = senderTag(s.Keys, snd)
	if snd.MemberID != 0 {
		l.DenouncerTag = memberTag(s.Keys, snd.MemberID)
	}
	return nil
}

// senderTag is the blind index of "the same sender": the strongest
// identifier given (identity number, e-mail, phone digits, then the name
// with the address), folded so that typing differences do not matter.
func senderTag(k *sealed.Keyring, snd *ktgs.Sender) string {
	digits := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	switch {
	case digits(snd.IDNumber) != "":
		return k.Tag("sender.id", digits(snd.IDNumber))
	case snd.Email != "":
		return k.Tag("sender.email", strings.ToLower(snd.Email))
	case len(digits(snd.Phone)) >= 8:
		d := digits(snd.Phone)
		return k.Tag("sender.phone", d[len(d)-9:])
	case snd.Name != "":
		return k.Tag("sender.name", vn.Fold(snd.Name)+"|"+vn.Fold(snd.Address))
	case snd.MemberID != 0:
		return k.Tag("sender.member", strconv.FormatInt(snd.MemberID, 10))
	}
	return ""
}

// memberTag is the blind index of "the sender is member id".
func memberTag(k *sealed.Keyring, id int64) string {
	return k.Tag("denouncer.member", strconv.FormatInt(id, 10))
}

// openSender opens the sealed identity of l (for the procedure's own
// use: delivering a notice, a key rotation; never shown by this call).
func (s *Service) openSender(l *ktgs.Letter) (*ktgs.Sender, error) {
	snd := new(ktgs.Sender)
	if l.SenderSealed == "" {
		return snd, nil
	}
	if s.Keys == nil {
		return nil, ktgs.Errorf(ktgs.EINTERNAL, "err.letter.no_key")
	}
	if err := s.Keys.OpenJSON(l.SenderSealed, aadSender, snd); err != nil {
		return nil, err
	}
	return snd, nil
}

// letterKind is the kind of a letter from its sender and allegations: an
// anonymous or false-name letter is DON_NAC_DANH whatever it says; else
// a denunciation if any allegation is one, else the first allegation's.
func letterKind(l *ktgs.Letter) ktgs.LetterKind {
	if l.Mode != ktgs.SenderNamed {
		return ktgs.LetterAnonymous
	}
	for _, a := range l.Allegations {
		if a.Kind == ktgs.LetterDenunciation {
			return a.Kind
		}
	}
	if len(l.Allegations) > 0 {
		return l.Allegations[0].Kind
	}
	return ktgs.LetterDenunciation
}

// resolveAllegations finds each allegation's subject. A subject named
// only in words stays UNKNOWN for staff to match: it is kept, never
// dropped.
func (s *Service) resolveAllegations(ctx context.Context, tx *store.Tx, in []AllegationInput, content string, d civil.Date) ([]ktgs.Allegation, error) {
	out := make([]ktgs.Allegation, 0, len(in))
	for i, a := range in {
		al := ktgs.Allegation{Kind: a.Kind, Subject: ktgs.AllegedUnknown, AccusedName: a.AccusedName, AccusedUnit: a.AccusedUnit,
			Content: a.Content}
		if al.Kind == "" {
			al.Kind = ktgs.LetterDenunciation
		}
		if al.Content == "" {
			al.Content = content
		}
		field := fmt.Sprintf("allegations[%d]", i)
		switch {
		case a.MemberID != 0 || a.CardNumber != "":
			var m *ktgs.Member
			var err error
			if a.MemberID != 0 {
				m, err = tx.MemberAsOf(ctx, a.MemberID, d)
			} else {
				m, err = tx.MemberByCard(ctx, a.CardNumber, d)
			}
			if notFound(err) {
				return nil, ktgs.Invalid(field+".member_id", "err.letter.accused_not_found")
			} else if err != nil {
				return nil, err
			}
			al.Subject, al.MemberID, al.SubjectName = ktgs.AllegedMember, m.ID, m.FullName
			if al.AccusedName == "" {
				al.AccusedName = m.FullName
			}
		case a.OrgID != 0 || a.OrgCode != "":
			id := a.OrgID
			if id == 0 {
				var err error
				if id, err = tx.OrgIDByCode(ctx, NormaliseCode(a.OrgCode)); notFound(err) {
					return nil, ktgs.Invalid(field+".org_code", "err.letter.accused_not_found")
				} else if err != nil {
					return nil, err
				}
			}
			o, err := tx.OrgLatest(ctx, id)
			if notFound(err) {
				return nil, ktgs.Invalid(field+".org_id", "err.letter.accused_not_found")
			} else if err != nil {
				return nil, err
			}
			al.Subject, al.OrgID, al.SubjectName = ktgs.AllegedOrg, o.ID, o.Name
			if al.AccusedName == "" {
				al.AccusedName = o.Name
			}
		}
		out = append(out, al)
	}
	return out, nil
}

// letterKeys are the keys under which duplicates of l are looked for.
func (s *Service) letterKeys(l *ktgs.Letter) []string {
	var keys []string
	if l.SenderTag != "" {
		keys = append(keys, "sender:"+l.SenderTag)
	}
	for _, a := range l.Allegations {
		keys = append(keys, accusedKeys(&a)...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func accusedKeys(a *ktgs.Allegation) []string {
	var keys []string
	switch {
	case a.MemberID != 0:
		keys = append(keys, "accused:m:"+strconv.FormatInt(a.MemberID, 10))
	case a.OrgID != 0:
		keys = append(keys, "accused:o:"+strconv.FormatInt(a.OrgID, 10))
	}
	// The name as written too: a repeat may name the accused in words
	// where the first letter was matched to a member, or the other way.
	if n := vn.Fold(a.AccusedName); n != "" {
		keys = append(keys, "accused:n:"+n)
	}
	return keys
}

// linkDuplicate links l to the first earlier letter it repeats (same
// sender or same accused, similar folded text: internal/dedup), and
// recognises a resubmission with nothing new of a concluded letter.
func (s *Service) linkDuplicate(ctx context.Context, tx *store.Tx, l *ktgs.Letter) error {
	keys := s.letterKeys(l)
	cands, err := tx.LettersByKeys(ctx, keys, math.MaxInt64, 500)
	if err != nil || len(cands) == 0 {
		return err
	}
	me := dedupLetter(l)
	var pool []*dedup.Letter
	byID := map[int64]*ktgs.Letter{}
	for _, c := range cands {
		byID[c.ID] = c
		pool = append(pool, dedupLetter(c))
	}
	first, _ := dedup.FindFirst(me, pool)
	if first == nil {
		return nil
	}
	orig := byID[first.ID]
	if orig.DuplicateOf != 0 {
		if o, ok := byID[orig.DuplicateOf]; ok {
			orig = o
		} else if o, err := tx.Letter(ctx, orig.DuplicateOf); err == nil {
			orig = o
		}
	}
	switch orig.Status {
	case ktgs.LetterConcluded, ktgs.LetterClosed, ktgs.LetterNotResolved:
		// Handled already: a resubmission. With nothing new it is not
		// resolved again (R12 CONCLUDED_NO_NEW_EVIDENCE, decided at
		// classification); with something new it is a new letter.
		if dedup.NothingNew(l.Content, orig.Content) {
			l.ResubmissionOf = orig.ID
		}
		return nil
	}
	l.DuplicateOf, l.Status = orig.ID, ktgs.LetterDuplicate
	return nil
}

func dedupLetter(l *ktgs.Letter) *dedup.Letter {
	d := &dedup.Letter{ID: l.ID, SenderTag: l.SenderTag, Text: l.Title + "\n" + l.Content}
	if l.ID == 0 {
		d.ID = math.MaxInt64
	}
	if fp, err := dedup.Decode(l.Fingerprint); err == nil {
		d.FP = fp
	} else {
		d.FP = dedup.Of(d.Text)
	}
	for _, a := range l.Allegations {
		d.Accused = append(d.Accused, accusedKeys(&a)...)
	}
	return d
}

// letterAudit is what the audit trail records of a letter: never the
// identity, the content or the tags.
func letterAudit(l *ktgs.Letter) map[string]any {
	return map[string]any{"code": l.Code, "channel": l.Channel, "kind": l.Kind, "sender_mode": l.Mode, "status": l.Status,
		"holder_body_id": l.HolderBodyID, "competent_body_id": l.CompetentBodyID, "competent_on": l.CompetentOn,
		"due_on": l.DueOn, "duplicate_of": l.DuplicateOf, "resubmission_of": l.ResubmissionOf, "allegations": len(l.Allegations)}
}

func (s *Service) letterEvent(ctx context.Context, tx *store.Tx, l *ktgs.Letter, step string, from ktgs.LetterStatus, d civil.Date,
	note string, decisions stepRules) error {
	e := &ktgs.LetterEvent{LetterID: l.ID, On: d, Actor: SystemActor, Step: step, From: from, To: l.Status, BodyID: l.HolderBodyID,
		Note: note, Rules: decisions.json()}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor = a.UserID, a.Name
	} else if l.Channel == ktgs.ChannelPublicForm && step == ktgs.StepLetterReceive {
		e.Actor = "public"
	}
	return tx.InsertLetterEvent(ctx, e)
}

// LetterObject is the authorisation object of l: in the scope of the
// holding organisation, marked as the letter, its team the handling
// team, its accused the members it accuses (who never see who wrote).
func (s *Service) LetterObject(ctx context.Context, tx *store.Tx, l *ktgs.Letter) (*authz.Object, error) {
	obj, err := s.OrgObject(ctx, tx, l.HolderOrgID)
	if err != nil {
		return nil, err
	}
	obj.Mark = l.Mark
	for _, m := range l.Team {
		obj.Team = append(obj.Team, m.UserID)
	}
	for _, a := range l.Allegations {
		if a.MemberID != 0 {
			obj.Accused = append(obj.Accused, a.MemberID)
		}
	}
	return obj, nil
}

// loadLetterFor loads letter id and authorises act on it; it returns the
// authorisation object too, for callers that decide more on it.
func (s *Service) loadLetterFor(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*ktgs.Letter, *authz.Object, error) {
	l, err := tx.Letter(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	obj, err := s.LetterObject(ctx, tx, l)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Authorize(ctx, act, obj); err != nil {
		return nil, nil, err
	}
	return l, obj, nil
}

// letterStepCheck refuses a step the procedure does not allow from the
// letter's status.
func letterStepCheck(l *ktgs.Letter, step string) error {
	if !ktgs.LetterStepAllowed(step, l.Status) {
		return &ktgs.Error{Code: ktgs.ECONFLICT, Message: "err.letter.step_order", Args: []any{step, string(l.Status)}}
	}
	return nil
}

// updateLetter runs one step of letter id in one transaction: load and
// authorise (case:write), check the step's order, call fn, write the
// letter, its event and the audit entry.
func (s *Service) updateLetter(ctx context.Context, id int64, step string, d civil.Date,
	fn func(tx *store.Tx, l *ktgs.Letter) (note string, dec stepRules, err error)) (*ktgs.Letter, error) {
	var l *ktgs.Letter
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if l, _, err = s.loadLetterFor(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if err := letterStepCheck(l, step); err != nil {
			return err
		}
		from := l.Status
		before := letterAudit(l)
		note, dec, err := fn(tx, l)
		if err != nil {
			return err
		}
		if err := tx.UpdateLetter(ctx, l); err != nil {
			return err
		}
		if err := s.letterEvent(ctx, tx, l, step, from, d, note, dec); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "letter." + step, ObjectType: "letter", ObjectID: l.ID, OrgID: l.HolderOrgID,
			Before: before, After: letterAudit(l)})
	})
	return l, err
}

// ruleJSON renders a rule decision for a history line.
func ruleJSON(d *rules.Decision) string {
	b, _ := json.Marshal(d)
	return string(b)
}

// resultAs reads a decision's result into out, whether the decision was
// just evaluated (a typed result) or read back from JSON (a map).
func resultAs(dec *rules.Decision, out any) error {
	b, err := json.Marshal(dec.Result)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// SetPublicBody makes the inspection commission of organisation orgCode
// the body that receives the public form's letters.
func (s *Service) SetPublicBody(ctx context.Context, orgCode string) error {
	return s.DB.View(ctx, func(tx *store.Tx) error {
		id, err := tx.OrgIDByCode(ctx, NormaliseCode(orgCode))
		if err != nil {
			return fmt.Errorf("public body: organisation %q: %w", orgCode, err)
		}
		b, err := tx.BodyByKind(ctx, id, ktgs.BodyInspectionCommission)
		if err != nil {
			return fmt.Errorf("public body: organisation %q has no inspection commission: %w", orgCode, err)
		}
		s.PublicBodyID = b.ID
		return nil
	})
}
