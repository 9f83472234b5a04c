package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/docgen"
	"ktgs/internal/rules"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// Document types KTGS issues for a case (GLOSSARY: DocTypeQD/KH/TB).
const (
	DocDecision   = "QD" // Quyết định kiểm tra / giám sát
	DocPlan       = "KH" // Kế hoạch kiểm tra / giám sát
	DocConclusion = "TB" // Thông báo kết luận
)

// DocTypes lists them in procedure order.
var DocTypes = []string{DocDecision, DocPlan, DocConclusion}

// docTypeCode is the type code in the number and symbol (HD 36).
var docTypeCode = map[string]string{DocDecision: "QĐ", DocPlan: "KH", DocConclusion: "TB"}

// DocFields are the editable parts of a document. Body paragraphs starting
// with "# " are headings, "> " centred lines, "- " or "1. " items.
type DocFields struct {
	SuperiorBody string   `json:"superior_body"`
	IssuingBody  string   `json:"issuing_body"`
	Place        string   `json:"place"`
	Summary      string   `json:"summary"`
	Body         []string `json:"body"`
	Capacity     string   `json:"capacity"`
	SignerTitle  string   `json:"signer_title"`
	SignerName   string   `json:"signer_name"`
	Recipients   []string `json:"recipients"`
}

// docTitle is the document type's title line.
func docTitle(typ string) string {
	switch typ {
	case DocDecision:
		return "QUYẾT ĐỊNH"
	case DocPlan:
		return "KẾ HOẠCH"
	}
	return "THÔNG BÁO"
}

// issuerCode is the issuer part of the number and symbol. Central and
// provincial codes are verified (RULES.md §10); the commune-level UBKT
// code "UBKTĐU" is [UNVERIFIED] there.
func issuerCode(k ktgs.BodyKind, t ktgs.OrgType) string {
	level := "ĐU"
	switch t {
	case ktgs.OrgTypeCentral:
		level = "TW"
	case ktgs.OrgTypeDirectlyUnderCC:
		level = "TU"
	case ktgs.OrgTypeDistrict:
		level = "HU"
	}
	switch k {
	case ktgs.BodyInspectionCommission:
		return "UBKT" + level
	case ktgs.BodyBranch:
		return "CB"
	}
	return level
}

// CreateDocument starts a draft of a document of type typ for case id,
// filled from the case: subjects, content, plan, team, findings and
// remediation requests. The draft can be edited until it is issued.
func (s *Service) CreateDocument(ctx context.Context, caseID int64, typ string) (*store.Document, error) {
	var d *store.Document
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := s.loadCaseFor(ctx, tx, caseID, authz.CaseWrite)
		if err != nil {
			return err
		}
		if _, ok := docTypeCode[typ]; !ok {
			return ktgs.Invalid("type", "err.document.type")
		}
		if typ == DocConclusion && c.Status != ktgs.CaseMeeting && c.Status != ktgs.CaseConcluded && c.Status != ktgs.CaseFollowUp && c.Status != ktgs.CaseClosed {
			return ktgs.Invalid("type", "err.document.too_early", string(c.Status))
		}
		f, err := s.defaultFields(ctx, tx, c, typ)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(f)
		d = &store.Document{CaseID: c.ID, Type: typ, BodyID: c.BodyID, Status: "DRAFT", Fields: string(b)}
		if err := tx.InsertDocument(ctx, d); err != nil {
			return err
		}
		if err := s.caseEvent(ctx, tx, c, "document_draft", c.Status, c.Status, docTitle(typ)); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "document.draft", ObjectType: "document", ObjectID: d.ID, OrgID: c.OrgID, After: f})
	})
	return d, err
}

// issuerFields fills the issuer block of a document of body (HD 36): the
// superior body, the issuing body, the place, and the signature's capacity
// and title. Every document KTGS drafts starts from it.
func issuerFields(ctx context.Context, tx *store.Tx, body *ktgs.Body, org *ktgs.Org) *DocFields {
	f := &DocFields{Place: placeOf(org.Name)}
	if org.ParentID != 0 {
		if p, err := tx.OrgLatest(ctx, org.ParentID); err == nil {
			f.SuperiorBody = strings.ToUpper(p.Name)
		}
	}
	switch body.Kind {
	case ktgs.BodyInspectionCommission:
		f.IssuingBody = "ỦY BAN KIỂM TRA " + strings.ToUpper(committeeOf(org.Name))
		f.Capacity, f.SignerTitle = "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"
	case ktgs.BodyBranch:
		f.IssuingBody = strings.ToUpper(org.Name)
		f.Capacity, f.SignerTitle = "T/M CHI BỘ", "BÍ THƯ"
	case ktgs.BodyStandingCommittee:
		f.IssuingBody = strings.ToUpper(committeeOf(org.Name))
		f.Capacity, f.SignerTitle = "T/M BAN THƯỜNG VỤ", "BÍ THƯ"
	default:
		f.IssuingBody = strings.ToUpper(committeeOf(org.Name))
		f.Capacity, f.SignerTitle = "T/M BAN CHẤP HÀNH", "BÍ THƯ"
	}
	return f
}

func (s *Service) defaultFields(ctx context.Context, tx *store.Tx, c *ktgs.Case, typ string) (*DocFields, error) {
	org, err := tx.OrgLatest(ctx, c.OrgID)
	if err != nil {
		return nil, err
	}
	body, err := tx.Body(ctx, c.BodyID)
	if err != nil {
		return nil, err
	}
	f := issuerFields(ctx, tx, body, org)
	verb := "kiểm tra"
	if c.Kind.IsSupervision() {
		verb = "giám sát"
	}
	var names []string
	for _, sb := range c.Subjects {
		names = append(names, subjectLabel(sb))
	}
	subjects := strings.Join(names, "; ")
	team, err := tx.Team(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var members []string
	for _, m := range team {
		if m.RemovedOn.IsZero() {
			role := "thành viên"
			if m.Role == ktgs.TeamRoleLead {
				role = "trưởng đoàn"
			}
			members = append(members, fmt.Sprintf("- Đồng chí %s, %s;", m.DisplayName, role))
		}
	}
	plan := ""
	if c.DurationDays > 0 {
		unit := "ngày làm việc"
		if c.DurationUnit == "calendar_days" {
			unit = "ngày"
		}
		plan = fmt.Sprintf("Thời gian %s: %d %s, từ ngày %s đến ngày %s.", verb, c.DurationDays, unit, c.StartOn.VN(), c.DueOn.VN())
	}
	f.Recipients = []string{"Như Điều 3", "Lưu hồ sơ " + c.Code}
	switch typ {
	case DocDecision:
		f.Summary = fmt.Sprintf("về việc %s %s", verb, subjects)
		f.Body = []string{
			"- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
			"- Căn cứ các quy định, hướng dẫn của Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng;",
			"> " + strings.TrimPrefix(f.Capacity, "T/M ") + " QUYẾT ĐỊNH:",
			fmt.Sprintf("Điều 1. %s %s.", capitalise(verb), subjects),
			"Nội dung: " + orDash(c.Content),
			plan,
			"Điều 2. Thành lập Đoàn " + verb + " gồm các đồng chí:",
		}
		f.Body = append(f.Body, members...)
		f.Body = append(f.Body, "Điều 3. Đoàn "+verb+", các tổ chức, đảng viên được "+verb+" và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.")
	case DocPlan:
		f.Summary = fmt.Sprintf("%s %s", verb, subjects)
		f.Body = []string{
			"# I. MỤC ĐÍCH, YÊU CẦU",
			"Đánh giá đúng ưu điểm để phát huy; phát hiện sớm khuyết điểm để khắc phục; xử lý nghiêm vi phạm (Kết luận 34-KL/TW).",
			"# II. NỘI DUNG",
			orDash(c.Content),
			"# III. THỜI GIAN, PHƯƠNG PHÁP",
			plan,
			"Đối tượng " + verb + " báo cáo bằng văn bản; Đoàn thẩm tra, xác minh, dự thảo báo cáo kết quả và lấy ý kiến đối tượng.",
			"# IV. TỔ CHỨC THỰC HIỆN",
		}
		f.Body = append(f.Body, members...)
	case DocConclusion:
		f.Summary = fmt.Sprintf("kết luận %s %s", verb, subjects)
		findings, err := tx.Findings(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		rems, err := tx.Remediations(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		f.Body = []string{fmt.Sprintf("Xét báo cáo kết quả %s của Đoàn %s, %s kết luận như sau:", verb, verb, strings.TrimPrefix(f.Capacity, "T/M "))}
		for _, sb := range c.Subjects {
			f.Body = append(f.Body, "# "+capitalise(subjectLabel(sb)))
			for _, kind := range []ktgs.FindingKind{ktgs.FindingStrength, ktgs.FindingShortcoming, ktgs.FindingViolation} {
				for _, fd := range findings {
					if fd.SubjectSeq == sb.Seq && fd.Kind == kind {
						f.Body = append(f.Body, "- "+findingLabel(kind)+": "+fd.Text)
					}
				}
			}
		}
		if len(rems) > 0 {
			f.Body = append(f.Body, "# Yêu cầu khắc phục")
			for i, r := range rems {
				f.Body = append(f.Body, fmt.Sprintf("%d. %s (thời hạn: %s).", i+1, r.Text, r.DueOn.VN()))
			}
		}
		f.Recipients = []string{"Các tổ chức, đảng viên được " + verb, "Lưu hồ sơ " + c.Code}
	}
	var paras []string
	for _, p := range f.Body {
		if strings.TrimSpace(p) != "" {
			paras = append(paras, p)
		}
	}
	f.Body = paras
	return f, nil
}

func subjectLabel(sb ktgs.CaseSubject) string {
	if sb.Kind == ktgs.SubjectMember {
		return "đồng chí " + sb.Name
	}
	return sb.Name
}

func findingLabel(k ktgs.FindingKind) string {
	switch k {
	case ktgs.FindingStrength:
		return "Ưu điểm"
	case ktgs.FindingShortcoming:
		return "Khuyết điểm"
	}
	return "Vi phạm"
}

// committeeOf turns "Đảng bộ xã Gia Tường" into "Đảng ủy xã Gia Tường",
// the committee's name in a letterhead.
func committeeOf(name string) string {
	for _, p := range []string{"Đảng bộ tỉnh ", "Đảng bộ thành phố "} {
		if strings.HasPrefix(name, p) {
			return "Tỉnh ủy " + strings.TrimPrefix(name, p)
		}
	}
	return strings.Replace(name, "Đảng bộ", "Đảng ủy", 1)
}

// placeOf is the place name of the date line: the last words of the
// organisation's name after its kind ("Đảng bộ xã Gia Tường" → "Gia
// Tường").
func placeOf(name string) string {
	for _, w := range []string{" xã ", " phường ", " thị trấn ", " tỉnh ", " thành phố ", " đặc khu ", " thôn ", " huyện "} {
		if i := strings.LastIndex(name, w); i >= 0 {
			return strings.TrimSpace(name[i+len(w):])
		}
	}
	return name
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "…"
	}
	return s
}

// DocOwner is what a document belongs to: a case or a discipline
// proceeding (one is set). Its access, code and mark are the owner's.
type DocOwner struct {
	Case       *ktgs.Case
	Proceeding *ktgs.Proceeding
	Suspension *ktgs.Suspension
	Complaint  *ktgs.Complaint
	Code       string
	OrgID      int64
	Mark       authz.Mark
}

// loadDocument loads document id and its owner, authorising act on the
// owner.
func (s *Service) loadDocument(ctx context.Context, tx *store.Tx, id int64, act authz.Action) (*store.Document, *DocOwner, error) {
	d, err := tx.Document(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if d.ComplaintID != 0 {
		c, _, err := s.loadComplaintFor(ctx, tx, d.ComplaintID, act)
		if err != nil {
			return nil, nil, err
		}
		return d, &DocOwner{Complaint: c, Code: c.Code, Mark: c.Mark}, nil
	}
	if d.SuspensionID != 0 {
		sp, err := s.loadSuspensionFor(ctx, tx, d.SuspensionID, act)
		if err != nil {
			return nil, nil, err
		}
		return d, &DocOwner{Suspension: sp, Code: sp.Code, OrgID: sp.OrgID, Mark: sp.Mark}, nil
	}
	if d.ProceedingID != 0 {
		p, err := s.loadProceedingFor(ctx, tx, d.ProceedingID, act)
		if err != nil {
			return nil, nil, err
		}
		return d, &DocOwner{Proceeding: p, Code: p.Code, OrgID: p.OrgID, Mark: p.Mark}, nil
	}
	c, err := s.loadCaseFor(ctx, tx, d.CaseID, act)
	if err != nil {
		return nil, nil, err
	}
	return d, &DocOwner{Case: c, Code: c.Code, OrgID: c.OrgID, Mark: c.Mark}, nil
}

// UpdateDocument saves edited fields of a draft. An issued document is
// immutable: the edit is refused (ECONFLICT) and nothing changes.
func (s *Service) UpdateDocument(ctx context.Context, id int64, f DocFields) (*store.Document, error) {
	var d *store.Document
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var c *DocOwner
		var err error
		if d, c, err = s.loadDocument(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if d.Status != "DRAFT" {
			return ktgs.Errorf(ktgs.ECONFLICT, "err.document_issued")
		}
		if err := cleanFields(&f); err != nil {
			return err
		}
		before := d.Fields
		b, _ := json.Marshal(f)
		d.Fields = string(b)
		if err := tx.UpdateDraft(ctx, d); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: "document.edit", ObjectType: "document", ObjectID: d.ID, OrgID: c.OrgID,
			Before: json.RawMessage(before), After: f})
	})
	return d, err
}

func cleanFields(f *DocFields) error {
	var v ktgs.Validation
	for _, p := range []*string{&f.SuperiorBody, &f.IssuingBody, &f.Place, &f.Summary, &f.Capacity, &f.SignerTitle, &f.SignerName} {
		*p = vn.Clean(*p)
		if len([]rune(*p)) > 300 {
			v.Add("fields", "err.too_long", 300)
		}
	}
	if f.IssuingBody == "" {
		v.Add("issuing_body", "err.required")
	}
	if f.Summary == "" {
		v.Add("summary", "err.required")
	}
	total := 0
	for i := range f.Body {
		f.Body[i] = vn.CleanText(f.Body[i])
		total += len(f.Body[i])
	}
	if total > 200000 {
		v.Add("body", "err.too_long", 200000)
	}
	for i := range f.Recipients {
		f.Recipients[i] = vn.Clean(f.Recipients[i])
	}
	return v.Err()
}

// IssueInput issues a draft.
type IssueInput struct {
	Date civil.Date `json:"date,omitempty"` // default today
	// Number, if set, is a number given outside KTGS (a paper register);
	// otherwise the rules give the next one in the issuer's sequence for
	// the type and committee term (R17).
	Number int `json:"number,omitempty"`
}

// IssueDocument gives a draft its number, renders it as DOCX and PDF,
// stores both by content, and makes it immutable; the hashes go into the
// audit trail. A number already used by the issuer for the type in the
// term is refused.
func (s *Service) IssueDocument(ctx context.Context, id int64, in IssueInput) (*store.Document, error) {
	var d *store.Document
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var o *DocOwner
		var err error
		if d, o, err = s.loadDocument(ctx, tx, id, authz.CaseWrite); err != nil {
			return err
		}
		if d.Status != "DRAFT" {
			return ktgs.Errorf(ktgs.ECONFLICT, "err.document_issued")
		}
		if o.Case == nil {
			// A proceeding's or a suspension's decision is issued by its
			// own step, which applies its effects.
			return ktgs.Errorf(ktgs.ECONFLICT, "err.document_issued")
		}
		c := o.Case
		if rel, err := s.relation(ctx, tx, c); err != nil {
			return err
		} else if !rel[ktgs.ActorHead] {
			return &ktgs.Error{Code: ktgs.EFORBIDDEN, Message: "err.case.not_your_step", Args: []any{"HEAD"}}
		}
		if in.Date.IsZero() {
			in.Date = s.Today()
		}
		var v ktgs.Validation
		checkDate(&v, "date", in.Date, true)
		if err := v.Err(); err != nil {
			return err
		}
		body, err := tx.Body(ctx, d.BodyID)
		if err != nil {
			return err
		}
		org, err := tx.OrgAt(ctx, body.OrgID, in.Date)
		if notFound(err) {
			org, err = tx.OrgLatest(ctx, body.OrgID)
		}
		if err != nil {
			return err
		}
		if err := s.issueDraft(ctx, tx, d, body, org, c.Mark, in); err != nil {
			return err
		}
		return s.caseEvent(ctx, tx, c, "document_issue", c.Status, c.Status, d.NumberText)
	})
	return d, err
}

// issueDraft numbers draft d of body (R17, or in.Number checked),
// renders it as DOCX and PDF, stores both by content and makes it
// immutable. The caller writes the audit entry with the hashes.
func (s *Service) issueDraft(ctx context.Context, tx *store.Tx, d *store.Document, body *ktgs.Body, org *ktgs.Org, mark authz.Mark, in IssueInput) error {
	num, err := s.documentNumber(ctx, tx, d, body, org, in)
	if err != nil {
		return err
	}
	d.Number, d.NumberText, d.TermName = num.Number, num.Formatted, num.Term
	d.IssuedOn = in.Date
	if a := ActorFrom(ctx); a != nil {
		d.IssuedBy = a.UserID
	}
	doc, err := s.render(d, mark, false)
	if err != nil {
		return err
	}
	var docx, pdf bytes.Buffer
	if err := docgen.WriteDOCX(&docx, doc); err != nil {
		return err
	}
	if err := docgen.WritePDF(&pdf, doc); err != nil {
		return err
	}
	d.DocxHash, err = putBlob(ctx, tx, docx.Bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	if err != nil {
		return err
	}
	if d.PDFHash, err = putBlob(ctx, tx, pdf.Bytes(), "application/pdf"); err != nil {
		return err
	}
	if err := tx.IssueDocument(ctx, d); err != nil {
		if ktgs.ErrorCode(err) == ktgs.ECONFLICT {
			return ktgs.Invalid("number", "err.document.number_used", d.NumberText)
		}
		return err
	}
	orgID := org.ID
	if d.CaseID != 0 {
		if c, err := tx.Case(ctx, d.CaseID); err == nil {
			orgID = c.OrgID
		}
	}
	return s.audit(ctx, tx, auditEntry{Action: "document.issue", ObjectType: "document", ObjectID: d.ID, OrgID: orgID,
		After: map[string]any{"number": d.NumberText, "term": d.TermName, "issued_on": d.IssuedOn, "docx_sha256": d.DocxHash, "pdf_sha256": d.PDFHash}})
}

func putBlob(ctx context.Context, tx *store.Tx, data []byte, mime string) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	return h, tx.PutFile(ctx, h, mime, data)
}

// numberingTerms lists body's committee terms as R17 takes them: oldest
// first (the register lists them newest first, and a body with its
// 2020–2025 and 2025–2030 terms was refused as overlapping).
func numberingTerms(ctx context.Context, tx *store.Tx, body *ktgs.Body) ([]rules.TermIn, error) {
	bodies, err := tx.Bodies(ctx, body.OrgID)
	if err != nil {
		return nil, err
	}
	var terms []rules.TermIn
	for _, b := range bodies {
		if b.ID != body.ID {
			continue
		}
		ts := slices.Clone(b.Terms)
		slices.SortFunc(ts, func(a, c ktgs.Term) int { return int(a.Start) - int(c.Start) })
		for _, t := range ts {
			ti := rules.TermIn{Name: t.Name, Start: t.Start.String()}
			if !t.End.IsForever() && !t.End.IsZero() {
				ti.End = t.End.String()
			}
			terms = append(terms, ti)
		}
	}
	return terms, nil
}

// nextNumber asks R17 for the number req's document takes: R17 picks the
// term of its date, last reads the last number used in that term from
// the register, and R17 numbers on from it.
func (s *Service) nextNumber(req rules.NumberingRequest, last func(term string) (int, error)) (*rules.NumberingResult, error) {
	eval := func() (*rules.NumberingResult, error) {
		b, _ := json.Marshal(req)
		dec, err := s.Rules.Evaluate("R17", b)
		if err != nil {
			return nil, err
		}
		res, ok := dec.Result.(*rules.NumberingResult)
		if !ok {
			return nil, fmt.Errorf("R17: unexpected result %T", dec.Result)
		}
		return res, nil
	}
	first, err := eval()
	if err != nil {
		return nil, err
	}
	n, err := last(first.Term)
	if err != nil || n == 0 {
		return first, err
	}
	req.LastUsed = &rules.LastUsedIn{Term: first.Term, Number: n}
	return eval()
}

// documentNumber asks the rules for the next number (R17), or checks a
// number given by hand.
func (s *Service) documentNumber(ctx context.Context, tx *store.Tx, d *store.Document, body *ktgs.Body, org *ktgs.Org, in IssueInput) (*rules.NumberingResult, error) {
	terms, err := numberingTerms(ctx, tx, body)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, ktgs.Invalid("date", "err.document.no_term")
	}
	// The term of the date: R17 picks it; the last number used in it
	// comes from the register.
	req := rules.NumberingRequest{Date: in.Date.String(), Issuer: issuerCode(body.Kind, org.Type), DocType: docTypeCode[d.Type], Terms: terms}
	first, err := s.nextNumber(req, func(term string) (int, error) { return tx.LastDocumentNumber(ctx, body.ID, d.Type, term) })
	if err != nil {
		return nil, err
	}
	if in.Number != 0 {
		if in.Number < 1 || in.Number > 99999 {
			return nil, ktgs.Invalid("number", "err.range", 1, 99999)
		}
		if n, err := tx.LastDocumentNumber(ctx, body.ID, d.Type, first.Term); err != nil {
			return nil, err
		} else if in.Number <= n {
			// Numbers run in order; a number at or below the last one
			// used may be taken.
			used, err := documentNumberUsed(ctx, tx, body.ID, d.Type, first.Term, in.Number)
			if err != nil {
				return nil, err
			}
			if used {
				return nil, ktgs.Invalid("number", "err.document.number_used", in.Number)
			}
		}
		first.Number = in.Number
		first.Formatted = fmt.Sprintf("Số %02d-%s/%s", in.Number, docTypeCode[d.Type], req.Issuer)
	}
	return first, nil
}

func documentNumberUsed(ctx context.Context, tx *store.Tx, bodyID int64, typ, term string, n int) (bool, error) {
	return tx.DocumentNumberUsed(ctx, bodyID, typ, term, n)
}

// render builds the docgen document of d.
func (s *Service) render(d *store.Document, mark authz.Mark, draft bool) (*docgen.Document, error) {
	var f DocFields
	if err := json.Unmarshal([]byte(d.Fields), &f); err != nil {
		return nil, err
	}
	doc := &docgen.Document{SuperiorBody: f.SuperiorBody, IssuingBody: f.IssuingBody, Number: d.NumberText, Place: f.Place, Date: d.IssuedOn,
		Type: docTitle(d.Type), Summary: f.Summary, Draft: draft,
		Signature: docgen.Signature{Capacity: f.Capacity, Title: f.SignerTitle, Name: f.SignerName}, Recipients: f.Recipients}
	if doc.Number == "" {
		doc.Number = "Số     -" + docTypeCode[d.Type]
	}
	switch mark {
	case authz.Secret:
		doc.Mark = "MẬT"
	case authz.TopSecret:
		doc.Mark = "TỐI MẬT"
	}
	for _, p := range f.Body {
		switch {
		case strings.HasPrefix(p, "# "):
			doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Heading, Text: strings.TrimPrefix(p, "# ")})
		case strings.HasPrefix(p, "> "):
			doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Centered, Text: strings.TrimPrefix(p, "> ")})
		case strings.HasPrefix(p, "- ") || (len(p) > 2 && p[0] >= '0' && p[0] <= '9' && strings.Contains(p[:min(4, len(p))], ".")):
			doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Item, Text: p})
		default:
			doc.Body = append(doc.Body, docgen.Block{Kind: docgen.Paragraph, Text: p})
		}
	}
	return doc, nil
}

// DocumentFile returns a document as DOCX or PDF: the stored file of an
// issued document (its hash is in the audit trail), or a fresh rendering
// of a draft marked "DỰ THẢO".
func (s *Service) DocumentFile(ctx context.Context, id int64, format string) (name, mime string, data []byte, err error) {
	err = s.DB.View(ctx, func(tx *store.Tx) error {
		d, c, err := s.loadDocument(ctx, tx, id, authz.CaseRead)
		if err != nil {
			return err
		}
		name = fmt.Sprintf("%s-%s", c.Code, d.Type)
		if d.NumberText != "" {
			name = fmt.Sprintf("%s-%s-%02d", c.Code, d.Type, d.Number)
		}
		if d.Status == "ISSUED" {
			h := d.DocxHash
			if format == "pdf" {
				h = d.PDFHash
			}
			data, mime, err = tx.File(ctx, h)
			name += "." + format
			return err
		}
		doc, err := s.render(d, c.Mark, true)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if format == "pdf" {
			err, mime = docgen.WritePDF(&buf, doc), "application/pdf"
		} else {
			err, mime = docgen.WriteDOCX(&buf, doc), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		}
		data, name = buf.Bytes(), name+"-du-thao."+format
		return err
	})
	return name, mime, data, err
}

// Document returns a document and its fields for a reader of its owner,
// with the owner.
func (s *Service) Document(ctx context.Context, id int64) (*store.Document, *DocFields, *DocOwner, error) {
	var d *store.Document
	var o *DocOwner
	var f DocFields
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if d, o, err = s.loadDocument(ctx, tx, id, authz.CaseRead); err != nil {
			return err
		}
		return json.Unmarshal([]byte(d.Fields), &f)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return d, &f, o, nil
}

// Link is the page of the owner.
func (o *DocOwner) Link() string {
	if o.Proceeding != nil {
		return fmt.Sprintf("/proceedings/%d", o.Proceeding.ID)
	}
	if o.Suspension != nil {
		return fmt.Sprintf("/suspensions/%d", o.Suspension.ID)
	}
	if o.Complaint != nil {
		return fmt.Sprintf("/complaints/%d", o.Complaint.ID)
	}
	return fmt.Sprintf("/cases/%d#documents", o.Case.ID)
}
