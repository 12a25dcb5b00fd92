package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// Tests on the fake's test kit: faults, the journal, idempotency and rate
// limits. Every test that waits runs in a synctest bubble on a fake made
// there with fake.NewHandler: its in-process transport needs no listener,
// so the bubble's clock jumps as soon as everything in it waits. (A server
// from fake.NewServer started inside a bubble never lets the clock move:
// its accept loop blocks in network I/O, which is not a durable block.)

const (
	onePath  = "/v1/agents/*"
	collPath = "/v1/agents"
)

// statuses returns the status of each journaled request, oldest first.
func statuses(srv *fake.Server) []int {
	out := []int{}
	for _, r := range srv.Requests() {
		out = append(out, r.Status)
	}
	return out
}

// errAny in a table means "some error, of no kind in particular".
var errAny = errors.New("any error")

func TestRetryTableAgainstFake(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       fake.Fault
		call        string // get, list, create, update, delete
		postRetries bool
		want        []int // the journal's statuses
		wantErr     error // nil: success
	}{
		{"GET 500", fake.Fault{Method: "GET", Path: onePath, Status: 500, Times: 1}, "get", false, []int{500, 200}, nil},
		{"GET 502 twice", fake.Fault{Method: "GET", Path: onePath, Status: 502, Times: 2}, "get", false, []int{502, 502, 200}, nil},
		{"GET 503 list", fake.Fault{Method: "GET", Path: collPath, Status: 503, Times: 1}, "list", false, []int{503, 200}, nil},
		{"GET 504", fake.Fault{Method: "GET", Path: onePath, Status: 504, Times: 1}, "get", false, []int{504, 200}, nil},
		{"GET 429", fake.Fault{Method: "GET", Path: onePath, Status: 429, RetryAfter: agents.Value(1 * time.Second), Times: 1}, "get", false, []int{429, 200}, nil},
		{"GET disconnect", fake.Fault{Method: "GET", Path: onePath, Disconnect: true, Times: 1}, "get", false, []int{0, 200}, nil},
		{"GET gives up after 3 retries", fake.Fault{Method: "GET", Path: onePath, Status: 503}, "get", false, []int{503, 503, 503, 503}, client.ErrServiceUnavailable},
		{"GET 404", fake.Fault{Method: "GET", Path: onePath, Status: 404, Times: 1}, "get", false, []int{404}, client.ErrNotFound},
		{"GET 403", fake.Fault{Method: "GET", Path: onePath, Status: 403, Times: 1}, "get", false, []int{403}, client.ErrForbidden},
		{"GET 501", fake.Fault{Method: "GET", Path: onePath, Status: 501, Times: 1}, "get", false, []int{501}, errAny},
		{"PATCH 503", fake.Fault{Method: "PATCH", Path: onePath, Status: 503, Times: 1}, "update", false, []int{503, 200}, nil},
		{"PATCH disconnect after the write", fake.Fault{Method: "PATCH", Path: onePath, Disconnect: true, After: true, Times: 1}, "update", false, []int{0, 200}, nil},
		{"PATCH 409", fake.Fault{Method: "PATCH", Path: onePath, Status: 409, Times: 1}, "update", false, []int{409}, client.ErrIdempotencyConflict},
		{"DELETE 502", fake.Fault{Method: "DELETE", Path: onePath, Status: 502, Times: 1}, "delete", false, []int{502, 200}, nil},
		{"DELETE 503 after the delete", fake.Fault{Method: "DELETE", Path: onePath, Status: 503, After: true, Times: 1}, "delete", false, []int{503, 404}, nil},
		{"DELETE 429 then gone", fake.Fault{Method: "DELETE", Path: onePath, Status: 429, Times: 1}, "delete", false, []int{429, 200}, nil},
		{"POST 429", fake.Fault{Method: "POST", Path: collPath, Status: 429, RetryAfter: agents.Value(1 * time.Second), Times: 1}, "create", false, []int{429, 201}, nil},
		{"POST 503", fake.Fault{Method: "POST", Path: collPath, Status: 503, Times: 1}, "create", false, []int{503}, client.ErrServiceUnavailable},
		{"POST 500 opted in", fake.Fault{Method: "POST", Path: collPath, Status: 500, Times: 1}, "create", true, []int{500, 201}, nil},
		{"POST disconnect", fake.Fault{Method: "POST", Path: collPath, Disconnect: true, Times: 1}, "create", false, []int{0}, errAny},
		{"POST disconnect opted in", fake.Fault{Method: "POST", Path: collPath, Disconnect: true, Times: 1}, "create", true, []int{0, 201}, nil},
		{"POST 400 opted in", fake.Fault{Method: "POST", Path: collPath, Status: 400, Times: 1}, "create", true, []int{400}, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewHandler()
				var opts []client.Option
				if tt.postRetries {
					opts = append(opts, client.WithPOSTRetries())
				}
				c := fakeClient(t, srv, opts...)
				a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("existing")) // not journaled
				srv.AddFault(t, tt.fault)
				ctx := context.Background()
				var err error
				switch tt.call {
				case "get":
					_, err = c.Agents.Get(ctx, a.ID)
				case "list":
					_, err = c.Agents.List(ctx, client.AgentListParams{})
				case "create":
					_, err = c.Agents.Create(ctx, validCreate("new"))
				case "update":
					_, err = c.Agents.Update(ctx, a.ID, agents.UpdateParams{Name: agents.Value("renamed")})
				case "delete":
					err = c.Agents.Delete(ctx, a.ID)
				}
				checkNoKey(t, err)
				switch {
				case tt.wantErr == nil && err != nil:
					t.Errorf("error %v, want success", err)
				case tt.wantErr == errAny && err == nil:
					t.Error("success, want an error")
				case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
					t.Errorf("error %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.want, statuses(srv)); diff != "" {
					t.Errorf("journal statuses (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestDialFailureAgainstFake is the retry table's first row on the fake:
// an attempt that never connected is retried, POST too without the opt-in,
// and the journal holds only the attempt that arrived.
func TestDialFailureAgainstFake(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		call string
		want []int
	}{{"get", []int{200}}, {"create", []int{201}}} {
		t.Run(tt.call, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewHandler()
				a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("existing")) // not journaled
				inner := srv.HTTPClient().Transport
				attempts := 0
				rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
					if attempts++; attempts == 1 {
						return nil, errDial
					}
					return inner.RoundTrip(r)
				})
				c := fakeClient(t, srv, client.WithHTTPClient(&http.Client{Transport: rt}))
				var err error
				if tt.call == "get" {
					_, err = c.Agents.Get(context.Background(), a.ID)
				} else {
					_, err = c.Agents.Create(context.Background(), validCreate("new"))
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, statuses(srv)); diff != "" {
					t.Errorf("journal statuses (-want +got):\n%s", diff)
				}
				if attempts != 2 {
					t.Errorf("%d attempts, want 2", attempts)
				}
			})
		})
	}
}

func TestGiveUpKeepsTheLastBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: 502})
		_, err := fakeClient(t, srv).Agents.Get(context.Background(), "agent_1")
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("error %v, want *APIError (not go-retryablehttp's giving up)", err)
		}
		if apiErr.StatusCode != 502 || apiErr.Code != "BAD_GATEWAY" || apiErr.Message == "" || apiErr.RequestID == "" {
			t.Errorf("got %+v, want the 502 envelope with a message and request id", apiErr)
		}
		if strings.Contains(err.Error(), "giving up") {
			t.Errorf("error %q is go-retryablehttp's", err)
		}
	})
}

// TestPOSTAfterFault is the case that makes duplicates: the create
// happens and its answer is lost.
func TestPOSTAfterFault(t *testing.T) {
	t.Parallel()
	for _, fault := range []fake.Fault{
		{Method: "POST", Path: collPath, Status: 503, After: true, Times: 1},
		{Method: "POST", Path: collPath, Disconnect: true, After: true, Times: 1},
	} {
		t.Run("default", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewHandler()
				srv.AddFault(t, fault)
				_, err := fakeClient(t, srv).Agents.Create(context.Background(), validCreate("once"))
				if err == nil {
					t.Error("Create succeeded although its answer was lost")
				}
				checkNoKey(t, err)
				if n := len(srv.Requests()); n != 1 {
					t.Errorf("%d requests, want 1: no retry without the opt-in", n)
				}
				if n := len(srv.Agents(t, fake.OrgAcme)); n != 1 {
					t.Errorf("%d agents, want 1", n)
				}
			})
		})
		t.Run("opted in", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewHandler()
				srv.AddFault(t, fault)
				a, err := fakeClient(t, srv, client.WithPOSTRetries()).Agents.Create(context.Background(), validCreate("once"))
				if err != nil {
					t.Fatal(err)
				}
				stored := srv.Agents(t, fake.OrgAcme)
				if len(stored) != 1 || stored[0].ID != a.ID {
					t.Fatalf("stored %v, want exactly the agent Create returned (%s)", stored, a.ID)
				}
				reqs := srv.Requests()
				if len(reqs) != 2 {
					t.Fatalf("%d requests, want 2", len(reqs))
				}
				if reqs[0].IdempotencyKey == "" || reqs[0].IdempotencyKey != reqs[1].IdempotencyKey ||
					!jsonEqual(reqs[0].Body, reqs[1].Body) || reqs[1].Status != 201 {
					t.Errorf("the retry differs from the first attempt: %+v", reqs)
				}
			})
		})
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && cmp.Equal(x, y)
}

// longWaits restores the client's own retry waits, which Server.Client
// shortens, for tests (in a synctest bubble) that check the waits.
var longWaits = client.WithRetryWait(client.DefaultRetryWaitMin, client.DefaultRetryWaitMax)

func TestRetryAfterWaitsFake(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 503} {
		synctest.Test(t, func(t *testing.T) {
			srv := fake.NewHandler()
			a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
			srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: status, RetryAfter: agents.Value(2 * time.Second), Times: 1})
			start := time.Now()
			if _, err := fakeClient(t, srv, longWaits).Agents.Get(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
			if got := time.Since(start); got != 2*time.Second {
				t.Errorf("%d with Retry-After 2: waited %v, want 2s", status, got)
			}
		})
	}
}

func TestCancelDuringBackoffFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: 503, RetryAfter: agents.Value(30 * time.Second)})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		_, err := fakeClient(t, srv, longWaits).Agents.Get(ctx, "agent_1")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("returned after %v, want 1s: at once when cancelled", got)
		}
		if diff := cmp.Diff([]int{503}, statuses(srv)); diff != "" {
			t.Errorf("journal statuses (-want +got):\n%s", diff)
		}
	})
}

func TestDelayHonoursContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Delay: 5000 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := fakeClient(t, srv, longWaits).Agents.Get(ctx, "agent_1")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want context.DeadlineExceeded", err)
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("returned after %v, want 1s", got)
		}
		synctest.Wait() // the fake records the request once it sees the cancellation
		if diff := cmp.Diff([]int{0}, statuses(srv)); diff != "" {
			t.Errorf("journal statuses (-want +got):\n%s", diff)
		}
	})
}

// TestResponseTimeout is the row "response timeout": the attempt ends by
// the http.Client's Timeout while the server is still working.
func TestResponseTimeout(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		call        string
		postRetries bool
		want        []int
	}{
		{"GET", "get", false, []int{0, 200}},
		{"POST", "create", false, []int{0}},
		{"POST opted in", "create", true, []int{0, 201}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := fake.NewHandler()
				a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
				srv.AddFault(t, fake.Fault{Delay: 5000 * time.Millisecond, Times: 1})
				opts := []client.Option{client.WithHTTPClient(&http.Client{Transport: srv.HTTPClient().Transport, Timeout: 2 * time.Second})}
				if tt.postRetries {
					opts = append(opts, client.WithPOSTRetries())
				}
				c := fakeClient(t, srv, opts...)
				var err error
				if tt.call == "get" {
					_, err = c.Agents.Get(context.Background(), a.ID)
				} else {
					_, err = c.Agents.Create(context.Background(), validCreate("new"))
				}
				if wantErr := len(tt.want) == 1; (err != nil) != wantErr {
					t.Errorf("error %v, want an error: %v", err, wantErr)
				}
				checkNoKey(t, err)
				synctest.Wait()
				if diff := cmp.Diff(tt.want, statuses(srv)); diff != "" {
					t.Errorf("journal statuses (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestValidationCaughtBeforeSending(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	ctx := context.Background()
	bad := agents.CreateParams{Name: agents.Value(""), Architecture: agents.Value(agents.Pipeline), Temperature: agents.Value(3.0)}
	_, err := c.Agents.Create(ctx, bad)
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Create: %v, want *agents.ValidationError", err)
	}
	if diff := cmp.Diff(bad.Validate(), error(ve)); diff != "" {
		t.Errorf("not agents' own error (-Validate +Create):\n%s", diff)
	}
	if _, err := c.Agents.Update(ctx, "agent_1", agents.UpdateParams{Name: agents.Null[string]()}); !errors.As(err, &ve) {
		t.Errorf("Update: %v, want *agents.ValidationError", err)
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("the journal has %d requests, want none: %+v", len(reqs), reqs)
	}
}

func TestServerErrorSentinels(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		want   error
	}{
		{500, client.ErrInternal},
		{502, client.ErrBadGateway},
		{503, client.ErrServiceUnavailable},
		{504, client.ErrGatewayTimeout},
		{429, client.ErrRateLimited},
		{418, nil}, // INJECTED_FAULT: no sentinel
	} {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Status: tt.status})
		_, err := fakeClient(t, srv, client.WithMaxRetries(0)).Agents.Get(context.Background(), "agent_1")
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
			t.Fatalf("%d: error %v", tt.status, err)
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%d: %v does not match %v", tt.status, err, tt.want)
		}
		if tt.want == nil && (errors.Is(err, client.ErrInternal) || apiErr.Code != "INJECTED_FAULT") {
			t.Errorf("%d: %+v", tt.status, apiErr)
		}
	}
}

func TestIdempotencyConflictFromFake(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := rewrite(t, srv, func(r *http.Request) { r.Header.Set("Idempotency-Key", "fixed-key") })
	ctx := context.Background()
	if _, err := c.Agents.Create(ctx, validCreate("first")); err != nil {
		t.Fatal(err)
	}
	_, err := c.Agents.Create(ctx, validCreate("second"))
	if !errors.Is(err, client.ErrIdempotencyConflict) {
		t.Errorf("a reused key with another body: %v, want ErrIdempotencyConflict", err)
	}
}

func TestRateLimitedFromFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler(fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 2}))
		c := fakeClient(t, srv, client.WithMaxRetries(0))
		ctx := context.Background()
		var resp client.Response
		for range 2 {
			if _, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithResponse(&resp)); err != nil {
				t.Fatal(err)
			}
		}
		if rl := resp.RateLimit; rl.Limit != 2 || rl.Remaining != 0 || !rl.Reset.After(time.Now()) {
			t.Errorf("RateLimit = %+v, want limit 2, none remaining, a reset ahead", rl)
		}
		_, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithResponse(&resp))
		if resp.StatusCode != 429 || resp.RateLimit.Remaining != 0 || resp.Header.Get("Retry-After") != "30" {
			t.Errorf("Response of the 429: %+v", resp)
		}
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, client.ErrRateLimited) || apiErr.RetryAfter != 30*time.Second {
			t.Errorf("third call: %v, want ErrRateLimited with Retry-After 30s (2 a minute)", err)
		}
	})
}

// TestRateLimitRetry: the fake's bucket runs dry, the client waits what
// Retry-After says and goes on.
func TestRateLimitRetry(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler(fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 60})) // 1 a second
		c := fakeClient(t, srv, longWaits)
		start := time.Now()
		for range 61 {
			if _, err := c.Agents.List(context.Background(), client.AgentListParams{}); err != nil {
				t.Fatal(err)
			}
		}
		if got := time.Since(start); got != time.Second {
			t.Errorf("61 calls at 60 a minute took %v, want 1s", got)
		}
		want := append(make([]int, 0, 62), repeat(200, 60)...)
		want = append(want, 429, 200)
		if diff := cmp.Diff(want, statuses(srv)); diff != "" {
			t.Errorf("journal statuses (-want +got):\n%s", diff)
		}
	})
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestPOSTNotReplayedByTransport runs on a real loopback server: net/http's
// Transport would resend a POST that carries an Idempotency-Key once when
// a reused connection drops, a retry the caller did not opt in to.
func TestPOSTNotReplayedByTransport(t *testing.T) {
	t.Parallel()
	srv := fake.NewServer(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	if _, err := c.Agents.List(ctx, client.AgentListParams{}); err != nil { // a connection to reuse
		t.Fatal(err)
	}
	srv.AddFault(t, fake.Fault{Method: "POST", Path: collPath, Disconnect: true, After: true, Times: 1})
	if _, err := c.Agents.Create(ctx, validCreate("once")); err == nil {
		t.Error("Create succeeded although the connection dropped")
	}
	if diff := cmp.Diff([]int{200, 0}, statuses(srv)); diff != "" {
		t.Errorf("journal statuses (-want +got):\n%s", diff)
	}
}

// TestJournalHasNoKey checks the other side of "never log the key": what
// the client sent holds it only in the Authorization header.
func TestJournalHasNoKey(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	if _, err := c.Agents.Create(context.Background(), validCreate("bot")); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(srv.Requests())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), fake.KeyAcmeOwner) {
		t.Errorf("the key is in a request's query or body: %s", b)
	}
}

// TestLogLines checks what the debug log says about a retried create: the
// calls and the retry, and neither the key nor the body.
func TestLogLines(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var buf logBuffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "POST", Path: collPath, Status: 503, Times: 1})
		p := validCreate("bot")
		p.SystemPrompt = agents.Value("the-secret-prompt")
		c := fakeClient(t, srv, client.WithLogger(logger), client.WithPOSTRetries())
		if _, err := c.Agents.Create(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"talkifai: response", "method=POST", "path=/v1/agents", "status=503", "talkifai: retrying", "attempt=1", "status=201", "request_id=req_"} {
			if !strings.Contains(out, want) {
				t.Errorf("the log lacks %q:\n%s", want, out)
			}
		}
		for _, never := range []string{fake.KeyAcmeOwner, "the-secret-prompt", "Authorization", "Bearer"} {
			if strings.Contains(out, never) {
				t.Errorf("the log has %q:\n%s", never, out)
			}
		}
	})
}
