// Package calendar counts deadlines in calendar days, working days
// (ngày làm việc), months and years the way Vietnamese party and state
// rules state them ("trong thời hạn 90 ngày làm việc kể từ ngày nhận",
// "30 ngày kể từ ngày công bố", "12 tháng"), and converts dates to and from
// the Vietnamese lunar calendar, on which Tết and Giỗ Tổ Hùng Vương depend.
//
// # Counting convention
//
// Add(d, n, unit) does not count the start day d. CalendarDays gives d+n;
// WorkingDays gives the n-th working day after d (whether or not d is a
// working day itself); Months and Years clamp to the end of a shorter month
// (31/01 + 1 month = 28/02 or 29/02). n <= 0 returns d. WorkingDaysBetween
// counts (a, b], so the two agree: WorkingDaysBetween(d, Add(d, n,
// WorkingDays)) == n.
//
// A working day is a Monday to Friday that is not a public holiday or an
// official day off (nghỉ bù, nghỉ hoán đổi), or a Saturday or Sunday that the
// government made an official make-up working day (làm bù). The schedule is
// that of cán bộ, công chức, viên chức, which the Government fixes every
// year; private employers may choose other days.
//
// # Lunar calendar and UTC+7
//
// Lunar, FromLunar and Tet implement the astronomical rules of the
// Vietnamese calendar as described by Hồ Ngọc Đức: a month starts on the day
// of the new moon, the winter solstice falls in month 11, and in a 13-month
// year the first month without a major solar term (trung khí) is the leap
// month. New moons follow Meeus' approximation and the Sun's longitude its
// low-accuracy series. Everything is computed for the 105° E meridian, UTC+7.
// China applies the same rules at UTC+8, so whenever a new moon falls between
// 16:00 and 17:00 UTC the month starts a day earlier in Vietnam: that is why
// Tết differed from the Chinese New Year in 1985 (21/01 vs 20/02, a leap
// month moved as well), 2007 (17/02 vs 18/02) and will again in 2030 (02/02
// vs 03/02). The tests check every Tết and Giỗ Tổ of 1990–2050 against a
// published table and every day of that range for a round trip.
//
// # Data
//
// Default is built from data/holidays.json, embedded in the binary; Load
// reads the same format, so an operator can add a year without a code
// change. The document has:
//
//   - "statutory": holidays of the Labour Code with an effective period
//     ("from", optional "until"): "calendar" solar or lunar, "month", "day",
//     and the run of "length" days starting "offset" days from that date
//     (Tết is lunar 1/1 with offset -1 and length 5: the last day of the
//     lunar year and the first four days of the new one).
//   - "in_lieu": the rule that a statutory holiday falling on a Saturday or
//     Sunday gives a day off on the next working day (Labour Code 2019 Art.
//     111.3; Labour Code 2012 Art. 115.3).
//   - "years": the official schedule of each year, as "entries" of one
//     "date" or a "from"/"to" run with a "kind": holiday (a public holiday,
//     also when it falls on a weekend), in_lieu (nghỉ bù), swap (a weekday
//     off in exchange for a make-up day) or makeup (a Saturday or Sunday
//     worked, làm bù).
//
// Every statutory rule and every entry carries a "source" URL and a
// "confidence": verified (at least two independent published reports of the
// official decision, a government site, or a weekday fixed by the Labour Code
// itself), secondary (one published report), or unverified.
//
// A year with an official schedule (Covered) uses exactly that schedule. For
// any other year the statutory holidays are computed: Tết on its default
// days, 03/9 as the day adjacent to National Day, plus days in lieu; such
// holidays carry a Source beginning with "computed: ". The Government may
// still move days in such a year, so callers should treat deadlines there as
// provisional. Before 2013-05-01 (Labour Code 2012) no statutory holidays are
// encoded and only weekends are days off.
//
// # Sources
//
//   - Bộ luật Lao động 45/2019/QH14, Art. 111.3 and 112 (in force from
//     2021-01-01): Tết Dương lịch 1 day, Tết Âm lịch 5 days, 30/4, 1/5,
//     Quốc khánh 2/9 plus one adjacent day, Giỗ Tổ Hùng Vương 10/3 âm lịch.
//     Text quoted at
//     http://luatbachlong.com/nghi-lam-viec-ngay-le-tet-duoc-huong-nguyen-luong
//   - Bộ luật Lao động 10/2012/QH13, Art. 115 (2013-05-01 to 2020-12-31):
//     the same with one day for Quốc khánh.
//   - Official schedules 2020–2026 (Ministry of Labour, Invalids and Social
//     Affairs; from 2025 the Ministry of Home Affairs; Government Office
//     letters): the URLs are in data/holidays.json next to each entry.
//   - Hồ Ngọc Đức, "Thuật toán tính âm lịch",
//     https://www.informatik.uni-leipzig.de/~duc/amlich/calrules_vn.html
//   - Jean Meeus, Astronomical Algorithms, 2nd ed., 1998, ch. 25 and 49.
//
// Not encoded: Ngày Văn hóa Việt Nam (24/11). Politburo Resolution
// 80-NQ/TW (January 2026) chose it as a paid day off, but as of the sources
// consulted the Labour Code had not yet been amended and no schedule for
// 24/11/2026 had been announced.
package calendar
