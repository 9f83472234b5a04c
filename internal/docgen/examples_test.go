package docgen

import (
	"fmt"
	"testing"

	"ktgs/internal/civil"
)

// The three documents an inspection commission issues for one inspection
// of a member showing signs of a violation: the decision to inspect, the
// inspection team's plan and the notice of the conclusion. Names and
// places are invented.

func exampleDecision() *Document {
	return &Document{
		SuperiorBody: "Đảng bộ tỉnh Ninh Bình",
		IssuingBody:  "Ủy ban Kiểm tra Đảng ủy xã Gia Tường",
		Number:       "Số 15-QĐ/UBKT",
		Place:        "Gia Tường",
		Date:         civil.New(2026, 11, 5),
		Type:         "QUYẾT ĐỊNH",
		Summary:      "về việc kiểm tra đảng viên khi có dấu hiệu vi phạm",
		Body: []Block{
			{Text: "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"},
			{Text: "- Căn cứ Quy định số 296-QĐ/TW, ngày 30/5/2025 của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát và kỷ luật của Đảng;"},
			{Text: "- Căn cứ Chương trình kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra Đảng ủy xã;"},
			{Text: "- Xét đề nghị của đồng chí Ủy viên Ủy ban Kiểm tra phụ trách Chi bộ thôn Đoàn Kết,"},
			{Kind: Centered, Text: "ỦY BAN KIỂM TRA ĐẢNG ỦY XÃ GIA TƯỜNG QUYẾT ĐỊNH:"},
			{Runs: []Run{{Text: "Điều 1.", Bold: true}, {Text: " Kiểm tra đồng chí Trần Văn Bình, đảng viên Chi bộ thôn Đoàn Kết, khi có dấu hiệu vi phạm trong việc thực hiện những điều đảng viên không được làm và trong quản lý đất đai ở địa phương."}}},
			{Kind: Item, Text: "1. Nội dung kiểm tra: việc chấp hành nguyên tắc, quy định của Đảng, pháp luật của Nhà nước trong việc cho thuê đất công ích của thôn năm 2025."},
			{Kind: Item, Text: "2. Thời gian kiểm tra: 30 ngày, từ ngày 10/11/2026 đến ngày 10/12/2026."},
			{Kind: Item, Text: "3. Tổ kiểm tra gồm các đồng chí:"},
			{Kind: Item, Text: "- Đồng chí Nguyễn Văn An, Chủ nhiệm Ủy ban Kiểm tra, Tổ trưởng;"},
			{Kind: Item, Text: "- Đồng chí Lê Thị Hoa, Phó Chủ nhiệm Ủy ban Kiểm tra, thành viên."},
			{Runs: []Run{{Text: "Điều 2.", Bold: true}, {Text: " Tổ kiểm tra có trách nhiệm xây dựng kế hoạch, tiến hành kiểm tra và báo cáo kết quả với Ủy ban Kiểm tra Đảng ủy xã."}}},
			{Runs: []Run{{Text: "Điều 3.", Bold: true}, {Text: " Chi bộ thôn Đoàn Kết, Tổ kiểm tra, đồng chí Trần Văn Bình và các đồng chí có liên quan chịu trách nhiệm thi hành Quyết định này./."}}},
		},
		Signature: Signature{Capacity: "T/M Ủy ban Kiểm tra", Title: "Chủ nhiệm", Name: "Nguyễn Văn An"},
		Recipients: []string{
			"Thường trực Đảng ủy xã (để báo cáo)",
			"Chi bộ thôn Đoàn Kết",
			"Như Điều 3",
			"Lưu UBKT",
		},
	}
}

// examplePlan is a draft: no number yet, no date, no name under the
// signature, and a body long enough for a second page.
func examplePlan() *Document {
	d := &Document{
		SuperiorBody: "Đảng bộ tỉnh Ninh Bình",
		IssuingBody:  "Ủy ban Kiểm tra Đảng ủy xã Gia Tường",
		Number:       "Số      -KH/UBKT",
		Place:        "Gia Tường",
		Type:         "KẾ HOẠCH",
		Summary:      "kiểm tra đảng viên khi có dấu hiệu vi phạm đối với đồng chí Trần Văn Bình",
		Draft:        true,
		Body: []Block{
			{Text: "Thực hiện Quyết định số 15-QĐ/UBKT, ngày 05/11/2026 của Ủy ban Kiểm tra Đảng ủy xã Gia Tường về việc kiểm tra đảng viên khi có dấu hiệu vi phạm, Tổ kiểm tra xây dựng Kế hoạch thực hiện như sau:"},
			{Kind: Heading, Text: "I. MỤC ĐÍCH, YÊU CẦU"},
			{Text: "1. Làm rõ những dấu hiệu vi phạm của đồng chí Trần Văn Bình, đảng viên Chi bộ thôn Đoàn Kết, trong việc cho thuê đất công ích của thôn; kết luận đúng, sai và xem xét trách nhiệm, nếu có vi phạm đến mức phải xử lý thì đề nghị xem xét, xử lý kỷ luật theo quy định."},
			{Text: "2. Việc kiểm tra phải đúng nguyên tắc, quy trình, thủ tục; khách quan, công tâm, thận trọng, chặt chẽ; không làm ảnh hưởng đến hoạt động bình thường của chi bộ và đảng viên được kiểm tra."},
			{Kind: Heading, Text: "II. NỘI DUNG KIỂM TRA"},
			{Kind: Item, Text: "- Việc chấp hành nguyên tắc tập trung dân chủ, quy chế làm việc của chi bộ;"},
			{Kind: Item, Text: "- Việc thực hiện quy định về những điều đảng viên không được làm;"},
			{Kind: Item, Text: "- Việc quản lý, cho thuê và sử dụng tiền thu từ đất công ích của thôn năm 2025."},
			{Kind: Heading, Text: "III. THỜI GIAN, PHƯƠNG PHÁP TIẾN HÀNH"},
			{Runs: []Run{{Text: "1. Thời gian: ", Bold: true}, {Text: "30 ngày, từ ngày 10/11/2026 đến ngày 10/12/2026 (không kể thời gian nghỉ theo quy định)."}}},
			{Runs: []Run{{Text: "2. Phương pháp: ", Bold: true}, {Text: "Tổ kiểm tra làm việc với Chi bộ thôn Đoàn Kết, yêu cầu đồng chí Trần Văn Bình chuẩn bị báo cáo giải trình bằng văn bản và cung cấp hồ sơ, tài liệu có liên quan; thẩm tra, xác minh; dự thảo báo cáo kết quả kiểm tra, "}, {Text: "trao đổi với đảng viên được kiểm tra", Italic: true}, {Text: " trước khi báo cáo Ủy ban Kiểm tra."}}},
			{Kind: Heading, Text: "IV. TIẾN ĐỘ THỰC HIỆN"},
		},
		Signature: Signature{Capacity: "T/M Tổ kiểm tra", Title: "Tổ trưởng"},
		Recipients: []string{
			"Ủy ban Kiểm tra Đảng ủy xã (để báo cáo)",
			"Chi bộ thôn Đoàn Kết",
			"Đồng chí Trần Văn Bình",
			"Thành viên Tổ kiểm tra",
			"Lưu Tổ kiểm tra",
		},
	}
	steps := []string{
		"Tổ kiểm tra họp, phân công nhiệm vụ cho các thành viên và thông qua Kế hoạch kiểm tra.",
		"Làm việc với Chi bộ thôn Đoàn Kết và đồng chí Trần Văn Bình để triển khai Quyết định và Kế hoạch kiểm tra.",
		"Đồng chí Trần Văn Bình chuẩn bị và gửi báo cáo giải trình đến Tổ kiểm tra.",
		"Tổ kiểm tra nghiên cứu báo cáo, thẩm tra, xác minh các nội dung có liên quan.",
		"Chi bộ thôn Đoàn Kết tổ chức họp để đảng viên được kiểm tra báo cáo giải trình; chi bộ tham gia ý kiến và biểu quyết.",
		"Tổ kiểm tra dự thảo báo cáo kết quả kiểm tra và trao đổi với đảng viên được kiểm tra.",
		"Tổ kiểm tra báo cáo kết quả kiểm tra với Ủy ban Kiểm tra Đảng ủy xã.",
	}
	for i, s := range steps {
		d.Body = append(d.Body, Block{Kind: Item, Text: fmt.Sprintf("%d. Từ ngày %02d/11/2026 đến ngày %02d/11/2026: %s", i+1, 10+2*i, 11+2*i, s)})
	}
	d.Body = append(d.Body,
		Block{Kind: Heading, Text: "V. TỔ CHỨC THỰC HIỆN"},
		Block{Text: "Các thành viên Tổ kiểm tra căn cứ nhiệm vụ được phân công chủ động thực hiện; Chi bộ thôn Đoàn Kết và đồng chí Trần Văn Bình có trách nhiệm phối hợp, cung cấp đầy đủ hồ sơ, tài liệu theo yêu cầu của Tổ kiểm tra./."},
	)
	return d
}

func exampleNotice() *Document {
	return &Document{
		SuperiorBody: "Đảng bộ tỉnh Ninh Bình",
		IssuingBody:  "Ủy ban Kiểm tra Đảng ủy xã Gia Tường",
		Number:       "Số 21-TB/UBKT",
		Place:        "Gia Tường",
		Date:         civil.New(2026, 12, 15),
		Type:         "THÔNG BÁO",
		Summary:      "kết luận kiểm tra đảng viên khi có dấu hiệu vi phạm đối với đồng chí Trần Văn Bình",
		Mark:         "Mật",
		Body: []Block{
			{Text: "Thực hiện Quyết định số 15-QĐ/UBKT, ngày 05/11/2026 của Ủy ban Kiểm tra Đảng ủy xã Gia Tường, Tổ kiểm tra đã tiến hành kiểm tra đồng chí Trần Văn Bình, đảng viên Chi bộ thôn Đoàn Kết, khi có dấu hiệu vi phạm."},
			{Text: "Ngày 12/12/2026, Ủy ban Kiểm tra Đảng ủy xã đã họp, xem xét báo cáo kết quả kiểm tra của Tổ kiểm tra và kết luận như sau:"},
			{Kind: Heading, Text: "1. Ưu điểm"},
			{Text: "Đồng chí Trần Văn Bình có lập trường tư tưởng vững vàng, chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; tích cực tham gia các phong trào ở địa phương."},
			{Kind: Heading, Text: "2. Vi phạm, khuyết điểm"},
			{Text: "Trong năm 2025, đồng chí Trần Văn Bình đã tự ý cho thuê 1.200 m² đất công ích của thôn khi chưa có ý kiến của chi bộ và Ủy ban nhân dân xã; số tiền thu được 18.000.000 đồng chưa nộp vào quỹ của thôn."},
			{Kind: Heading, Text: "3. Kết luận"},
			{Text: "Đồng chí Trần Văn Bình đã vi phạm quy định về những điều đảng viên không được làm, đến mức phải xem xét, xử lý kỷ luật."},
			{Kind: Heading, Text: "4. Kiến nghị"},
			{Kind: Item, Text: "- Chi bộ thôn Đoàn Kết xem xét, xử lý kỷ luật đồng chí Trần Văn Bình theo quy định;"},
			{Kind: Item, Text: "- Đồng chí Trần Văn Bình nộp đủ số tiền 18.000.000 đồng vào quỹ của thôn trước ngày 31/12/2026./."},
		},
		Signature: Signature{Capacity: "T/M Ủy ban Kiểm tra", Title: "Phó Chủ nhiệm", Name: "Lê Thị Hoa"},
		Recipients: []string{
			"Thường trực Đảng ủy xã (để báo cáo)",
			"Chi bộ thôn Đoàn Kết",
			"Đồng chí Trần Văn Bình",
			"Lưu UBKT, hồ sơ kiểm tra",
		},
	}
}

type example struct {
	name string
	doc  func() *Document
}

var examples = []example{
	{"quyet-dinh-kiem-tra", exampleDecision},
	{"ke-hoach-kiem-tra", examplePlan},
	{"thong-bao-ket-luan", exampleNotice},
}

func forEachExample(t *testing.T, fn func(t *testing.T, d *Document)) {
	t.Helper()
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) { fn(t, ex.doc()) })
	}
}
