package client_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/client"
)

// These retry tests script the transport attempt by attempt, for the rows
// of the retry table that a server cannot produce (a failed dial, a lost
// connection, a TLS failure). Every wait runs on synctest's clock.

// attempt is what a scripted transport saw of one request.
type attempt struct {
	Method, Path, RetryCount, IdempotencyKey, Body string
}

// script answers the n-th request with steps[n] (the last step repeats)
// and records what it saw.
type script struct {
	mu       sync.Mutex
	steps    []func(*http.Request) (*http.Response, error)
	attempts []attempt
}

func (s *script) RoundTrip(r *http.Request) (*http.Response, error) {
	body := ""
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		body = string(b)
	}
	s.mu.Lock()
	n := len(s.attempts)
	s.attempts = append(s.attempts, attempt{r.Method, r.URL.Path, r.Header.Get("X-Talkifai-Retry-Count"), r.Header.Get("Idempotency-Key"), body})
	step := s.steps[min(n, len(s.steps)-1)]
	s.mu.Unlock()
	return step(r)
}

func (s *script) seen() []attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]attempt(nil), s.attempts...)
}

func answer(status int, body string, header ...string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) { return response(r, status, body, header...), nil }
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

// hang blocks until the request's context ends, as a server that never
// answers.
func hang(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

var (
	errDial  = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	errDNS   = &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.example.test", IsNotFound: true}}
	errReset = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	errCert  = &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
)

const (
	createdJSON = `{"success":true,"data":{"id":"agent_1","name":"Bot","agentArchitecture":"text","active":false,"createdAt":"2026-01-15T10:30:00.000Z"}}`
	busyJSON    = `{"success":false,"error":"down for maintenance","code":"SERVICE_UNAVAILABLE"}`
	limitedJSON = `{"success":false,"error":"slow down","code":"RATE_LIMITED"}`
	missingJSON = `{"success":false,"error":"agent not found","code":"NOT_FOUND"}`
	deletedJSON = `{"success":true,"data":{"message":"Agent deleted successfully"}}`
)

func scriptedClient(t *testing.T, s *script, opts ...client.Option) *client.Client {
	t.Helper()
	hc := &http.Client{Transport: s, Timeout: 10 * time.Second}
	return stubClient(t, nil, append([]client.Option{client.WithHTTPClient(hc)}, opts...)...)
}

// op is one call of the client, by method.
type op struct {
	name string
	call func(context.Context, *client.Client) error
}

var (
	opGet = op{"GET", func(ctx context.Context, c *client.Client) error {
		_, err := c.Agents.Get(ctx, "agent_1")
		return err
	}}
	opPost = op{"POST", func(ctx context.Context, c *client.Client) error {
		_, err := c.Agents.Create(ctx, validCreate("Bot"))
		return err
	}}
	opDelete = op{"DELETE", func(ctx context.Context, c *client.Client) error {
		return c.Agents.Delete(ctx, "agent_1")
	}}
)

func TestRetryTableScripted(t *testing.T) {
	t.Parallel()
	ok := map[string]func(*http.Request) (*http.Response, error){
		"GET": answer(200, agentJSON), "POST": answer(201, createdJSON), "DELETE": answer(200, deletedJSON),
	}
	tests := []struct {
		name        string
		first       func(*http.Request) (*http.Response, error)
		op          op
		postRetries bool
		wantTries   int
	}{
		{"dial GET", fail(errDial), opGet, false, 2},
		{"dial POST", fail(errDial), opPost, false, 2},
		{"dns POST", fail(errDNS), opPost, false, 2},
		{"reset GET", fail(errReset), opGet, false, 2},
		{"reset DELETE", fail(errReset), opDelete, false, 2},
		{"reset POST", fail(errReset), opPost, false, 1},
		{"reset POST opted in", fail(errReset), opPost, true, 2},
		{"eof POST", fail(io.ErrUnexpectedEOF), opPost, false, 1},
		{"timeout GET", hang, opGet, false, 2},
		{"timeout POST", hang, opPost, false, 1},
		{"timeout POST opted in", hang, opPost, true, 2},
		{"tls GET", fail(errCert), opGet, false, 1},
		{"429 GET", answer(429, limitedJSON), opGet, false, 2},
		{"429 POST", answer(429, limitedJSON), opPost, false, 2},
		{"500 GET", answer(500, busyJSON), opGet, false, 2},
		{"502 DELETE", answer(502, busyJSON), opDelete, false, 2},
		{"503 POST", answer(503, busyJSON), opPost, false, 1},
		{"504 POST opted in", answer(504, busyJSON), opPost, true, 2},
		{"501 GET", answer(501, busyJSON), opGet, false, 1},
		{"400 GET", answer(400, `{"success":false,"error":"bad","code":"INVALID_PARAMETER"}`), opGet, false, 1},
		{"404 GET", answer(404, missingJSON), opGet, false, 1},
		{"409 POST opted in", answer(409, `{"success":false,"error":"reused","code":"IDEMPOTENCY_CONFLICT"}`), opPost, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: []func(*http.Request) (*http.Response, error){tt.first, ok[tt.op.name]}}
				var opts []client.Option
				if tt.postRetries {
					opts = append(opts, client.WithPOSTRetries())
				}
				err := tt.op.call(context.Background(), scriptedClient(t, s, opts...))
				checkNoKey(t, err)
				seen := s.seen()
				if len(seen) != tt.wantTries {
					t.Fatalf("%d attempts, want %d (error %v)", len(seen), tt.wantTries, err)
				}
				if (err == nil) != (tt.wantTries == 2) {
					t.Errorf("error %v after %d attempts", err, len(seen))
				}
				// Every attempt of one call: the same body and key, counted.
				for i, a := range seen {
					if a.RetryCount != string(rune('0'+i)) || a.Body != seen[0].Body || a.IdempotencyKey != seen[0].IdempotencyKey {
						t.Errorf("attempt %d = %+v, first %+v", i, a, seen[0])
					}
				}
				if (seen[0].IdempotencyKey != "") != (tt.op.name == "POST") {
					t.Errorf("Idempotency-Key %q on %s", seen[0].IdempotencyKey, tt.op.name)
				}
			})
		})
	}
}

func TestIdempotencyKeyPerCall(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(*http.Request) (*http.Response, error){answer(201, createdJSON)}}
	c := scriptedClient(t, s)
	for range 3 {
		if _, err := c.Agents.Create(context.Background(), validCreate("Bot")); err != nil {
			t.Fatal(err)
		}
	}
	keys := map[string]bool{}
	for _, a := range s.seen() {
		if len(a.IdempotencyKey) < 16 || strings.ContainsFunc(a.IdempotencyKey, func(r rune) bool { return r <= ' ' || r > '~' }) {
			t.Errorf("Idempotency-Key %q is not 16+ printable ASCII characters", a.IdempotencyKey)
		}
		keys[a.IdempotencyKey] = true
	}
	if len(keys) != 3 {
		t.Errorf("3 creates used %d distinct keys, want 3", len(keys))
	}
}

func TestGiveUpReturnsLastAnswer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			answer(500, `{"success":false,"error":"first","code":"INTERNAL_ERROR"}`),
			answer(503, busyJSON, "X-Request-Id", "req_last"),
		}}
		_, err := scriptedClient(t, s, client.WithMaxRetries(2)).Agents.Get(context.Background(), "agent_1")
		want := &client.APIError{StatusCode: 503, Code: "SERVICE_UNAVAILABLE", Message: "down for maintenance", RequestID: "req_last"}
		var got *client.APIError
		if !errors.As(err, &got) {
			t.Fatalf("error %v, want *APIError", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("APIError (-want +got):\n%s", diff)
		}
		if n := len(s.seen()); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
	})
}

func TestGiveUpOnTransportError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){fail(errReset)}}
		_, err := scriptedClient(t, s).Agents.Get(context.Background(), "agent_1")
		if !errors.Is(err, syscall.ECONNRESET) || !strings.HasPrefix(err.Error(), "client: GET /v1/agents/agent_1: ") {
			t.Errorf("error %q, want the reset wrapped with method and path", err)
		}
		if n := len(s.seen()); n != 1+client.DefaultMaxRetries {
			t.Errorf("%d attempts, want %d", n, 1+client.DefaultMaxRetries)
		}
	})
}

func TestDeleteRetriedInto404Succeeds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for _, first := range []func(*http.Request) (*http.Response, error){fail(errReset), answer(503, busyJSON)} {
			s := &script{steps: []func(*http.Request) (*http.Response, error){first, answer(404, missingJSON)}}
			if err := scriptedClient(t, s).Agents.Delete(context.Background(), "agent_1"); err != nil {
				t.Errorf("Delete after a lost answer and a 404: %v, want success", err)
			}
		}
		var s *script
		// A 404 after a 429 or a failed dial: no attempt reached the agent,
		// so the 404 is the truth.
		for _, first := range []func(*http.Request) (*http.Response, error){answer(429, limitedJSON), fail(errDial)} {
			s = &script{steps: []func(*http.Request) (*http.Response, error){first, answer(404, missingJSON)}}
			if err := scriptedClient(t, s).Agents.Delete(context.Background(), "agent_1"); !errors.Is(err, client.ErrNotFound) {
				t.Errorf("Delete retried after %d attempts with no effect: %v, want ErrNotFound", len(s.seen()), err)
			}
		}
		// A 404 on the first attempt is a real 404.
		s = &script{steps: []func(*http.Request) (*http.Response, error){answer(404, missingJSON)}}
		if err := scriptedClient(t, s).Agents.Delete(context.Background(), "agent_1"); !errors.Is(err, client.ErrNotFound) {
			t.Errorf("Delete of a missing agent: %v, want ErrNotFound", err)
		}
	})
}

func TestRetryAfterWaitsScripted(t *testing.T) {
	t.Parallel()
	date := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	tests := []struct {
		name       string
		retryAfter func() string
		max        time.Duration
		want       time.Duration
	}{
		{"seconds", func() string { return "2" }, time.Minute, 2 * time.Second},
		{"http date", func() string { return date(5 * time.Second) }, time.Minute, 5 * time.Second},
		{"capped", func() string { return "3600" }, 10 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: []func(*http.Request) (*http.Response, error){
					func(r *http.Request) (*http.Response, error) {
						return response(r, 429, limitedJSON, "Retry-After", tt.retryAfter()), nil
					},
					answer(200, agentJSON),
				}}
				c := scriptedClient(t, s, client.WithRetryWait(time.Second, tt.max))
				start := time.Now()
				if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
					t.Fatal(err)
				}
				if got := time.Since(start); got != tt.want {
					t.Errorf("waited %v, want %v", got, tt.want)
				}
			})
		})
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){answer(503, busyJSON, "Retry-After", "60")}}
		c := scriptedClient(t, s, client.WithRetryWait(time.Second, time.Minute))
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := c.Agents.Get(ctx, "agent_1")
		// The context's error first, and the 503 that was to be retried.
		if !errors.Is(err, context.Canceled) || !errors.Is(err, client.ErrServiceUnavailable) {
			t.Errorf("error %v, want context.Canceled and ErrServiceUnavailable", err)
		}
		if want := "client: GET /v1/agents/agent_1: context canceled (the last answer: 503"; err != nil && !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want it to begin with %q", err, want)
		}
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.Message != "down for maintenance" {
			t.Errorf("errors.As found %+v, want the 503's *APIError", apiErr)
		}
		if got := time.Since(start); got != 100*time.Millisecond {
			t.Errorf("returned after %v, want 100ms (at once on cancel)", got)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

func TestCancelDuringRequest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){hang}}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := scriptedClient(t, s).Agents.Get(ctx, "agent_1")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want context.DeadlineExceeded", err)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

func TestRateLimiterWaitsBeforeEveryAttempt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// One request a second, burst 1: three calls take 2s. A 429 with
		// Retry-After 0 still waits its turn at the limiter.
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			answer(200, agentJSON), answer(200, agentJSON), answer(429, limitedJSON, "Retry-After", "0"), answer(200, agentJSON),
		}}
		c := scriptedClient(t, s, client.WithLimiter(rate.NewLimiter(1, 1)))
		start := time.Now()
		for range 3 {
			if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("3 calls and a retry at 1/s took %v, want 3s", got)
		}
	})
}

func TestRateLimiterSharedAcrossGoroutines(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){answer(200, agentJSON)}}
		c := scriptedClient(t, s, client.WithLimiter(rate.NewLimiter(rate.Every(100*time.Millisecond), 2)))
		start := time.Now()
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		// Burst 2 at once, then one every 100ms: the sixth at 400ms.
		if got := time.Since(start); got != 400*time.Millisecond {
			t.Errorf("6 calls took %v, want 400ms", got)
		}
	})
}

func TestRateLimiterHonoursContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){answer(200, agentJSON)}}
		c := scriptedClient(t, s, client.WithLimiter(rate.NewLimiter(rate.Every(time.Hour), 1)))
		if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if _, err := c.Agents.Get(ctx, "agent_1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Get = %v, want context.DeadlineExceeded: the limiter needs an hour", err)
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("failed after %v, want at once (the wait cannot fit the deadline)", got)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// When the rate limiter refuses a retry (its wait would outlast the
// deadline), the error keeps the answer that was to be retried.
func TestRateLimiterRefusalKeepsLastAnswer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){answer(503, busyJSON, "X-Request-Id", "req_busy")}}
		c := scriptedClient(t, s, client.WithLimiter(rate.NewLimiter(rate.Every(time.Minute), 1)))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.Agents.Get(ctx, "agent_1")
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, client.ErrServiceUnavailable) {
			t.Errorf("error %v, want context.DeadlineExceeded and ErrServiceUnavailable", err)
		}
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("errors.As found no *APIError in %v", err)
		}
		if apiErr.StatusCode != 503 || apiErr.Code != "SERVICE_UNAVAILABLE" || apiErr.Message != "down for maintenance" || apiErr.RequestID != "req_busy" {
			t.Errorf("APIError %+v, want the 503 with its code, message and request id", apiErr)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}
