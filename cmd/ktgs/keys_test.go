package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/sealed"
	"ktgs/internal/store"
)

// testKeyRing returns the text of a fresh key ring, for KTGS_IDENTITY_KEYS.
func testKeyRing(t *testing.T) string {
	t.Helper()
	k, err := (&sealed.Keyring{}).Rotate()
	if err != nil {
		t.Fatal(err)
	}
	return string(k.Marshal())
}

// TestServeRefusesWithoutKey: outside demo mode, serve does not start
// without the identity key ring, says how to make one, and creates
// nothing; a key file others may read is refused too.
func TestServeRefusesWithoutKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	code, _, errs := runCmd(t, ctx, map[string]string{"KTGS_DATA_DIR": dir}, "serve")
	if code != 1 || !strings.Contains(errs, "no identity key") || !strings.Contains(errs, "ktgs keys init --data "+dir) ||
		!strings.Contains(errs, "will not start") {
		t.Errorf("serve without a key: %d %q", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("serve refused but created %d files (the database?)", len(entries))
	}
	// After keys init it gets past the key (and fails later only on the
	// bad address, which needs no database).
	if code, out, errs := runCmd(t, ctx, map[string]string{"KTGS_DATA_DIR": dir}, "keys", "init"); code != 0 || !strings.Contains(out, "identity.key") {
		t.Fatalf("keys init: %d %q %q", code, out, errs)
	}
	key := filepath.Join(dir, "identity.key")
	os.Chmod(key, 0o644)
	code, _, errs = runCmd(t, ctx, map[string]string{"KTGS_DATA_DIR": dir}, "serve")
	if code != 1 || !strings.Contains(errs, "chmod 600") {
		t.Errorf("serve with a world-readable key file: %d %q", code, errs)
	}
}

// clearTextIn reports whether any file of the SQLite database in dir (the
// database, its WAL and shared memory) contains s.
func clearTextIn(t *testing.T, dir, s string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "ktgs.db*"))
	if len(files) == 0 {
		t.Fatal("no database file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// TestKeysInitRotate: keys init makes the key file once; a letter recorded
// through the app stores its sender sealed (the name is nowhere in the
// database file); keys rotate --prune re-seals it under a new key, the old
// key is gone from the file and can no longer open it, and the sender
// still opens with the new ring.
func TestKeysInitRotate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	envv := map[string]string{"KTGS_DATA_DIR": dir, "KTGS_LOG_LEVEL": "warn"}
	key := filepath.Join(dir, "identity.key")

	if code, _, errs := runCmd(t, ctx, envv, "keys", "list"); code != 1 || !strings.Contains(errs, "ktgs keys init") {
		t.Errorf("keys list without a key: %d %q", code, errs)
	}
	code, out, errs := runCmd(t, ctx, envv, "keys", "init")
	if code != 0 || !strings.Contains(out, key) || !strings.Contains(out, "Back it up") {
		t.Fatalf("keys init: %d %q %q", code, out, errs)
	}
	st, err := os.Stat(key)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	first, _ := os.ReadFile(key)
	if code, _, errs := runCmd(t, ctx, envv, "keys", "init"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("second keys init: %d %q", code, errs)
	}
	if again, _ := os.ReadFile(key); !bytes.Equal(first, again) {
		t.Fatal("a second keys init changed the key file")
	}
	ring, err := sealed.Load(key, "")
	if err != nil {
		t.Fatal(err)
	}
	oldID := ring.Current()
	if code, out, _ := runCmd(t, ctx, envv, "keys", "list"); code != 0 || strings.TrimSpace(out) != oldID+" current" {
		t.Errorf("keys list: %d %q", code, out)
	}

	// A register and one letter from the public form, through the app.
	if code, out, errs := runCmd(t, ctx, envv, "seed", "--scale", "demo", "--activity=false"); code != 0 {
		t.Fatalf("seed: %d %s %s", code, out, errs)
	}
	const sender, accused = "Hoàng Thị Người Tố Giác", "Đặng Văn Bị Phản Ánh"
	db, err := store.Open(ctx, filepath.Join(dir, "ktgs.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(db, nil)
	svc.Keys = ring
	if err := svc.SetPublicBody(ctx, demoPublicBody); err != nil {
		t.Fatal(err)
	}
	rc, err := svc.SubmitPublicLetter(ctx, app.LetterInput{Mode: ktgs.SenderNamed,
		Sender: ktgs.Sender{Name: sender, Phone: "0987 654 321", Address: "Xóm Trại, xã Gia Tường"},
		Title:  "Bí thư chi bộ thu tiền trái quy định", Content: "Đồng chí bí thư chi bộ thu tiền của đảng viên mới kết nạp, không có phiếu thu.",
		Allegations: []app.AllegationInput{{AccusedName: accused, AccusedUnit: "Chi bộ thôn Đoàn Kết"}}})
	if err != nil {
		t.Fatal(err)
	}
	var letterID int64
	db.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.LetterIDsAfter(ctx, 0, 1<<20)
		if len(ids) > 0 {
			letterID = ids[len(ids)-1]
		}
		return err
	})
	db.Close()
	// The accused's name is stored as written (control: the search can
	// find a name); the sender's is not.
	if !clearTextIn(t, dir, accused) {
		t.Fatal("control: the accused's name is not found in the database file")
	}
	if clearTextIn(t, dir, sender) || clearTextIn(t, dir, "0987 654 321") {
		t.Fatal("the sender's identity is in the database file in clear text")
	}

	code, out, errs = runCmd(t, ctx, envv, "keys", "rotate", "--prune")
	m := regexp.MustCompile(`(\d+) letter\(s\) re-sealed under the new key ([0-9a-f]+)`).FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] == "0" || m[2] == oldID || !strings.Contains(out, "Restart every app server") {
		t.Fatalf("keys rotate: %d %q %q", code, out, errs)
	}
	newID := m[2]
	if code, out, _ := runCmd(t, ctx, envv, "keys", "list"); code != 0 || strings.TrimSpace(out) != newID+" current" {
		t.Errorf("keys list after rotate --prune: %d %q, want only %s", code, out, newID)
	}
	if clearTextIn(t, dir, sender) {
		t.Fatal("the sender's name is in the database file in clear text after the rotation")
	}

	db, err = store.Open(ctx, filepath.Join(dir, "ktgs.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	next, err := sealed.Load(key, "")
	if err != nil {
		t.Fatal(err)
	}
	svc = app.New(db, nil)
	svc.Keys = next
	snd, err := svc.ReadLetterSender(app.AsSystem(ctx), letterID, "kiểm tra sau khi thay khóa")
	if err != nil || snd.Name != sender || snd.Phone != "0987 654 321" {
		t.Fatalf("sender after the rotation: %+v %v", snd, err)
	}
	// The old key alone no longer opens it: it was re-sealed.
	svc.Keys = ring
	if _, err := svc.ReadLetterSender(app.AsSystem(ctx), letterID, "kiểm tra khóa cũ"); err == nil {
		t.Error("the pruned key still opens the re-sealed sender")
	}
	// The receipt does not depend on the key.
	if st, err := svc.LetterStatusByReceipt(ctx, rc.Code); err != nil || st.Status != ktgs.LetterReceived {
		t.Errorf("status by receipt after the rotation: %+v %v", st, err)
	}
}
