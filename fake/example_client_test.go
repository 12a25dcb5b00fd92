package fake_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// Server.Client is a *client.Client as the owner of org_acme; an API key
// option makes it act as anyone else. A server from NewHandler is reached
// in process, without a socket.
func ExampleServer_Client() {
	srv := fake.NewHandler(fake.WithIDs(func() string { return "agent_1" }))
	owner := srv.Client()
	member := srv.Client(client.WithAPIKey(fake.KeyAcmeMember))
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
// rate-limit buckets, and removes every fault; the keys stay.
func ExampleServer_Reset() {
	srv := fake.NewHandler()
	c := srv.Client()
	_, err := c.Agents.Create(context.Background(), agents.CreateParams{
		Name:         agents.Value("Scratch"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4o),
		SystemPrompt: agents.Value("Be brief."),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(srv.Agents("org_acme")), len(srv.Requests()))
	srv.Reset()
	fmt.Println(len(srv.Agents("org_acme")), len(srv.Requests()))
	// Output:
	// 1 1
	// 0 0
}
