package seed

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// Letter stories of the demonstration, in the UBKT of the demo commune
// (P19-O1-D01-C01, Đảng ủy xã Gia Tường), recorded through the use cases as
// its staff would: a letter just received from the public form, one
// accepted with its team verifying before the due date, one overdue, a
// duplicate linked to the first letter of its sender, an anonymous letter
// kept as information, one concluded and closed with its notices, and one
// transferred to the UBKT of another commune. They need the identity key
// (Service.Keys); without it they are left out.

// demoCommune is the commune whose UBKT the letter stories happen in.
const demoCommune = "P19-O1-D01-C01"

func letterStories(ctx context.Context, s *app.Service) error {
	if s.Keys == nil {
		if s.Log != nil {
			s.Log.Warn("demo letters left out: no identity key (Service.Keys)")
		}
		return nil
	}
	d := civil.MustParse
	var commune, ubkt int64
	var accused, elsewhere, staff []*ktgs.Member
	err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		if commune, err = tx.OrgIDByCode(ctx, demoCommune); err != nil {
			return err
		}
		b, err := tx.BodyByKind(ctx, commune, ktgs.BodyInspectionCommission)
		if err != nil {
			return err
		}
		ubkt = b.ID
		official := func(code string, n int) ([]*ktgs.Member, error) {
			id, err := tx.OrgIDByCode(ctx, code)
			if err != nil {
				return nil, fmt.Errorf("demo org %s: %w", code, err)
			}
			p, err := tx.MembersOfOrg(ctx, id, "", 40)
			if err != nil {
				return nil, err
			}
			var out []*ktgs.Member
			for _, m := range p.Members {
				if m.HomeOrgID == id && !m.OfficialOn.IsZero() && m.OfficialOn.Before(d("2025-01-01")) && m.EndedOn.IsZero() && len(out) < n {
					out = append(out, m)
				}
			}
			if len(out) < n {
				return nil, fmt.Errorf("demo letters: %d official members in %s, want %d", len(out), code, n)
			}
			return out, nil
		}
		if accused, err = official(demoCommune+"-X1-V2", 5); err != nil {
			return err
		}
		if elsewhere, err = official("P19-O2-D01-C01-X1-V1", 1); err != nil {
			return err
		}
		staff, err = official(demoCommune+"-A1-B1", 8)
		return err
	})
	if err != nil {
		return err
	}
	team, err := demoCadres(ctx, s, commune, staff, append(slices.Clone(accused), elsewhere...))
	if err != nil {
		return err
	}
	members := func() []app.TeamMemberInput {
		return []app.TeamMemberInput{{UserID: team[0].ID, Role: "PRESIDE"}, {UserID: team[1].ID, Role: "RESOLVE"}}
	}
	post := func(m *ktgs.Member, on civil.Date, phone, title, content string) app.LetterInput {
		return app.LetterInput{Channel: ktgs.ChannelPost, Mode: ktgs.SenderNamed, BodyID: ubkt, ReceivedOn: on, Title: title, Content: content,
			Sender:      ktgs.Sender{Name: demoSenders[phone], Address: "Thôn Thắng Lợi, xã Gia Tường, tỉnh Ninh Bình", Phone: phone},
			Allegations: []app.AllegationInput{{MemberID: m.ID, Kind: ktgs.LetterDenunciation}}}
	}
	receive := func(in app.LetterInput) (*ktgs.Letter, error) {
		l, _, err := s.ReceiveLetter(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("demo letter %q: %w", in.Title, err)
		}
		return l, nil
	}
	step := func(what string, err error) error {
		if err != nil {
			return fmt.Errorf("demo letter, %s: %w", what, err)
		}
		return nil
	}

	// 1. Closed: received in July, verified, concluded (partly founded)
	// with its notice to the accused, and the result notified.
	land := accused[0]
	l, err := receive(post(land, d("2026-07-20"), "0912 468 357", "Tố cáo việc xác nhận sai nguồn gốc đất ở thôn Thắng Lợi",
		"Năm 2025, ông "+land.FullName+" đã ký xác nhận nguồn gốc đất cho 4 hộ gia đình ở khu đồng Bãi Giữa, thôn Thắng Lợi, để các hộ "+
			"được cấp giấy chứng nhận quyền sử dụng đất, trong khi đây là đất công ích do xã quản lý. Đề nghị Ủy ban Kiểm tra Đảng ủy xã "+
			"xem xét, làm rõ."))
	if err != nil {
		return err
	}
	if _, err := s.ClassifyLetter(ctx, l.ID, app.ClassifyInput{On: d("2026-07-27")}); err != nil {
		return step("classify", err)
	}
	if _, err := s.SetLetterTeam(ctx, l.ID, members(), d("2026-08-03")); err != nil {
		return step("team", err)
	}
	if _, err := s.RecordVerification(ctx, l.ID, "Làm việc với bộ phận địa chính xã và 4 hộ gia đình được xác nhận; thu thập hồ sơ cấp giấy chứng nhận.",
		d("2026-09-07")); err != nil {
		return step("verification", err)
	}
	if _, err := s.ConcludeLetter(ctx, l.ID, []app.ResultInput{{Seq: 1, Result: ktgs.ResultPartlyFounded,
		Conclusion: "Ông " + land.FullName + " đã ký xác nhận nguồn gốc đất cho 2 hộ không đúng hồ sơ địa chính; việc xác nhận cho 2 hộ còn lại " +
			"là đúng quy định. Yêu cầu kiểm điểm trước chi bộ và phối hợp điều chỉnh hồ sơ."}}, d("2026-10-05")); err != nil {
		return step("conclusion", err)
	}
	if _, err := s.NotifyLetter(ctx, l.ID, d("2026-10-09")); err != nil {
		return step("result notice", err)
	}

	// 2. Overdue: accepted in June, the team formed, still verifying
	// after the due date R14 set.
	funds := accused[1]
	l, err = receive(post(funds, d("2026-06-15"), "0987 215 604", "Tố cáo việc chi sai kinh phí hỗ trợ sản xuất",
		"Ông "+funds.FullName+" đã chỉ đạo lập chứng từ chi hỗ trợ giống cây trồng năm 2025 cho 35 hộ, nhưng thực tế chỉ 20 hộ nhận được "+
			"hỗ trợ; số tiền chênh lệch khoảng 45 triệu đồng không rõ đã sử dụng vào việc gì."))
	if err != nil {
		return err
	}
	if _, err := s.ClassifyLetter(ctx, l.ID, app.ClassifyInput{On: d("2026-06-22")}); err != nil {
		return step("classify", err)
	}
	if _, err := s.SetLetterTeam(ctx, l.ID, members(), d("2026-07-01")); err != nil {
		return step("team", err)
	}
	if _, err := s.RecordVerification(ctx, l.ID, "Đối chiếu danh sách hộ nhận hỗ trợ với chứng từ chi; chờ Ủy ban nhân dân xã cung cấp hồ sơ thanh toán.",
		d("2026-08-10")); err != nil {
		return step("verification", err)
	}

	// 3. Accepted with its team and due date: received in late October,
	// verifying now.
	school := accused[2]
	first, err := receive(post(school, d("2026-10-26"), "0356 781 902", "Tố cáo việc thu các khoản đóng góp trái quy định",
		"Ông "+school.FullName+" chỉ đạo thu của mỗi hộ ở thôn Thắng Lợi 500.000 đồng để làm đường bê tông nội thôn, nhưng không họp dân, "+
			"không công khai danh sách và việc sử dụng số tiền đã thu, khoảng 120 triệu đồng."))
	if err != nil {
		return err
	}
	if _, err := s.ClassifyLetter(ctx, first.ID, app.ClassifyInput{On: d("2026-11-02")}); err != nil {
		return step("classify", err)
	}
	if _, err := s.SetLetterTeam(ctx, first.ID, members(), d("2026-11-09")); err != nil {
		return step("team", err)
	}
	if _, err := s.RecordVerification(ctx, first.ID, "Làm việc với Ban công tác Mặt trận thôn Thắng Lợi; thu thập sổ thu tiền đóng góp của thôn.",
		d("2026-11-16")); err != nil {
		return step("verification", err)
	}

	// 4. A duplicate: the same sender brings the same letter in person
	// before it is concluded; it is linked to the first, not handled
	// twice.
	again := post(school, d("2026-11-20"), "0356 781 902", "Tố cáo việc thu các khoản đóng góp trái quy định",
		"Ông "+school.FullName+" chỉ đạo thu của mỗi hộ ở thôn Thắng Lợi 500.000 đồng để làm đường bê tông nội thôn, nhưng không họp dân, "+
			"không công khai danh sách và việc sử dụng số tiền đã thu, khoảng 120 triệu đồng. Tôi đã gửi đơn ngày 26/10/2026, nay đến trình bày lại.")
	again.Channel, again.ReadBackSigned = ktgs.ChannelInPerson, true
	dup, err := receive(again)
	if err != nil {
		return err
	}
	if dup.DuplicateOf != first.ID {
		return fmt.Errorf("demo letter: the repeated letter %s is not linked to %s (duplicate of %d)", dup.Code, first.Code, dup.DuplicateOf)
	}

	// 5. Anonymous, with a clear target and content: kept as information
	// (R12), never concluded.
	anon, err := receive(app.LetterInput{Channel: ktgs.ChannelPost, Mode: ktgs.SenderAnonymous, BodyID: ubkt, ReceivedOn: d("2026-11-05"),
		Title: "Đơn không ký tên phản ánh việc đánh bạc",
		Content: "Chúng tôi là một số người dân thôn Thắng Lợi, xin phản ánh ông " + accused[3].FullName + " thường xuyên tổ chức đánh bạc tại nhà " +
			"vào các tối cuối tuần, gây mất trật tự trong thôn.",
		Allegations: []app.AllegationInput{{MemberID: accused[3].ID}}})
	if err != nil {
		return err
	}
	if _, err := s.ClassifyLetter(ctx, anon.ID, app.ClassifyInput{ClearTargetAndContent: true, On: d("2026-11-12"),
		Reason: "Đơn nặc danh có đối tượng và nội dung rõ ràng: lưu đơn, nắm tình hình phục vụ công tác kiểm tra, giám sát."}); err != nil {
		return step("classify the anonymous letter", err)
	}

	// 6. Transferred: a letter about a member of another commune, sent
	// on to that commune's UBKT (the clock starts when it arrives).
	other := elsewhere[0]
	moved, err := receive(post(other, d("2026-11-18"), "0904 337 128", "Tố cáo việc lấn chiếm đất hành lang giao thông",
		"Ông "+other.FullName+" đã cho xây dựng nhà kho trên đất hành lang đường liên xã, lấn chiếm khoảng 60 m², chính quyền địa phương "+
			"đã lập biên bản nhưng đến nay chưa tháo dỡ."))
	if err != nil {
		return err
	}
	if moved.CompetentBodyID == ubkt {
		return fmt.Errorf("demo letter %s: routed to the demo commune's UBKT, want another commune's", moved.Code)
	}
	if _, err := s.TransferLetter(ctx, moved.ID, app.TransferInput{On: d("2026-11-23"),
		Note: "Người bị tố cáo sinh hoạt tại đảng bộ xã khác."}); err != nil {
		return step("transfer", err)
	}

	// 7. Just received from the public form, named (the portal sends to
	// the demo commune's UBKT during the story).
	saved := s.PublicBodyID
	s.PublicBodyID = ubkt
	_, err = s.SubmitPublicLetter(ctx, app.LetterInput{Mode: ktgs.SenderNamed,
		Sender: ktgs.Sender{Name: demoSenders["0971 552 846"], Address: "Thôn Đoàn Kết, xã Gia Tường, tỉnh Ninh Bình", Phone: "0971 552 846",
			Email: "dan.thon.doanket@example.vn"},
		Title: "Phản ánh việc xét hộ nghèo không đúng đối tượng",
		Content: "Năm 2026, thôn Đoàn Kết đưa 3 hộ có nhà, đất và ô tô vào danh sách hộ cận nghèo, trong khi nhiều hộ khó khăn thực sự " +
			"không được xét. Người trực tiếp lập danh sách là trưởng thôn. Đề nghị kiểm tra, làm rõ.",
		Allegations: []app.AllegationInput{{AccusedName: "Trưởng thôn Đoàn Kết", AccusedUnit: "Chi bộ thôn Đoàn Kết"}}})
	s.PublicBodyID = saved
	return step("public form", err)
}

// demoSenders are the senders of the demo letters, by phone.
var demoSenders = map[string]string{
	"0912 468 357": "Đỗ Văn Khải",
	"0987 215 604": "Vũ Thị Lan Anh",
	"0356 781 902": "Lê Quang Vinh",
	"0904 337 128": "Phạm Thị Hồng Nhung",
	"0971 552 846": "Trịnh Minh Đức",
}

// demoCadres returns two inspection cadres of the commune's UBKT to
// handle the letters, none of them one of the accused (R13): the
// accounts the activity seed gave it, or, when it did not run, new
// accounts (without a password) for two members of the commune's own
// chi bộ.
func demoCadres(ctx context.Context, s *app.Service, commune int64, staff, accused []*ktgs.Member) ([]*ktgs.User, error) {
	var out []*ktgs.User
	isAccused := func(id int64) bool {
		return slices.ContainsFunc(accused, func(m *ktgs.Member) bool { return m.ID == id })
	}
	for i := 1; i <= 3 && len(out) < 2; i++ {
		var u *ktgs.User
		err := s.View(ctx, func(tx *store.Tx) error {
			var err error
			u, err = tx.UserByName(ctx, "cb.p19-o1-d01-c01."+strconv.Itoa(i))
			return err
		})
		if ktgs.ErrorCode(err) == ktgs.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if u.MemberID == 0 || !isAccused(u.MemberID) {
			out = append(out, u)
		}
	}
	for _, m := range staff[len(staff)-2:] {
		if len(out) >= 2 {
			break
		}
		u, _, err := s.CreateUser(ctx, app.UserInput{Username: "cb.p19-o1-d01-c01.kt" + strconv.Itoa(len(out)+1), DisplayName: m.FullName,
			Role: authz.RoleInspector, Clearance: authz.Secret.Code(), MemberID: m.ID, Scope: []int64{commune}})
		if err != nil {
			return nil, fmt.Errorf("demo inspection cadre: %w", err)
		}
		out = append(out, u)
	}
	return out, nil
}
