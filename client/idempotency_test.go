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
		srv.AddFault(t, fake.Fault{Method: "POST", Path: collPath, Status: 503, After: true, Times: 1})
		c := fakeClient(t, srv)
		ctx := context.Background()
		key := client.WithIdempotencyKey("order-42")
		var first client.Response
		if _, err := c.Agents.Create(ctx, validCreate("once"), key, client.WithResponse(&first)); err == nil {
			t.Fatal("Create succeeded although its answer was lost")
		}
		if first.StatusCode != 503 || first.Replayed {
			t.Errorf("first Response: status %d, replayed %v; want 503, false", first.StatusCode, first.Replayed)
		}
		var second client.Response
		a, err := c.Agents.Create(ctx, validCreate("once"), key, client.WithResponse(&second))
		if err != nil {
			t.Fatal(err)
		}
		if second.StatusCode != 201 || !second.Replayed {
			t.Errorf("second Response: status %d, replayed %v; want 201, true", second.StatusCode, second.Replayed)
		}
		stored := srv.Agents(t, fake.OrgAcme)
		if len(stored) != 1 || stored[0].ID != a.ID {
			t.Fatalf("stored %v, want exactly the agent Create returned (%s)", stored, a.ID)
		}
		for _, r := range srv.Requests() {
			if r.IdempotencyKey != "order-42" {
				t.Errorf("Idempotency-Key %q, want order-42", r.IdempotencyKey)
			}
		}
	})
}

// A key names one operation: it does not leak to the next call made under
// the same context, so two keys (or none) make two agents.
func TestIdempotencyKeyIsPerCall(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	ctx := context.Background()
	a1, err := c.Agents.Create(ctx, validCreate("one"), client.WithIdempotencyKey("k-1"))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := c.Agents.Create(ctx, validCreate("two"), client.WithIdempotencyKey("k-2"))
	if err != nil {
		t.Fatal(err)
	}
	a3, err := c.Agents.Create(ctx, validCreate("three"))
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID == a2.ID || a2.ID == a3.ID || len(srv.Agents(t, fake.OrgAcme)) != 3 {
		t.Errorf("ids %s %s %s, %d stored; want three agents", a1.ID, a2.ID, a3.ID, len(srv.Agents(t, fake.OrgAcme)))
	}
	var keys []string
	for _, r := range srv.Requests() {
		keys = append(keys, r.IdempotencyKey)
	}
	if len(keys) != 3 || keys[0] != "k-1" || keys[1] != "k-2" || keys[2] == "" || keys[2] == "k-2" {
		t.Errorf("keys sent %q, want k-1, k-2, then a fresh one", keys)
	}
}

func TestWithIdempotencyKeyRefusesMalformed(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"", strings.Repeat("k", 256), "tab\there", "new\nline", "café"} {
		srv := fake.NewHandler()
		_, err := fakeClient(t, srv).Agents.Create(context.Background(), validCreate("x"), client.WithIdempotencyKey(key))
		if !errors.Is(err, client.ErrInvalidParameter) || !errors.Is(err, client.ErrInvalidOption) {
			t.Errorf("key %q: error %v, want ErrInvalidParameter and ErrInvalidOption", key, err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("key %q: %d requests sent, want none", key, n)
		}
	}
	for _, key := range []string{"k", strings.Repeat("k", 255), " ~!"} {
		srv := fake.NewHandler()
		if _, err := fakeClient(t, srv).Agents.Create(context.Background(), validCreate("x"), client.WithIdempotencyKey(key)); err != nil {
			t.Errorf("key %q: %v", key, err)
		}
	}
}

func ExampleWithIdempotencyKey() {
	srv := exampleServer()
	// The first answer is lost: the agent is created, the caller hears 503.
	exampleFault(srv, fake.Fault{Method: "POST", Path: "/v1/agents", Status: 503, After: true, Times: 1})
	c := exampleClient(srv)
	ctx := context.Background()
	p := validCreate("Support")
	_, err := c.Agents.Create(ctx, p, client.WithIdempotencyKey("order-42"))
	fmt.Println(errors.Is(err, client.ErrServiceUnavailable))
	// Retrying with the same key replays the first answer.
	var resp client.Response
	a, err := c.Agents.Create(ctx, p, client.WithIdempotencyKey("order-42"), client.WithResponse(&resp))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, duplicate := srv.LookupAgent("agent_2")
	fmt.Println(a.ID, duplicate, resp.Replayed)
	// Output:
	// true
	// agent_1 false true
}
