package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// A caller who retries a Create itself, with the same key, creates once.
func TestWithIdempotencyKeyReplays(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fake.NewHandler()
		srv.AddFault(fake.Fault{Method: "POST", Path: collPath, Status: 503, After: true, Times: 1})
		c := fakeClient(t, srv)
		ctx := client.WithIdempotencyKey(context.Background(), "order-42")
		if _, err := c.Agents.Create(ctx, validCreate("once")); err == nil {
			t.Fatal("Create succeeded although its answer was lost")
		}
		a, err := c.Agents.Create(ctx, validCreate("once"))
		if err != nil {
			t.Fatal(err)
		}
		stored := srv.Agents("org_acme")
		if len(stored) != 1 || stored[0].ID != a.ID {
			t.Fatalf("stored %v, want exactly the agent Create returned (%s)", stored, a.ID)
		}
		for _, r := range srv.Requests() {
			if r.IdempotencyKey != "order-42" {
				t.Errorf("Idempotency-Key %q, want order-42", r.IdempotencyKey)
			}
		}
		// Without the key, each call has its own.
		if _, err := c.Agents.Create(context.Background(), validCreate("twice")); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Agents("org_acme")); n != 2 {
			t.Errorf("%d agents, want 2", n)
		}
	})
}

func TestWithIdempotencyKeyRefusesMalformed(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"", strings.Repeat("k", 256), "tab\there", "new\nline", "café"} {
		srv := fake.NewHandler()
		_, err := fakeClient(t, srv).Agents.Create(client.WithIdempotencyKey(context.Background(), key), validCreate("x"))
		if !errors.Is(err, client.ErrInvalidParameter) {
			t.Errorf("key %q: error %v, want ErrInvalidParameter", key, err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("key %q: %d requests sent, want none", key, n)
		}
	}
	for _, key := range []string{"k", strings.Repeat("k", 255), " ~!"} {
		srv := fake.NewHandler()
		if _, err := fakeClient(t, srv).Agents.Create(client.WithIdempotencyKey(context.Background(), key), validCreate("x")); err != nil {
			t.Errorf("key %q: %v", key, err)
		}
	}
}

func ExampleWithIdempotencyKey() {
	srv := exampleServer()
	// The first answer is lost: the agent is created, the caller hears 503.
	srv.AddFault(fake.Fault{Method: "POST", Path: "/v1/agents", Status: 503, After: true, Times: 1})
	c := srv.Client()
	ctx := client.WithIdempotencyKey(context.Background(), "order-42")
	p := validCreate("Support")
	_, err := c.Agents.Create(ctx, p)
	fmt.Println(errors.Is(err, client.ErrServiceUnavailable))
	// Retrying with the same key replays the first answer.
	a, err := c.Agents.Create(ctx, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID, len(srv.Agents("org_acme")))
	// Output:
	// true
	// agent_1 1
}
