package seed

// The texts of the discipline generator (discipline.go): violations by
// category, the categories of the letters' topics, complaints and their
// resolutions. Every text is Vietnamese in NFC.

import "ktgs"

// discCause is a violation category with its weight and texts (%s: a
// domain; %d: an amount in millions of đồng).
type discCause struct {
	cat   string
	w     float64
	texts []string
}

var memberCauses = []discCause{
	{"DAO_DUC_LOI_SONG", 18, []string{"Vi phạm phẩm chất đạo đức, lối sống: uống rượu, bia say gây mất trật tự nơi công cộng.",
		"Vi phạm phẩm chất đạo đức, lối sống: có quan hệ nam nữ bất chính, ảnh hưởng đến uy tín của đảng viên.",
		"Vay mượn tiền của nhiều người rồi không trả, gây bức xúc trong nhân dân; vi phạm những điều đảng viên không được làm.",
		"Thiếu gương mẫu, để xảy ra bạo lực gia đình, đã được chính quyền địa phương nhắc nhở nhiều lần."}},
	{"DAN_SO_GIA_DINH", 16, []string{"Vi phạm chính sách dân số (sinh con thứ ba)."}},
	{"TE_NAN_XA_HOI", 8, []string{"Tham gia đánh bạc, bị cơ quan công an xử phạt vi phạm hành chính.",
		"Cho vay lãi nặng, gây dư luận xấu trong nhân dân."}},
	{"QUAN_DIEM_CHINH_TRI", 2, []string{"Có biểu hiện suy thoái về tư tưởng chính trị; phát ngôn trái với quan điểm, đường lối của Đảng tại cuộc họp chi bộ."}},
	{"TUYEN_TRUYEN_PHAT_NGON", 2, []string{"Đăng tải, chia sẻ trên mạng xã hội thông tin sai sự thật, trái với quan điểm của Đảng, chính sách, pháp luật của Nhà nước."}},
	{"THAM_NHUNG", 0.4, []string{"Lợi dụng chức vụ, quyền hạn chiếm đoạt %d triệu đồng tiền hỗ trợ của Nhà nước."}},
	{"LANG_PHI", 0.3, []string{"Để xảy ra lãng phí trong mua sắm tài sản công, gây thiệt hại %d triệu đồng."}},
	{"CHAY_CHUC_CHAY_QUYEN", 0.2, []string{"Vận động, tác động không đúng quy định để được quy hoạch, bổ nhiệm."}},
	{"NHIEM_VU_CONG_VU", 12, []string{"Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao, để xảy ra sai sót trong %s.",
		"Vi phạm quy định trong giải quyết thủ tục hành chính, gây phiền hà cho người dân."}},
	{"TO_CHUC_HOAT_DONG_DANG", 8, []string{"Vi phạm chế độ sinh hoạt đảng: nhiều lần không tham gia sinh hoạt chi bộ không có lý do chính đáng.",
		"Không thực hiện nhiệm vụ đảng viên nơi cư trú; không chấp hành sự phân công của chi bộ."}},
	{"TAI_CHINH_DAT_DAI", 10, []string{"Vi phạm quy định về quản lý đất đai: tự ý chuyển mục đích sử dụng đất, xây dựng công trình trên đất nông nghiệp.",
		"Vi phạm quy định về quản lý tài chính: chi sai mục đích %d triệu đồng."}},
	{"LANH_DAO_QUAN_LY", 8, []string{"Thiếu trách nhiệm trong lãnh đạo, quản lý, để cấp dưới vi phạm trong %s."}},
	{"KE_KHAI_TAI_SAN", 4, []string{"Kê khai tài sản, thu nhập không trung thực, không đầy đủ."}},
	{"DAU_TU_XAY_DUNG", 4, []string{"Vi phạm quy định về quản lý dự án đầu tư xây dựng: nghiệm thu, thanh toán sai khối lượng trị giá %d triệu đồng."}},
	{"CONG_TAC_CAN_BO", 3, []string{"Vi phạm quy định trong công tác tuyển dụng, bổ nhiệm cán bộ."}},
	{"KHAC", 6, []string{"Điều khiển phương tiện giao thông khi trong máu có nồng độ cồn, bị xử phạt vi phạm hành chính."}},
	{"TIN_DUNG_NGAN_HANG", 1, []string{"Vi phạm quy định trong cho vay vốn ưu đãi: xác nhận hồ sơ vay vốn sai đối tượng."}},
	{"KHIEU_NAI_TO_CAO", 1, []string{"Gây khó khăn, không tiếp nhận, giải quyết đơn thư của công dân theo quy định."}},
}

var stateCauses = []discCause{
	{"NHIEM_VU_CONG_VU", 40, []string{"Bị %s kỷ luật về vi phạm trong thực hiện nhiệm vụ, công vụ."}},
	{"TAI_CHINH_DAT_DAI", 30, []string{"Bị %s kỷ luật về vi phạm trong quản lý đất đai."}},
	{"LANH_DAO_QUAN_LY", 20, []string{"Bị %s kỷ luật về thiếu trách nhiệm trong lãnh đạo, quản lý."}},
	{"DAU_TU_XAY_DUNG", 10, []string{"Bị %s kỷ luật về vi phạm trong quản lý đầu tư xây dựng."}},
}

var policeCauses = []discCause{
	{"TE_NAN_XA_HOI", 30, []string{"Bị khởi tố bị can về tội đánh bạc."}},
	{"TAI_CHINH_DAT_DAI", 20, []string{"Bị khởi tố bị can về tội vi phạm quy định về quản lý đất đai."}},
	{"THAM_NHUNG", 12, []string{"Bị khởi tố bị can về tội tham ô tài sản.", "Bị khởi tố bị can về tội lợi dụng chức vụ, quyền hạn trong khi thi hành công vụ."}},
	{"KHAC", 38, []string{"Bị khởi tố bị can về tội vi phạm quy định về tham gia giao thông đường bộ.", "Bị khởi tố bị can về tội cố ý gây thương tích.",
		"Bị khởi tố bị can về tội lừa đảo chiếm đoạt tài sản."}},
}

var orgCauses = []discCause{
	{"NGUYEN_TAC_TO_CHUC", 35, []string{"Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc; để nội bộ mất đoàn kết kéo dài.",
		"Không duy trì chế độ sinh hoạt định kỳ; nhiều kỳ sinh hoạt không đủ số đảng viên tham dự, chất lượng sinh hoạt thấp."}},
	{"BAN_HANH_THUC_HIEN", 25, []string{"Buông lỏng lãnh đạo, chỉ đạo, thiếu kiểm tra, giám sát để xảy ra sai phạm kéo dài trong %s."}},
	{"CHU_TRUONG_QUY_DINH", 15, []string{"Không thực hiện nghiêm các quy định của Đảng về %s."}},
	{"TAI_CHINH_DAT_DAI", 12, []string{"Để xảy ra vi phạm trong quản lý thu, chi tài chính, tài sản; chi sai nguyên tắc %d triệu đồng."}},
	{"KIEM_TRA_GIAM_SAT", 8, []string{"Không xây dựng, thực hiện chương trình kiểm tra, giám sát; không chỉ đạo xử lý các vi phạm đã được phát hiện."}},
	{"THAM_NHUNG", 2, []string{"Buông lỏng lãnh đạo để nhiều cán bộ, đảng viên thuộc quyền quản lý vi phạm về phòng, chống tham nhũng."}},
	{"DAU_TU_XAY_DUNG", 3, []string{"Lãnh đạo, chỉ đạo thực hiện dự án đầu tư xây dựng sai quy định, gây thất thoát %d triệu đồng."}},
}

const dissolutionText = "Bỏ ba kỳ liên tiếp không sinh hoạt; nội bộ mất đoàn kết nghiêm trọng, không còn vai trò lãnh đạo."

// The categories of the letters' topics (letters_text.go), in their order.
var (
	memberTopicCats = []string{"TAI_CHINH_DAT_DAI", "THAM_NHUNG", "DAU_TU_XAY_DUNG", "CONG_TAC_CAN_BO", "DAO_DUC_LOI_SONG",
		"KE_KHAI_TAI_SAN", "NHIEM_VU_CONG_VU", "KHIEU_NAI_TO_CAO", "TAI_CHINH_DAT_DAI", "DAO_DUC_LOI_SONG"}
	orgTopicCats = []string{"BAN_HANH_THUC_HIEN", "NGUYEN_TAC_TO_CHUC", "TAI_CHINH_DAT_DAI", "NGUYEN_TAC_TO_CHUC"}
)

// letterCategory is the category of topic in cats, KHAC if there is none.
func letterCategory(cats []string, topic int) string {
	if topic >= 0 && topic < len(cats) {
		return cats[topic]
	}
	return "KHAC"
}

// cancelReasons are why a proceeding ends before the vote.
var cancelReasons = []string{"Chuyển hồ sơ đến cấp ủy có thẩm quyền xem xét theo quy định.",
	"Nội dung vi phạm đã được xem xét, xử lý trong vụ việc khác.", "Cấp có thẩm quyền kết luận chưa đến mức phải xem xét kỷ luật."}

// complaintTexts are the contents of complaints about a decision (%s: its
// form); formNames the forms as they read in a sentence.
var (
	complaintTexts = []string{
		"Đề nghị xem xét lại quyết định thi hành kỷ luật bằng hình thức %s: hình thức kỷ luật chưa tương xứng với nội dung, tính chất, mức độ vi phạm.",
		"Không đồng ý với quyết định kỷ luật bằng hình thức %s: một số nội dung vi phạm đã được khắc phục trước khi xem xét nhưng chưa được coi là tình tiết giảm nhẹ.",
		"Khiếu nại quyết định kỷ luật bằng hình thức %s: quá trình xem xét chưa đúng quy trình, chưa được trình bày ý kiến trước khi biểu quyết.",
	}
	formNames = map[ktgs.DisciplineForm]string{ktgs.FormReprimand: "khiển trách", ktgs.FormWarning: "cảnh cáo", ktgs.FormRemoval: "cách chức",
		ktgs.FormExpulsion: "khai trừ ra khỏi Đảng", ktgs.FormDissolution: "giải tán"}
)
