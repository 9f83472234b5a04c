// Package app holds the use cases of KTGS. Each use case opens one
// transaction, validates its input against the domain rules, reads what it
// needs, writes, and (from the security issue on) appends the audit entry
// in the same transaction. It is written once for both storage engines.
package app

import (
	"context"
	"log/slog"
	"time"

	"ktgs"
	"ktgs/internal/calendar"
	"ktgs/internal/civil"
	"ktgs/internal/rules"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
)

// Zone is Vietnam's time zone (UTC+7, no daylight saving). "Today" for a
// deadline is the wall-calendar day in Vietnam, whatever the server's zone.
var Zone = time.FixedZone("ICT", 7*3600)

// Service runs the use cases.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Rules decides the party rules (LoadRules); the embedded rule sets by
	// default.
	Rules *rules.Registry
	// Clock returns the current time; tests pin it.
	Clock func() time.Time
	// Auth is the account and session policy.
	Auth AuthConfig
	// Calendar counts working days for plan deadlines; calendar.Default()
	// when nil.
	Calendar *calendar.Calendar
	// MaxFileSize bounds an uploaded evidence file (bytes); 20 MiB when 0.
	MaxFileSize int64
	// Mailer sends reminders by e-mail when configured (nil: in-app only).
	Mailer Mailer
	// BaseURL is the public URL (no trailing slash) that links in e-mails
	// start with; relative links when empty.
	BaseURL string
	// Keys seals the identity of letter senders (internal/sealed); a
	// letter cannot be recorded without it.
	Keys *sealed.Keyring
	// PublicBodyID is the body the public form's letters reach first
	// (the portal's commission), which routes them on.
	PublicBodyID int64

	ancestry ancestryCache
}

// New returns a Service on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{DB: db, Log: log, Clock: time.Now, Rules: rules.Default(), Auth: DefaultAuthConfig()}
}

// Today returns the current day in Vietnam.
func (s *Service) Today() civil.Date { return civil.Of(s.Clock().In(Zone)) }

// View runs fn in a read-only transaction.
func (s *Service) View(ctx context.Context, fn func(*store.Tx) error) error {
	return s.DB.View(ctx, fn)
}

// dateOr returns d, or today if d is zero.
func (s *Service) dateOr(d civil.Date) civil.Date {
	if d.IsZero() {
		return s.Today()
	}
	return d
}

// minDate and maxDate bound every date KTGS accepts. The Party was founded
// on 3/2/1930; nothing in its records is older.
var (
	minDate = civil.New(1930, 1, 1)
	maxDate = civil.New(2100, 12, 31)
)

// checkDate validates a required or optional date field.
func checkDate(v *ktgs.Validation, field string, d civil.Date, required bool) {
	switch {
	case d.IsZero():
		if required {
			v.Add(field, "err.required")
		}
	case d.Before(minDate) || d.After(maxDate):
		v.Add(field, "err.date_range", minDate.VN(), maxDate.VN())
	}
}

// notFound reports whether err is ENOTFOUND.
func notFound(err error) bool { return ktgs.ErrorCode(err) == ktgs.ENOTFOUND }

// now is the current time in UTC from the service clock.
func (s *Service) now() time.Time { return s.Clock().UTC() }
