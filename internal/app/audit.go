package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"ktgs"
	"ktgs/internal/audit"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
)

// auditEntry is what a use case says about its change; audit fills in the
// actor, the time and the request.
type auditEntry struct {
	Action     string // "org.create", "member.transfer", "case.denouncer_read" …
	ObjectType string
	ObjectID   int64
	OrgID      int64
	Before     any // marshalled to JSON; nil for none
	After      any
	Reason     string
}

// SystemActor is the name recorded for changes made by KTGS itself or from
// the command line without a signed-in user.
const SystemActor = "system"

// audit appends e to the trail in tx, the transaction of the change, so the
// record and the change commit together or not at all.
func (s *Service) audit(ctx context.Context, tx *store.Tx, e auditEntry) error {
	ent := audit.Entry{
		Action:     e.Action,
		ObjectType: e.ObjectType,
		ObjectID:   strconv.FormatInt(e.ObjectID, 10),
		OrgID:      e.OrgID,
		Reason:     e.Reason,
		Actor:      SystemActor,
	}
	if a := ActorFrom(ctx); a != nil {
		ent.ActorID = a.UserID
		ent.Actor = a.Name
	}
	ri := requestFrom(ctx)
	ent.RequestID = ri.ID
	var err error
	if ent.Before, err = marshalAudit(e.Before); err != nil {
		return err
	}
	if ent.After, err = marshalAudit(e.After); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, &ent)
}

func marshalAudit(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshal: %w", err)
	}
	return b, nil
}

// VerifyResult is the outcome of checking the whole audit trail.
type VerifyResult struct {
	Entries int64
	// HeadSeq and HeadHash are the last entry verified; RecordedSeq and
	// RecordedHash are what audit_head says. They differ when entries
	// were removed from the end.
	HeadSeq      int64
	HeadHash     string
	RecordedSeq  int64
	RecordedHash string
	// Broken is the first broken link, nil if the chain is intact.
	Broken *audit.BrokenLink
}

// VerifyAudit checks every entry of the trail in order and names the first
// broken link. Entries removed from the end show as a difference between
// the verified head and the recorded head (and from any head anchored
// outside the system, which is why it can be exported).
func (s *Service) VerifyAudit(ctx context.Context) (*VerifyResult, error) {
	res := &VerifyResult{}
	var v audit.Verifier
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if res.RecordedSeq, res.RecordedHash, err = tx.AuditHead(ctx); err != nil {
			return err
		}
		return tx.EachAudit(ctx, func(e *audit.Entry) error {
			v.Add(*e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	res.Entries = v.Count()
	res.HeadSeq, res.HeadHash = v.Head()
	res.Broken = v.Broken()
	if res.Broken == nil && (res.HeadSeq != res.RecordedSeq || res.HeadHash != res.RecordedHash) {
		res.Broken = &audit.BrokenLink{Seq: res.HeadSeq + 1, Reason: "head_mismatch",
			Detail: fmt.Sprintf("chain ends at seq %d, audit_head records seq %d", res.HeadSeq, res.RecordedSeq)}
	}
	return res, nil
}

// AuditHead is the current head of the chain, for the admin page, reports
// and anchoring outside the system.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
	At   string `json:"at"` // RFC 3339, when it was read
}

// AuditHead returns the chain head. Everyone signed in may see it: it
// reveals nothing but lets anyone anchor the trail.
func (s *Service) AuditHead(ctx context.Context) (*AuditHead, error) {
	h := &AuditHead{}
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		h.Seq, h.Hash, err = tx.AuditHead(ctx)
		h.At = tx.Now().Format("2006-01-02T15:04:05Z07:00")
		return err
	})
	return h, err
}

// AuditQuery filters the audit log for a reader.
type AuditQuery struct {
	ActorID    int64
	ObjectType string
	ObjectID   string
	Action     string
	From, To   civil.Date
	Before     int64
	Limit      int
}

// AuditLog returns audit entries the actor may read: those of
// organisations in its scope, and system entries if its scope includes a
// root.
func (s *Service) AuditLog(ctx context.Context, q AuditQuery) ([]audit.Entry, error) {
	a := ActorFrom(ctx)
	var out []audit.Entry
	err := s.DB.View(ctx, func(tx *store.Tx) error {
		sys, err := s.SystemObject(ctx, tx)
		if err != nil {
			return err
		}
		f := store.AuditFilter{ActorID: q.ActorID, ObjectType: q.ObjectType, ObjectID: q.ObjectID, Action: q.Action,
			Before: q.Before, Limit: q.Limit}
		if !q.From.IsZero() {
			f.From = q.From.Time().Add(-7 * time.Hour) // midnight in Vietnam
		}
		if !q.To.IsZero() {
			f.To = q.To.AddDays(1).Time().Add(-7 * time.Hour)
		}
		if authz.Allowed(a, authz.AuditRead, sys) {
			f.System = true
		} else {
			// Not system-wide: the scope organisations' subtrees, if the
			// role may read the audit log at all.
			for _, id := range a.Scope {
				obj, err := s.OrgObject(ctx, tx, id)
				if err != nil {
					continue
				}
				if err := s.Authorize(ctx, authz.AuditRead, obj); err != nil {
					continue
				}
				hist, err := tx.OrgHistory(ctx, id)
				if err != nil {
					return err
				}
				for _, v := range hist {
					f.Paths = append(f.Paths, v.Path)
				}
			}
			if len(f.Paths) == 0 {
				return ktgs.Errorf(ktgs.EFORBIDDEN, authz.ReasonRole)
			}
		}
		out, err = tx.AuditEntries(ctx, f)
		return err
	})
	return out, err
}

// JobEntry returns the audit entry of a bulk job (an import) that writes
// through a store.Loader; the job appends it with Loader.Audit inside its
// own transaction.
func (s *Service) JobEntry(ctx context.Context, action string, after any) (*audit.Entry, error) {
	ent := &audit.Entry{Action: action, ObjectType: "register", ObjectID: "", Actor: SystemActor, RequestID: requestFrom(ctx).ID}
	if a := ActorFrom(ctx); a != nil {
		ent.ActorID, ent.Actor = a.UserID, a.Name
	}
	var err error
	ent.After, err = marshalAudit(after)
	return ent, err
}
