package main

import (
	"encoding/json"
	"fmt"
	"testing"
)

// supportSpec is a text agent's spec; supportBody the create body of the
// same agent with prompt as its prompt.
const supportSpec = "name: Support\nagentArchitecture: text\nmodel: gpt-4o-mini\nsystemPrompt: Help more.\n"

func supportBody(prompt string) string {
	return fmt.Sprintf(`{"name":"Support","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":%q}`, prompt)
}

// pendingLockFile is a lock whose key support holds a create written
// ahead and never confirmed: a run that died between the two.
func pendingLockFile(url, body string) string {
	return fmt.Sprintf(`{"version":1,"baseURL":%q,"serial":1,"agents":{"support":{"pending":{"idempotencyKey":"pending-key-1","body":%s,"since":%q}}}}`,
		url, body, fakeClock)
}

// TestE2EPendingCreate: a lock with a pending create, as a run killed
// between writing it and recording the agent leaves it. plan says
// pending; apply resolves it: it adopts the one agent that the lost create
// made (then updates it to the edited spec), or, when the create never
// arrived, sends it again with the pending entry's own key. Either way one
// agent exists, the lock records it, and the next plan shows no change.
func TestE2EPendingCreate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		arrived  bool   // whether the first create reached the server
		spec     string // the spec, edited after the pending entry or not
		wantPost int    // creates apply sends
	}{
		{"adopt-one", true, supportSpec, 0},
		{"replay-none", false, "name: Support\nagentArchitecture: text\nmodel: gpt-4o-mini\nsystemPrompt: Help.\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(map[string]string{
				"agents/support.yaml":       tc.spec,
				"agents/talkifai.lock.json": pendingLockFile(e.url, supportBody("Help.")),
			})
			var made struct{ ID string }
			if tc.arrived {
				e.api("POST", "/v1/agents", supportBody("Help."), &made)
			}
			// Another agent of another name, which plays no part.
			e.api("POST", "/v1/agents", `{"name":"Sales","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Sell."}`, nil)
			before := len(e.writes())

			plan := e.expect(2, "plan", "--detailed-exitcode")
			js := checkPlanJSON(t, planSchema(t), e.expect(0, "plan", "--json").stdout)
			c := js["changes"].([]any)[0].(map[string]any)
			if _, adopts := c["adopt"]; c["action"] != "pending" || adopts != tc.arrived {
				t.Errorf("plan --json: %v; want pending, with the agent to adopt when the create arrived", c)
			}
			apply := e.expect(0, "apply")
			after := e.expect(0, "plan", "--detailed-exitcode")
			golden(t, "pending-"+tc.name, e.transcript(plan, apply, after))

			var posts []journalEntry
			for _, w := range e.writes()[before:] {
				if w.Method == "POST" {
					posts = append(posts, w)
				}
			}
			if len(posts) != tc.wantPost {
				t.Fatalf("apply sent %d creates, want %d: %v", len(posts), tc.wantPost, posts)
			}
			for _, p := range posts {
				if p.IdempotencyKey != "pending-key-1" {
					t.Errorf("the create was sent with Idempotency-Key %q, want the pending entry's", p.IdempotencyKey)
				}
			}
			var list []struct{ ID, Name string }
			e.api("GET", "/v1/agents", "", &list)
			var ids []string
			for _, a := range list {
				if a.Name == "Support" {
					ids = append(ids, a.ID)
				}
			}
			lock := readLock(t, e, "agents/talkifai.lock.json")
			if len(ids) != 1 || lock.Agents["support"].ID != ids[0] || tc.arrived && ids[0] != made.ID {
				t.Errorf("Support agents %v, locked %q; want one, locked (the one made first: %q)", ids, lock.Agents["support"].ID, made.ID)
			}
			var raw struct {
				Agents map[string]json.RawMessage `json:"agents"`
			}
			json.Unmarshal([]byte(e.read("agents/talkifai.lock.json")), &raw)
			var en struct{ Pending any }
			json.Unmarshal(raw.Agents["support"], &en)
			if en.Pending != nil {
				t.Errorf("the lock still holds the pending create: %s", raw.Agents["support"])
			}
		})
	}
}

// TestE2EImportKeepsSpec: plan's hint for a create whose name a live agent
// has, "talkifai import KEY ID", keeps the spec file and says so; the next
// plan updates that agent instead of creating another.
func TestE2EImportKeepsSpec(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var live struct{ ID string }
	e.api("POST", "/v1/agents", supportBody("Help."), &live)
	e.write(map[string]string{"agents/support.yaml": supportSpec})
	hint := e.expect(2, "plan", "--detailed-exitcode")
	imp := e.expect(0, "import", "support", live.ID)
	if got := e.read("agents/support.yaml"); got != supportSpec {
		t.Errorf("import changed the spec file:\n%s", got)
	}
	update := e.expect(2, "plan", "--detailed-exitcode")
	golden(t, "import-keeps-spec", e.transcript(hint, imp, update))
}

// TestE2EPendingSeveral: two agents could be a pending create's (the
// same body, made twice outside): apply stops for that key and names
// them, and what it says to do settles it: import the right one under the
// key, delete the other; then plan shows no change.
func TestE2EPendingSeveral(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(map[string]string{
		"agents/support.yaml":       "name: Support\nagentArchitecture: text\nmodel: gpt-4o-mini\nsystemPrompt: Help.\n",
		"agents/talkifai.lock.json": pendingLockFile(e.url, supportBody("Help.")),
	})
	var first, second struct{ ID string }
	e.api("POST", "/v1/agents", supportBody("Help."), &first)
	e.api("POST", "/v1/agents", supportBody("Help."), &second)
	plan := e.expect(2, "plan", "--detailed-exitcode")
	stopped := e.expect(1, "apply")
	imp := e.expect(0, "import", "support", second.ID)
	del := e.expect(0, "agents", "delete", first.ID)
	after := e.expect(0, "plan", "--detailed-exitcode")
	golden(t, "pending-several", e.transcript(plan, stopped, imp, del, after))
	if got := readLock(t, e, "agents/talkifai.lock.json").Agents["support"].ID; got != second.ID {
		t.Errorf("locked %s, want %s", got, second.ID)
	}
}
