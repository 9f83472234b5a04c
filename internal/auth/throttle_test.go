package auth

import (
	"math"
	"testing"
	"time"
)

func TestThrottleSequence(t *testing.T) {
	last := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		th       Throttle
		failures int
		elapsed  time.Duration
		wait     time.Duration
		locked   bool
	}{
		{"account 0", DefaultThrottle(), 0, 0, 0, false},
		{"account 1", DefaultThrottle(), 1, 0, 0, false},
		{"account 2", DefaultThrottle(), 2, 0, 0, false},
		{"account 3", DefaultThrottle(), 3, 0, 0, false},
		{"account 4", DefaultThrottle(), 4, 0, time.Second, false},
		{"account 5", DefaultThrottle(), 5, 0, 2 * time.Second, false},
		{"account 6", DefaultThrottle(), 6, 0, 4 * time.Second, false},
		{"account 7", DefaultThrottle(), 7, 0, 8 * time.Second, false},
		{"account 8", DefaultThrottle(), 8, 0, 16 * time.Second, false},
		{"account 9 capped", DefaultThrottle(), 9, 0, 30 * time.Second, false},
		{"account 10 locked", DefaultThrottle(), 10, 0, 15 * time.Minute, true},
		{"account 11 locked", DefaultThrottle(), 11, 0, 15 * time.Minute, true},
		{"account huge", DefaultThrottle(), math.MaxInt, 0, 15 * time.Minute, true},
		{"account 5 partly waited", DefaultThrottle(), 5, 1500 * time.Millisecond, 500 * time.Millisecond, false},
		{"account 5 waited", DefaultThrottle(), 5, 2 * time.Second, 0, false},
		{"account 9 waited", DefaultThrottle(), 9, time.Minute, 0, false},
		{"account lock running", DefaultThrottle(), 10, 14 * time.Minute, time.Minute, true},
		{"account lock over", DefaultThrottle(), 10, 15 * time.Minute, 0, false},
		{"account lock over later", DefaultThrottle(), 12, time.Hour, 0, false},
		{"account clock skew delay", DefaultThrottle(), 5, -time.Hour, 2 * time.Second, false},
		{"account clock skew lock", DefaultThrottle(), 10, -time.Hour, 15 * time.Minute, true},
		{"ip 20", DefaultIPThrottle(), 20, 0, 0, false},
		{"ip 21", DefaultIPThrottle(), 21, 0, time.Second, false},
		{"ip 22", DefaultIPThrottle(), 22, 0, 2 * time.Second, false},
		{"ip 26", DefaultIPThrottle(), 26, 0, 32 * time.Second, false},
		{"ip 27 capped", DefaultIPThrottle(), 27, 0, time.Minute, false},
		{"ip 1000 never locked", DefaultIPThrottle(), 1000, 0, time.Minute, false},
		{"ip huge", DefaultIPThrottle(), math.MaxInt, 0, time.Minute, false},
		{"zero policy", Throttle{}, 100, 0, 0, false},
		{"zero base delay", Throttle{FreeAttempts: 1, MaxDelay: time.Minute}, math.MaxInt, 0, 0, false},
		{"negative failures", DefaultThrottle(), -5, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, locked := tt.th.Next(tt.failures, last, last.Add(tt.elapsed))
			if wait != tt.wait || locked != tt.locked {
				t.Errorf("Next(%d, +%v) = %v, %v; want %v, %v", tt.failures, tt.elapsed, wait, locked, tt.wait, tt.locked)
			}
		})
	}
}

func TestDefaultThrottles(t *testing.T) {
	want := Throttle{FreeAttempts: 3, BaseDelay: time.Second, MaxDelay: 30 * time.Second, LockAfter: 10, LockFor: 15 * time.Minute}
	if got := DefaultThrottle(); got != want {
		t.Errorf("DefaultThrottle() = %+v, want %+v", got, want)
	}
	if got := DefaultIPThrottle(); got.FreeAttempts != 20 || got.LockAfter != 0 {
		t.Errorf("DefaultIPThrottle() = %+v, want 20 free attempts and no lock", got)
	}
}

// TestThrottleSimulation replays a password-guessing attacker who tries as
// soon as Next allows and checks how many guesses an hour the account policy
// lets through.
func TestThrottleSimulation(t *testing.T) {
	th := DefaultThrottle()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	end := now.Add(time.Hour)
	var failures, guesses int
	var last time.Time
	for now.Before(end) {
		wait, _ := th.Next(failures, last, now)
		now = now.Add(wait)
		if !now.Before(end) {
			break
		}
		guesses++
		failures++
		last = now
		now = now.Add(time.Millisecond) // the attempt itself
	}
	// 10 attempts reach the lock, then one attempt per 15-minute lock: 10 + 3.
	if guesses != 13 {
		t.Errorf("%d guesses in an hour, want 13", guesses)
	}
}
