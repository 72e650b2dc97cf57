package e2e

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// oldTLSReceiver plays a mail server whose STARTTLS speaks TLS 1.0 and 1.1
// only (Go's crypto/tls still serves them when asked), or, with refuse,
// one that answers STARTTLS with 454 as smtpd does when its TLS context
// failed. It never accepts a message: everything but EHLO, STARTTLS and
// QUIT wants TLS first.
type oldTLSReceiver struct {
	refuse  bool
	mu      sync.Mutex
	lastErr error
	cmds    []string // commands after a handshake; there must be none
}

func startOldTLSReceiver(t *testing.T, addr string, refuse bool) *oldTLSReceiver {
	t.Helper()
	cert, err := tls.X509KeyPair(oldTLSCert(t))
	if err != nil {
		t.Fatal(err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("old-TLS receiver on %s: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &oldTLSReceiver{refuse: refuse}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.serve(c, conf)
		}
	}()
	return r
}

func (r *oldTLSReceiver) serve(c net.Conn, conf *tls.Config) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(wait))
	in := bufio.NewReader(c)
	io.WriteString(c, "220 old.tlsgate-e2e.test ESMTP\r\n")
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
		case "EHLO", "HELO":
			io.WriteString(c, "250-old.tlsgate-e2e.test\r\n250 STARTTLS\r\n")
		case "STARTTLS":
			if r.refuse {
				io.WriteString(c, "454 4.7.0 TLS not available due to local problem\r\n")
				continue
			}
			io.WriteString(c, "220 2.0.0 Ready to start TLS\r\n")
			tc := tls.Server(c, conf)
			err := tc.Handshake()
			r.mu.Lock()
			r.lastErr = err
			r.mu.Unlock()
			if err == nil {
				b, _ := io.ReadAll(tc)
				r.mu.Lock()
				r.cmds = append(r.cmds, string(b))
				r.mu.Unlock()
			}
			return
		case "QUIT":
			io.WriteString(c, "221 2.0.0 Bye\r\n")
			return
		default:
			io.WriteString(c, "530 5.7.0 Must issue a STARTTLS command first\r\n")
		}
	}
}

func (r *oldTLSReceiver) lastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

func (r *oldTLSReceiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cmds
}

// oldTLSCert makes a throw-away self-signed certificate and key (PEM).
func oldTLSCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "old.tlsgate-e2e.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}
