package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"ktgs"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/store"
)

// initiationRule asks rule R20 (case-initiation) whether the acting body
// may start a case of this kind on each subject. The first refusal is
// returned as a field error on that subject, with the reason and the
// citation of the rule set (the article that decides it).
func (s *Service) initiationRule(ctx context.Context, tx *store.Tx, kind ktgs.CaseKind, body *ktgs.Body, org *ktgs.Org,
	subjects []ktgs.CaseSubject, d civil.Date) error {
	bk, ok := rules.BodyKindOf(body.Kind, org.Type)
	if !ok {
		return ktgs.Invalid("body_id", "err.case.body_kind", string(body.Kind))
	}
	ref, err := orgRef(ctx, tx, org.ID, d)
	if err != nil {
		return err
	}
	ini := &rules.InitiatorIn{Kind: string(bk), Org: ref}
	if body.Kind == ktgs.BodyBranch {
		counts, err := tx.CountMembers(ctx, org.ID, d)
		if err != nil {
			return err
		}
		n := counts.Official
		chiUy, err := hasBranchCommittee(ctx, tx, org.ID, d)
		if err != nil {
			return err
		}
		no := false
		ini.Members, ini.HasChiUy, ini.Scattered = &n, &chiUy, &no
	}
	for i, sb := range subjects {
		field := fmt.Sprintf("subjects.%d", i)
		sub := &rules.InitiationSubject{Kind: string(sb.Kind)}
		if sb.Kind == ktgs.SubjectOrg {
			if sub.Org, err = orgRef(ctx, tx, sb.OrgID, d); err != nil {
				return err
			}
		} else {
			m, err := tx.Member(ctx, sb.MemberID, d)
			if err != nil {
				return err
			}
			ms, err := memberSubject(ctx, tx, m, d)
			if err != nil {
				return err
			}
			sub.HomeOrg = ms.HomeOrg
			same := false
			for _, seat := range ms.CommitteeMemberships {
				if seat.Org != nil && seat.Org.ID == org.ID && (seat.Body == "CAP_UY" || seat.Body == "BTV") {
					same = true
				}
			}
			higher := ms.ManagingBody != nil
			sub.CommitteeMemberSameLevel, sub.LeadershipPost, sub.ManagedByHigher = &same, ms.HoldsPost, &higher
		}
		req := rules.InitiationRequest{Kind: string(kind), Date: d.String(), Initiator: ini, Subject: sub}
		b, err := json.Marshal(req)
		if err != nil {
			return err
		}
		dec, err := s.Rules.Evaluate("R20", b)
		if err != nil {
			// A request the rules cannot read is a bug here, not the
			// user's input; the rules' field errors are reported as they
			// are.
			if e := ktgs.AsError(err); e != nil && e.Code == ktgs.EINVALID {
				return e
			}
			return err
		}
		if dec.Outcome != rules.OutcomeAllowed {
			return &ktgs.Error{Code: ktgs.EINVALID, Message: "err.validation", Rule: citation(dec),
				Fields: map[string]ktgs.FieldError{field: {Key: "err.case.initiation_refused", Args: []any{sb.Name, reasonText(dec)}, Rule: citation(dec)}}}
		}
	}
	return nil
}

// hasBranchCommittee reports whether a chi bộ has a chi ủy with a term
// running on day d.
func hasBranchCommittee(ctx context.Context, tx *store.Tx, orgID int64, d civil.Date) (bool, error) {
	bodies, err := tx.Bodies(ctx, orgID)
	if err != nil {
		return false, err
	}
	for _, b := range bodies {
		if b.Kind != ktgs.BodyBranchCommittee {
			continue
		}
		for _, t := range b.Terms {
			if !d.Before(t.Start) && !d.After(t.End) && len(t.Seats) > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// citation names the article and rule set of a decision, e.g. "QĐ 296 Điều
// 5 · QD296_2025".
func citation(dec *rules.Decision) string {
	var parts []string
	for _, c := range dec.Citations {
		if t := strings.TrimSpace(c.Regulation + " " + c.Article); t != "" {
			parts = append(parts, t)
		}
		if len(parts) == 2 {
			break
		}
	}
	parts = append(parts, dec.RuleSet)
	if dec.Provisional {
		parts = append(parts, "tạm thời")
	}
	return strings.Join(parts, " · ")
}

// reasonText is the decision's last reason in Vietnamese (the one that
// refused).
func reasonText(dec *rules.Decision) string {
	if len(dec.Reasons) == 0 {
		return ""
	}
	return dec.Reasons[len(dec.Reasons)-1].VI
}
