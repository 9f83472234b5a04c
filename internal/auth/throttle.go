package auth

import "time"

// Throttle is a login throttling policy: after FreeAttempts consecutive
// failures each further attempt must wait BaseDelay, doubling with every
// failure up to MaxDelay, counted from the last failure; after LockAfter
// consecutive failures (0: never) the subject is locked for LockFor from the
// last failure. The same policy serves accounts (count failures per user)
// and client addresses (count failures per IP) with different parameters.
// A success resets the count to zero; the count itself is the caller's to
// keep.
type Throttle struct {
	FreeAttempts int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	LockAfter    int
	LockFor      time.Duration
}

// DefaultThrottle returns the policy for accounts: 3 free attempts, then a
// wait of 1 s doubling to at most 30 s, and a 15-minute lock after 10
// consecutive failures.
func DefaultThrottle() Throttle {
	return Throttle{FreeAttempts: 3, BaseDelay: time.Second, MaxDelay: 30 * time.Second,
		LockAfter: 10, LockFor: 15 * time.Minute}
}

// DefaultIPThrottle returns the policy for client addresses: 20 free
// attempts, then a wait of 1 s doubling to at most 60 s, and no lock: a
// whole office often shares one address, and locking it out would let one
// attacker deny service to everyone behind it. The per-account policy
// still caps guessing against each account.
func DefaultIPThrottle() Throttle {
	return Throttle{FreeAttempts: 20, BaseDelay: time.Second, MaxDelay: time.Minute}
}

// Next returns how long the caller must still wait at time now before
// accepting another attempt, given failures consecutive failures of which
// the last was at lastFailure; and whether the subject is locked (wait is
// then the rest of the lock). A wait of zero allows the attempt. When a lock
// has run out the next attempt is allowed, but its failure locks again, as
// the count of consecutive failures is still at least LockAfter. A
// lastFailure in the future (clock skew) never yields more than the full
// delay or lock.
func (t Throttle) Next(failures int, lastFailure, now time.Time) (wait time.Duration, locked bool) {
	if failures <= t.FreeAttempts {
		return 0, false
	}
	var d time.Duration
	if t.LockAfter > 0 && failures >= t.LockAfter {
		d, locked = t.LockFor, true
	} else {
		d = t.BaseDelay
		for i := t.FreeAttempts + 1; i < failures && d > 0 && d < t.MaxDelay; i++ {
			d *= 2
		}
		d = min(d, t.MaxDelay)
	}
	elapsed := max(now.Sub(lastFailure), 0)
	if elapsed >= d {
		return 0, false
	}
	return d - elapsed, locked
}
