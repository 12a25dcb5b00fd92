package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// seed creates n text agents through c and returns their ids, newest first
// (the order of a list).
func seed(t testing.TB, c *client.Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		a, err := c.Agents.Create(context.Background(), validCreate(fmt.Sprintf("bot %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids[n-1-i] = a.ID
	}
	return ids
}

// listRequests counts the list requests that reach srv through the
// clients its client method makes.
type listRequests struct{ n atomic.Int32 }

func (l *listRequests) client(t testing.TB, srv *fake.Server) *client.Client {
	inner := srv.HTTPClient().Transport
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/v1/agents") {
			l.n.Add(1)
		}
		return inner.RoundTrip(r)
	})
	return fakeClient(t, srv, client.WithHTTPClient(&http.Client{Transport: rt}))
}

func TestAllYieldsEachOnceInOrder(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithIDs(seqIDs()))
	var lists listRequests
	c := lists.client(t, srv)
	want := seed(t, c, 250)
	var got []string
	for a, err := range c.Agents.All(context.Background(), client.ListParams{Limit: 20}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if n := lists.n.Load(); n != 13 {
		t.Errorf("%d list requests for 250 agents at 20 a page, want 13", n)
	}
}

func TestAllBreakFetchesOnePage(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	var lists listRequests
	c := lists.client(t, srv)
	seed(t, c, 50)
	iter := c.Agents.All(context.Background(), client.ListParams{Limit: 20})
	if n := lists.n.Load(); n != 0 {
		t.Fatalf("All fetched %d pages before the loop started", n)
	}
	seen := 0
	for _, err := range iter {
		if err != nil {
			t.Fatal(err)
		}
		if seen++; seen == 3 {
			break
		}
	}
	if n := lists.n.Load(); n != 1 {
		t.Errorf("break after 3 items made %d list requests, want 1", n)
	}
}

// TestAllWhileCreating creates agents between pages, so that every later
// page repeats items of the one before: All must drop the repeats and still
// yield every agent that existed when it started, in order.
func TestAllWhileCreating(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithIDs(seqIDs()))
	c := fakeClient(t, srv)
	before := seed(t, c, 100)
	var got []string
	for a, err := range c.Agents.All(context.Background(), client.ListParams{Limit: 20}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.ID)
		if len(got)%20 == 0 { // at each page boundary, three goroutines create one each
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					if _, err := c.Agents.Create(context.Background(), validCreate("late")); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
	}
	if diff := cmp.Diff(before, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestAllConcurrentCreates runs creates in other goroutines throughout the
// iteration, without synchronising with it.
func TestAllConcurrentCreates(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	before := seed(t, c, 120)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for i := 0; i < 40 && ctx.Err() == nil; i++ {
				if _, err := c.Agents.Create(ctx, validCreate("late")); err != nil && ctx.Err() == nil {
					t.Error(err)
				}
			}
		})
	}
	seen := map[string]bool{}
	for a, err := range c.Agents.All(context.Background(), client.ListParams{Limit: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[a.ID] {
			t.Errorf("%s yielded twice", a.ID)
		}
		seen[a.ID] = true
	}
	stop()
	wg.Wait()
	for _, id := range before {
		if !seen[id] {
			t.Errorf("%s, which existed before the loop, was not yielded", id)
		}
	}
}

func TestAllYieldsErrorOnceLast(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	seed(t, srv.Client(), 30)
	calls := 0
	inner := srv.HTTPClient().Transport
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls++; calls == 2 { // the second page: a 403 is not retried
			return response(r, 403, `{"success":false,"error":"no","code":"FORBIDDEN"}`), nil
		}
		return inner.RoundTrip(r)
	})
	c := fakeClient(t, srv, client.WithHTTPClient(&http.Client{Transport: rt}))
	items, errs := 0, 0
	for _, err := range c.Agents.All(context.Background(), client.ListParams{Limit: 20}) {
		if errs > 0 {
			t.Fatal("an item after the error")
		}
		if err != nil {
			errs++
			if !errors.Is(err, client.ErrForbidden) {
				t.Errorf("error %v, want ErrForbidden", err)
			}
			continue
		}
		items++
	}
	if items != 20 || errs != 1 {
		t.Errorf("%d items and %d errors, want 20 and 1", items, errs)
	}
}

// TestAllStopsOnAServerThatIgnoresPage guards against looping forever
// (google/go-github#3976): a server that always answers page 1.
func TestAllStopsOnAServerThatIgnoresPage(t *testing.T) {
	t.Parallel()
	calls := 0
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		calls++
		return response(r, 200, `{"success":true,"data":[{"id":"agent_1","name":"a","mode":"public","agentArchitecture":"text",`+
			`"active":true,"createdAt":"2026-01-15T10:30:00Z"}],"pagination":{"page":1,"limit":1,"total":5,"hasNext":true,"hasPrev":false}}`), nil
	})
	var last error
	n := 0
	for a, err := range c.Agents.All(context.Background(), client.ListParams{Limit: 1}) {
		n++
		last = err
		if err == nil && a.ID != "agent_1" {
			t.Errorf("yielded %s", a.ID)
		}
	}
	if n != 2 || last == nil || !strings.Contains(last.Error(), "asked for page 2") {
		t.Errorf("%d items, last error %v; want one agent, then an error about page 2", n, last)
	}
	if calls != 2 {
		t.Errorf("%d requests, want 2", calls)
	}
}

func TestAllKeepsCallerParams(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	for _, m := range []agents.Mode{agents.Public, agents.Private} {
		p := validCreate(string(m))
		p.Mode = agents.Value(m)
		if _, err := c.Agents.Create(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	p := client.ListParams{Mode: agents.Public, Limit: 1}
	n := 0
	for a, err := range c.Agents.All(context.Background(), p) {
		if err != nil || a.Mode != agents.Public {
			t.Errorf("got %+v, %v", a, err)
		}
		n++
	}
	if n != 1 || p != (client.ListParams{Mode: agents.Public, Limit: 1}) {
		t.Errorf("%d items, params now %+v", n, p)
	}
}
