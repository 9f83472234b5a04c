package seed

// province is one of the 34 provincial-level units from 1/7/2025, with the
// pre-reform provinces it was formed from (Nghị quyết 202/2025/QH15; for the
// party đảng bộ, the Politburo's decisions of June 2025) and its number of
// commune-level units (xã, phường, đặc khu; 3,321 in all).
type province struct {
	Name       string   // as in "Đảng bộ tỉnh Ninh Bình"
	City       bool     // thành phố trực thuộc Trung ương
	Old        []string // pre-reform provinces, the first is the seat
	Communes   int
	Zones      []string // đặc khu
	South      bool     // villages are "ấp" rather than "thôn"
	Highland   bool     // many villages are "bản"
	OldCityIdx []int    // indexes in Old that were centrally-run cities
}

// provinces lists the 34 units in the order of the official list.
var provinces = []province{
	{Name: "Hà Nội", City: true, Old: []string{"Hà Nội"}, Communes: 126, OldCityIdx: []int{0}},
	{Name: "Huế", City: true, Old: []string{"Thừa Thiên Huế"}, Communes: 40},
	{Name: "Lai Châu", Old: []string{"Lai Châu"}, Communes: 38, Highland: true},
	{Name: "Điện Biên", Old: []string{"Điện Biên"}, Communes: 45, Highland: true},
	{Name: "Sơn La", Old: []string{"Sơn La"}, Communes: 75, Highland: true},
	{Name: "Lạng Sơn", Old: []string{"Lạng Sơn"}, Communes: 65, Highland: true},
	{Name: "Quảng Ninh", Old: []string{"Quảng Ninh"}, Communes: 54, Zones: []string{"Vân Đồn", "Cô Tô"}},
	{Name: "Thanh Hóa", Old: []string{"Thanh Hóa"}, Communes: 166},
	{Name: "Nghệ An", Old: []string{"Nghệ An"}, Communes: 130},
	{Name: "Hà Tĩnh", Old: []string{"Hà Tĩnh"}, Communes: 69},
	{Name: "Cao Bằng", Old: []string{"Cao Bằng"}, Communes: 56, Highland: true},
	{Name: "Tuyên Quang", Old: []string{"Tuyên Quang", "Hà Giang"}, Communes: 124, Highland: true},
	{Name: "Lào Cai", Old: []string{"Lào Cai", "Yên Bái"}, Communes: 99, Highland: true},
	{Name: "Thái Nguyên", Old: []string{"Thái Nguyên", "Bắc Kạn"}, Communes: 92},
	{Name: "Phú Thọ", Old: []string{"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"}, Communes: 148},
	{Name: "Bắc Ninh", Old: []string{"Bắc Giang", "Bắc Ninh"}, Communes: 99},
	{Name: "Hưng Yên", Old: []string{"Hưng Yên", "Thái Bình"}, Communes: 104},
	{Name: "Hải Phòng", City: true, Old: []string{"Hải Phòng", "Hải Dương"}, Communes: 114, Zones: []string{"Cát Hải", "Bạch Long Vĩ"}, OldCityIdx: []int{0}},
	{Name: "Ninh Bình", Old: []string{"Ninh Bình", "Hà Nam", "Nam Định"}, Communes: 129},
	{Name: "Quảng Trị", Old: []string{"Quảng Bình", "Quảng Trị"}, Communes: 78, Zones: []string{"Cồn Cỏ"}},
	{Name: "Đà Nẵng", City: true, Old: []string{"Đà Nẵng", "Quảng Nam"}, Communes: 94, Zones: []string{"Hoàng Sa"}, OldCityIdx: []int{0}},
	{Name: "Quảng Ngãi", Old: []string{"Quảng Ngãi", "Kon Tum"}, Communes: 96, Zones: []string{"Lý Sơn"}},
	{Name: "Gia Lai", Old: []string{"Gia Lai", "Bình Định"}, Communes: 135},
	{Name: "Khánh Hòa", Old: []string{"Khánh Hòa", "Ninh Thuận"}, Communes: 65, Zones: []string{"Trường Sa"}},
	{Name: "Lâm Đồng", Old: []string{"Lâm Đồng", "Đắk Nông", "Bình Thuận"}, Communes: 124, Zones: []string{"Phú Quý"}},
	{Name: "Đắk Lắk", Old: []string{"Đắk Lắk", "Phú Yên"}, Communes: 102},
	{Name: "Hồ Chí Minh", City: true, Old: []string{"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}, Communes: 168, Zones: []string{"Côn Đảo"}, South: true, OldCityIdx: []int{0}},
	{Name: "Đồng Nai", Old: []string{"Đồng Nai", "Bình Phước"}, Communes: 95, South: true},
	{Name: "Tây Ninh", Old: []string{"Long An", "Tây Ninh"}, Communes: 96, South: true},
	{Name: "Cần Thơ", City: true, Old: []string{"Cần Thơ", "Sóc Trăng", "Hậu Giang"}, Communes: 103, South: true, OldCityIdx: []int{0}},
	{Name: "Vĩnh Long", Old: []string{"Vĩnh Long", "Bến Tre", "Trà Vinh"}, Communes: 124, South: true},
	{Name: "Đồng Tháp", Old: []string{"Tiền Giang", "Đồng Tháp"}, Communes: 102, South: true},
	{Name: "Cà Mau", Old: []string{"Cà Mau", "Bạc Liêu"}, Communes: 64, South: true},
	{Name: "An Giang", Old: []string{"Kiên Giang", "An Giang"}, Communes: 102, Zones: []string{"Phú Quốc", "Kiên Hải", "Thổ Châu"}, South: true},
}

// central lists the six party organisations directly under the Central
// Committee besides the provinces (RULES.md §1.2) and the kinds of
// units under them.
var central = []struct {
	Name   string
	Code   string
	Upper  []string // upper-grassroots committees under it
	Prefix []string // grassroots unit names
}{
	{"Đảng bộ các cơ quan Đảng Trung ương", "TW-CQD", []string{"Đảng ủy Văn phòng Trung ương Đảng", "Đảng ủy Ban Tổ chức Trung ương", "Đảng ủy Ủy ban Kiểm tra Trung ương", "Đảng ủy Ban Tuyên giáo và Dân vận Trung ương", "Đảng ủy Báo Nhân Dân", "Đảng ủy Học viện Chính trị quốc gia Hồ Chí Minh"},
		[]string{"Vụ", "Cục", "Ban", "Phòng", "Trung tâm"}},
	{"Đảng bộ Chính phủ", "TW-CP", []string{"Đảng ủy Bộ Tài chính", "Đảng ủy Bộ Y tế", "Đảng ủy Bộ Giáo dục và Đào tạo", "Đảng ủy Bộ Xây dựng", "Đảng ủy Bộ Công Thương", "Đảng ủy Bộ Nông nghiệp và Môi trường", "Đảng ủy Bộ Khoa học và Công nghệ", "Đảng ủy Bộ Nội vụ", "Đảng ủy Ngân hàng Nhà nước Việt Nam", "Đảng ủy Tập đoàn Điện lực Việt Nam", "Đảng ủy Tập đoàn Dầu khí Việt Nam"},
		[]string{"Vụ", "Cục", "Tổng công ty", "Công ty", "Bệnh viện", "Trường Đại học", "Viện"}},
	{"Đảng bộ Quốc hội", "TW-QH", []string{"Đảng ủy Văn phòng Quốc hội", "Đảng ủy Kiểm toán Nhà nước"},
		[]string{"Vụ", "Ban", "Kiểm toán Nhà nước khu vực", "Trung tâm"}},
	{"Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương", "TW-MT", []string{"Đảng ủy cơ quan Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Đảng ủy Tổng Liên đoàn Lao động Việt Nam", "Đảng ủy Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh"},
		[]string{"Ban", "Vụ", "Báo", "Trường", "Trung tâm"}},
	{"Đảng bộ Quân đội", "TW-QD", []string{"Đảng ủy Quân khu 1", "Đảng ủy Quân khu 2", "Đảng ủy Quân khu 3", "Đảng ủy Quân khu 4", "Đảng ủy Quân khu 5", "Đảng ủy Quân khu 7", "Đảng ủy Quân khu 9", "Đảng ủy Quân chủng Phòng không - Không quân", "Đảng ủy Quân chủng Hải quân", "Đảng ủy Bộ đội Biên phòng", "Đảng ủy Quân đoàn 12", "Đảng ủy Quân đoàn 34"},
		[]string{"Sư đoàn", "Lữ đoàn", "Trung đoàn", "Bộ Chỉ huy Quân sự", "Tiểu đoàn"}},
	{"Đảng bộ Công an Trung ương", "TW-CA", []string{"Đảng ủy Bộ Tư lệnh Cảnh sát cơ động", "Đảng ủy Cục An ninh nội địa", "Đảng ủy Cục Cảnh sát hình sự", "Đảng ủy Học viện An ninh nhân dân", "Đảng ủy Bộ Tư lệnh Cảnh vệ", "Đảng ủy Cục Cảnh sát giao thông"},
		[]string{"Phòng", "Trung đoàn", "Tiểu đoàn", "Đội", "Trại"}},
}

// placeSyllables build plausible commune, ward and village names. They are
// common in real Vietnamese place names; the combinations are synthetic.
var placeFirst = []string{"Tân", "Phú", "An", "Hòa", "Bình", "Đông", "Tây", "Nam", "Bắc", "Vĩnh", "Hưng", "Long", "Phước", "Thuận",
	"Quang", "Minh", "Đức", "Thành", "Trung", "Kim", "Xuân", "Cẩm", "Mỹ", "Nghĩa", "Lạc", "Thọ", "Hải", "Lâm", "Hồng", "Thanh",
	"Yên", "Quỳnh", "Diễn", "Hương", "Gia", "Hoàng", "Đại", "Cát", "Sơn", "Thạch", "Tiên", "Ngọc", "Phong", "Hiệp", "Tam"}

var placeSecond = []string{"Sơn", "Hòa", "Phú", "Lộc", "Thịnh", "An", "Bình", "Hưng", "Thạnh", "Phong", "Lợi", "Thuận", "Lâm", "Xuân",
	"Tiến", "Thành", "Hải", "Giang", "Điền", "Trạch", "Mỹ", "Long", "Châu", "Khánh", "Nghĩa", "Yên", "Đồng", "Kỳ", "Vinh", "Tân",
	"Hiệp", "Quý", "Linh", "Tường", "Đạo", "Cường", "Trung", "Phước", "Hà", "Lạc", "Dương", "Kiều"}

var streetNames = []string{"Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Quang Trung", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Đình Phùng",
	"Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Du", "Ngô Quyền", "Lê Duẩn", "Hùng Vương", "Bà Triệu", "Lê Hồng Phong"}

// grassroots kinds under a commune: name prefix, whether it is a đảng bộ
// cơ sở (with branches) and the branch name prefixes inside it.
var communeAgencies = []struct {
	Prefix    string
	Committee bool
	Branches  []string
}{
	{"Đảng bộ cơ quan Đảng ủy - Hội đồng nhân dân - Ủy ban nhân dân", true, []string{"Chi bộ Văn phòng", "Chi bộ Phòng Kinh tế", "Chi bộ Phòng Văn hóa - Xã hội", "Chi bộ Trung tâm Phục vụ hành chính công", "Chi bộ Các cơ quan Đảng"}},
	{"Chi bộ Trường Trung học cơ sở", false, nil},
	{"Chi bộ Trường Tiểu học", false, nil},
	{"Chi bộ Trạm Y tế", false, nil},
	{"Đảng bộ Trường Trung học phổ thông", true, []string{"Chi bộ Tổ Toán - Tin", "Chi bộ Tổ Ngữ văn", "Chi bộ Tổ Khoa học tự nhiên", "Chi bộ Văn phòng"}},
	{"Đảng bộ Công ty Cổ phần", true, []string{"Chi bộ Phân xưởng 1", "Chi bộ Phân xưởng 2", "Chi bộ Khối văn phòng", "Chi bộ Đội xe"}},
	{"Chi bộ Công an", false, nil},
	{"Chi bộ Quân sự", false, nil},
}

// provinceUpper are the upper-grassroots committees directly under a
// provincial đảng bộ.
var provinceUpper = []string{"Đảng ủy các cơ quan Đảng", "Đảng ủy Ủy ban nhân dân", "Đảng ủy Công an", "Đảng ủy Quân sự"}

var provinceAgencyPrefix = []string{"Đảng bộ Sở", "Chi bộ Ban", "Đảng bộ Bệnh viện", "Đảng bộ Trường", "Chi bộ Văn phòng", "Đảng bộ Phòng", "Chi bộ Trung tâm"}

var provinceAgencyNames = []string{"Tài chính", "Nội vụ", "Y tế", "Giáo dục và Đào tạo", "Xây dựng", "Công Thương", "Nông nghiệp và Môi trường",
	"Khoa học và Công nghệ", "Văn hóa, Thể thao và Du lịch", "Tư pháp", "Dân tộc và Tôn giáo", "Ngoại vụ", "Thanh tra", "Tổ chức", "Tuyên giáo và Dân vận",
	"Kinh tế - Kỹ thuật", "Cảnh sát giao thông", "An ninh", "Cảnh sát hình sự", "Tham mưu", "Chính trị", "Hậu cần - Kỹ thuật"}

var occupations = []string{"Nông dân", "Công chức", "Viên chức", "Giáo viên", "Cán bộ hưu trí", "Công nhân", "Kinh doanh", "Bác sĩ", "Kỹ sư",
	"Quân nhân", "Công an", "Lao động tự do", "Nhân viên văn phòng", "Sinh viên"}
