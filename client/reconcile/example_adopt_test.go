package reconcile_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// Pull writes a spec for each live agent the lock does not hold, and locks
// it; a prompt with line breaks goes to its own file.
func ExampleEngine_Pull() {
	ctx := context.Background()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	c := exampleClient(srv)
	c.Agents.Create(ctx, agents.CreateParams{
		Name: agents.Value("Support Bot"), Architecture: agents.Value(agents.Text),
		Model: agents.Value("gpt-4o-mini"), SystemPrompt: agents.Value("You help customers.\nBe brief."),
	})
	dir, _ := os.MkdirTemp("", "agents")
	defer os.RemoveAll(dir)
	store, _ := reconcile.NewFileStore(dir, "")
	eng, _ := reconcile.New(reconcile.Config{Client: c, Store: store})

	pulled, err := eng.Pull(ctx, dir)
	if err != nil {
		panic(err)
	}
	for _, a := range pulled {
		fmt.Println(a.Key, a.ID)
		for _, path := range a.Written {
			rel, _ := filepath.Rel(dir, path)
			fmt.Println("  wrote", rel)
		}
	}
	// Output:
	// support-bot agent_1
	//   wrote prompts/support-bot.md
	//   wrote support-bot.yaml
}

// Move renames a key in the folder and the lock, and needs no client: it
// sends no request.
func ExampleMove() {
	ctx := context.Background()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	dir := exampleFolder()
	defer os.RemoveAll(dir)
	store, _ := reconcile.NewFileStore(dir, "")
	eng, _ := reconcile.New(reconcile.Config{Client: exampleClient(srv), Store: store})
	folder, _ := reconcile.Load(dir)
	eng.Apply(ctx, folder, reconcile.ApplyOptions{})

	if err := reconcile.Move(ctx, store, dir, "support", "helpdesk"); err != nil {
		panic(err)
	}
	l, _ := store.Read(ctx)
	_, stat := os.Stat(filepath.Join(dir, "helpdesk.yaml"))
	fmt.Println(l.Agents["helpdesk"].ID, stat == nil)
	// Output: agent_1 true
}
