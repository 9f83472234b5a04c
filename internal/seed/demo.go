package seed

import (
	"context"
	"fmt"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// DemoStories applies, through the ordinary use cases, the events that
// make the demonstration dataset show what KTGS records: two village chi
// bộ merged in 2026, a rename, a transfer, a temporary attachment, a
// death, posts, and a new chi bộ that is below the minimum of three
// official members, and the letters of the commune's UBKT (demo_letters.go:
// they need s.Keys). It expects the demo scale with seed 1 in an otherwise
// empty database. The stories are dated after the generator's last
// admission (October 2026), so no member is moved before joining; the
// letters, which move nobody, from June 2026.
func DemoStories(ctx context.Context, s *app.Service) error {
	ctx = app.AsSystem(ctx)
	code := func(c string) (id int64, err error) {
		err = s.View(ctx, func(tx *store.Tx) error {
			id, err = tx.OrgIDByCode(ctx, c)
			return err
		})
		if err != nil {
			err = fmt.Errorf("demo org %s: %w", c, err)
		}
		return id, err
	}
	members := func(org int64, n int) ([]*ktgs.Member, error) {
		var out []*ktgs.Member
		err := s.View(ctx, func(tx *store.Tx) error {
			p, err := tx.MembersOfOrg(ctx, org, "", n)
			if p != nil {
				out = p.Members
			}
			return err
		})
		return out, err
	}
	d := civil.MustParse
	// The first new commune of Ninh Bình and its villages.
	commune, err := code("P19-O1-D01-C01")
	if err != nil {
		return err
	}
	v1, err := code("P19-O1-D01-C01-X1-V1")
	if err != nil {
		return err
	}
	v2, err := code("P19-O1-D01-C01-X2-V1")
	if err != nil {
		return err
	}
	// 1. Two village chi bộ merge (sáp nhập thôn) on 10/11/2026.
	ev, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgMerge, Date: d("2026-11-10"),
		Decision: "Quyết định số 112-QĐ/ĐU của Ban Thường vụ Đảng ủy về hợp nhất chi bộ",
		Note:     "Hợp nhất hai thôn theo Nghị quyết của Hội đồng nhân dân tỉnh về sắp xếp thôn, tổ dân phố.",
		Sources:  []int64{v1, v2},
		New:      []app.OrgInput{{Code: "P19-O1-D01-C01-VM1", Type: ktgs.OrgTypeGrassrootsBranch, Name: "Chi bộ thôn Đoàn Kết", ParentID: commune}}})
	if err != nil {
		return fmt.Errorf("merge villages: %w", err)
	}
	merged := ev.Links[0].ToID
	// 2. A chi bộ renamed on 12/11/2026.
	v3, err := code("P19-O1-D01-C01-X1-V2")
	if err == nil {
		if _, err := s.Reorganize(ctx, app.ReorgInput{Kind: ktgs.ReorgRename, Date: d("2026-11-12"), Sources: []int64{v3},
			Name: "Chi bộ thôn Thắng Lợi", Decision: "Quyết định số 118-QĐ/ĐU"}); err != nil {
			return fmt.Errorf("rename: %w", err)
		}
	}
	// 3. A transfer, a temporary attachment and a death in the merged chi bộ.
	ms, err := members(merged, 6)
	if err != nil || len(ms) < 6 {
		return fmt.Errorf("demo members of the merged chi bộ: %d, %v", len(ms), err)
	}
	// The merged chi bộ's term from the merger, with the secretary and
	// deputy the đảng ủy appointed (its decisions are numbered in it).
	var chiBo int64
	if err := s.DB.View(ctx, func(tx *store.Tx) error {
		b, err := tx.BodyByKind(ctx, merged, ktgs.BodyBranch)
		chiBo = b.ID
		return err
	}); err != nil {
		return err
	}
	term, err := s.AddTerm(ctx, chiBo, app.TermInput{Name: "2025–2030", Start: d("2026-11-10"), End: d("2030-06-30")})
	if err != nil {
		return fmt.Errorf("term of the merged chi bộ: %w", err)
	}
	// The secretary: an official member who stays (not one of the six
	// whose stories follow).
	all, err := members(merged, 40)
	if err != nil {
		return err
	}
	var secretary *ktgs.Member
	for _, m := range all {
		stays := true
		for _, x := range ms[:6] {
			stays = stays && x.ID != m.ID
		}
		if stays && !m.OfficialOn.IsZero() && m.OfficialOn.Before(d("2026-11-10")) {
			secretary = m
			break
		}
	}
	if secretary == nil {
		return fmt.Errorf("no official member to be secretary of the merged chi bộ")
	}
	if _, err := s.AddSeat(ctx, term.ID, app.SeatInput{MemberID: secretary.ID, Role: ktgs.RoleSecretary}); err != nil {
		return fmt.Errorf("seat in the merged chi bộ: %w", err)
	}
	cq, err := code("P19-O1-D01-C01-A1-B1")
	if err != nil {
		return err
	}
	if err := s.Transfer(ctx, ms[0].ID, cq, d("2026-11-16"), "Chuyển công tác về cơ quan Đảng ủy xã"); err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	other, err := code("P19-O2-D01-C01-X1-V1")
	if err != nil {
		return err
	}
	if err := s.AttachTemporarily(ctx, ms[1].ID, other, d("2026-11-13"), d("2027-05-31"), "Đi làm ăn xa, sinh hoạt tạm thời 6 tháng"); err != nil {
		return fmt.Errorf("temporary attachment: %w", err)
	}
	if err := s.EndMembership(ctx, ms[2].ID, d("2026-11-14"), ktgs.EndDeath); err != nil {
		return fmt.Errorf("death: %w", err)
	}
	// 4. Posts for the commune's leaders.
	staff, err := members(cq, 20)
	if err != nil {
		return err
	}
	var leaders []*ktgs.Member
	for _, m := range staff {
		if !m.OfficialOn.IsZero() && m.OfficialOn.Before(ktgs.ReformDate) && len(leaders) < 3 {
			leaders = append(leaders, m)
		}
	}
	titles := []string{"Chủ tịch Ủy ban nhân dân xã", "Chủ tịch Hội đồng nhân dân xã", "Chủ tịch Ủy ban Mặt trận Tổ quốc xã"}
	for i, m := range leaders {
		if _, err := s.AddPost(ctx, m.ID, app.PostInput{Title: titles[i%len(titles)], Level: ktgs.LevelCommune, OrgID: commune, From: d("2025-07-01")}); err != nil {
			return fmt.Errorf("post: %w", err)
		}
	}
	// 5. A new chi bộ with two official members and one probationary
	// member: below the minimum of three, flagged on its page.
	tram, err := s.CreateOrg(ctx, app.OrgInput{Code: "P19-O1-D01-C01-TYT", Type: ktgs.OrgTypeGrassrootsBranch,
		Name: "Chi bộ Trạm Y tế xã", ParentID: commune, ValidFrom: d("2026-11-20")})
	if err != nil {
		return fmt.Errorf("small chi bộ: %w", err)
	}
	for _, m := range ms[3:5] {
		if m.OfficialOn.IsZero() {
			continue
		}
		if err := s.Transfer(ctx, m.ID, tram.ID, d("2026-11-20"), "Thành lập chi bộ Trạm Y tế"); err != nil {
			return fmt.Errorf("transfer to the small chi bộ: %w", err)
		}
	}
	if _, err := s.CreateMember(ctx, app.MemberInput{CardNumber: "79012345", FullName: "Đinh Thị Thu Hà", Gender: ktgs.GenderFemale,
		BirthDate: d("1998-09-14"), AdmittedOn: d("2026-11-21"), HomeOrgID: tram.ID, Occupation: "Y sĩ",
		Hometown: "xã Kim Bảng, tỉnh Ninh Bình"}); err != nil {
		return fmt.Errorf("probationary member: %w", err)
	}
	if err := disciplineStories(ctx, s, merged); err != nil {
		return err
	}
	return letterStories(ctx, s)
}

// disciplineStories: in the merged chi bộ, a member reprimanded for
// lifestyle by the chi bộ (decided, Số 01-QĐ/CB), and a member under
// consideration by the commune's UBKT after a late state notice.
func disciplineStories(ctx context.Context, s *app.Service, chiBo int64) error {
	d := civil.MustParse
	var picks []*ktgs.Member
	var bodyID int64
	err := s.View(ctx, func(tx *store.Tx) error {
		p, err := tx.MembersOfOrg(ctx, chiBo, "", 40)
		if err != nil {
			return err
		}
		for i := len(p.Members) - 1; i >= 0 && len(picks) < 2; i-- {
			if m := p.Members[i]; !m.OfficialOn.IsZero() && m.Active(d("2026-11-15")) {
				picks = append(picks, m)
			}
		}
		b, err := tx.BodyByKind(ctx, chiBo, ktgs.BodyBranch)
		if err != nil {
			return err
		}
		bodyID = b.ID
		return nil
	})
	if err != nil || len(picks) < 2 {
		return fmt.Errorf("demo discipline: %d members, %v", len(picks), err)
	}
	p, err := s.OpenProceeding(ctx, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: picks[0].ID, BodyID: bodyID,
		Origin: ktgs.OriginDirect, Category: "DAO_DUC_LOI_SONG", Violation: "Uống rượu bia say, gây mất trật tự tại nhà văn hóa thôn.",
		ViolationOn: d("2026-11-02"), WarrantedForm: ktgs.FormReprimand, OpenedOn: d("2026-11-17")})
	if err != nil {
		return fmt.Errorf("demo proceeding: %w", err)
	}
	if _, err := s.Hear(ctx, p.ID, app.HearInput{HeardOn: d("2026-11-19"), SelfCriticismOn: d("2026-11-19")}); err != nil {
		return fmt.Errorf("demo hearing: %w", err)
	}
	if _, err := s.Vote(ctx, p.ID, app.VoteInput{HeldOn: d("2026-11-21"), Official: 18, AbsentOther: 2, Votes: map[string]int{"KHIEN_TRACH": 12, "NONE": 4}}); err != nil {
		return fmt.Errorf("demo vote: %w", err)
	}
	if _, err := s.Decide(ctx, p.ID, app.DecideInput{DecidedOn: d("2026-11-21"), ReportBy: d("2026-12-11")}); err != nil {
		return fmt.Errorf("demo decision: %w", err)
	}
	if _, err := s.OpenProceeding(ctx, app.ProceedingInput{SubjectKind: ktgs.SubjectMember, MemberID: picks[1].ID, BodyOrgCode: "P19-O1-D01-C01",
		BodyKind: ktgs.BodyInspectionCommission, Origin: ktgs.OriginStateDiscipline, NoticeRef: "Quyết định số 215/QĐ-UBND của Ủy ban nhân dân xã",
		NoticeDecisionOn: d("2026-11-10"), NoticeReceivedOn: d("2026-11-18"), Category: "NHIEM_VU_CONG_VU",
		Violation: "Bị Ủy ban nhân dân xã kỷ luật khiển trách về vi phạm trong quản lý đất đai.", ViolationOn: d("2026-09-15"),
		WarrantedForm: ktgs.FormReprimand, OpenedOn: d("2026-11-20")}); err != nil {
		return fmt.Errorf("demo state notice: %w", err)
	}
	return nil
}
