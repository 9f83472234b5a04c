package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// cheap are parameters that hash in well under a millisecond, for tests.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashVerifyRoundTrip(t *testing.T) {
	h := &Hasher{Params: cheap}
	ctx := context.Background()
	for _, pw := range []string{"Trời xanh mây trắng 2026", "correct horse battery staple", "x", strings.Repeat("Đ", 256)} {
		t.Run(pw[:min(len(pw), 12)], func(t *testing.T) {
			phc, err := h.Hash(ctx, pw)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			m := phcRE.FindStringSubmatch(phc)
			if m == nil {
				t.Fatalf("Hash = %q, not a PHC string", phc)
			}
			if got, want := m[1]+","+m[2]+","+m[3], "64,1,1"; got != want {
				t.Errorf("params = %s, want %s", got, want)
			}
			if got, want := len(m[4]), 22; got != want { // 16 bytes
				t.Errorf("salt has %d base64 chars, want %d", got, want)
			}
			if got, want := len(m[5]), 43; got != want { // 32 bytes
				t.Errorf("key has %d base64 chars, want %d", got, want)
			}
			ok, rehash, err := h.Verify(ctx, phc, pw)
			if !ok || rehash || err != nil {
				t.Errorf("Verify(right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, phc, pw+"!")
			if ok || rehash || err != nil {
				t.Errorf("Verify(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	h := &Hasher{Params: cheap}
	a, _ := h.Hash(context.Background(), "Trời xanh mây trắng 2026")
	b, _ := h.Hash(context.Background(), "Trời xanh mây trắng 2026")
	if a == b {
		t.Errorf("two hashes of one password are equal: %q", a)
	}
}

func TestHashNormalisesNFC(t *testing.T) {
	h := &Hasher{Params: cheap}
	pw := "Mật khẩu của Đảng viên"
	phc, err := h.Hash(context.Background(), norm.NFC.String(pw))
	if err != nil {
		t.Fatal(err)
	}
	nfd := norm.NFD.String(pw)
	if nfd == norm.NFC.String(pw) {
		t.Fatal("test password has no decomposable characters")
	}
	if ok, _, err := h.Verify(context.Background(), phc, nfd); !ok || err != nil {
		t.Errorf("Verify(NFD form) = %v, %v; want true, nil", ok, err)
	}
}

func TestHashEmpty(t *testing.T) {
	h := &Hasher{Params: cheap}
	if _, err := h.Hash(context.Background(), ""); !errors.Is(err, ErrEmptyPassword) {
		t.Errorf("Hash(\"\") error = %v, want ErrEmptyPassword", err)
	}
}

func TestDefaultParams(t *testing.T) {
	want := Params{Memory: 65536, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}
	p := DefaultParams()
	if p != want {
		t.Fatalf("DefaultParams() = %+v, want %+v", p, want)
	}
	p.Memory = 1
	if got := DefaultParams(); got != want {
		t.Errorf("DefaultParams changed through a copy: %+v", got)
	}
	if got := (&Hasher{}).params(); got != want {
		t.Errorf("zero Hasher params = %+v, want %+v", got, want)
	}
	if got := (&Hasher{Params: Params{Time: 3}}).params(); got != (Params{65536, 3, 2, 16, 32}) {
		t.Errorf("Hasher{Time: 3} params = %+v, want defaults but Time 3", got)
	}
}

func TestHashPasswordDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	phc, err := HashPassword(context.Background(), "Trời xanh mây trắng 2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Errorf("HashPassword = %q, want default parameters", phc)
	}
	ok, rehash, err := VerifyPassword(context.Background(), phc, "Trời xanh mây trắng 2026")
	if !ok || rehash || err != nil {
		t.Errorf("VerifyPassword = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestNeedsRehash(t *testing.T) {
	ctx := context.Background()
	old := &Hasher{Params: cheap}
	phc, err := old.Hash(ctx, "Trời xanh mây trắng 2026")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		params Params
		want   bool
	}{
		{"same", cheap, false},
		{"more time", Params{Memory: 64, Time: 2, Threads: 1}, true},
		{"more memory", Params{Memory: 128, Time: 1, Threads: 1}, true},
		{"more threads", Params{Memory: 64, Time: 1, Threads: 2}, true},
		{"longer key", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 64}, true},
		{"longer salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 32}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := (&Hasher{Params: tt.params}).Verify(ctx, phc, "Trời xanh mây trắng 2026")
			if !ok || err != nil {
				t.Fatalf("Verify = %v, %v; want true, nil", ok, err)
			}
			if rehash != tt.want {
				t.Errorf("needsRehash = %v, want %v", rehash, tt.want)
			}
			// A wrong password never asks for a rehash.
			if ok, rehash, _ := (&Hasher{Params: tt.params}).Verify(ctx, phc, "sai"); ok || rehash {
				t.Errorf("Verify(wrong) = %v, %v; want false, false", ok, rehash)
			}
		})
	}
}

// validPHC is the PHC string of "password" with the cheap parameters and
// the salt "saltsaltsaltsalt".
const validPHC = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0"

func TestMalformedPHC(t *testing.T) {
	tests := []struct {
		name, phc string
		want      error
	}{
		{"empty", "", ErrMalformedHash},
		{"dollar", "$", ErrMalformedHash},
		{"plain text", "password", ErrMalformedHash},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformedHash},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"no version", "$argon2id$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"missing key", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA", ErrMalformedHash},
		{"extra field", validPHC + "$x", ErrMalformedHash},
		{"prefix", "x" + validPHC, ErrMalformedHash},
		{"params order", "$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"params missing", "$argon2id$v=19$m=64,t=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"params sign", "$argon2id$v=19$m=+64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"params leading zero", "$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"params space", "$argon2id$v=19$m=64, t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"p overflows uint8", "$argon2id$v=19$m=64,t=1,p=256$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"m overflows uint32", "$argon2id$v=19$m=4294967296,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"t zero", "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"p zero", "$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"m too small", "$argon2id$v=19$m=7,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"m huge", "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"t huge", "$argon2id$v=19$m=64,t=4294967295,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$c2Fsd!NhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"salt url alphabet", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2Fsd_$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrMalformedHash},
		{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"salt empty", "$argon2id$v=19$m=64,t=1,p=1$$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", ErrUnsupportedHash},
		{"key too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKU", ErrUnsupportedHash},
		{"key non-canonical", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR1", ErrMalformedHash},
		{"too long", validPHC + strings.Repeat("A", 600), ErrMalformedHash},
	}
	h := &Hasher{Params: cheap}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify(context.Background(), tt.phc, "password")
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify error = %v, want %v", err, tt.want)
			}
			if ok || rehash {
				t.Errorf("Verify = %v, %v with error; want false, false", ok, rehash)
			}
		})
	}
}

func TestValidPHCConstant(t *testing.T) {
	// validPHC must itself parse, or the malformed cases above prove little.
	if _, _, _, err := parsePHC(validPHC); err != nil {
		t.Fatalf("parsePHC(validPHC): %v", err)
	}
	ok, rehash, err := (&Hasher{Params: cheap}).Verify(context.Background(), validPHC, "password")
	if !ok || rehash || err != nil {
		t.Errorf("Verify(validPHC, password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestSemaphoreRespectsContext(t *testing.T) {
	h := &Hasher{Params: cheap, MaxConcurrent: 1}
	if err := h.acquire(context.Background()); err != nil { // occupy the only slot
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := h.Hash(ctx, "Trời xanh mây trắng 2026"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Hash while full: error = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Hash waited %v after its deadline", d)
	}
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if _, _, err := h.Verify(cctx, validPHC, "password"); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify with cancelled context: error = %v, want context.Canceled", err)
	}
	h.release()
	if _, err := h.Hash(context.Background(), "Trời xanh mây trắng 2026"); err != nil {
		t.Errorf("Hash after release: %v", err)
	}
	// A cancelled context fails even when a slot is free.
	if _, err := h.Hash(cctx, "Trời xanh mây trắng 2026"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with cancelled context and free slot: error = %v, want context.Canceled", err)
	}
}

func TestSemaphoreSize(t *testing.T) {
	for _, tt := range []struct{ max, want int }{{0, DefaultMaxConcurrent}, {-1, DefaultMaxConcurrent}, {2, 2}} {
		h := &Hasher{Params: cheap, MaxConcurrent: tt.max}
		if _, err := h.Hash(context.Background(), "Trời xanh mây trắng 2026"); err != nil {
			t.Fatal(err)
		}
		if got := cap(h.sem); got != tt.want {
			t.Errorf("MaxConcurrent %d: %d slots, want %d", tt.max, got, tt.want)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add(validPHC, "password")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$", "")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$AAAA$AAAA", "x")
	f.Add("$argon2id$v=19$m=65536,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$Wb9DOLKUgwlL5fjad9tfCPU0SBAo0PEY/evJRhwtUR0", "Trời")
	f.Add("$$$$$", "\xff")
	h := &Hasher{Params: cheap}
	f.Fuzz(func(t *testing.T, phc, password string) {
		if p, _, _, err := parsePHC(phc); err == nil && (p.Memory > 1024 || p.Time > 2 || p.Threads > 4) {
			return // valid but too slow to compute thousands of times
		}
		ok, rehash, err := h.Verify(context.Background(), phc, password)
		if err != nil && (ok || rehash) {
			t.Errorf("Verify = %v, %v, %v: true with an error", ok, rehash, err)
		}
		if !ok && rehash {
			t.Errorf("Verify = false with needsRehash")
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := HashPassword(ctx, "Trời xanh mây trắng 2026"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}
