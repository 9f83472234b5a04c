package seed

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"ktgs"
)

// Texts of the synthetic letters. A letter's text never names or
// describes its sender: the identity is sealed, and what the row holds in
// clear (title, content, allegations, notices) must not give it away.

// ltopic is a matter a letter raises: the words of a title, a short form
// for a conclusion, and the facts a letter tells.
type ltopic struct {
	title, short string
	facts        []string
}

// Placeholders: {a} the accused with an honorific ({A} at the start of a
// sentence), {unit} the accused's unit, {thon} and {xa} the village and
// commune, {tien} and {tien2} sums, {nam} a year, {n} a number, {dt} an
// area, {ct} a project, {ngay} a date, {form} a disciplinary form.
var memberTopics = []ltopic{
	{"vi phạm trong quản lý, sử dụng đất đai", "về việc xác nhận sai nguồn gốc đất, để lấn chiếm đất công", []string{
		"Năm {nam}, {a} đã ký xác nhận sai nguồn gốc đất cho {n} hộ gia đình ở {thon} để các hộ này được cấp giấy chứng nhận quyền sử dụng đất, nhận của mỗi hộ khoảng {tien2}.",
		"Lợi dụng chức vụ được giao, {a} đã để người thân lấn chiếm khoảng {dt} đất công ở {thon} để xây dựng nhà ở, đến nay chưa bị xử lý.",
		"Việc giao đất, cho thuê đất công ích tại {xa} do {a} chỉ đạo không qua đấu giá, không công khai cho nhân dân biết."}},
	{"tham ô, chi sai ngân sách", "về việc lập chứng từ khống, chi sai ngân sách", []string{
		"{A} đã chỉ đạo lập chứng từ khống để rút {tien} từ nguồn kinh phí hỗ trợ sản xuất nông nghiệp năm {nam}.",
		"Nhiều khoản chi tiếp khách, hội nghị do {a} ký duyệt không có hóa đơn, chứng từ hợp lệ, tổng số tiền khoảng {tien2}."}},
	{"vi phạm trong quản lý đầu tư xây dựng", "về sai phạm trong quản lý công trình xây dựng", []string{
		"{Ct} do {a} trực tiếp chỉ đạo có nhiều sai phạm: nghiệm thu khống khối lượng trị giá khoảng {tien}, chất lượng kém, mới đưa vào sử dụng đã hư hỏng.",
		"{A} đã gợi ý đơn vị thi công {ct} và nhận khoản \u201cbồi dưỡng\u201d khoảng {tien2}."}},
	{"vi phạm trong công tác cán bộ", "về sai phạm trong tuyển dụng, bổ nhiệm cán bộ", []string{
		"Trong năm {nam}, {a} đã nhận tiền để tiếp nhận {n} người vào làm việc, trong đó có người không đủ tiêu chuẩn theo quy định.",
		"{A} đã đưa người thân vào quy hoạch, bổ nhiệm không đúng quy trình, gây bức xúc trong cán bộ, đảng viên."}},
	{"vi phạm phẩm chất đạo đức, lối sống", "về vi phạm phẩm chất đạo đức, lối sống", []string{
		"{A} có quan hệ nam nữ bất chính, gây mất đoàn kết trong chi bộ và dư luận xấu trong nhân dân {thon}.",
		"{A} thường xuyên uống rượu bia trong giờ làm việc, có thái độ hách dịch, gây khó khăn cho người dân khi đến liên hệ công việc.",
		"{A} tổ chức đám cưới cho con với quy mô lớn, mời nhiều cán bộ, doanh nghiệp trong và ngoài địa phương, có biểu hiện lợi dụng để thu lợi."}},
	{"kê khai tài sản, thu nhập không trung thực", "về việc kê khai tài sản, thu nhập", []string{
		"{A} có nhiều nhà, đất có giá trị lớn đứng tên người thân, không tương xứng với thu nhập, nhưng không kê khai trong bản kê khai tài sản, thu nhập năm {nam}."}},
	{"vi phạm trong thực hiện chính sách an sinh xã hội", "về việc bình xét hộ nghèo, chi hỗ trợ không đúng đối tượng", []string{
		"Năm {nam}, {a} đã đưa {n} hộ là người thân vào danh sách hộ nghèo, hộ cận nghèo để hưởng chính sách, trong khi nhiều hộ khó khăn thực sự không được xét.",
		"Tiền hỗ trợ người dân bị ảnh hưởng thiên tai năm {nam} do {a} quản lý bị chi chậm, chi thiếu, không công khai danh sách."}},
	{"trù dập người góp ý, phê bình", "về việc trù dập người góp ý, phê bình", []string{
		"Sau khi bị góp ý, phê bình trong cuộc họp, {a} đã có hành vi trù dập, gây khó khăn cho người đã phát biểu ý kiến."}},
	{"thu các khoản đóng góp trái quy định", "về việc thu các khoản đóng góp trái quy định", []string{
		"{A} chỉ đạo thu của nhân dân các khoản đóng góp xây dựng trái quy định, tổng số tiền khoảng {tien}, nhưng không công khai việc thu, chi."}},
	{"vi phạm những điều đảng viên không được làm", "về việc vi phạm những điều đảng viên không được làm", []string{
		"{A} nhiều tháng không sinh hoạt chi bộ, không đóng đảng phí, không thực hiện nhiệm vụ đảng viên nơi cư trú.",
		"{A} tham gia đánh bạc, cho vay lãi nặng tại {thon}, gây dư luận xấu trong nhân dân."}},
}

var orgTopics = []ltopic{
	{"buông lỏng lãnh đạo trong quản lý đất đai", "về trách nhiệm lãnh đạo trong quản lý đất đai", []string{
		"{A} buông lỏng lãnh đạo, để xảy ra tình trạng lấn chiếm, mua bán đất trái phép kéo dài tại {thon} nhưng không xử lý."}},
	{"vi phạm nguyên tắc tập trung dân chủ", "về việc vi phạm nguyên tắc tập trung dân chủ", []string{
		"Tập thể {a} không thực hiện đúng nguyên tắc tập trung dân chủ; nhiều vấn đề quan trọng do một số cá nhân quyết định, không đưa ra bàn bạc tập thể."}},
	{"quản lý tài chính không công khai, minh bạch", "về quản lý thu, chi tài chính", []string{
		"{A} quản lý thu, chi tài chính, quỹ đóng góp không công khai, minh bạch; nhiều khoản chi không có chứng từ, tổng số khoảng {tien2}."}},
	{"mất đoàn kết nội bộ", "về tình trạng mất đoàn kết nội bộ", []string{
		"Nội bộ {a} mất đoàn kết kéo dài, việc sinh hoạt định kỳ không được duy trì, ảnh hưởng đến thực hiện nhiệm vụ chính trị của địa phương."}},
}

var petitionTopics = []ltopic{
	{"việc thu hồi đất, bồi thường giải phóng mặt bằng", "", []string{
		"Việc thu hồi đất, bồi thường giải phóng mặt bằng {ct} chưa công khai, minh bạch; nhiều hộ dân ở {thon} chưa được giải thích rõ đơn giá bồi thường."}},
	{"tình trạng ô nhiễm môi trường", "", []string{
		"Cơ sở sản xuất tại {thon} gây ô nhiễm môi trường kéo dài; người dân đã nhiều lần phản ánh nhưng {a} chưa có biện pháp xử lý dứt điểm."}},
	{"chất lượng công trình xây dựng", "", []string{
		"{Ct} mới đưa vào sử dụng đã xuống cấp; đề nghị làm rõ trách nhiệm của {a} trong giám sát thi công."}},
	{"tác phong, lề lối làm việc", "", []string{
		"Người dân đến làm thủ tục hành chính tại {xa} phải đi lại nhiều lần; đề nghị {a} chấn chỉnh tác phong, lề lối làm việc."}},
	{"việc duy trì sinh hoạt chi bộ", "", []string{
		"Việc sinh hoạt chi bộ tại {unit} nhiều tháng không được tổ chức đúng định kỳ; đề nghị cấp trên kiểm tra, chấn chỉnh {a}."}},
}

var complaintTopics = []ltopic{
	{"quyết định thi hành kỷ luật đảng", "", []string{
		"Ngày {ngay}, {a} ban hành quyết định thi hành kỷ luật bằng hình thức {form} đối với đảng viên; người khiếu nại cho rằng quyết định chưa khách quan, hình thức kỷ luật không tương xứng với nội dung, tính chất vi phạm.",
		"Quá trình xem xét, thi hành kỷ luật của {a} không đúng quy trình: đảng viên không được trình bày ý kiến trước khi biểu quyết."}},
}

func topicsOf(a *lalleg) []ltopic {
	switch {
	case a.kind == ktgs.LetterComplaint:
		return complaintTopics
	case a.kind == ktgs.LetterPetition:
		return petitionTopics
	case a.subj == ktgs.AllegedOrg:
		return orgTopics
	}
	return memberTopics
}

func (lg *lgen) topicFor(a *lalleg) int { return lg.r.IntN(len(topicsOf(a))) }

var projectKinds = []string{"Công trình đường giao thông nông thôn", "Công trình nhà văn hóa", "Công trình kè chống sạt lở",
	"Công trình trường mầm non", "Công trình kênh mương nội đồng", "Công trình trụ sở làm việc"}

// honorific is how a letter calls a person: ông or bà, guessed from the
// middle name.
func honorific(name string) string {
	f := strings.Fields(name)
	if len(f) >= 3 && (f[1] == "Thị" || (slices.Contains(femaleMiddle, f[1]) && !slices.Contains(maleMiddle, f[1]))) {
		return "bà"
	}
	return "ông"
}

func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// thousands writes n with dots between thousands (1.250).
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// millions writes m million đồng.
func millions(m int) string {
	if m >= 1000 {
		return strings.Replace(strings.TrimSuffix(fmt.Sprintf("%.1f", float64(m)/1000), ".0"), ".", ",", 1) + " tỷ đồng"
	}
	return thousands(m) + " triệu đồng"
}

// accused is how a letter calls the subject of allegation a.
func accused(a *lalleg) string {
	if a.subj == ktgs.AllegedOrg {
		return a.name
	}
	return honorific(a.name) + " " + a.name
}

// fill writes the facts of allegation a of letter l from tmpl, drawing
// each placeholder's value when it is met.
func (lg *lgen) fill(a *lalleg, l *plet, tmpl string) string {
	g := lg.agen
	var thon, xa string
	placed := false
	where := func() {
		if !placed {
			placed = true
			thon, xa, _ = lg.place(a.ver, l.recv)
			xa = cmpOr(xa, "địa phương")
			thon = cmpOr(thon, xa)
		}
	}
	who := accused(a)
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		switch key := tmpl[i+1 : i+j]; key {
		case "A":
			b.WriteString(upperFirst(who))
		case "a":
			b.WriteString(who)
		case "unit":
			b.WriteString(a.unit)
		case "thon":
			where()
			b.WriteString(thon)
		case "xa":
			where()
			b.WriteString(xa)
		case "tien":
			b.WriteString(millions(100 + 10*g.r.IntN(490)))
		case "tien2":
			b.WriteString(millions(10 + 5*g.r.IntN(180)))
		case "nam":
			b.WriteString(strconv.Itoa(l.recv.Year() - g.r.IntN(3)))
		case "n":
			b.WriteString(strconv.Itoa(2 + g.r.IntN(14)))
		case "dt":
			b.WriteString(thousands(150+10*g.r.IntN(290)) + " m²")
		case "Ct", "ct":
			where()
			ct := g.pick(projectKinds) + " " + thon
			if key == "ct" {
				ct = strings.ToLower(ct[:1]) + ct[1:]
			}
			b.WriteString(ct)
		case "ngay":
			b.WriteString(l.recv.AddDays(-20 - g.r.IntN(100)).VN())
		case "form":
			b.WriteString(g.pick([]string{"khiển trách", "khiển trách", "cảnh cáo", "cách chức"}))
		default:
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// texts writes the title and content of original letter l (addressed to
// the receiving UBKT), each allegation's content and, for the
// denunciations that will be concluded, the conclusion.
func (lg *lgen) texts(l *plet, holder int32) (title, content string) {
	g := lg.agen
	to := lg.bodyName(l.recvOrg, l.recv)
	first := &l.alls[0]
	tp := &topicsOf(first)[first.topic]
	who := accused(first)
	unit := ""
	if first.unit != "" && first.subj != ktgs.AllegedOrg {
		unit = " (" + first.unit + ")"
	}
	more := ""
	if len(l.alls) > 1 {
		more = " và các đối tượng khác"
	}
	var intro, request string
	switch l.kind {
	case ktgs.LetterPetition:
		title = "Phản ánh, kiến nghị về " + tp.title
		intro = "Tôi xin phản ánh, kiến nghị với " + to + " một số việc sau:"
		request = "Đề nghị các cơ quan có thẩm quyền xem xét, giải quyết dứt điểm và trả lời cho nhân dân được biết."
	case ktgs.LetterComplaint:
		title = "Khiếu nại " + tp.title + " của " + who
		intro = "Tôi làm đơn này khiếu nại quyết định thi hành kỷ luật đảng, cụ thể như sau:"
		request = "Đề nghị cấp có thẩm quyền xem xét lại quyết định kỷ luật nêu trên theo quy định của Đảng."
	default:
		title = "Tố cáo " + who + unit + more + " " + tp.title
		switch {
		case l.mode == ktgs.SenderAnonymous:
			title = "Đơn không ký tên tố cáo " + who + unit + more + " " + tp.title
			thon, xa, _ := lg.place(first.ver, l.recv)
			where := cmpOr(thon, xa, "địa phương")
			intro = "Chúng tôi là một số đảng viên và nhân dân ở " + where + ", vì lý do an toàn nên không ghi tên, xin phản ánh việc " + who + unit +
				" có những biểu hiện vi phạm sau:"
		case l.sndMem >= 0:
			intro = "Tôi là đảng viên, sinh hoạt trong đảng bộ, xin tố cáo " + who + unit + " về các nội dung sau:"
		default:
			intro = g.pick([]string{"Tôi xin tố cáo " + who + unit + " về những việc làm sai trái sau đây:",
				"Tôi làm đơn này tố cáo " + who + unit + " có những vi phạm như sau:"})
		}
		request = g.pick([]string{"Đề nghị " + to + " xem xét, làm rõ và xử lý nghiêm theo quy định của Đảng.",
			"Kính đề nghị các cấp có thẩm quyền kiểm tra, xác minh, xử lý nghiêm minh để giữ vững kỷ cương, củng cố niềm tin của nhân dân."})
	}
	if r := []rune(title); len(r) > 290 {
		title = string(r[:290])
	}
	parts := []string{"Kính gửi: " + to + ".", intro}
	for i := range l.alls {
		a := &l.alls[i]
		facts := topicsOf(a)[a.topic].facts
		k := g.r.IntN(len(facts))
		text := lg.fill(a, l, facts[k])
		if len(facts) > 1 && g.r.IntN(3) == 0 {
			text += " " + lg.fill(a, l, facts[(k+1)%len(facts)])
		}
		a.content = text
		parts = append(parts, text)
		if a.result != "" {
			a.conclusion = lg.conclusion(a)
		}
	}
	parts = append(parts, request)
	if l.mode == ktgs.SenderNamed {
		parts = append(parts, "Tôi xin cam đoan những nội dung trình bày trên là đúng sự thật và chịu trách nhiệm trước tổ chức đảng.")
	}
	return title, strings.Join(parts, "\n")
}

func cmpOr(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// conclusion is the conclusion on denunciation allegation a (never about
// who denounced).
func (lg *lgen) conclusion(a *lalleg) string {
	who := accused(a)
	short := topicsOf(a)[a.topic].short
	member := "đảng viên"
	if a.subj == ktgs.AllegedOrg {
		member = "tổ chức đảng"
	}
	switch a.result {
	case ktgs.ResultFounded:
		return "Nội dung tố cáo " + who + " " + short + " là đúng. " + upperFirst(who) +
			" đã vi phạm, phải kiểm điểm nghiêm túc và bị xem xét xử lý kỷ luật theo quy định."
	case ktgs.ResultPartlyFounded:
		return "Nội dung tố cáo " + who + " " + short + " đúng một phần; các nội dung còn lại không có cơ sở. Yêu cầu " + who +
			" kiểm điểm, rút kinh nghiệm."
	}
	return "Nội dung tố cáo " + who + " " + short + " là không có cơ sở. Đề nghị cấp ủy thông tin kết quả để bảo vệ uy tín của " + member + "."
}

// repeatText is the content of a letter repeating orig: the same letter,
// sent again with a line saying so.
func (lg *lgen) repeatText(orig *plet) string {
	line := lg.pick([]string{"Tôi đã gửi đơn ngày " + orig.recv.VN() + " nhưng đến nay chưa nhận được trả lời, nay gửi lại đề nghị sớm xem xét, giải quyết.",
		"Đơn này gửi lại vì đến nay sự việc vẫn chưa được giải quyết.",
		"Nay tôi gửi lại đơn, kính đề nghị quan tâm xem xét."})
	return orig.content + "\n" + line
}
