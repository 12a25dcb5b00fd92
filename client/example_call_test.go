package client_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// Options after a method's arguments apply to that call only.
func Example_perCallOptions() {
	srv := exampleServer()
	c := exampleClient(srv)
	ctx := context.Background()
	a, err := c.Agents.Create(ctx, validCreate("Support"), client.WithIdempotencyKey("order-42"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two 503s: this call may retry five times, and take two seconds in all.
	exampleFault(srv, fake.Fault{Method: "GET", Path: "/v1/agents/" + a.ID, Status: 503, Times: 2})
	got, err := c.Agents.Get(ctx, a.ID,
		client.WithMaxRetries(5),
		client.WithTimeout(2*time.Second),
		client.WithHeader("X-Trace-Id", "trace-7"))
	fmt.Println(got.Name, err)

	// As another organization, for one call: acme's agent is not there.
	_, err = c.Agents.Get(ctx, a.ID, client.WithAPIKey(fake.KeyGlobexOwner))
	fmt.Println(errors.Is(err, client.ErrNotFound))

	// An option where it means nothing: refused, nothing sent.
	_, err = c.Agents.Get(ctx, a.ID, client.WithIdempotencyKey("order-42"))
	fmt.Println(err)
	// Output:
	// Support <nil>
	// true
	// client: GET /v1/agents/agent_1: invalid option: WithIdempotencyKey applies only to Create, not to Get
}

// A Response tells what the answer said besides its body, for a success
// and an error answer alike.
func ExampleWithResponse() {
	srv := fake.NewHandler(
		fake.WithIDs(fake.SequentialIDs()),
		fake.WithClock(fake.NewClock(time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)).Now),
		fake.WithRateLimits(map[fake.Tier]int{fake.TierEnterprise: 100}),
	)
	c := exampleClient(srv)
	ctx := context.Background()
	exampleFault(srv, fake.Fault{Method: "POST", Path: "/v1/agents", Status: 429, RetryAfter: agents.Value(1 * time.Second), Times: 1})

	var resp client.Response
	a, err := c.Agents.Create(ctx, validCreate("Support"), client.WithResponse(&resp))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID, resp.StatusCode, resp.Attempts, resp.RequestID != "")
	fmt.Println(resp.RateLimit.Limit, resp.RateLimit.Remaining)

	_, err = c.Agents.Get(ctx, "agent_404", client.WithResponse(&resp))
	fmt.Println(errors.Is(err, client.ErrNotFound), resp.StatusCode, resp.Attempts)
	// Output:
	// agent_1 201 2 true
	// 100 99
	// true 404 1
}
