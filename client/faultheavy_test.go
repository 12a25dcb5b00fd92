package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// TestFaultHeavy runs every call through ten faults, five of them 429s
// with Retry-After: 30, on a started fake over real HTTP and without
// testing/synctest. Server.Client's short waits make it take
// milliseconds, not minutes (go test -v -run TestFaultHeavy ./client
// shows the time; no test asserts one).
func TestFaultHeavy(t *testing.T) {
	t.Parallel()
	srv := fake.NewServer(t)
	for _, f := range []fake.Fault{
		{Method: "POST", Path: collPath, Status: 429, RetryAfter: agents.Value(30 * time.Second), Times: 1},
		{Method: "POST", Path: collPath, Status: 503, After: true, Times: 1},
		{Method: "GET", Path: onePath, Status: 429, RetryAfter: agents.Value(30 * time.Second), Times: 1},
		{Method: "GET", Path: onePath, Status: 503, RetryAfter: agents.Value(30 * time.Second), Times: 1},
		{Method: "GET", Path: onePath, Status: 500, Times: 1},
		{Method: "GET", Path: collPath, Status: 502, Times: 1},
		{Method: "GET", Path: collPath, Status: 429, RetryAfter: agents.Value(30 * time.Second), Times: 1},
		{Method: "PATCH", Path: onePath, Status: 500, Times: 1},
		{Method: "PATCH", Path: onePath, Status: 429, RetryAfter: agents.Value(30 * time.Second), Times: 1},
		{Method: "DELETE", Path: onePath, Status: 503, After: true, Times: 1},
	} {
		srv.AddFault(t, f)
	}
	c := srv.Client(t)
	ctx := context.Background()
	var resp client.Response
	a, err := c.Agents.Create(ctx, validCreate("bot"), client.WithPOSTRetries(), client.WithResponse(&resp))
	if err != nil || resp.Attempts != 3 || !resp.Replayed {
		t.Fatalf("Create: %v after %d attempts (replayed %v), want success after 3, replayed", err, resp.Attempts, resp.Replayed)
	}
	if _, err := c.Agents.Get(ctx, a.ID, client.WithResponse(&resp)); err != nil || resp.Attempts != 4 {
		t.Fatalf("Get: %v after %d attempts, want success after 4", err, resp.Attempts)
	}
	if _, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithResponse(&resp)); err != nil || resp.Attempts != 3 {
		t.Fatalf("List: %v after %d attempts, want success after 3", err, resp.Attempts)
	}
	upd := agents.UpdateParams{Active: agents.Value(true)}
	if _, err := c.Agents.Update(ctx, a.ID, upd, client.WithResponse(&resp)); err != nil || resp.Attempts != 3 {
		t.Fatalf("Update: %v after %d attempts, want success after 3", err, resp.Attempts)
	}
	if err := c.Agents.Delete(ctx, a.ID, client.WithResponse(&resp)); err != nil || resp.Attempts != 2 {
		t.Fatalf("Delete: %v after %d attempts, want success after 2", err, resp.Attempts)
	}
	want := []int{429, 503, 201, 429, 503, 500, 200, 502, 429, 200, 500, 429, 200, 503, 404}
	if diff := cmp.Diff(want, statuses(srv)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	if n := len(srv.Agents(t, fake.OrgAcme)); n != 0 {
		t.Errorf("%d agents left, want 0", n)
	}
}
