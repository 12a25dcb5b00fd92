package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// listCalls counts the list requests in srv's journal.
func listCalls(srv *fake.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/v1/agents" {
			n++
		}
	}
	return n
}

// seedFake creates n text agents in srv without HTTP (nothing journaled)
// and returns their ids, newest first.
func seedFake(t testing.TB, srv *fake.Server, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[n-1-i] = srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate(fmt.Sprintf("bot %d", i))).ID
	}
	return ids
}

func TestAllYieldsEachOnceInOrder(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	c := fakeClient(t, srv)
	want := seedFake(t, srv, 250)
	var got []string
	for a, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 20}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if n := listCalls(srv); n != 13 {
		t.Errorf("%d list requests for 250 agents at 20 a page, want 13", n)
	}
}

func TestAllBreakFetchesOnePage(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	seedFake(t, srv, 50)
	iter := c.Agents.All(context.Background(), client.AgentListParams{Limit: 20})
	if n := listCalls(srv); n != 0 {
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
	if n := listCalls(srv); n != 1 {
		t.Errorf("break after 3 items made %d list requests, want 1", n)
	}
}

// TestAllWhileCreating creates agents between pages, so that every later
// page repeats items of the one before: All must drop the repeats and still
// yield every agent that existed when it started, in order.
func TestAllWhileCreating(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	c := fakeClient(t, srv)
	before := seedFake(t, srv, 100)
	var got []string
	for a, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 20}) {
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
	before := seedFake(t, srv, 120)
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
	for a, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 10}) {
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
	seedFake(t, srv, 30)
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
	for _, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 20}) {
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
	for a, err := range c.Agents.All(context.Background(), client.AgentListParams{Limit: 1}) {
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
	p := client.AgentListParams{Mode: agents.Public, Limit: 1}
	n := 0
	for a, err := range c.Agents.All(context.Background(), p) {
		if err != nil || a.Mode != agents.Public {
			t.Errorf("got %+v, %v", a, err)
		}
		n++
	}
	if n != 1 || p != (client.AgentListParams{Mode: agents.Public, Limit: 1}) {
		t.Errorf("%d items, params now %+v", n, p)
	}
}
