package cli_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/cli"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/fake"
)

// Main runs the command in-process: test streams, a client of the
// in-process fake, and the exit status returned rather than exited with.
func ExampleMain() {
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()), fake.WithClock(clock.Now))
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL("http://localhost"), client.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}
	c.Agents.Create(context.Background(), agents.CreateParams{
		Name:         agents.Value("Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our docs."),
	})

	ios, _, out, _ := iostreams.Test()
	f := &cli.Factory{IO: ios, Client: func() (*client.Client, error) { return c, nil }}
	code := cli.Main(context.Background(), f, []string{"agents", "list"})
	fmt.Print(out)
	fmt.Println("exit status", code)
	// Output:
	// ID       NAME         ARCHITECTURE  MODE     ACTIVE  CREATED
	// agent_1  Docs Helper  text          private  false   2026-03-01T09:00:00.000Z
	// exit status 0
}
