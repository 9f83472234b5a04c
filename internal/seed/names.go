package seed

// Vietnamese personal names. Family names carry approximate frequencies
// (per cent, rounded) from published surveys of Vietnamese surnames; middle
// and given names are common choices by gender.
var familyNames = []struct {
	Name   string
	Weight int
}{
	{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 30}, {"Huỳnh", 21}, {"Phan", 45}, {"Vũ", 22},
	{"Võ", 17}, {"Đặng", 21}, {"Bùi", 20}, {"Đỗ", 14}, {"Hồ", 13}, {"Ngô", 13}, {"Dương", 10}, {"Lý", 5}, {"Đinh", 8},
	{"Trịnh", 6}, {"Đào", 6}, {"Mai", 5}, {"Lương", 4}, {"Cao", 4}, {"Tạ", 3}, {"Hà", 5}, {"Lâm", 4}, {"Tô", 2},
	{"Chu", 2}, {"Kiều", 1}, {"Quách", 1}, {"Triệu", 2}, {"Lò", 2}, {"Lưu", 3}, {"Đoàn", 4}, {"Vương", 2}, {"Thái", 2},
	{"Tăng", 1}, {"Khổng", 1}, {"Nông", 2}, {"Hứa", 1}, {"La", 1}, {"Phùng", 2}, {"Văn", 1}, {"Mạc", 1}, {"Giáp", 1},
}

var maleMiddle = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Công", "Quốc", "Tuấn",
	"Anh", "Đình", "Mạnh", "Thế", "Trọng", "Hoàng", "Bá", "Duy", "Tiến", "Thành", "Hải", "Trung", "Viết", "Khắc", "Gia"}

var femaleMiddle = []string{"Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Kim", "Phương", "Minh", "Hồng", "Bích", "Thúy",
	"Diệu", "Mai", "Hoài", "Thùy", "Khánh", "Lan", "Quỳnh", "Tuyết", "Hải"}

var maleGiven = []string{"An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Đức", "Định", "Giang",
	"Hải", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khánh", "Khoa", "Kiên", "Lâm", "Linh", "Long", "Luân", "Lực",
	"Mạnh", "Minh", "Nam", "Nghĩa", "Nguyên", "Nhân", "Phong", "Phúc", "Phương", "Quân", "Quang", "Quyết", "Sơn", "Tài", "Tâm",
	"Thái", "Thắng", "Thanh", "Thành", "Thịnh", "Thuận", "Tiến", "Toàn", "Trí", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt",
	"Vinh", "Vũ", "Xuân", "Hậu", "Lợi", "Ninh", "Sang", "Thọ", "Khải", "Độ"}

var femaleGiven = []string{"An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa",
	"Hồng", "Huệ", "Hương", "Hường", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
	"Phương", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thu", "Thủy", "Thúy", "Trang", "Trinh", "Tuyết", "Vân", "Yến", "Xuân", "Lụa",
	"Nhàn", "Thắm", "Diệp", "Hảo", "Liễu"}
