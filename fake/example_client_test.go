package fake_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// In a test, Server.Client is a *client.Client as the owner of org_acme;
// an API key option makes it act as anyone else. It fails the test when an
// option is invalid. runTest stands for go test here: in your test file,
// its function is the test, func TestList(t *testing.T).
func ExampleServer_Client() {
	runTest(func(t testing.TB) {
		srv := fake.NewServer(t)
		owner := srv.Client(t)
		member := srv.Client(t, client.WithAPIKey(fake.KeyAcmeMember))
		for _, mode := range []agents.Mode{agents.Public, agents.Commercial} {
			_, err := owner.Agents.Create(t.Context(), agents.CreateParams{
				Name:         agents.Value(string(mode) + " desk"),
				Architecture: agents.Value(agents.Text),
				Model:        agents.Value(agents.ModelGPT4o),
				SystemPrompt: agents.Value("Be brief."),
				Mode:         agents.Value(mode),
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// Members never see commercial agents.
		page, err := member.Agents.List(t.Context(), client.AgentListParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Agents {
			fmt.Println(a.Name)
		}
	})
	// Output:
	// public desk
}

// Outside a test, a client reaches a server from NewHandler in process,
// without a socket, through Server.HTTPClient. Here the owner of org_acme
// makes a commercial agent, which a member cannot see.
func ExampleServer_HTTPClient() {
	srv := fake.NewHandler(fake.WithIDs(func() string { return "agent_1" }))
	as := func(key string) *client.Client {
		c, err := client.New(client.WithAPIKey(key), client.WithBaseURL("http://localhost"), client.WithHTTPClient(srv.HTTPClient()))
		if err != nil {
			log.Fatal(err)
		}
		return c
	}
	owner, member := as(fake.KeyAcmeOwner), as(fake.KeyAcmeMember)
	ctx := context.Background()

	a, err := owner.Agents.Create(ctx, agents.CreateParams{
		Name:         agents.Value("Pricing desk"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4o),
		SystemPrompt: agents.Value("Quote prices."),
		Mode:         agents.Value(agents.Commercial),
	})
	if err != nil {
		log.Fatal(err)
	}
	// Members never see commercial agents: to them it does not exist.
	_, err = member.Agents.Get(ctx, a.ID)
	fmt.Println(errors.Is(err, client.ErrNotFound))
	_, err = owner.Agents.Get(ctx, a.ID)
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}

// Reset empties the store, the journal, the idempotency memory and the
// rate-limit buckets, and removes every fault and tenant; the keys the
// server started with stay.
func ExampleServer_Reset() {
	srv := fake.NewHandler(fake.WithIDs(func() string { return "agent_1" }))
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL("http://localhost"), client.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Agents.Create(context.Background(), agents.CreateParams{
		Name:         agents.Value("Scratch"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4o),
		SystemPrompt: agents.Value("Be brief."),
	})
	if err != nil {
		log.Fatal(err)
	}
	_, found := srv.LookupAgent("agent_1")
	fmt.Println(found, len(srv.Requests()))
	srv.Reset()
	_, found = srv.LookupAgent("agent_1")
	fmt.Println(found, len(srv.Requests()))
	// Output:
	// true 1
	// false 0
}
