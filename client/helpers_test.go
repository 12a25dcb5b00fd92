package client_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// The keys the tests use; none may appear in an error or a log line.
var secretKeys = []string{fake.KeyAcmeOwner, fake.KeyAcmeAdmin, fake.KeyAcmeMember, fake.KeyAcmeMember2, fake.KeyGlobexOwner, stubKey}

// stubKey is the key of clients on a stub transport.
const stubKey = "tk_stub_secret_key"

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// response builds a response to req with a JSON body.
func response(req *http.Request, status int, body string, header ...string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// logBuffer is a concurrency-safe buffer for a debug logger.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// debugLogger returns a logger at debug level whose output is checked for
// keys when the test ends.
func debugLogger(t testing.TB) *slog.Logger {
	t.Helper()
	var buf logBuffer
	t.Cleanup(func() {
		out := buf.String()
		for _, k := range secretKeys {
			if strings.Contains(out, k) {
				t.Errorf("the log has the API key %s:\n%s", k, out)
			}
		}
	})
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// checkNoKey fails the test when err's message holds an API key.
func checkNoKey(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, k := range secretKeys {
		if strings.Contains(err.Error(), k) {
			t.Errorf("error has the API key: %v", err)
		}
	}
}

// stubClient returns a client whose every attempt goes to rt, at a base URL
// with a path prefix, logging at debug level into a key-checked buffer.
func stubClient(t testing.TB, rt roundTripFunc, opts ...client.Option) *client.Client {
	t.Helper()
	all := append([]client.Option{
		client.WithAPIKey(stubKey),
		client.WithBaseURL("https://api.example.test/prefix/"),
		client.WithHTTPClient(&http.Client{Transport: rt}),
		client.WithLogger(debugLogger(t)),
	}, opts...)
	c, err := client.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixedTime is the clock of tests that need one instant.
var fixedTime = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
