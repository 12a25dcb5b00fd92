package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// exampleFolder writes a folder with one spec and its prompt file, and
// returns its path.
func exampleFolder() string {
	dir, err := os.MkdirTemp("", "agents")
	if err != nil {
		panic(err)
	}
	os.MkdirAll(filepath.Join(dir, "prompts"), 0o755)
	os.WriteFile(filepath.Join(dir, "support.yaml"), []byte(`name: Support
agentArchitecture: text
model: gpt-4o-mini
systemPromptFile: prompts/support.md
`), 0o644)
	os.WriteFile(filepath.Join(dir, "prompts", "support.md"), []byte("You help customers.\nBe brief.\n"), 0o644)
	return dir
}

// Plan, apply, and plan again: the second plan has nothing to do.
func Example() {
	ctx := context.Background()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	dir := exampleFolder()
	defer os.RemoveAll(dir)

	store, err := reconcile.NewFileStore(dir, "")
	if err != nil {
		panic(err)
	}
	eng, err := reconcile.New(reconcile.Config{Client: exampleClient(srv), Store: store})
	if err != nil {
		panic(err)
	}
	folder, err := reconcile.Load(dir)
	if err != nil {
		fmt.Println(err) // every problem of every file, as FILE:LINE:COL: FIELD: message
		return
	}
	plan, err := eng.Plan(ctx, folder)
	if err != nil {
		panic(err)
	}
	plan.WriteText(os.Stdout)

	res, err := eng.Apply(ctx, folder, reconcile.ApplyOptions{})
	if err != nil {
		panic(err)
	}
	for _, o := range res.Outcomes {
		fmt.Println(o.Key, o.Ops, o.ID, o.Err)
	}

	plan, _ = eng.Plan(ctx, folder)
	plan.WriteText(os.Stdout)
	// Output:
	// Plan: 1 create.
	// + support: create
	//     name: "Support"
	//     agentArchitecture: "text"
	//     model: "gpt-4o-mini"
	//     systemPrompt:
	//       + You help customers.
	//       + Be brief.
	// support [create] agent_1 <nil>
	// Plan: 1 no-change.
	// = support: no-change (agent_1)
}

// Load reports every problem of every file at once.
func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "agents")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "chat.yaml"), []byte(`name: Chat
agentArchitecture: text
systemPrompt: Hi.
temperature: 3
voiceID: alloy
`), 0o644)

	_, err := reconcile.Load(dir)
	var le *reconcile.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// chat.yaml:1:1: model: model is required for text agents
	// chat.yaml:4:14: temperature: temperature must be between 0 and 2
	// chat.yaml:5:10: voiceID: voiceID is not a field of this body
}

// A dashboard edit shows as drift, and FailOnDrift refuses to overwrite
// it.
func ExampleEngine_Apply_failOnDrift() {
	ctx := context.Background()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	dir := exampleFolder()
	defer os.RemoveAll(dir)
	store, _ := reconcile.NewFileStore(dir, "")
	eng, _ := reconcile.New(reconcile.Config{Client: exampleClient(srv), Store: store})
	folder, _ := reconcile.Load(dir)
	eng.Apply(ctx, folder, reconcile.ApplyOptions{})

	// Someone turns the agent on in the dashboard.
	c := exampleClient(srv)
	c.Agents.Update(ctx, "agent_1", activeTrue())

	plan, _ := eng.Plan(ctx, folder)
	plan.WriteText(os.Stdout)
	_, err := eng.Apply(ctx, folder, reconcile.ApplyOptions{FailOnDrift: true})
	fmt.Println(errors.Is(err, reconcile.ErrDrift), err)
	// Output:
	// Plan: 1 update.
	// ~ support: update (agent_1); overwrites changes made outside (drift)
	//     active (drift): true → false
	// true reconcile: live agents drifted from the lock: support; nothing was written
}

// Keys for pulled agents come from their names.
func ExampleKeyFromName() {
	for _, name := range []string{"Support Bot", "Sales (EU) #2", "日本語"} {
		fmt.Println(reconcile.KeyFromName(name))
	}
	// Output:
	// support-bot
	// sales-eu-2
	// agent
}

// Each environment has its own lock file in the folder.
func ExampleLockFileName() {
	for _, env := range []string{"", "staging", "prod"} {
		name, _ := reconcile.LockFileName(env)
		fmt.Println(name)
	}
	// Output:
	// talkifai.lock.json
	// talkifai.staging.lock.json
	// talkifai.prod.lock.json
}

// exampleClient returns a client of srv for an example, which has no
// testing.TB for srv.Client.
func exampleClient(srv *fake.Server) *client.Client {
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL("http://localhost"), client.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		panic(err)
	}
	return c
}

// A plan encodes as JSON for programs (the talkifai command's --json).
func ExamplePlan_json() {
	ctx := context.Background()
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	dir := exampleFolder()
	defer os.RemoveAll(dir)
	store, _ := reconcile.NewFileStore(dir, "")
	eng, _ := reconcile.New(reconcile.Config{Client: exampleClient(srv), Store: store})
	folder, _ := reconcile.Load(dir)
	eng.Apply(ctx, folder, reconcile.ApplyOptions{})
	os.WriteFile(filepath.Join(dir, "prompts", "support.md"), []byte("You help customers.\n"), 0o644)
	folder, _ = reconcile.Load(dir)

	plan, _ := eng.Plan(ctx, folder)
	plan.Digest = "sha256:…" // it changes with every run's times
	out, _ := json.MarshalIndent(plan, "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "version": 1,
	//   "baseURL": "http://localhost",
	//   "serial": 2,
	//   "digest": "sha256:…",
	//   "changes": [
	//     {
	//       "key": "support",
	//       "action": "update",
	//       "id": "agent_1",
	//       "file": "support.yaml",
	//       "hasSpec": true,
	//       "fields": [
	//         {
	//           "field": "systemPrompt",
	//           "old": "You help customers.\nBe brief.",
	//           "new": "You help customers."
	//         }
	//       ],
	//       "patch": {
	//         "systemPrompt": "You help customers."
	//       }
	//     }
	//   ]
	// }
}
