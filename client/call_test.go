package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// headerRecorder passes requests to the fake and keeps the headers of each.
type headerRecorder struct {
	rt      http.RoundTripper
	mu      sync.Mutex
	headers []http.Header
}

func (h *headerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.headers = append(h.headers, r.Header.Clone())
	h.mu.Unlock()
	return h.rt.RoundTrip(r)
}

func (h *headerRecorder) get(key string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []string{}
	for _, hd := range h.headers {
		out = append(out, hd.Get(key))
	}
	return out
}

// recordedClient returns a client of srv whose requests' headers rec keeps.
func recordedClient(t *testing.T, srv *fake.Server, opts ...client.Option) (*client.Client, *headerRecorder) {
	rec := &headerRecorder{rt: srv.HTTPClient().Transport}
	return fakeClient(t, srv, append([]client.Option{client.WithHTTPClient(&http.Client{Transport: rec})}, opts...)...), rec
}

func TestCallHeaderAndKeyApplyToOneCall(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
	c, rec := recordedClient(t, srv, client.WithHeader("X-Trace", "client"))
	ctx := context.Background()

	if _, err := c.Agents.Get(ctx, a.ID, client.WithHeader("X-Trace", "call"), client.WithHeader("X-Tenant", "t1")); err != nil {
		t.Fatal(err)
	}
	// Another organization's key, for this call only: acme's agent is not there.
	if _, err := c.Agents.Get(ctx, a.ID, client.WithAPIKey(fake.KeyGlobexOwner)); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("Get as globex: %v, want ErrNotFound", err)
	}
	if _, err := c.Agents.Get(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"call", "client", "client"}, rec.get("X-Trace")); diff != "" {
		t.Errorf("X-Trace per call (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t1", "", ""}, rec.get("X-Tenant")); diff != "" {
		t.Errorf("X-Tenant per call (-want +got):\n%s", diff)
	}
	want := []string{"Bearer " + fake.KeyAcmeOwner, "Bearer " + fake.KeyGlobexOwner, "Bearer " + fake.KeyAcmeOwner}
	if diff := cmp.Diff(want, rec.get("Authorization")); diff != "" {
		t.Errorf("Authorization per call (-want +got):\n%s", diff)
	}
	var users []string
	for _, r := range srv.Requests() {
		users = append(users, r.User)
	}
	if diff := cmp.Diff([]string{"usr_acme_owner", "usr_globex_owner", "usr_acme_owner"}, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}

func TestCallMaxRetries(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
	srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: 503, Times: 5})
	c := fakeClient(t, srv, client.WithMaxRetries(0))
	ctx := context.Background()

	var resp client.Response
	_, err := c.Agents.Get(ctx, a.ID, client.WithMaxRetries(1), client.WithResponse(&resp))
	if !errors.Is(err, client.ErrServiceUnavailable) {
		t.Fatalf("Get: %v, want ErrServiceUnavailable", err)
	}
	if resp.Attempts != 2 || resp.StatusCode != 503 {
		t.Errorf("Response: %d attempts, status %d; want 2, 503", resp.Attempts, resp.StatusCode)
	}
	if _, err := c.Agents.Get(ctx, a.ID, client.WithMaxRetries(4), client.WithResponse(&resp)); err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 4 || resp.StatusCode != 200 {
		t.Errorf("Response: %d attempts, status %d; want 4 (3 faults left), 200", resp.Attempts, resp.StatusCode)
	}
	if diff := cmp.Diff([]int{503, 503, 503, 503, 503, 200}, statuses(srv)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// WithTimeout bounds the whole call, its waits between retries included.
func TestCallTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: 503, RetryAfter: agents.Value(30 * time.Second)})
		c := fakeClient(t, srv, longWaits, client.WithMaxRetries(10))
		start := time.Now()
		_, err := c.Agents.Get(context.Background(), "agent_1", client.WithTimeout(45*time.Second))
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, client.ErrServiceUnavailable) {
			t.Errorf("Get: %v, want DeadlineExceeded and the 503", err)
		}
		if got := time.Since(start); got != 45*time.Second {
			t.Errorf("ended after %v, want 45s", got)
		}
		if diff := cmp.Diff([]int{503, 503}, statuses(srv)); diff != "" {
			t.Errorf("journal (-want +got):\n%s", diff)
		}
	})
}

// WithAttemptTimeout bounds each attempt: a slow one is dropped and retried.
func TestCallAttemptTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Delay: 5000 * time.Millisecond, Times: 1})
		c := fakeClient(t, srv)
		var resp client.Response
		got, err := c.Agents.Get(context.Background(), a.ID, client.WithAttemptTimeout(time.Second), client.WithResponse(&resp))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || resp.Attempts != 2 || resp.StatusCode != 200 {
			t.Errorf("got %s after %d attempts (status %d), want %s after 2", got.ID, resp.Attempts, resp.StatusCode, a.ID)
		}
		// Without it, the client's own bound (60s) lets the slow attempt finish.
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Delay: 5000 * time.Millisecond, Times: 1})
		if _, err := c.Agents.Get(context.Background(), a.ID, client.WithResponse(&resp)); err != nil || resp.Attempts != 1 {
			t.Errorf("Get: %v after %d attempts, want success after 1", err, resp.Attempts)
		}
	})
}

func TestCallPOSTRetries(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	srv.AddFault(t, fake.Fault{Method: "POST", Path: collPath, Status: 503, After: true, Times: 1})
	c := fakeClient(t, srv)
	var resp client.Response
	a, err := c.Agents.Create(context.Background(), validCreate("once"), client.WithPOSTRetries(), client.WithResponse(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if stored := srv.Agents(t, fake.OrgAcme); len(stored) != 1 || stored[0].ID != a.ID {
		t.Errorf("stored %v, want only %s", stored, a.ID)
	}
	if resp.Attempts != 2 || !resp.Replayed || resp.StatusCode != 201 {
		t.Errorf("Response %+v, want 2 attempts, a replayed 201", resp)
	}
}

func TestResponseOfEveryMethod(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 100}))
	c := fakeClient(t, srv)
	ctx := context.Background()
	var resps []client.Response
	next := func() client.Option {
		resps = append(resps, client.Response{})
		return client.WithResponse(&resps[len(resps)-1])
	}
	resps = make([]client.Response, 0, 10) // no reallocation: the pointers stay good
	a, err := c.Agents.Create(ctx, validCreate("bot"), next())
	if err != nil {
		t.Fatal(err)
	}
	calls := []error{
		second(c.Agents.Get(ctx, a.ID, next())),
		second(c.Agents.Update(ctx, a.ID, agents.UpdateParams{Active: agents.Value(true)}, next())),
		second(c.Agents.List(ctx, client.AgentListParams{}, next())),
		c.Agents.Delete(ctx, a.ID, next()),
	}
	_, missing := c.Agents.Get(ctx, a.ID, next())
	for i, err := range calls {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	var apiErr *client.APIError
	if !errors.As(missing, &apiErr) {
		t.Fatalf("Get of a deleted agent: %v, want an *APIError", missing)
	}
	wantStatus := []int{201, 200, 200, 200, 200, 404}
	for i, r := range resps {
		if r.StatusCode != wantStatus[i] || r.Attempts != 1 || r.Replayed {
			t.Errorf("call %d: status %d, %d attempts, replayed %v; want %d, 1, false", i, r.StatusCode, r.Attempts, r.Replayed, wantStatus[i])
		}
		if r.RequestID == "" || r.RequestID != r.Header.Get("X-Request-Id") {
			t.Errorf("call %d: request id %q, header %q", i, r.RequestID, r.Header.Get("X-Request-Id"))
		}
		if rl := r.RateLimit; rl.Limit != 100 || rl.Remaining != 100-(i+1) || rl.Reset.IsZero() {
			t.Errorf("call %d: RateLimit %+v, want limit 100, %d remaining, a reset", i, rl, 100-(i+1))
		}
	}
	if resps[5].RequestID != apiErr.RequestID {
		t.Errorf("the 404's Response has request id %q, its error %q", resps[5].RequestID, apiErr.RequestID)
	}
}

// All fills the Response after every page: when the loop ends it
// describes the last page.
func TestResponseOfAll(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 100}))
	for _, name := range []string{"a", "b", "c"} {
		srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate(name))
	}
	c := fakeClient(t, srv)
	var resp client.Response
	var remaining []int
	for _, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 1}, client.WithResponse(&resp)) {
		if err != nil {
			t.Fatal(err)
		}
		remaining = append(remaining, resp.RateLimit.Remaining)
	}
	if diff := cmp.Diff([]int{99, 98, 97}, remaining); diff != "" {
		t.Errorf("Remaining after each page (-want +got):\n%s", diff)
	}
	if resp.StatusCode != 200 || resp.Attempts != 1 {
		t.Errorf("last page's Response %+v", resp)
	}
}

// An option that means nothing where it is given fails the call before
// anything is sent.
func TestOptionsWhereTheyMeanNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c *client.Client) error
		want string
	}{
		{"key on Get", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithIdempotencyKey("k")))
		}, "WithIdempotencyKey applies only to Create, not to Get"},
		{"key on Update", func(c *client.Client) error {
			return second(c.Agents.Update(ctx, "agent_1", agents.UpdateParams{}, client.WithIdempotencyKey("k")))
		}, "WithIdempotencyKey applies only to Create, not to Update"},
		{"key on All", func(c *client.Client) error {
			for _, err := range c.Agents.All(ctx, client.AgentListParams{}, client.WithIdempotencyKey("k")) {
				return err
			}
			return nil
		}, "WithIdempotencyKey applies only to Create, not to List and All"},
		{"validation on Get", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithValidation(false)))
		}, "WithValidation applies only to New, Create and Update, not to Get"},
		{"validation on Delete", func(c *client.Client) error {
			return c.Agents.Delete(ctx, "agent_1", client.WithValidation(false))
		}, "WithValidation applies only to New, Create and Update, not to Delete"},
		{"POST retries on List", func(c *client.Client) error {
			return second(c.Agents.List(ctx, client.AgentListParams{}, client.WithPOSTRetries()))
		}, "WithPOSTRetries applies only to New and Create, not to List and All"},
		{"base URL on a call", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithBaseURL("https://elsewhere.example")))
		}, "WithBaseURL applies only to New, not to Get"},
		{"logger on a call", func(c *client.Client) error {
			return second(c.Agents.Create(ctx, validCreate("x"), client.WithLogger(nil)))
		}, "WithLogger applies only to New, not to Create"},
		{"nil response", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithResponse(nil)))
		}, "nil *Response"},
		{"empty key", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithAPIKey("")))
		}, "empty key"},
		{"key with a space", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithAPIKey("tk a")))
		}, "white space"},
		{"managed header", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithHeader("Authorization", "Bearer x")))
		}, "set by the client"},
		{"negative retries", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithMaxRetries(-1)))
		}, "negative"},
		{"negative timeout", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithTimeout(-1)))
		}, "negative"},
		{"nil limiter", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.WithLimiter(nil)))
		}, "nil Limiter"},
		{"zero option", func(c *client.Client) error {
			return second(c.Agents.Get(ctx, "agent_1", client.Option{}))
		}, "a zero Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fake.NewHandler()
			err := tt.call(fakeClient(t, srv))
			if !errors.Is(err, client.ErrInvalidOption) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrInvalidOption with %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "client: ") {
				t.Errorf("error %q does not start with client: ", err)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

// tooLong is a create body this client refuses (a name over 100
// characters) and the fake refuses too, as a server with other rules could
// accept it.
func tooLong() agents.CreateParams {
	p := validCreate(strings.Repeat("n", 101))
	return p
}

func TestValidationCanBeTurnedOff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := fake.NewHandler()
	a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
	badUpdate := agents.UpdateParams{Name: agents.Value(strings.Repeat("n", 101))}

	// On (the default): refused here, nothing sent.
	on := fakeClient(t, srv)
	_, errCreate := on.Agents.Create(ctx, tooLong())
	_, errUpdate := on.Agents.Update(ctx, a.ID, badUpdate)
	var apiErr *client.APIError
	var ve *agents.ValidationError
	for _, err := range []error{errCreate, errUpdate} {
		if !errors.As(err, &ve) || errors.As(err, &apiErr) {
			t.Errorf("validation on: %v, want a local *agents.ValidationError", err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}

	// Off for one call, or for the client: sent, and the server judges.
	off := fakeClient(t, srv, client.WithValidation(false))
	for i, err := range []error{
		second(on.Agents.Create(ctx, tooLong(), client.WithValidation(false))),
		second(on.Agents.Update(ctx, a.ID, badUpdate, client.WithValidation(false))),
		second(off.Agents.Create(ctx, tooLong())),
		second(off.Agents.Update(ctx, a.ID, badUpdate)),
	} {
		if !errors.As(err, &apiErr) || !errors.Is(err, client.ErrValidation) || !errors.As(err, &ve) {
			t.Errorf("call %d with validation off: %v, want the server's VALIDATION_ERROR", i, err)
		}
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("%d requests sent, want 4", n)
	}
	// On again for one call of a client that has it off.
	if _, err := off.Agents.Create(ctx, tooLong(), client.WithValidation(true)); errors.As(err, &apiErr) || !errors.As(err, &ve) {
		t.Errorf("validation back on: %v, want a local *agents.ValidationError", err)
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("%d requests sent, want still 4", n)
	}
}

// A call's error says which deadline ended it: its own WithTimeout, the
// caller's deadline, or the caller's cancel and its cause. The context's
// error stays matchable either way.
func TestCallContextErrorSaysWhich(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Delay: time.Minute})
		c := fakeClient(t, srv, client.WithMaxRetries(0))
		deadline, cancelDeadline := context.WithTimeout(context.Background(), time.Second)
		defer cancelDeadline()
		shutdown := errors.New("shutting down")
		cancelled, cancel := context.WithCancelCause(context.Background())
		time.AfterFunc(time.Second, func() { cancel(shutdown) })
		prefix := "client: GET /v1/agents/agent_1: "
		for _, tc := range []struct {
			name, want string
			err        error
			is         []error
		}{
			{"WithTimeout", prefix + "context deadline exceeded: WithTimeout(1s) ran out",
				second(c.Agents.Get(context.Background(), "agent_1", client.WithTimeout(time.Second))),
				[]error{context.DeadlineExceeded}},
			{"caller's deadline", prefix + "context deadline exceeded",
				second(c.Agents.Get(deadline, "agent_1", client.WithTimeout(time.Hour))),
				[]error{context.DeadlineExceeded}},
			{"caller's cancel with a cause", prefix + "context canceled: shutting down",
				second(c.Agents.Get(cancelled, "agent_1")),
				[]error{context.Canceled, shutdown}},
		} {
			if tc.err == nil || tc.err.Error() != tc.want {
				t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.want)
			}
			for _, target := range tc.is {
				if !errors.Is(tc.err, target) {
					t.Errorf("%s: %v does not match %v", tc.name, tc.err, target)
				}
			}
		}
	})
}
