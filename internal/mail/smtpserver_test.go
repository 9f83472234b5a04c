package mail

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCert is a self-signed ECDSA certificate for 127.0.0.1, ::1 and
// localhost, shared by every test server, and a pool that trusts it.
var testCert = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "ktgs mail test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
})

// serverOpts configures a testServer.
type serverOpts struct {
	startTLS    bool   // advertise and accept STARTTLS
	implicitTLS bool   // speak TLS from the first byte (port 465 style)
	user, pass  string // if set, advertise AUTH PLAIN and require it before MAIL
	reject      string // RCPT TO of this address is answered with 550
	silent      bool   // accept connections but never send a byte
}

// received is one message accepted by the test server.
type received struct {
	from   string
	rcpts  []string
	raw    []byte // after dot-unstuffing, CRLF line endings as sent
	tls    bool   // the transaction ran over TLS
	authed bool   // the client authenticated
}

// testServer is a minimal SMTP server on loopback speaking just enough of
// RFC 5321 for net/smtp: EHLO/HELO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT.
type testServer struct {
	t    *testing.T
	opts serverOpts
	addr string
	ln   net.Listener
	tcfg *tls.Config
	done chan struct{}
	wg   sync.WaitGroup

	mu    sync.Mutex
	conns []net.Conn
	msgs  []received
}

func newTestServer(t *testing.T, opts serverOpts) *testServer {
	t.Helper()
	cert, _ := testCert()
	s := &testServer{
		t:    t,
		opts: opts,
		tcfg: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		done: make(chan struct{}),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.implicitTLS {
		ln = tls.NewListener(ln, s.tcfg)
	}
	s.ln = ln
	s.addr = ln.Addr().String()
	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.close)
	return s
}

func (s *testServer) close() {
	close(s.done)
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *testServer) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

// messages returns the messages accepted so far.
func (s *testServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// connCount returns the number of connections accepted so far.
func (s *testServer) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// pathArg extracts the address from "FROM:<a@b> PARAMS" or "TO:<a@b>".
func pathArg(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

func (s *testServer) serve(c net.Conn) {
	if s.opts.silent {
		<-s.done
		return
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, isTLS := c.(*tls.Conn)
	tp := textproto.NewConn(c)
	reply := func(code int, lines ...string) {
		for i, l := range lines {
			sep := "-"
			if i == len(lines)-1 {
				sep = " "
			}
			if err := tp.PrintfLine("%d%s%s", code, sep, l); err != nil {
				return
			}
		}
	}
	reply(220, "test.local ESMTP ktgs-test")

	var (
		authed bool
		cur    *received
	)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			ext := []string{"test.local greets " + arg, "8BITMIME", "PIPELINING"}
			if s.opts.startTLS && !isTLS {
				ext = append(ext, "STARTTLS")
			}
			if s.opts.user != "" {
				ext = append(ext, "AUTH PLAIN")
			}
			reply(250, ext...)
		case "HELO":
			reply(250, "test.local")
		case "STARTTLS":
			if !s.opts.startTLS || isTLS {
				reply(503, "5.5.1 STARTTLS not available")
				continue
			}
			reply(220, "2.0.0 Ready to start TLS")
			tc := tls.Server(c, s.tcfg)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, isTLS = tc, true
			tp = textproto.NewConn(tc)
			authed, cur = false, nil // RFC 3207: forget everything
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if s.opts.user == "" || !strings.EqualFold(mech, "PLAIN") {
				reply(504, "5.5.4 mechanism not supported")
				continue
			}
			if resp == "" {
				reply(334, "")
				if resp, err = tp.ReadLine(); err != nil {
					return
				}
			}
			dec, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(dec), "\x00")
			if err != nil || len(parts) != 3 || parts[1] != s.opts.user || parts[2] != s.opts.pass {
				reply(535, "5.7.8 Authentication credentials invalid")
				continue
			}
			authed = true
			reply(235, "2.7.0 Authentication successful")
		case "MAIL":
			from, ok := pathArg(arg, "FROM:")
			switch {
			case !ok:
				reply(501, "5.5.4 syntax: MAIL FROM:<address>")
			case s.opts.user != "" && !authed:
				reply(530, "5.7.0 Authentication required")
			default:
				cur = &received{from: from, tls: isTLS, authed: authed}
				reply(250, "2.1.0 Ok")
			}
		case "RCPT":
			to, ok := pathArg(arg, "TO:")
			switch {
			case cur == nil:
				reply(503, "5.5.1 need MAIL first")
			case !ok:
				reply(501, "5.5.4 syntax: RCPT TO:<address>")
			case s.opts.reject != "" && strings.EqualFold(to, s.opts.reject):
				reply(550, "5.1.1 <"+to+">: Recipient address rejected: User unknown")
			default:
				cur.rcpts = append(cur.rcpts, to)
				reply(250, "2.1.5 Ok")
			}
		case "DATA":
			if cur == nil || len(cur.rcpts) == 0 {
				reply(503, "5.5.1 need RCPT first")
				continue
			}
			reply(354, "End data with <CR><LF>.<CR><LF>")
			raw, err := readData(tp.R)
			if err != nil {
				return
			}
			cur.raw = raw
			s.mu.Lock()
			s.msgs = append(s.msgs, *cur)
			s.mu.Unlock()
			cur = nil
			reply(250, "2.0.0 Ok: queued")
		case "RSET":
			cur = nil
			reply(250, "2.0.0 Ok")
		case "NOOP":
			reply(250, "2.0.0 Ok")
		case "QUIT":
			reply(221, "2.0.0 Bye")
			return
		default:
			reply(502, "5.5.2 command not recognized")
		}
	}
}

// readData reads a DATA section up to the terminating ".\r\n", removes the
// dot-stuffing and keeps the line endings exactly as sent.
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return out, nil
		}
		if strings.HasPrefix(line, ".") {
			line = line[1:]
		}
		out = append(out, line...)
	}
}
