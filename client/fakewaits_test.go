package client_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// fake.Server.Client waits milliseconds between retries and caps a
// Retry-After of 30 seconds the same; in a synctest bubble the clock
// shows exactly how long the call waited.
func TestServerClientWaitsShort(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
		srv.AddFault(t, fake.Fault{Method: "GET", Path: onePath, Status: 503, RetryAfter: agents.Value(30 * time.Second), Times: 3})
		start := time.Now()
		if _, err := srv.Client(t).Agents.Get(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
		if got, most := time.Since(start), 3*fake.ClientRetryWaitMax; got > most {
			t.Errorf("three Retry-After: 30 took %v, want at most %v", got, most)
		}
	})
}

// A 429 of fake.WithRateLimits spends Server.Client's retries at once and
// fails, the bucket still empty; the caller's longer waits win and wait
// for the bucket.
func TestServerClientRateLimitFailsUnlessTheTestWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler(fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 1}))
		ctx := context.Background()
		c := srv.Client(t)
		if _, err := c.Agents.List(ctx, client.AgentListParams{}); err != nil {
			t.Fatal(err)
		}
		var resp client.Response
		start := time.Now()
		_, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithResponse(&resp))
		if !errors.Is(err, client.ErrRateLimited) || resp.Attempts != client.DefaultMaxRetries+1 {
			t.Errorf("List: %v after %d attempts, want ErrRateLimited after %d", err, resp.Attempts, client.DefaultMaxRetries+1)
		}
		if got, most := time.Since(start), client.DefaultMaxRetries*fake.ClientRetryWaitMax; got > most {
			t.Errorf("the failing List took %v, want at most %v", got, most)
		}
		// The caller's waits win: this call waits out the minute.
		start = time.Now()
		if _, err := c.Agents.List(ctx, client.AgentListParams{}, client.WithRetryWait(time.Millisecond, time.Minute), client.WithResponse(&resp)); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got < 50*time.Second || resp.Attempts != 2 {
			t.Errorf("List with long waits: %d attempts in %v, want 2, after the bucket refilled", resp.Attempts, got)
		}
		want := []int{200, 429, 429, 429, 429, 429, 200}
		if diff := cmp.Diff(want, statuses(srv)); diff != "" {
			t.Errorf("journal statuses (-want +got):\n%s", diff)
		}
	})
}
