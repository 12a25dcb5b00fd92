package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// countingLimiter stands for a limiter kept outside the process: it grants
// budget requests and then fails as a store that is down would.
type countingLimiter struct {
	mu     sync.Mutex
	budget int
	waits  int
	err    error
}

var errStoreDown = errors.New("limiter store: connection refused")

func (l *countingLimiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits++
	if l.budget == 0 {
		return l.err
	}
	l.budget--
	return nil
}

// Two clients (two replicas of a service) draw on one limiter: what one
// spends, the other cannot.
func TestLimiterSharedByTwoClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		// Two requests, then one an hour.
		shared := rate.NewLimiter(rate.Every(time.Hour), 2)
		c1 := fakeClient(t, srv, client.WithLimiter(shared))
		c2 := fakeClient(t, srv, client.WithLimiter(shared))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := c1.Agents.List(ctx, client.AgentListParams{}); err != nil {
			t.Fatal(err)
		}
		if _, err := c2.Agents.List(ctx, client.AgentListParams{}); err != nil {
			t.Fatal(err)
		}
		for i, c := range []*client.Client{c1, c2} {
			_, err := c.Agents.List(ctx, client.AgentListParams{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("client %d, third request: %v, want DeadlineExceeded (the shared budget is spent)", i+1, err)
			}
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("%d requests reached the server, want 2", n)
		}
	})
}

// A limiter's own failure is its error, wrapped; not a deadline.
func TestLimiterErrorIsItsOwn(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	l := &countingLimiter{budget: 1, err: errStoreDown}
	c := fakeClient(t, srv, client.WithLimiter(l))
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := c.Agents.List(ctx, client.AgentListParams{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Agents.List(ctx, client.AgentListParams{})
	if !errors.Is(err, errStoreDown) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want errStoreDown and no deadline", err)
	}
	if want := "client: GET /v1/agents: the rate limiter: limiter store: connection refused"; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}

// A limiter fails a retry the same way, and the error keeps the answer
// that was to be retried.
func TestLimiterErrorBeforeARetry(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	srv.AddFault(t, fake.Fault{Method: "GET", Path: collPath, Status: 503, Times: 1})
	l := &countingLimiter{budget: 1, err: errStoreDown}
	var resp client.Response
	_, err := fakeClient(t, srv).Agents.List(context.Background(), client.AgentListParams{}, client.WithLimiter(l), client.WithResponse(&resp))
	if !errors.Is(err, errStoreDown) || !errors.Is(err, client.ErrServiceUnavailable) {
		t.Errorf("error %v, want errStoreDown and the 503", err)
	}
	if resp.StatusCode != 503 || resp.Attempts != 1 || l.waits != 2 {
		t.Errorf("Response %d after %d attempts, %d waits; want 503 after 1, 2 waits", resp.StatusCode, resp.Attempts, l.waits)
	}
}

// A call can draw on a budget of its own, for the organization of its key.
func TestLimiterPerCall(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	client1 := &countingLimiter{budget: 10}
	globex := &countingLimiter{budget: 10}
	c := fakeClient(t, srv, client.WithLimiter(client1))
	ctx := context.Background()
	if _, err := c.Agents.List(ctx, client.AgentListParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithAPIKey(fake.KeyGlobexOwner), client.WithLimiter(globex)); err != nil {
		t.Fatal(err)
	}
	if client1.waits != 1 || globex.waits != 1 {
		t.Errorf("waits: client's %d, globex's %d; want 1 each", client1.waits, globex.waits)
	}
}
