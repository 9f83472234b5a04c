package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

const testFrom = "Nhắc việc KTGS <ktgs@example.vn>"

// newSender builds a Sender for srv with the test CA trusted.
func newSender(t *testing.T, srv *testServer, cfg Config) *Sender {
	t.Helper()
	_, pool := testCert()
	cfg.Addr = srv.addr
	if cfg.From == "" {
		cfg.From = testFrom
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.RootCAs = pool
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// parsed is a received message decoded the way a mail client would.
type parsed struct {
	msg     *mail.Message
	subject string
	body    string // quoted-printable decoded, CRLF turned into LF
}

func parseRaw(t *testing.T, raw []byte) parsed {
	t.Helper()
	checkRawLines(t, raw)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode Subject %q: %v", msg.Header.Get("Subject"), err)
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", cte)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return parsed{msg: msg, subject: subject, body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

// checkRawLines verifies the wire format: 7-bit, every line ends in CRLF,
// no line longer than 78 characters.
func checkRawLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("message does not end with CRLF")
	}
	for i, line := range strings.SplitAfter(string(raw), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || strings.Contains(strings.TrimSuffix(line, "\r\n"), "\r") {
			t.Errorf("line %d %q is not terminated by exactly one CRLF", i+1, line)
		}
		if n := len(line) - 2; n > 78 {
			t.Errorf("line %d is %d characters long: %q", i+1, n, line)
		}
		for j := 0; j < len(line); j++ {
			if line[j] >= 0x80 {
				t.Errorf("line %d has a non-ASCII byte: %q", i+1, line)
				break
			}
		}
	}
}

func onlyMessage(t *testing.T, srv *testServer) received {
	t.Helper()
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

func TestSendStartTLSAuthVietnamese(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true, user: "ktgs", pass: "mật-khẩu đúng"})
	s := newSender(t, srv, Config{Username: "ktgs", Password: "mật-khẩu đúng"})
	if !s.Enabled() {
		t.Fatal("Enabled() = false")
	}
	subject := "Nhắc việc: hạn nộp báo cáo quyết toán quý IV của Trường Tiểu học Nguyễn Trãi — còn 3 ngày (Thứ Sáu, 28/11/2026)"
	body := "Kính gửi thầy/cô Nguyễn Văn An,\n\n" +
		"Hệ thống KTGS xin nhắc: báo cáo \"Quyết toán kinh phí\" cần nộp trước ngày 28/11/2026.\n" +
		"Số tiền: 1.234.567 đồng; ghi chú: ưu tiên xử lý, đừng quên ký đủ chữ ký!\n\n" +
		"Trân trọng,\nKTGS\n"
	m := Message{
		To:      []string{"Nguyễn Văn An <an@example.vn>", "binh.tran@example.vn"},
		Subject: subject,
		Body:    body,
		ID:      "reminder-42-2026-11-28",
	}
	before := time.Now()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	after := time.Now()

	got := onlyMessage(t, srv)
	if !got.tls || !got.authed {
		t.Errorf("tls=%v authed=%v, want both true", got.tls, got.authed)
	}
	if got.from != "ktgs@example.vn" {
		t.Errorf("MAIL FROM = %q", got.from)
	}
	if want := []string{"an@example.vn", "binh.tran@example.vn"}; fmt.Sprint(got.rcpts) != fmt.Sprint(want) {
		t.Errorf("RCPT TO = %q, want %q", got.rcpts, want)
	}

	p := parseRaw(t, got.raw)
	if p.subject != subject {
		t.Errorf("Subject = %q, want %q", p.subject, subject)
	}
	if p.body != body {
		t.Errorf("Body = %q, want %q", p.body, body)
	}
	h := p.msg.Header
	if raw := h.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?") {
		t.Errorf("Subject is not RFC 2047 encoded: %q", raw)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Nhắc việc KTGS" || from[0].Address != "ktgs@example.vn" {
		t.Errorf("From = %v (%v), raw %q", from, err, h.Get("From"))
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Nguyễn Văn An" || to[0].Address != "an@example.vn" || to[1].Address != "binh.tran@example.vn" {
		t.Errorf("To = %v (%v), raw %q", to, err, h.Get("To"))
	}
	if id := h.Get("Message-ID"); id != "<reminder-42-2026-11-28@example.vn>" {
		t.Errorf("Message-ID = %q", id)
	}
	date, err := h.Date()
	if err != nil {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	} else if date.Before(before.Truncate(time.Second)) || date.After(after) {
		t.Errorf("Date = %v, want between %v and %v", date, before, after)
	}
	if v := h.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q", h.Get("Content-Type"))
	}
	if v := h.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", v)
	}
}

func TestSendNormalisesToNFC(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true})
	s := newSender(t, srv, Config{})
	subject := norm.NFD.String("Nhắc việc: họp hội đồng")
	body := norm.NFD.String("Thời gian: 8 giờ sáng thứ Hai.\n")
	name := norm.NFD.String("Lê Thị Hoà")
	if subject == norm.NFC.String(subject) {
		t.Fatal("test input is already NFC")
	}
	err := s.Send(context.Background(), Message{To: []string{name + " <hoa@example.vn>"}, Subject: subject, Body: body, ID: "nfc-1"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	p := parseRaw(t, onlyMessage(t, srv).raw)
	if want := norm.NFC.String(subject); p.subject != want {
		t.Errorf("Subject = %q, want NFC %q", p.subject, want)
	}
	if want := norm.NFC.String(body); p.body != want {
		t.Errorf("Body = %q, want NFC %q", p.body, want)
	}
	to, err := p.msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != norm.NFC.String(name) {
		t.Errorf("To = %v (%v)", to, err)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	srv := newTestServer(t, serverOpts{implicitTLS: true, user: "u", pass: "p"})
	s := newSender(t, srv, Config{TLS: "tls", Username: "u", Password: "p"})
	if err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "Thử TLS", Body: "Nội dung\n", ID: "tls-1"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := onlyMessage(t, srv)
	if !got.tls || !got.authed {
		t.Errorf("tls=%v authed=%v, want both true", got.tls, got.authed)
	}
	if p := parseRaw(t, got.raw); p.subject != "Thử TLS" || p.body != "Nội dung\n" {
		t.Errorf("subject %q body %q", p.subject, p.body)
	}
}

func TestSendUntrustedCertificate(t *testing.T) {
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			srv := newTestServer(t, serverOpts{startTLS: mode == "starttls", implicitTLS: mode == "tls"})
			s, err := New(Config{Addr: srv.addr, From: testFrom, TLS: mode, Timeout: 5 * time.Second}) // system roots
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "x", Body: "y"})
			wantStep := map[string]string{"starttls": ": starttls: ", "tls": ": tls handshake: "}[mode]
			if err == nil || !strings.Contains(err.Error(), wantStep) || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("err = %v, want a certificate error at %q", err, wantStep)
			}
			if n := len(srv.messages()); n != 0 {
				t.Errorf("server received %d messages", n)
			}
		})
	}
}

func TestSendNoneToLoopback(t *testing.T) {
	// Plaintext AUTH to 127.0.0.1 is allowed by net/smtp.
	srv := newTestServer(t, serverOpts{user: "u", pass: "p"})
	s := newSender(t, srv, Config{TLS: "none", Username: "u", Password: "p"})
	if err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "Không mã hoá", Body: "Nội dung\n"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := onlyMessage(t, srv)
	if got.tls || !got.authed {
		t.Errorf("tls=%v authed=%v, want false, true", got.tls, got.authed)
	}
	id := parseRaw(t, got.raw).msg.Header.Get("Message-ID")
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.vn>") || len(id) < len("<@example.vn>")+16 {
		t.Errorf("generated Message-ID = %q", id)
	}
}

func TestNewRefusesNoneToNonLoopback(t *testing.T) {
	for _, addr := range []string{"smtp.example.vn:25", "192.0.2.10:25", "[2001:db8::1]:25"} {
		_, err := New(Config{Addr: addr, From: testFrom, TLS: "none"})
		if err == nil || !strings.Contains(err.Error(), "KTGS_SMTP_TLS") || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("New(%s, none) err = %v, want a loopback error naming KTGS_SMTP_TLS", addr, err)
		}
		if _, err := New(Config{Addr: addr, From: testFrom, TLS: "none", Insecure: true}); err != nil {
			t.Errorf("New(%s, none, Insecure) = %v", addr, err)
		}
	}
	for _, addr := range []string{"localhost:25", "127.0.0.1:25", "127.1.2.3:2525", "[::1]:25"} {
		if _, err := New(Config{Addr: addr, From: testFrom, TLS: "none"}); err != nil {
			t.Errorf("New(%s, none) = %v", addr, err)
		}
	}
}

func TestStartTLSRequired(t *testing.T) {
	srv := newTestServer(t, serverOpts{}) // no STARTTLS
	m := Message{To: []string{"an@example.vn"}, Subject: "Thử", Body: "Nội dung\n"}

	s := newSender(t, srv, Config{}) // default TLS mode is starttls
	err := s.Send(context.Background(), m)
	if err == nil || !strings.Contains(err.Error(), ": starttls: ") || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("err = %v, want a starttls refusal", err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("server received %d messages in refused mode", n)
	}

	s = newSender(t, srv, Config{TLS: "starttls", Insecure: true})
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send with Insecure: %v", err)
	}
	if got := onlyMessage(t, srv); got.tls {
		t.Error("message went over TLS, want plaintext")
	}
}

func TestRejectedRecipient(t *testing.T) {
	const bad = "khong-ton-tai@example.vn"
	srv := newTestServer(t, serverOpts{startTLS: true, reject: bad})
	s := newSender(t, srv, Config{})
	err := s.Send(context.Background(), Message{To: []string{"an@example.vn", "Người lạ <" + bad + ">"}, Subject: "Thử", Body: "x\n"})
	if err == nil {
		t.Fatal("Send succeeded, want a rejection")
	}
	for _, want := range []string{"rcpt to <" + bad + ">", "550", "User unknown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Errorf("err does not wrap a 550 *textproto.Error: %#v", err)
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("server received %d messages, want none (all or nothing)", n)
	}
}

func TestAuthFailure(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true, user: "u", pass: "p"})
	s := newSender(t, srv, Config{Username: "u", Password: "sai"})
	err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "x", Body: "y"})
	if err == nil || !strings.Contains(err.Error(), ": auth: 535") {
		t.Fatalf("err = %v, want auth 535", err)
	}
}

func TestHeaderInjectionRefused(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true})
	s := newSender(t, srv, Config{})
	base := Message{To: []string{"an@example.vn"}, Subject: "Nhắc việc", Body: "x\n", ID: "r-1"}
	cases := []struct {
		name string
		edit func(*Message)
		want string
	}{
		{"subject CRLF", func(m *Message) { m.Subject = "Nhắc việc\r\nBcc: evil@attacker.example" }, "Subject contains a line break"},
		{"subject LF", func(m *Message) { m.Subject = "Nhắc việc\nBcc: evil@attacker.example" }, "Subject contains a line break"},
		{"subject CR", func(m *Message) { m.Subject = "Nhắc việc\rBcc: evil@attacker.example" }, "Subject contains a line break"},
		{"to CRLF", func(m *Message) { m.To = []string{"an@example.vn\r\nBcc: evil@attacker.example"} }, "To[0]"},
		{"to name LF", func(m *Message) { m.To = []string{"an@example.vn", "An\nBcc: evil@attacker.example <an@example.vn>"} }, "To[1]"},
		{"id CRLF", func(m *Message) { m.ID = "r-1\r\nBcc: evil@attacker.example" }, "ID"},
		{"id space", func(m *Message) { m.ID = "r 1" }, "ID"},
		{"invalid to", func(m *Message) { m.To = []string{"không phải địa chỉ"} }, "invalid address"},
		{"two addresses in one", func(m *Message) { m.To = []string{"a@example.vn, b@example.vn"} }, "invalid address"},
		{"no recipient", func(m *Message) { m.To = nil }, "no recipient"},
		{"non-ASCII address", func(m *Message) { m.To = []string{"an@trường.vn"} }, "ASCII"},
		{"subject NUL", func(m *Message) { m.Subject = "a\x00b" }, "control character"},
		{"bad UTF-8 body", func(m *Message) { m.Body = "a\xffb" }, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := base
			m.To = append([]string(nil), base.To...)
			tc.edit(&m)
			err := s.Send(context.Background(), m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(tc.name, "CR") || strings.Contains(tc.name, "LF") {
				if !strings.Contains(err.Error(), "header injection") && !strings.Contains(err.Error(), "line break") {
					t.Errorf("err = %v, want it to mention the line break", err)
				}
			}
		})
	}
	if n := srv.connCount(); n != 0 {
		t.Errorf("server saw %d connections, want none (validation happens before connecting)", n)
	}
	if _, err := New(Config{Addr: srv.addr, From: "KTGS <ktgs@example.vn>\r\nBcc: evil@attacker.example"}); err == nil || !strings.Contains(err.Error(), "KTGS_SMTP_FROM") {
		t.Errorf("New with injected From: err = %v", err)
	}
}

func TestTimeoutSilentServer(t *testing.T) {
	srv := newTestServer(t, serverOpts{silent: true})
	s := newSender(t, srv, Config{Timeout: 300 * time.Millisecond})
	start := time.Now()
	err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "x", Body: "y"})
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("Send succeeded against a silent server")
	}
	if elapsed < 250*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("Send returned after %v, want about 300ms", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), ": greeting: timed out after 300ms") {
		t.Errorf("err = %v, want a greeting timeout wrapping context.DeadlineExceeded", err)
	}
}

func TestContextCancelled(t *testing.T) {
	srv := newTestServer(t, serverOpts{silent: true})
	s := newSender(t, srv, Config{Timeout: 30 * time.Second})
	m := Message{To: []string{"an@example.vn"}, Subject: "x", Body: "y"}

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		err := s.Send(ctx, m)
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("Send returned after %v", elapsed)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.Send(ctx, m)
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("Send returned after %v", elapsed)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		n := srv.connCount()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Send(ctx, m); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if srv.connCount() != n {
			t.Error("Send connected with a cancelled context")
		}
	})
}

func TestLongLinesAndDots(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true})
	s := newSender(t, srv, Config{})
	long := strings.Repeat("Thông báo hạn nộp hồ sơ kế toán năm 2026; ", 60) // ~2,700 bytes, one line
	body := ".Dòng bắt đầu bằng dấu chấm\n" +
		".\n" +
		"..\n" +
		". \n" +
		long + "\n" +
		strings.Repeat("x", 2000) + "\n" +
		strings.Repeat(".", 200) + "\n" +
		"khoảng trắng cuối dòng   \n" +
		"tab cuối dòng\t\n" +
		"dấu bằng = và =3D không bị hiểu nhầm\n" +
		"\n\n" +
		"kết thúc không có xuống dòng"
	subject := strings.Repeat("Nhắc việc rất dài ", 20) + "— hết"
	err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: subject, Body: body, ID: "long-1"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	p := parseRaw(t, onlyMessage(t, srv).raw) // also checks every line is <= 78 characters
	if want := body + "\n"; p.body != want {
		t.Errorf("Body differs:\n got %q\nwant %q", p.body, want)
	}
	if p.subject != subject {
		t.Errorf("Subject = %q, want %q", p.subject, subject)
	}
}

func TestBodyLineEndings(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true})
	s := newSender(t, srv, Config{})
	err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: "x", Body: "một\r\nhai\rba\n"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if p := parseRaw(t, onlyMessage(t, srv).raw); p.body != "một\nhai\nba\n" {
		t.Errorf("Body = %q", p.body)
	}
}

func TestConcurrentSends(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true, user: "u", pass: "p"})
	s := newSender(t, srv, Config{Username: "u", Password: "p"})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			m := Message{To: []string{"an@example.vn"}, Subject: fmt.Sprintf("Nhắc việc %d", i), Body: "Nội dung\n", ID: fmt.Sprintf("c-%d", i)}
			if err := s.Send(context.Background(), m); err != nil {
				t.Errorf("Send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n := len(srv.messages()); n != 8 {
		t.Errorf("server received %d messages, want 8", n)
	}
}

func TestNewValidation(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{Addr: "smtp.example.vn", From: testFrom}, "KTGS_SMTP_ADDR"},
		{Config{Addr: ":587", From: testFrom}, "KTGS_SMTP_ADDR"},
		{Config{Addr: "smtp.example.vn:http", From: testFrom}, "KTGS_SMTP_ADDR"},
		{Config{Addr: "smtp.example.vn:70000", From: testFrom}, "KTGS_SMTP_ADDR"},
		{Config{Addr: "smtp.example.vn:587", From: testFrom, TLS: "ssl"}, "KTGS_SMTP_TLS"},
		{Config{Addr: "smtp.example.vn:587"}, "KTGS_SMTP_FROM"},
		{Config{Addr: "smtp.example.vn:587", From: "KTGS"}, "KTGS_SMTP_FROM"},
		{Config{Addr: "smtp.example.vn:587", From: "ktgs@trường.vn"}, "KTGS_SMTP_FROM"},
		{Config{Addr: "smtp.example.vn:587", From: testFrom, Timeout: -time.Second}, "KTGS_SMTP_TIMEOUT"},
		{Config{Addr: "smtp.example.vn:587", From: testFrom, Password: "p"}, "KTGS_SMTP_USERNAME"},
	}
	for _, tc := range cases {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) err = %v, want it to name %s", tc.cfg, err, tc.want)
		}
	}

	for _, mode := range []string{"", "starttls", "STARTTLS", "tls", " tls "} {
		s, err := New(Config{Addr: "smtp.example.vn:587", From: testFrom, TLS: mode})
		if err != nil {
			t.Errorf("New(TLS=%q) = %v", mode, err)
			continue
		}
		if s.cfg.Timeout != 30*time.Second {
			t.Errorf("default Timeout = %v", s.cfg.Timeout)
		}
	}

	s, err := New(Config{})
	if err != nil {
		t.Fatalf("New(empty) = %v", err)
	}
	if s.Enabled() {
		t.Error("empty Addr: Enabled() = true")
	}
	if err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}}); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("disabled Send err = %v", err)
	}
}

func TestHeaderFolding(t *testing.T) {
	values := []string{
		"",
		"short",
		strings.Repeat("word ", 40),
		"a  double  spaced  " + strings.Repeat("x", 100) + " tail",
		" leading and trailing\t",
		strings.Repeat("y", 200),
	}
	for _, v := range values {
		toks := splitFold(v)
		if strings.Join(toks, " ") != v {
			t.Errorf("splitFold(%q) = %q does not join back", v, toks)
		}
		h, err := headerLines("Subject", toks)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(h, "\r\n") {
			t.Errorf("%q: no final CRLF", h)
		}
		if unfolded := strings.ReplaceAll(strings.TrimSuffix(h, "\r\n"), "\r\n", ""); unfolded != "Subject: "+v {
			t.Errorf("unfolding %q gives %q", h, unfolded)
		}
		for _, line := range strings.Split(strings.TrimSuffix(h, "\r\n"), "\r\n")[1:] {
			if strings.TrimSpace(line) == "" {
				t.Errorf("%q: blank continuation line", h)
			}
		}
		// Through subjectTokens every line fits in 76 characters and the
		// value decodes back exactly.
		h, err = headerLines("Subject", subjectTokens(v))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(strings.TrimSuffix(h, "\r\n"), "\r\n") {
			if len(line) > 76 {
				t.Errorf("line of %d characters: %q", len(line), line)
			}
		}
		msg, err := mail.ReadMessage(strings.NewReader(h + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || got != v {
			t.Errorf("Subject %q round-trips as %q (%v)", v, got, err)
		}
	}
	if _, err := headerLines("X-Test", []string{strings.Repeat("z", 1000)}); err == nil {
		t.Error("a 1000-character line was accepted")
	}
}

func TestSubjectLookingLikeEncodedWord(t *testing.T) {
	srv := newTestServer(t, serverOpts{startTLS: true})
	s := newSender(t, srv, Config{})
	subject := "literal =?utf-8?q?not_encoded?= text_with_underscore"
	if err := s.Send(context.Background(), Message{To: []string{"an@example.vn"}, Subject: subject, Body: "x"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if p := parseRaw(t, onlyMessage(t, srv).raw); p.subject != subject {
		t.Errorf("Subject = %q, want %q", p.subject, subject)
	}
}
