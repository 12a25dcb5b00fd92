package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"2", 2 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"99999999999999999999", time.Duration(1<<63-1) / time.Second * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Thu, 15 Jan 2026 10:30:05 GMT", 5 * time.Second, true}, // IMF-fixdate
		{"Thursday, 15-Jan-26 10:31:00 GMT", time.Minute, true},  // RFC 850
		{"Thu Jan 15 10:30:30 2026", 30 * time.Second, true},     // asctime
		{"Thu, 15 Jan 2026 10:29:00 GMT", 0, true},               // in the past
		{"Thu, 15 Jan 2026 10:30:05 +0100", 0, false},            // not an HTTP-date
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "2", "18446744073709551615", "Thu, 15 Jan 2026 10:30:05 GMT", "x"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", s, d, ok)
		}
	})
}

func TestJitteredBackoffBounds(t *testing.T) {
	t.Parallel()
	for _, b := range []struct{ lo, hi time.Duration }{
		{500 * time.Millisecond, 30 * time.Second},
		{time.Second, time.Second},
		{0, time.Second},
		{0, 0},
		{1, 1<<63 - 1},
	} {
		for n := range 70 {
			// The ceiling of attempt n is lo·2^(n+1), capped at hi; the
			// wait lies in its upper half, and never below lo.
			ceiling := b.hi
			if f := float64(b.lo) * math.Pow(2, float64(n+1)); f < float64(b.hi) {
				ceiling = time.Duration(f)
			}
			floor := min(max(ceiling/2, b.lo), ceiling)
			for range 20 {
				if d := jitteredBackoff(b.lo, b.hi, n); d < floor || d > ceiling {
					t.Fatalf("jitteredBackoff(%v, %v, %d) = %v, want within [%v, %v]", b.lo, b.hi, n, d, floor, ceiling)
				}
			}
		}
	}
}

func TestJitteredBackoffSpreads(t *testing.T) {
	t.Parallel()
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[jitteredBackoff(time.Second, time.Minute, 2)] = true
	}
	if len(seen) < 2 {
		t.Errorf("50 draws gave %d distinct waits: no jitter", len(seen))
	}
}

func TestBackoffHonoursRetryAfterUpToMax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		retryAfter string
		max        time.Duration
		want       time.Duration
	}{
		{"2", time.Minute, 2 * time.Second},
		{"0", time.Minute, 0},
		{"3600", 30 * time.Second, 30 * time.Second}, // capped (not go-retryablehttp#247)
		{time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 10 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		for _, status := range []int{429, 503} {
			resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {tt.retryAfter}}}
			if got := backoff(time.Second, tt.max, 0, resp); got != tt.want {
				t.Errorf("backoff with %d Retry-After %q, max %v = %v, want %v", status, tt.retryAfter, tt.max, got, tt.want)
			}
		}
	}
	// Without Retry-After (or with junk) it is the jittered backoff.
	for _, h := range []http.Header{{}, {"Retry-After": {"later"}}} {
		d := backoff(time.Second, time.Minute, 0, &http.Response{StatusCode: 503, Header: h})
		if d < time.Second || d > 2*time.Second {
			t.Errorf("backoff without a usable Retry-After = %v, want within [1s, 2s]", d)
		}
	}
}

func TestRetryableStatus(t *testing.T) {
	t.Parallel()
	for status := 100; status < 600; status++ {
		for _, safe := range []bool{true, false} {
			want := status == 429 || safe && (status == 500 || status == 502 || status == 503 || status == 504)
			if got := retryableStatus(status, safe); got != want {
				t.Errorf("retryableStatus(%d, replaySafe=%v) = %v, want %v", status, safe, got, want)
			}
		}
	}
}

func TestRetryableTransportError(t *testing.T) {
	t.Parallel()
	urlErr := func(err error) error { return &url.Error{Op: "Post", URL: "https://x/v1/agents", Err: err} }
	tests := []struct {
		name      string
		err       error
		neverSent bool // so retried even when a replay is not safe
		never     bool // never retried
	}{
		{"dial refused", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), true, false},
		{"dns", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}), true, false},
		{"bare dns", &net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, true, false},
		{"reset after write", urlErr(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), false, false},
		{"eof", urlErr(io.EOF), false, false},
		{"unexpected eof", urlErr(io.ErrUnexpectedEOF), false, false},
		{"response timeout", urlErr(context.DeadlineExceeded), false, false},
		{"other", errors.New("something"), false, false},
		{"unknown authority", urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false, true},
		{"bad hostname", urlErr(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "x"}), false, true},
		{"wrapped cert error", fmt.Errorf("tls: %w", x509.CertificateInvalidError{Reason: x509.Expired}), false, true},
	}
	for _, tt := range tests {
		if got := neverSent(tt.err); got != tt.neverSent {
			t.Errorf("%s: neverSent = %v, want %v", tt.name, got, tt.neverSent)
		}
		for _, safe := range []bool{true, false} {
			want := !tt.never && (tt.neverSent || safe)
			if got := retryableTransportError(tt.err, safe); got != want {
				t.Errorf("%s: retryableTransportError(replaySafe=%v) = %v, want %v", tt.name, safe, got, want)
			}
		}
	}
}

// TestDialErrorIsNeverSent checks the classification on a real dial: a
// port on loopback that nothing listens on.
func TestDialErrorIsNeverSent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = (&http.Client{}).Get("http://" + addr + "/v1/agents")
	if err == nil {
		t.Skip("something listens on", addr)
	}
	if !neverSent(err) {
		t.Errorf("neverSent(%v) = false, want true", err)
	}
}

// TestRetryablehttpNeverLogs guards the silence of go-retryablehttp, whose
// default logger writes to stderr: the client must not have one.
func TestRetryablehttpNeverLogs(t *testing.T) {
	t.Parallel()
	c, err := New(WithAPIKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.s.newCall(onGet, http.MethodGet, "/v1/agents/x", []Option{WithMaxRetries(1)})
	if err != nil {
		t.Fatal(err)
	}
	rc := st.retryClient()
	if rc.Logger != nil || rc.RequestLogHook != nil || rc.ResponseLogHook != nil {
		t.Errorf("go-retryablehttp has a logger: %#v", rc.Logger)
	}
}
