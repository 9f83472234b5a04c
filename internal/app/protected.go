package app

import (
	"context"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/store"
	"ktgs/internal/vn"
)

// ProtectedField names a field under field-level protection: the
// denouncer's identity on a denunciation (RULES.md §5), and any other
// field a later capability marks so.
type ProtectedField struct {
	ObjectType string // "petition", "case" …
	ObjectID   int64
	OrgID      int64
	Field      string // "denouncer"
}

// ReadProtected reveals a protected field. It authorises the read
// (authz.DenouncerRead on obj: the handling team only, never the accused,
// clearance and two-factor as for case data), requires a stated reason,
// and calls read and appends the audit entry "<type>.read_protected" with
// the reason in one transaction: a read that is not recorded does not
// happen. The entry names the field, never its value.
func (s *Service) ReadProtected(ctx context.Context, obj *authz.Object, f ProtectedField, reason string,
	read func(tx *store.Tx) (string, error)) (string, error) {
	// Authorise first: a reason error must not tell someone outside the
	// team that the record exists.
	if err := s.Authorize(ctx, authz.DenouncerRead, obj); err != nil {
		a := ActorFrom(ctx)
		user := ""
		if a != nil {
			user = a.Name
		}
		s.Log.WarnContext(ctx, "protected read refused", "user", user, "object", f.ObjectType, "id", f.ObjectID, "field", f.Field,
			"code", ktgs.ErrorCode(err))
		return "", err
	}
	reason = vn.CleanText(reason)
	if len([]rune(strings.TrimSpace(reason))) < 10 {
		return "", ktgs.Invalid("reason", "err.protected_reason", 10)
	}
	var v string
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if v, err = read(tx); err != nil {
			return err
		}
		return s.audit(ctx, tx, auditEntry{Action: f.ObjectType + ".read_protected", ObjectType: f.ObjectType, ObjectID: f.ObjectID,
			OrgID: f.OrgID, After: map[string]string{"field": f.Field}, Reason: reason})
	})
	if err != nil {
		return "", err
	}
	return v, nil
}
