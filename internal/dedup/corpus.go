package dedup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"ktgs/internal/vn"
)

// Generate returns n synthetic letters to party inspection commissions,
// with IDs 1..n in order of arrival, and dupOf, which maps the ID of every
// repeat to the ID of the first letter of its group. The output depends
// only on seed and n. It is the corpus the thresholds of Match are tuned
// on, and the demo seeder's source of letters.
//
// About 28% of the letters are repeats of an earlier one (usually a recent
// one), made from the first letter of the group or from an earlier repeat
// by a random mix of what happens to real letters: sent to another unit
// (new recipient and date), sentences reordered, greeting or closing
// changed, a sentence inserted or deleted, a few words added or removed,
// retyped with typos in about 3% of the words, without diacritics, in NFD,
// with other spacing and punctuation; a few record the accused differently.
//
// The other letters are written from nine topics (land management,
// embezzlement, appointments, ethics and lifestyle, asset declarations,
// bribery in construction contracts, nepotism in recruitment, retaliation
// against a denouncer, unlawful school fees), each a sequence of slots with
// several phrasings, filled with the letter's own names, places, amounts
// and dates. Among them are the hard negatives the thresholds must
// survive: letters against the same person on another topic (often from the
// same sender), letters of a serial writer on the same topic about other
// people, and letters of other senders about the same person and topic with
// other facts.
func Generate(seed int64, n int) (letters []*Letter, dupOf map[int64]int64) {
	g := &corpusGen{r: rand.New(rand.NewPCG(uint64(seed), 0x6b7467732d636f72))}
	dupOf = make(map[int64]int64)
	var groups []*group
	var originals []*draft // originals in order, for the hard negatives
	start := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for id := int64(1); id <= int64(n); id++ {
		// Letters arrive over eighteen months, in ID order.
		g.today = start.AddDate(0, 0, int((id-1)*548/int64(max(n, 1))))
		var d *draft
		if len(groups) > 0 && g.r.Float64() < 0.28 {
			gr := g.pickGroup(groups)
			src := gr.members[0]
			if len(gr.members) > 1 && g.r.Float64() < 0.3 {
				src = gr.members[g.r.IntN(len(gr.members))] // a copy of a copy
			}
			d = g.repeat(src)
			gr.members = append(gr.members, d)
			dupOf[id] = gr.first
		} else {
			d = g.original(originals)
			originals = append(originals, d)
			groups = append(groups, &group{first: id, members: []*draft{d}})
		}
		l := &Letter{ID: id, Text: d.text, Accused: d.accusedKeys}
		if d.sender != nil {
			l.SenderTag = d.sender.tag
		}
		l.FP = Of(l.Text)
		letters = append(letters, l)
	}
	return letters, dupOf
}

// group is an original letter and its repeats.
type group struct {
	first   int64
	members []*draft
}

// pickGroup chooses the group a repeat belongs to: most repeats follow
// their original within weeks, some come back much later.
func (g *corpusGen) pickGroup(groups []*group) *group {
	if g.r.Float64() < 0.75 {
		k := min(len(groups), 60)
		return groups[len(groups)-1-g.r.IntN(k)]
	}
	return groups[g.r.IntN(len(groups))]
}

type corpusGen struct {
	r         *rand.Rand
	today     time.Time // the date of the letter being written
	officials []*official
	citizens  []*citizen
	members   int64 // last member id given to an accused
}

// official is a person who may be accused.
type official struct {
	key      string // Letter.Accused key
	name     string
	female   bool
	born     int
	title    string // "Chủ tịch Ủy ban nhân dân xã Tân Lập"
	cell     string // the party cell or committee the member belongs to
	pl       *place
	topics   []int
	province bool   // a provincial official
	school   string // the school a principal heads
}

// citizen is a sender who signs with a name.
type citizen struct {
	tag     string
	name    string
	female  bool
	born    int
	addr    string
	village string
	pl      *place
	member  bool   // a party member, says so in the letter
	closing int    // index of the writer's habitual closing formula
	idcard  string // citizen identity card number
}

type place struct {
	province string // "tỉnh Nghệ An", "thành phố Hải Phòng"
	provName string // "Nghệ An"
	commune  string // "xã Tân Lập", "phường Hòa Bình"
	comName  string // "Tân Lập"
	oldDist  string // the district before 1/7/2025: "huyện Yên Thành"
	villages []string
}

// draft is a letter in parts, so that repeats can rearrange it.
type draft struct {
	kind        string
	subject     string
	to          string
	cc          string
	intro       []string
	body        []string
	request     []string
	closing     []string
	sign        []string
	header      bool
	topic       int
	f           *facts
	sender      *citizen
	accused     []*official
	accusedKeys []string
	text        string
	namedA      bool   // the full designation of the accused was written once
	anonSign    string // how an anonymous writer signs
}

// say fills a sentence template: the accused is designated in full the
// first time only, and the sentence starts with a capital.
func (d *draft) say(tmpl string) string {
	if d.namedA {
		tmpl = strings.ReplaceAll(tmpl, "{A}", "{a}")
	}
	d.namedA = d.namedA || strings.Contains(tmpl, "{A}")
	return upperFirst(d.f.rep.Replace(tmpl))
}

// facts fill a letter's placeholders.
type facts struct {
	rep *strings.Replacer
	pl  *place
}

var provinceNames = []string{"Hà Nội", "Huế", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
	"Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị",
	"Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
	"Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"}

var cityProvinces = map[string]bool{"Hà Nội": true, "Huế": true, "Hải Phòng": true, "Đà Nẵng": true, "Hồ Chí Minh": true, "Cần Thơ": true}

var placeFirst = []string{"Tân", "An", "Yên", "Phú", "Hòa", "Đông", "Tây", "Bình", "Xuân", "Hưng", "Vĩnh", "Mỹ", "Quảng",
	"Thanh", "Đại", "Hiệp", "Phước", "Long", "Kim", "Cẩm", "Nghĩa", "Hồng", "Thạch", "Diễn", "Quỳnh", "Minh", "Trường", "Gia"}

var placeSecond = []string{"Lập", "Phong", "Hưng", "Thịnh", "Lợi", "Sơn", "Hà", "Thành", "Lộc", "Phúc", "Hòa", "Trung",
	"Tiến", "Mỹ", "An", "Thuận", "Bình", "Nghĩa", "Đức", "Quang", "Khánh", "Điền", "Xá", "Châu", "Thủy", "Vinh", "Tường"}

var villageNames = []string{"Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Đình", "Chùa", "Mới", "Cầu", "Bến", "Giữa",
	"Đồng Tâm", "Tiền Phong", "Quyết Tiến", "Thắng Lợi", "Phú Xuân", "Bình Minh", "Hòa Bình"}

var familyNames = []string{"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh",
	"Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Lương", "Cao",
	"Hà", "Lâm", "Đoàn", "Phùng", "Tạ"}

var maleMiddle = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Công", "Quốc",
	"Đình", "Mạnh", "Thế", "Trọng", "Bá", "Duy", "Tiến", "Viết", "Khắc"}

var femaleMiddle = []string{"Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Kim", "Phương", "Minh", "Hồng", "Bích", "Thúy",
	"Mai", "Hoài", "Thùy", "Khánh"}

var maleGiven = []string{"An", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hiệp",
	"Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa",
	"Nhân", "Phong", "Phúc", "Quân", "Quang", "Quyết", "Sơn", "Tài", "Tâm", "Thái", "Thắng", "Thành", "Thịnh", "Thuận",
	"Tiến", "Toàn", "Trí", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Hậu", "Lợi", "Thọ", "Khải"}

var femaleGiven = []string{"Anh", "Ánh", "Bích", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền",
	"Hoa", "Hồng", "Huệ", "Hương", "Hường", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung",
	"Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Thúy", "Trang", "Tuyết", "Vân", "Yến", "Nhàn", "Thắm"}

var companyNames = []string{"Hoàng Long", "Trường Thịnh", "Phú Cường", "Minh Phát", "Thành Đạt", "Đại Việt", "Hưng Thịnh",
	"An Phú", "Sơn Hà", "Tiến Thành", "Quang Minh", "Vạn Xuân", "Bảo An", "Thái Sơn", "Hải Nam", "Kim Long"}

var companyKinds = []string{"Công ty TNHH Xây dựng", "Công ty Cổ phần Đầu tư và Xây dựng", "Công ty TNHH Thương mại và Xây dựng",
	"Công ty TNHH Một thành viên", "Công ty Cổ phần Xây lắp"}

var projectKinds = []string{"công trình đường giao thông nông thôn", "công trình nhà văn hóa", "công trình kè chống sạt lở",
	"dự án nâng cấp kênh mương nội đồng", "công trình trường mầm non", "dự án khu dân cư", "công trình trạm y tế",
	"dự án cải tạo chợ", "công trình cầu dân sinh", "dự án chỉnh trang trụ sở"}

// Topic indexes.
const (
	topicLand = iota
	topicEmbezzle
	topicAppoint
	topicEthics
	topicAssets
	topicBribery
	topicNepotism
	topicRetaliate
	topicFees
	numTopics
)

// topic is a kind of allegation: what the subject line says, and slots of
// alternative sentences in the order a letter tells them. Placeholders:
// {A} full designation of the accused, {a} short designation, {B} a second
// accused, {xa} commune, {thon} village, {tinh} province, {huyen} former
// district, {tien} {tien2} {tien3} amounts, {lo} {hi} a range of amounts, {dt} area, {thua} land plot,
// {ngay} {ngay2} dates, {nam} {nam2} years, {ct} project, {cty} company,
// {nt} a relative of the accused, {n} {n10} small numbers, {truong} school,
// {namhoc} school year,
// {nhan} a witness.
type topic struct {
	subject string
	kind    string
	slots   [][]string
	extra   []string // sentences a repeat may insert
}

var topics = [numTopics]topic{
	topicLand: {
		subject: "có nhiều sai phạm trong quản lý, sử dụng đất đai",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi làm đơn này để tố cáo {A} đã có nhiều sai phạm nghiêm trọng trong công tác quản lý đất đai tại địa phương.",
				"Qua theo dõi nhiều năm, tôi thấy {A} đã lợi dụng chức vụ, quyền hạn để giao đất, cấp đất trái quy định.",
				"Nhân dân {thon} rất bức xúc trước việc {A} buông lỏng quản lý, để đất công bị lấn chiếm trong thời gian dài.",
				"Tôi xin trình bày việc {A} tự ý giao đất công ích của {xa} cho người quen mà không thông qua Hội đồng tư vấn đất đai."},
			{"Cụ thể, vào {ngay}, {a} đã ký giấy giao {dt} đất tại {thua} cho một hộ gia đình không đủ điều kiện.",
				"Khu đất rộng {dt} tại {thua} vốn là đất nông nghiệp công ích nhưng đã được chuyển cho tư nhân xây nhà kiên cố từ năm {nam}.",
				"Năm {nam}, {a} chỉ đạo cán bộ địa chính hợp thức hóa hồ sơ để cấp giấy chứng nhận quyền sử dụng đất cho {dt} đất lấn chiếm tại {thua}.",
				"Theo bản đồ địa chính, {thua} có diện tích {dt} là đất do Ủy ban nhân dân xã quản lý, nay đã bị san lấp và rào lại."},
			{"Mỗi lô đất {a} thu của người dân từ {lo} đến {hi} nhưng không viết biên lai và không nộp vào ngân sách nhà nước.",
				"Số tiền thu được từ việc bán đất trái phép lên tới khoảng {tien}, đến nay không ai biết đã đi đâu.",
				"Người dân phải nộp {tien} cho {a} thì mới được làm thủ tục chuyển mục đích sử dụng đất."},
			{"Đáng chú ý, trong số những người được giao đất có {nt}, thửa đất nằm ngay mặt đường liên xã.",
				"Một phần diện tích đất công đã được chuyển sang đứng tên {nt} rồi bán lại với giá cao.",
				"Sau đó {nt} đã xây dựng xưởng sản xuất trên phần đất này mà không có giấy phép xây dựng."},
			{"Người dân đã nhiều lần phản ánh tại các buổi tiếp xúc cử tri nhưng chính quyền {xa} không giải quyết dứt điểm.",
				"Tôi đã gửi đơn đến Ủy ban nhân dân {huyen} từ năm {nam2} nhưng đến nay vẫn chưa nhận được trả lời.",
				"Đoàn kiểm tra của cấp trên đã về làm việc một lần vào {ngay2} nhưng sau đó sự việc bị bỏ qua, không có kết luận."},
			{"Việc làm trên gây thất thoát lớn tài sản nhà nước và làm mất lòng tin của nhân dân đối với tổ chức đảng.",
				"Hành vi này vi phạm Luật Đất đai và các quy định của Đảng về xử lý kỷ luật đảng viên vi phạm.",
				"Nhiều hộ dân bị ảnh hưởng lối đi và hệ thống mương thủy lợi do phần đất bị lấn chiếm."},
		},
		extra: []string{"Tôi có bản sao trích lục bản đồ địa chính của {thua} để đối chiếu.",
			"{nhan} là người trực tiếp chứng kiến việc đo đạc, bàn giao đất.",
			"Đến nay trên phần đất này đã có thêm một dãy nhà trọ cho thuê."},
	},
	topicEmbezzle: {
		subject: "có dấu hiệu tham ô, chiếm đoạt tiền ngân sách và tiền đóng góp của nhân dân",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi tố cáo {A} đã lập chứng từ khống để rút tiền ngân sách của {xa} sử dụng vào mục đích cá nhân.",
				"{A} lợi dụng việc được giao quản lý tài chính để chiếm đoạt tiền hỗ trợ của nhà nước dành cho người dân.",
				"Trong thời gian giữ chức vụ, {A} đã nhiều lần chi sai mục đích, chiếm dụng tiền của các quỹ do xã quản lý."},
			{"Năm {nam}, tiền hỗ trợ hộ nghèo đón Tết với tổng số {tien} chỉ được phát cho một phần các hộ, số còn lại không rõ đi đâu.",
				"Quỹ phòng, chống thiên tai thu của nhân dân năm {nam} được {tien} nhưng không được công khai thu chi theo quy định.",
				"Khoản kinh phí hỗ trợ sản xuất nông nghiệp {tien} năm {nam} được quyết toán đầy đủ trong khi người dân chưa nhận được đồng nào.",
				"Tiền bồi thường giải phóng mặt bằng {ct} có khoảng {tien} bị giữ lại tại xã, không chi trả cho các hộ dân."},
			{"Nhiều người dân có tên trong danh sách nhận tiền nhưng khẳng định chưa từng ký nhận, chữ ký trong hồ sơ là giả mạo.",
				"{a} còn chỉ đạo kế toán lập {n} bộ hồ sơ thanh toán khống tiền công tác phí và hội nghị với số tiền khoảng {tien2}.",
				"Hóa đơn mua văn phòng phẩm, tiếp khách được kê cao gấp nhiều lần so với thực tế để hợp thức hóa khoản chi."},
			{"Chỉ sau vài năm giữ chức vụ, gia đình {a} đã xây nhà ba tầng và mua ô tô, không tương xứng với thu nhập.",
				"Khi người dân đề nghị công khai sổ sách, {a} tìm cách né tránh và cho rằng đó là bí mật của cơ quan.",
				"Kế toán của xã biết rõ sự việc nhưng bị ép phải làm theo, nếu không sẽ bị điều chuyển công tác."},
			{"Ban Thanh tra nhân dân xã đã có kiến nghị từ {ngay2} nhưng không được xem xét.",
				"Tôi có giữ bản chụp danh sách ký nhận và một số chứng từ liên quan, sẵn sàng cung cấp khi cơ quan có thẩm quyền yêu cầu.",
				"Việc này nhiều cán bộ, đảng viên trong chi bộ đều biết nhưng không ai dám lên tiếng."},
		},
		extra: []string{"{nhan} là một trong những hộ có tên trong danh sách nhưng chưa nhận được tiền.",
			"Sổ quỹ tiền mặt của xã năm {nam} có nhiều trang bị tẩy xóa, viết lại.",
			"Số tiền trên nếu được sử dụng đúng mục đích đã giúp được nhiều gia đình khó khăn."},
	},
	topicAppoint: {
		subject: "lạm dụng chức vụ, quyền hạn trong công tác bổ nhiệm cán bộ",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi làm đơn này tố cáo {A} đã lạm dụng chức vụ, quyền hạn trong việc quy hoạch, bổ nhiệm cán bộ tại đơn vị.",
				"{A} đã áp đặt ý kiến cá nhân, bỏ qua quy trình để đưa người không đủ tiêu chuẩn vào các vị trí lãnh đạo.",
				"Trong công tác cán bộ, {A} có biểu hiện cục bộ, bè phái, chỉ bổ nhiệm những người thân cận với mình."},
			{"Vào {ngay}, {a} đã ký quyết định bổ nhiệm {nt} giữ chức phó trưởng phòng khi người này chưa có bằng trung cấp lý luận chính trị.",
				"{nt} mới được tuyển dụng chưa đầy hai năm đã được đưa vào quy hoạch và bổ nhiệm vượt cấp.",
				"Hồ sơ bổ nhiệm của {nt} có nhiều điểm bất thường, phiếu tín nhiệm không đạt quá bán nhưng vẫn được trình ký."},
			{"Dư luận trong cơ quan cho rằng để được bổ nhiệm phải chi từ {lo} đến {hi} tùy vị trí.",
				"Một số cán bộ có năng lực, được tín nhiệm cao lại bị điều chuyển đi nơi khác hoặc không được đưa vào quy hoạch.",
				"Việc lấy phiếu giới thiệu nhân sự được tiến hành hình thức, kết quả không được công bố cho cán bộ, công chức."},
			{"Trong nhiệm kỳ vừa qua đã có {n} trường hợp được bổ nhiệm không đúng quy trình, trong đó có những người chưa qua công tác cơ sở.",
				"Những người có ý kiến khác trong cuộc họp {ngay2} đều bị {a} phê bình gay gắt và sau đó bị gây khó khăn trong công việc.",
				"Khi bị chất vấn, {a} cho rằng đây là chủ trương của tập thể, nhưng biên bản họp không thể hiện điều đó."},
			{"Việc làm này gây mất đoàn kết nội bộ nghiêm trọng, nhiều cán bộ trẻ chán nản xin nghỉ việc.",
				"Tôi đề nghị kiểm tra lại toàn bộ hồ sơ bổ nhiệm cán bộ của đơn vị từ năm {nam} đến nay."},
		},
		extra: []string{"{nhan} đã đạt số phiếu cao nhất nhưng không được trình bổ nhiệm.",
			"Thông báo kết quả bổ nhiệm được niêm yết sau khi quyết định đã có hiệu lực.",
			"Trước khi sáp nhập, đơn vị đã có chủ trương rà soát lại quy hoạch nhưng không thực hiện."},
	},
	topicEthics: {
		subject: "vi phạm đạo đức, lối sống, những điều đảng viên không được làm",
		kind:    "ĐƠN PHẢN ÁNH",
		slots: [][]string{
			{"Tôi xin phản ánh việc {A} có lối sống không lành mạnh, vi phạm những điều đảng viên không được làm.",
				"{A} thường xuyên có hành vi thiếu chuẩn mực, ảnh hưởng xấu đến uy tín của cán bộ, đảng viên ở địa phương.",
				"Là người có chức vụ nhưng {A} không gương mẫu, vi phạm nghiêm trọng chuẩn mực đạo đức của người đảng viên."},
			{"{a} có quan hệ nam nữ bất chính với một người trong cơ quan, sự việc đã kéo dài từ năm {nam}.",
				"Nhiều lần trong giờ hành chính, {a} bỏ cơ quan đi uống rượu và trở lại làm việc trong tình trạng say xỉn.",
				"Vào tối {ngay}, {a} cùng một số người tổ chức đánh bạc ăn tiền tại nhà riêng ở {thon} với số tiền khoảng {tien}.",
				"Sau khi uống rượu, {a} đã điều khiển xe ô tô gây va chạm tại {thon} rồi dùng quan hệ để xử lý êm sự việc."},
			{"Khi gia đình đến cơ quan làm ầm ĩ, nhiều cán bộ và người dân chứng kiến, gây dư luận xấu trong cả {xa}.",
				"{a} còn có thái độ hách dịch, quát nạt người dân đến liên hệ công việc tại trụ sở.",
				"Việc này đã được người dân quay video {ngay2} và đăng tải lên mạng xã hội, thu hút nhiều bình luận."},
			{"Chi bộ đã nhắc nhở nhưng {a} không sửa chữa mà còn có lời lẽ đe dọa những người góp ý.",
				"Trong các kỳ sinh hoạt chi bộ, {a} thường xuyên vắng mặt không có lý do.",
				"Dù vậy, cuối năm {nam2} {a} vẫn được đánh giá, xếp loại hoàn thành tốt nhiệm vụ."},
			{"Hành vi trên vi phạm quy định về những điều đảng viên không được làm và chuẩn mực đạo đức cách mạng.",
				"Sự việc làm giảm sút nghiêm trọng lòng tin của nhân dân vào cán bộ, đảng viên."},
		},
		extra: []string{"{nhan} có mặt tại đó và có thể xác nhận sự việc.",
			"Hình ảnh và video về sự việc tôi đã lưu lại đầy đủ.",
			"Người dân trong {thon} ai cũng biết chuyện này."},
	},
	topicAssets: {
		subject: "kê khai tài sản, thu nhập không trung thực",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi tố cáo {A} đã kê khai tài sản, thu nhập không trung thực, che giấu nhiều tài sản có giá trị lớn.",
				"Qua bản kê khai tài sản được công khai tại cơ quan, tôi thấy {A} không kê khai đầy đủ nhà đất và các khoản thu nhập.",
				"{A} có khối tài sản lớn bất thường, không tương xứng với thu nhập từ tiền lương của một cán bộ."},
			{"Gia đình {a} hiện sở hữu một căn biệt thự tại {thon} trị giá khoảng {tien}, nhưng bản kê khai năm {nam} không thể hiện.",
				"{a} đã chuyển {n} thửa đất, trong đó có {thua}, sang đứng tên {nt} để tránh phải kê khai.",
				"Năm {nam}, {a} mua một xe ô tô trị giá khoảng {tien} đứng tên người nhà nhưng không kê khai biến động tài sản."},
			{"Ngoài ra, {a} còn góp vốn vào {cty} thông qua người thân, hàng năm nhận lợi nhuận hàng trăm triệu đồng.",
				"Tổng giá trị tài sản không kê khai theo tôi ước tính lên tới {tien2}.",
				"{a} còn cho người khác vay tiền với lãi suất cao, số tiền cho vay lên tới {tien2}."},
			{"Tôi đề nghị xác minh nguồn gốc tài sản, thu nhập của {a} theo quy định của Luật Phòng, chống tham nhũng.",
				"Việc kê khai không trung thực là vi phạm nghiêm trọng, cần được xem xét xử lý theo quy định của Đảng và pháp luật.",
				"Người dân trong thôn đều biết rõ những tài sản này và sẵn sàng làm chứng."},
		},
		extra: []string{"Ngôi nhà được khởi công vào {ngay2}, thuê thợ từ nơi khác về làm.",
			"{nhan} là người đứng tên hộ một phần tài sản nói trên.",
			"Thu nhập hợp pháp của cả gia đình không thể đủ để mua sắm những tài sản này."},
	},
	topicBribery: {
		subject: "nhận hối lộ, thông thầu trong đầu tư xây dựng công trình",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi tố cáo {A} có hành vi nhận hối lộ, thông đồng với nhà thầu trong quá trình thực hiện {ct}.",
				"Với vai trò chủ đầu tư {ct}, {A} đã chỉ định thầu trái quy định cho {cty}.",
				"Trong quá trình lựa chọn nhà thầu {ct}, {A} đã can thiệp để {cty} trúng thầu."},
			{"Gói thầu có giá trị {tien} nhưng hồ sơ mời thầu được xây dựng để chỉ {cty} đáp ứng được yêu cầu.",
				"Theo thông tin tôi được biết, {a} đã nhận {tien2} từ giám đốc {cty} sau khi ký hợp đồng.",
				"{cty} là doanh nghiệp do {nt} làm giám đốc, không có năng lực thi công nhưng vẫn trúng thầu nhiều công trình."},
			{"Công trình thi công không đúng thiết kế, bê tông mặt đường chỉ dày khoảng {n} cm, mới đưa vào sử dụng đã hư hỏng, bong tróc.",
				"Khối lượng nghiệm thu thanh toán cao hơn thực tế, nhiều hạng mục chưa làm nhưng đã được quyết toán vào {ngay2}.",
				"Việc giám sát thi công bị buông lỏng, vật liệu đưa vào công trình không rõ nguồn gốc."},
			{"Người dân đóng góp {tien3} mỗi hộ để làm công trình nhưng không được công khai dự toán và quyết toán.",
				"Các nhà thầu khác tham gia dự thầu chỉ là để làm hồ sơ cho đủ thủ tục.",
				"Khi người dân phản ánh chất lượng công trình, {a} trả lời là đã đúng thiết kế và không cho kiểm tra."},
			{"Đề nghị cơ quan chức năng kiểm tra, giám định chất lượng và khối lượng {ct}.",
				"Hành vi trên có dấu hiệu vi phạm Luật Đấu thầu, gây thất thoát ngân sách nhà nước."},
		},
		extra: []string{"{nhan} từng làm thợ cho nhà thầu và biết rõ vật liệu được sử dụng.",
			"Công trình được khánh thành vào {ngay2} nhưng đến nay đã phải sửa chữa nhiều lần.",
			"Biển báo công trình không ghi đầy đủ tên đơn vị thi công và giám sát."},
	},
	topicNepotism: {
		subject: "lợi dụng chức vụ đưa người thân vào làm việc, tuyển dụng trái quy định",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi tố cáo {A} lợi dụng chức vụ, quyền hạn để đưa nhiều người thân trong gia đình vào làm việc tại cơ quan nhà nước.",
				"Tại {xa} đang tồn tại tình trạng cả họ làm cán bộ do {A} sắp đặt.",
				"{A} đã can thiệp vào kỳ xét tuyển công chức, viên chức năm {nam} để người nhà trúng tuyển."},
			{"Hiện nay {nt} đang giữ chức vụ chủ chốt tại {xa}, trong khi trước đó chưa từng qua công tác ở cơ sở.",
				"Kỳ xét tuyển năm {nam} có {n10} người trúng tuyển thì có tới ba người là họ hàng của {a}.",
				"{nt} không đủ trình độ chuyên môn theo yêu cầu nhưng vẫn được ký hợp đồng lao động rồi chuyển thành công chức."},
			{"Nhiều thí sinh có kết quả học tập tốt hơn lại bị loại ở vòng phỏng vấn mà không được giải thích lý do.",
				"Có thông tin mỗi suất vào biên chế phải chi từ {lo} đến {hi}.",
				"Trong hội đồng tuyển dụng có những người có quan hệ gia đình với thí sinh nhưng không có ai xin rút."},
			{"Việc bố trí người thân vào các vị trí kế toán, địa chính, văn phòng tạo thành một nhóm lợi ích khép kín tại địa phương.",
				"Khi có ý kiến phản ánh, {a} cho rằng việc tuyển dụng là đúng quy trình và đã được cấp trên phê duyệt.",
				"Việc này vi phạm quy định về những người không được bố trí cùng công tác trong một cơ quan."},
		},
		extra: []string{"{nhan} là một trong những thí sinh bị loại dù có điểm cao.",
			"Danh sách trúng tuyển được công bố {ngay2}, chỉ niêm yết trong ba ngày.",
			"Trong xã ai cũng gọi đùa ủy ban là nhà của một dòng họ."},
	},
	topicRetaliate: {
		subject: "trù dập, trả thù người tố cáo và người góp ý",
		kind:    "ĐƠN TỐ CÁO",
		slots: [][]string{
			{"Tôi làm đơn này tố cáo {A} có hành vi trù dập, trả thù người đã góp ý, phản ánh sai phạm của đơn vị.",
				"Sau khi có đơn phản ánh về các khoản chi sai, {A} đã tìm mọi cách gây khó khăn cho người phản ánh và gia đình họ.",
				"{A} đã lợi dụng chức vụ để trù dập những người dám đấu tranh với sai phạm tại {xa}."},
			{"Vào {ngay}, {a} ra quyết định điều chuyển {nhan} sang vị trí khác không phù hợp với chuyên môn mà không có lý do chính đáng.",
				"Hồ sơ xin cấp giấy phép xây dựng của gia đình {nhan} bị {a} chỉ đạo giữ lại suốt {n} tháng không giải quyết.",
				"Cuối năm {nam}, {nhan} bị xếp loại không hoàn thành nhiệm vụ mặc dù đã hoàn thành mọi công việc được giao."},
			{"{a} còn công khai nói trong cuộc họp {ngay2} rằng ai tiếp tục gửi đơn sẽ bị xử lý.",
				"Người nhà của người phản ánh đang làm hợp đồng tại trạm y tế xã cũng bị cắt hợp đồng ngay sau đó.",
				"Nhiều người biết sự việc nhưng sợ bị liên lụy nên không dám lên tiếng."},
			{"Việc làm của {a} vi phạm quy định của Luật Tố cáo về bảo vệ người tố cáo.",
				"Tôi đề nghị có biện pháp bảo vệ người tố cáo theo quy định của pháp luật."},
		},
		extra: []string{"Biên bản cuộc họp hôm đó đã bị sửa lại, không ghi ý kiến đe dọa này.",
			"{nhan} đã phải đi điều trị tâm lý vì áp lực kéo dài.",
			"Các quyết định nói trên đều do {a} trực tiếp ký."},
	},
	topicFees: {
		subject: "lạm thu, thu sai quy định các khoản đóng góp của phụ huynh học sinh",
		kind:    "ĐƠN PHẢN ÁNH, KIẾN NGHỊ",
		slots: [][]string{
			{"Tôi phản ánh việc {A} đã chỉ đạo thu nhiều khoản tiền trái quy định của phụ huynh học sinh tại {truong}.",
				"Năm học {namhoc}, {truong} do {A} phụ trách đã đặt ra nhiều khoản thu ngoài quy định, gây bức xúc cho phụ huynh."},
			{"Mỗi học sinh phải đóng {tien3} tiền xây dựng, tiền máy điều hòa, tiền vệ sinh và nhiều khoản khác không có trong danh mục được phép thu.",
				"Tổng số tiền thu trong năm học ước tính khoảng {tien}, nhưng không được công khai quyết toán trước ban đại diện cha mẹ học sinh.",
				"Tiền dạy thêm, học thêm bắt buộc được thu theo tháng, học sinh không tham gia thì bị gây khó dễ."},
			{"Biên bản họp phụ huynh {ngay} được lập sẵn, phụ huynh chỉ được yêu cầu ký mà không được thảo luận.",
				"{a} còn ký hợp đồng với {cty} cung cấp đồng phục, sách tham khảo với giá cao hơn thị trường.",
				"Các khoản thu được chuyển vào tài khoản cá nhân của kế toán chứ không qua tài khoản của nhà trường."},
			{"Nhiều gia đình khó khăn, hộ nghèo trong {thon} không có khả năng đóng nhưng không được miễn giảm.",
				"Phòng Văn hóa - Xã hội {xa} đã được phản ánh từ {ngay2} nhưng chưa có biện pháp xử lý."},
		},
		extra: []string{"{nhan} là phụ huynh trong ban đại diện đã phản đối nhưng không được ghi nhận.",
			"Phiếu thu của nhà trường không có dấu và không ghi rõ nội dung thu.",
			"Số tiền thu vượt quy định năm học {namhoc} đến nay chưa được trả lại cho phụ huynh."},
	},
}

// role is a position an accused holds, with the topics letters about its
// holders are written on.
type role struct {
	title  string // %s: the commune, village, school place, province or former district
	level  int    // 0 commune, 1 village, 2 school, 3 province, 4 former district ("nguyên …, huyện … (cũ)")
	topics []int
	weight int // how often letters accuse holders of the role
}

var roles = []role{
	{"Chủ tịch Ủy ban nhân dân %s", 0, []int{topicLand, topicEmbezzle, topicBribery, topicNepotism, topicEthics, topicAssets, topicRetaliate}, 10},
	{"Bí thư Đảng ủy %s", 0, []int{topicAppoint, topicNepotism, topicEthics, topicAssets, topicLand, topicRetaliate}, 8},
	{"Phó Chủ tịch Ủy ban nhân dân %s", 0, []int{topicLand, topicBribery, topicEthics, topicEmbezzle}, 8},
	{"công chức địa chính %s", 0, []int{topicLand, topicEthics, topicAssets}, 6},
	{"kế toán ngân sách %s", 0, []int{topicEmbezzle, topicEthics, topicNepotism}, 5},
	{"Trưởng Công an %s", 0, []int{topicEthics, topicRetaliate, topicAssets}, 3},
	{"Chủ tịch Hội Nông dân %s", 0, []int{topicEmbezzle, topicEthics}, 2},
	{"Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam %s", 0, []int{topicEmbezzle, topicEthics, topicNepotism}, 2},
	{"Trưởng %s", 1, []int{topicLand, topicEmbezzle, topicEthics}, 4},
	{"Bí thư Chi bộ %s", 1, []int{topicLand, topicEmbezzle, topicEthics}, 3},
	{"Hiệu trưởng Trường Trung học cơ sở %s", 2, []int{topicFees, topicEmbezzle, topicNepotism, topicEthics}, 5},
	{"Hiệu trưởng Trường Tiểu học %s", 2, []int{topicFees, topicEmbezzle, topicEthics}, 3},
	{"Giám đốc Sở Nông nghiệp và Môi trường %s", 3, []int{topicLand, topicAssets, topicAppoint, topicEthics}, 2},
	{"Phó Giám đốc Sở Xây dựng %s", 3, []int{topicBribery, topicAssets, topicNepotism}, 2},
	{"Giám đốc Ban Quản lý dự án đầu tư xây dựng %s", 3, []int{topicBribery, topicAssets, topicNepotism, topicEthics}, 3},
	{"Giám đốc Sở Nội vụ %s", 3, []int{topicAppoint, topicNepotism, topicAssets}, 1},
	{"nguyên Chủ tịch Ủy ban nhân dân %s (cũ)", 4, []int{topicLand, topicBribery, topicAssets, topicAppoint}, 3},
	{"nguyên Trưởng phòng Tài nguyên và Môi trường %s (cũ)", 4, []int{topicLand, topicAssets, topicEthics}, 2},
}

// recipients are the units letters are addressed to; {xa} is the commune,
// {tu} the provincial party committee, {tinh} the province. The first two
// are commune-level units.
var recipients = []string{
	"Ủy ban Kiểm tra Đảng ủy {xa}",
	"Đồng chí Bí thư Đảng ủy {xa}",
	"Ủy ban Kiểm tra {tu}",
	"Ban Thường vụ {tu}",
	"Đồng chí Bí thư {tu}",
	"Ủy ban Kiểm tra Trung ương",
	"Ban Nội chính Trung ương",
	"Thanh tra {tinh}",
	"Ban Tiếp công dân Trung ương",
}

var requests = []string{
	"Kính đề nghị quý cơ quan xem xét, kiểm tra, làm rõ và xử lý nghiêm các sai phạm nêu trên theo quy định của Đảng và pháp luật.",
	"Tôi kính đề nghị Ủy ban Kiểm tra vào cuộc xác minh, làm rõ để giữ vững kỷ cương và củng cố lòng tin của nhân dân.",
	"Rất mong các đồng chí lãnh đạo quan tâm, chỉ đạo giải quyết dứt điểm để người dân yên tâm.",
	"Đề nghị các cấp có thẩm quyền sớm thành lập đoàn kiểm tra, xác minh và công khai kết quả cho nhân dân được biết.",
	"Kính mong cơ quan có thẩm quyền xem xét, giải quyết theo đúng quy định, trả lại sự công bằng cho người dân.",
}

var closings = []string{
	"Xin trân trọng cảm ơn!",
	"Tôi xin chân thành cảm ơn!",
	"Trân trọng!",
	"Kính chúc sức khỏe các đồng chí. Xin trân trọng cảm ơn!",
	"Tôi xin cảm ơn và mong sớm nhận được phản hồi.",
}

// anonIntros are how anonymous writers introduce and sign themselves.
var anonIntros = []struct{ intro, sign string }{
	{"Tôi là đảng viên đang sinh hoạt tại Đảng bộ {xa}, vì lý do an toàn nên xin được giấu tên.", "Một đảng viên"},
	{"Tôi là người dân sinh sống tại {thon}, {xa}, vì sợ bị trù dập nên không dám ghi tên.", "Người dân {xa}"},
	{"Tôi là cán bộ hưu trí ở {xa}, thấy những việc sai trái nên làm đơn này gửi đến các đồng chí.", "Một cán bộ hưu trí"},
	{"Tôi là cán bộ đang công tác tại địa phương, xin phép không nêu tên vì lo ngại bị trả thù.", "Người phản ánh"},
}

var relatives = []struct {
	label  string
	female bool
	same   bool // carries the accused's family name
}{
	{"con trai là anh", false, true}, {"con gái là chị", true, true}, {"em vợ là anh", false, false},
	{"cháu ruột là anh", false, true}, {"con rể là anh", false, false}, {"em ruột là ông", false, true},
	{"con dâu là chị", true, false}, {"cháu gọi bằng cậu là anh", false, false},
}

func (g *corpusGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *corpusGen) name(female bool) string {
	if female {
		return g.pick(familyNames) + " " + g.pick(femaleMiddle) + " " + g.pick(femaleGiven)
	}
	return g.pick(familyNames) + " " + g.pick(maleMiddle) + " " + g.pick(maleGiven)
}

func (g *corpusGen) placeName() string {
	for {
		a, b := g.pick(placeFirst), g.pick(placeSecond)
		if a != b {
			return a + " " + b
		}
	}
}

// newPlace makes a commune of a province with its villages.
func (g *corpusGen) newPlace() *place {
	p := &place{provName: g.pick(provinceNames)}
	if cityProvinces[p.provName] {
		p.province = "thành phố " + p.provName
	} else {
		p.province = "tỉnh " + p.provName
	}
	p.comName = g.placeName()
	if g.r.IntN(4) == 0 {
		p.commune = "phường " + p.comName
	} else {
		p.commune = "xã " + p.comName
	}
	p.oldDist = "huyện " + g.placeName()
	south := p.provName == "Hồ Chí Minh" || p.provName == "Cần Thơ" || p.provName == "Cà Mau" || p.provName == "An Giang" ||
		p.provName == "Vĩnh Long" || p.provName == "Đồng Tháp" || p.provName == "Tây Ninh" || p.provName == "Đồng Nai"
	for range 3 + g.r.IntN(4) {
		switch {
		case south:
			p.villages = append(p.villages, "ấp "+g.pick(villageNames))
		case g.r.IntN(3) == 0:
			p.villages = append(p.villages, "thôn "+strconv.Itoa(1+g.r.IntN(15)))
		default:
			p.villages = append(p.villages, "thôn "+g.pick(villageNames))
		}
	}
	return p
}

// somePlace returns the commune of an earlier official two times out of
// three, so that officials and senders meet, and a new commune otherwise.
func (g *corpusGen) somePlace() *place {
	if len(g.officials) > 20 && g.r.IntN(3) > 0 {
		return g.officials[g.r.IntN(len(g.officials))].pl
	}
	return g.newPlace()
}

// newOfficial makes an accused person holding a role suited to one of the
// wanted topics (any topic when wanted is negative).
func (g *corpusGen) newOfficial(wanted int, pl *place) *official {
	total := 0
	for _, r := range roles {
		if wanted < 0 || containsInt(r.topics, wanted) {
			total += r.weight
		}
	}
	x := g.r.IntN(total)
	var ro role
	for _, r := range roles {
		if wanted < 0 || containsInt(r.topics, wanted) {
			if x -= r.weight; x < 0 {
				ro = r
				break
			}
		}
	}
	if pl == nil {
		pl = g.somePlace()
	}
	o := &official{female: g.r.IntN(4) == 0, born: 1962 + g.r.IntN(28), pl: pl, topics: ro.topics}
	o.name = g.name(o.female)
	switch ro.level {
	case 0:
		o.title = fmt.Sprintf(ro.title, pl.commune)
		o.cell = "Đảng bộ " + pl.commune
	case 1:
		v := g.pick(pl.villages)
		o.title = fmt.Sprintf(ro.title, v) + ", " + pl.commune
		o.cell = "Chi bộ " + v
	case 2:
		o.title = fmt.Sprintf(ro.title, pl.comName)
		o.school = strings.TrimPrefix(o.title, "Hiệu trưởng ")
		o.cell = "Chi bộ " + o.school
	case 3:
		o.title = fmt.Sprintf(ro.title, pl.province)
		o.cell = "Đảng bộ " + pl.province
		o.province = true
	case 4:
		o.title = fmt.Sprintf(ro.title, pl.oldDist)
		o.cell = "Đảng bộ " + pl.commune
	}
	// Most accused are matched to a member record; the rest are keyed by
	// their folded name, as intake records them before matching (common
	// names then collide across communes, as they do in practice).
	if g.r.IntN(5) > 0 {
		g.members += 1 + int64(g.r.IntN(40))
		o.key = "m:" + strconv.FormatInt(g.members, 10)
	} else {
		o.key = "n:" + vn.Fold(o.name)
	}
	g.officials = append(g.officials, o)
	return o
}

func containsInt(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func (g *corpusGen) newCitizen(pl *place) *citizen {
	if pl == nil {
		pl = g.somePlace()
	}
	c := &citizen{female: g.r.IntN(3) == 0, born: 1950 + g.r.IntN(45), pl: pl, member: g.r.IntN(3) == 0,
		closing: g.r.IntN(len(closings))}
	c.name = g.name(c.female)
	c.village = g.pick(pl.villages)
	c.addr = c.village + ", " + pl.commune + ", " + pl.province
	c.idcard = fmt.Sprintf("0%02d%d%09d", 1+g.r.IntN(96), g.r.IntN(4), g.r.IntN(1_000_000_000))
	c.tag = fmt.Sprintf("s:%016x", g.r.Uint64())
	g.citizens = append(g.citizens, c)
	return c
}

// honorific is how a letter addresses an adult.
func honorific(female bool) string {
	if female {
		return "bà"
	}
	return "ông"
}

func given(name string) string {
	return name[strings.LastIndexByte(name, ' ')+1:]
}

// amount writes a sum of money the ways letters do.
func (g *corpusGen) amount(lo, hi int) string { // in millions
	m := lo + g.r.IntN(hi-lo+1)
	switch {
	case m >= 1000 && g.r.IntN(2) == 0:
		t := fmt.Sprintf("%.1f", float64(m)/1000)
		t = strings.TrimSuffix(strings.Replace(t, ".", ",", 1), ",0")
		return t + " tỷ đồng"
	case g.r.IntN(3) == 0:
		return vnThousands(int64(m)*1_000_000) + " đồng"
	}
	return money(m)
}

// money writes m million đồng.
func money(m int) string {
	if m >= 1000 && m%100 == 0 {
		return strings.TrimSuffix(strings.Replace(fmt.Sprintf("%.1f", float64(m)/1000), ".", ",", 1), ",0") + " tỷ đồng"
	}
	return vnThousands(int64(m)) + " triệu đồng"
}

func vnThousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *corpusGen) date(fromYear, toYear int) string {
	d, m, y := 1+g.r.IntN(28), 1+g.r.IntN(12), fromYear+g.r.IntN(toYear-fromYear+1)
	if g.r.IntN(2) == 0 {
		return fmt.Sprintf("ngày %d/%d/%d", d, m, y)
	}
	return fmt.Sprintf("ngày %d tháng %d năm %d", d, m, y)
}

// newFacts draws the details of one letter about accused (the first is the
// main one) at their place.
func (g *corpusGen) newFacts(accused []*official) *facts {
	o := accused[0]
	pl := o.pl
	full := honorific(o.female) + " " + o.name + ", " + o.title
	short := honorific(o.female) + " " + given(o.name)
	if g.r.IntN(2) == 0 {
		short = honorific(o.female) + " " + o.name
	}
	rel := relatives[g.r.IntN(len(relatives))]
	relName := g.name(rel.female)
	if rel.same {
		relName = strings.SplitN(o.name, " ", 2)[0] + relName[strings.IndexByte(relName, ' '):]
	}
	second := ""
	if len(accused) > 1 {
		b := accused[1]
		second = honorific(b.female) + " " + b.name + ", " + b.title
	}
	wf := g.r.IntN(3) == 0
	witness := honorific(wf) + " " + g.name(wf) + " ở " + g.pick(pl.villages)
	year := 2019 + g.r.IntN(6)
	lo := 10 * (3 + g.r.IntN(28))
	hi := lo + 10*(2+g.r.IntN(30))
	school := o.school
	if school == "" {
		school = "Trường Trung học cơ sở " + pl.comName
	}
	co := g.pick(companyKinds) + " " + g.pick(companyNames)
	if g.r.IntN(2) == 0 {
		co += " " + pl.provName
	}
	rep := strings.NewReplacer(
		"{A}", full, "{a}", short, "{B}", second,
		"{xa}", pl.commune, "{thon}", g.pick(pl.villages), "{tinh}", pl.province, "{huyen}", pl.oldDist+" (cũ)",
		"{tien}", g.amount(80, 4500), "{tien2}", g.amount(30, 900), "{tien3}", vnThousands(int64(200+g.r.IntN(30)*50)*1000)+" đồng",
		"{dt}", vnThousands(int64(120+g.r.IntN(5000)))+" m²",
		"{thua}", fmt.Sprintf("thửa đất số %d, tờ bản đồ số %d", 10+g.r.IntN(900), 1+g.r.IntN(60)),
		"{ngay}", g.date(year, year), "{ngay2}", g.date(2021, 2025),
		"{nam}", strconv.Itoa(year), "{nam2}", strconv.Itoa(2020+g.r.IntN(6)),
		"{ct}", g.pick(projectKinds)+" "+g.pick(pl.villages)+", "+pl.commune,
		"{cty}", co,
		"{nt}", rel.label+" "+relName,
		"{n}", strconv.Itoa(2+g.r.IntN(9)), "{n10}", strconv.Itoa(6+g.r.IntN(15)),
		"{lo}", money(lo), "{hi}", money(hi),
		"{truong}", school,
		"{namhoc}", fmt.Sprintf("%d - %d", year, year+1),
		"{nhan}", witness,
	)
	return &facts{rep: rep, pl: pl}
}

// original writes a new letter: usually about a new matter, sometimes one
// of the hard negatives built on an earlier original.
func (g *corpusGen) original(prev []*draft) *draft {
	var (
		sender  *citizen
		anon    bool
		accused []*official
		tp      = -1
	)
	x := g.r.Float64()
	var base *draft
	if len(prev) > 30 {
		base = prev[len(prev)-1-g.r.IntN(min(len(prev), 400))]
	}
	switch {
	case base != nil && x < 0.16:
		// Same accused, another topic; often the same writer, who has
		// found something else to report.
		accused = []*official{base.accused[0]}
		tp = g.otherTopic(base.accused[0], base.topic)
		if base.sender != nil && g.r.IntN(2) == 0 {
			sender = base.sender
		} else {
			anon = base.sender == nil && g.r.IntN(2) == 0
		}
	case base != nil && base.sender != nil && x < 0.28:
		// A serial writer: the same topic about another official,
		// usually of the same commune.
		sender, tp = base.sender, base.topic
		accused = []*official{g.newOfficial(tp, base.accused[0].pl)}
	case base != nil && x < 0.36:
		// Another writer about the same person and topic, with other facts.
		accused, tp = []*official{base.accused[0]}, base.topic
		anon = g.r.IntN(3) == 0
	}
	if accused == nil {
		if len(g.officials) > 50 && g.r.IntN(5) == 0 {
			accused = []*official{g.officials[g.r.IntN(len(g.officials))]}
		} else {
			accused = []*official{g.newOfficial(-1, nil)}
		}
	}
	if tp < 0 {
		tp = accused[0].topics[g.r.IntN(len(accused[0].topics))]
	}
	if sender == nil && !anon {
		anon = g.r.IntN(10) < 3
		if !anon {
			if len(g.citizens) > 50 && g.r.IntN(6) == 0 {
				sender = g.citizens[g.r.IntN(len(g.citizens))]
			} else {
				sender = g.newCitizen(accused[0].pl)
			}
		}
	}
	if len(accused) == 1 && g.r.IntN(7) == 0 && tp != topicFees {
		accused = append(accused, g.newOfficial(tp, accused[0].pl))
	}
	return g.compose(tp, accused, sender)
}

// otherTopic picks a topic for o other than not.
func (g *corpusGen) otherTopic(o *official, not int) int {
	var c []int
	for _, t := range o.topics {
		if t != not {
			c = append(c, t)
		}
	}
	if len(c) == 0 {
		for t := range numTopics {
			if t != not && t != topicFees {
				c = append(c, t)
			}
		}
	}
	return c[g.r.IntN(len(c))]
}

// compose writes a letter on topic tp.
func (g *corpusGen) compose(tp int, accused []*official, sender *citizen) *draft {
	t := &topics[tp]
	f := g.newFacts(accused)
	o := accused[0]
	d := &draft{topic: tp, f: f, sender: sender, accused: accused, header: g.r.IntN(5) > 0, kind: t.kind}
	for _, a := range accused {
		d.accusedKeys = append(d.accusedKeys, a.key)
	}
	if sender == nil && g.r.IntN(2) == 0 {
		d.kind = "ĐƠN TỐ CÁO (NẶC DANH)"
	}
	d.subject = "V/v " + honorific(o.female) + " " + o.name + ", " + o.title + " " + t.subject
	d.to = "Kính gửi: " + g.recipient(o)
	if g.r.IntN(3) == 0 {
		d.cc = "Đồng kính gửi: " + g.recipient(o)
	}
	if sender != nil {
		intro := fmt.Sprintf("Tôi tên là %s, sinh năm %d, trú tại %s.", sender.name, sender.born, sender.addr)
		if g.r.IntN(2) == 0 {
			intro = fmt.Sprintf("Tôi là %s, sinh năm %d, số căn cước công dân %s, hiện cư trú tại %s.",
				sender.name, sender.born, sender.idcard, sender.addr)
		}
		d.intro = append(d.intro, intro)
		if sender.member {
			d.intro = append(d.intro, "Tôi là đảng viên, đang sinh hoạt tại Chi bộ "+sender.village+".")
		}
	} else {
		a := anonIntros[g.r.IntN(len(anonIntros))]
		d.intro = append(d.intro, d.say(a.intro))
		d.anonSign = d.say(a.sign)
	}
	if g.r.IntN(2) == 0 {
		post := "hiện là " + o.title
		if t, former := strings.CutPrefix(o.title, "nguyên "); former {
			post = "trước đây là " + t
		}
		d.intro = append(d.intro, fmt.Sprintf("%s %s sinh năm %d, là đảng viên sinh hoạt tại %s, %s.",
			upperFirst(honorific(o.female)), o.name, o.born, o.cell, post))
	}
	for i, slot := range t.slots {
		if i > 0 && g.r.IntN(6) == 0 {
			continue // not every letter tells every part
		}
		j := g.r.IntN(len(slot))
		d.body = append(d.body, d.say(slot[j]))
		if len(slot) > 2 && g.r.IntN(3) == 0 {
			d.body = append(d.body, d.say(slot[(j+1+g.r.IntN(len(slot)-1))%len(slot)]))
		}
	}
	if g.r.IntN(3) == 0 {
		d.body = append(d.body, d.say(g.pick(t.extra)))
	}
	if len(accused) > 1 {
		k := 1 + g.r.IntN(len(d.body))
		d.body = slices.Insert(d.body, k, d.say(g.pick([]string{
			"Người giúp sức cho {a} trong các việc trên là {B}.",
			"Cùng tham gia với {a} còn có {B}, người trực tiếp lập và trình ký hồ sơ.",
			"{B} biết rõ toàn bộ sự việc và đã được hưởng lợi từ những sai phạm này.",
		})))
	}
	closing := closings[g.r.IntN(len(closings))]
	if sender != nil && g.r.IntN(3) > 0 {
		closing = closings[sender.closing] // a writer's habit
	}
	d.request = []string{g.pick(requests)}
	if sender != nil {
		d.closing = append(d.closing, "Tôi xin cam đoan những nội dung trình bày trên là đúng sự thật và hoàn toàn chịu trách nhiệm trước pháp luật.")
	}
	d.closing = append(d.closing, closing)
	d.sign = g.signature(d)
	d.text = vn.CleanText(d.render())
	return d
}

func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// recipient is a unit a letter about o may be addressed to.
func (g *corpusGen) recipient(o *official) string {
	prov := "Tỉnh ủy " + o.pl.provName
	if cityProvinces[o.pl.provName] {
		prov = "Thành ủy " + o.pl.provName
	}
	i := g.r.IntN(len(recipients))
	if o.province && i < 2 {
		i += 2 // a commune does not handle a provincial official
	}
	return strings.NewReplacer("{xa}", o.pl.commune, "{tu}", prov, "{tinh}", o.pl.province).Replace(recipients[i])
}

// signature is the place, date and signature lines.
func (g *corpusGen) signature(d *draft) []string {
	pl := d.f.pl
	lines := []string{fmt.Sprintf("%s, ngày %d tháng %d năm %d", pl.comName, g.today.Day(), g.today.Month(), g.today.Year())}
	if d.sender != nil {
		lines = append(lines, "Người làm đơn", "(đã ký)", d.sender.name)
	} else {
		lines = append(lines, d.anonSign)
	}
	return lines
}

// render writes the draft as the letter's text.
func (d *draft) render() string {
	var b strings.Builder
	if d.header {
		b.WriteString("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n")
	}
	b.WriteString(d.kind + "\n")
	b.WriteString("(" + d.subject + ")\n\n")
	b.WriteString(d.to + "\n")
	if d.cc != "" {
		b.WriteString(d.cc + "\n")
	}
	b.WriteString("\n" + strings.Join(d.intro, " ") + "\n")
	b.WriteString("Tôi xin trình bày nội dung sự việc như sau:\n")
	for i := 0; i < len(d.body); i += 2 {
		b.WriteString(strings.Join(d.body[i:min(i+2, len(d.body))], " ") + "\n")
	}
	b.WriteString(strings.Join(d.request, " ") + "\n")
	b.WriteString(strings.Join(d.closing, " ") + "\n\n")
	b.WriteString(strings.Join(d.sign, "\n"))
	return b.String()
}

// repeat makes another copy of src the way repeats come in.
func (g *corpusGen) repeat(src *draft) *draft {
	d := *src
	d.intro = append([]string(nil), src.intro...)
	d.body = append([]string(nil), src.body...)
	d.request = append([]string(nil), src.request...)
	d.closing = append([]string(nil), src.closing...)
	d.sign = append([]string(nil), src.sign...)
	d.accusedKeys = append([]string(nil), src.accusedKeys...)
	o := d.accused[0]
	var typo, punct, strip, nfd bool
	for changed := false; !changed; {
		if g.r.Float64() < 0.6 { // sent to another unit, on another day
			d.to = "Kính gửi: " + g.recipient(o)
			if d.cc != "" && g.r.IntN(2) == 0 {
				d.cc = ""
			}
			d.sign = g.signature(&d)
			changed = true
		}
		if g.r.Float64() < 0.3 { // sentences reordered
			if g.r.IntN(2) == 0 {
				g.r.Shuffle(len(d.body), func(i, j int) { d.body[i], d.body[j] = d.body[j], d.body[i] })
			} else if len(d.body) > 1 {
				i := g.r.IntN(len(d.body) - 1)
				d.body[i], d.body[i+1] = d.body[i+1], d.body[i]
			}
			changed = true
		}
		if g.r.Float64() < 0.3 { // greeting or closing rewritten
			d.request = []string{g.pick(requests)}
			d.closing[len(d.closing)-1] = g.pick(closings)
			if g.r.IntN(2) == 0 {
				d.header = !d.header
			}
			changed = true
		}
		if g.r.Float64() < 0.25 { // a sentence added
			s := d.say(g.pick(topics[d.topic].extra))
			d.body = slices.Insert(d.body, g.r.IntN(len(d.body)+1), s)
			changed = true
		}
		if g.r.Float64() < 0.25 && len(d.body) > 3 { // a sentence left out
			i := g.r.IntN(len(d.body))
			d.body = slices.Delete(d.body, i, i+1)
			changed = true
		}
		if g.r.Float64() < 0.25 { // a few words added or removed
			for range 2 + g.r.IntN(4) {
				i := g.r.IntN(len(d.body))
				d.body[i] = g.editWords(d.body[i])
			}
			changed = true
		}
		// Retyped or converted copies.
		typo = typo || g.r.Float64() < 0.35
		punct = punct || g.r.Float64() < 0.2
		strip = strip || g.r.Float64() < 0.25
		nfd = nfd || g.r.Float64() < 0.15
		changed = changed || typo || punct || strip || nfd
	}
	if g.r.Float64() < 0.05 && d.sender != nil && strings.HasPrefix(d.accusedKeys[0], "m:") {
		// Intake did not match the accused to the member register this
		// time: only the sender links the copies.
		d.accusedKeys[0] = "n:" + vn.Fold(o.name)
	}
	text := d.render()
	if typo {
		text = g.typos(text, 0.03)
	}
	if punct {
		text = g.punctuation(text)
	}
	if strip {
		text = stripMarks(text)
	}
	if nfd {
		text = norm.NFD.String(text)
	}
	d.text = text
	return &d
}

// fillers are words a writer adds when copying a letter out again.
var fillers = []string{"rất", "đã", "cũng", "nhiều lần", "thực sự", "công khai", "hết sức", "vẫn", "thậm chí"}

// editWords adds or removes a word in sentence s.
func (g *corpusGen) editWords(s string) string {
	w := strings.Fields(s)
	if len(w) < 4 {
		return s
	}
	i := 1 + g.r.IntN(len(w)-2)
	if g.r.IntN(2) == 0 {
		w = append(w[:i], w[i+1:]...)
	} else {
		w = slices.Insert(w, i, g.pick(fillers))
	}
	return strings.Join(w, " ")
}

// typos swaps, drops or doubles a letter in about rate of the words.
func (g *corpusGen) typos(text string, rate float64) string {
	lines := strings.Split(text, "\n")
	for li, line := range lines {
		words := strings.Split(line, " ")
		for i, w := range words {
			r := []rune(w)
			if len(r) < 3 || g.r.Float64() >= rate {
				continue
			}
			k := g.r.IntN(len(r) - 1)
			switch g.r.IntN(3) {
			case 0:
				r[k], r[k+1] = r[k+1], r[k]
			case 1:
				r = append(r[:k], r[k+1:]...)
			default:
				r = slices.Insert(r, k, r[k])
			}
			words[i] = string(r)
		}
		lines[li] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

// punctuation changes spacing, line breaks and punctuation.
func (g *corpusGen) punctuation(text string) string {
	var b strings.Builder
	for _, r := range text {
		switch {
		case r == ',' && g.r.IntN(3) == 0:
			continue
		case r == ' ' && g.r.IntN(30) == 0:
			b.WriteString("  ")
			continue
		case r == '\n' && g.r.IntN(4) == 0:
			b.WriteString(" ")
			continue
		case r == '.' && g.r.IntN(5) == 0:
			b.WriteString(";")
			continue
		case r == ':' && g.r.IntN(2) == 0:
			b.WriteString(" :")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stripMarks removes Vietnamese diacritics but keeps the case, as a letter
// typed without a Vietnamese keyboard does.
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
