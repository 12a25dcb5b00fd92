package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// threeSpecs is a folder of three specs, one of each architecture, in both
// formats, with a long prompt in a Markdown file.
var threeSpecs = map[string]string{
	"agents/support.yaml": `name: Support Bot
agentArchitecture: pipeline
model: gpt-4o
stt: deepgram
tts: cartesia
temperature: 0.4
enabledFunctions: [web_search]
systemPromptFile: prompts/support.md
`,
	"agents/prompts/support.md": `You are Acme's support agent.

Be brief and kind.
Never promise refunds; hand them to a person.
Answer in the caller's language.
`,
	"agents/concierge.yaml": `name: Voice Concierge
agentArchitecture: realtime
realtimeProvider: openai
mode: public
systemPrompt: Greet callers and route them.
`,
	"agents/docs.json": `{"name": "Docs Helper", "agentArchitecture": "text", "model": "gpt-4o-mini",
 "systemPrompt": "Answer questions about our docs."}
`,
}

func TestE2EValidate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)
	good := e.expect(0, "validate")
	e.write(map[string]string{
		"agents/support.yaml": strings.Replace(threeSpecs["agents/support.yaml"], "temperature: 0.4", "temperature: 3", 1),
		"agents/broken.yml":   "name: Broken\nagentArchitecture: text\nsystemPrompt: hi\ncolour: red\nname: Again\n",
		"agents/docs.json":    `{"name": "", "agentArchitecture": "text", "systemPrompt": "x"}`,
	})
	bad := e.expect(1, "validate")
	missing := e.expect(1, "validate", "nowhere")
	golden(t, "validate", e.transcript(good, bad, missing))
	if len(e.journal()) != 0 {
		t.Errorf("validate sent requests: %v", e.journal())
	}
}

func TestE2EPlanApplyDrift(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)

	// A first plan creates the three; apply does; a second plan is quiet.
	plan1 := e.expect(2, "plan", "--detailed-exitcode")
	apply1 := e.expect(0, "apply")
	plan2 := e.expect(0, "plan", "--detailed-exitcode")
	lock := readLock(t, e, "agents/talkifai.lock.json")
	if got := slices.Sorted(maps.Keys(lock.Agents)); !slices.Equal(got, []string{"concierge", "docs", "support"}) {
		t.Fatalf("lock keys = %v", got)
	}

	// Someone edits the support agent in the dashboard: the plan shows
	// each changed field as drift, with the prompt as a line diff.
	id := lock.Agents["support"].ID
	e.api("PATCH", "/v1/agents/"+id, `{"temperature":0.9,"systemPrompt":"You are Acme's support agent.\n\nBe brief and kind.\nOffer refunds freely.\nAnswer in the caller's language.\n","voiceId":"v_ana"}`, nil)
	drift := e.expect(2, "plan", "--detailed-exitcode")

	// --fail-on-drift writes nothing: no request, the lock as it was.
	before, lockBefore := len(e.writes()), e.read("agents/talkifai.lock.json")
	failDrift := e.expect(1, "apply", "--fail-on-drift")
	if len(e.writes()) != before || e.read("agents/talkifai.lock.json") != lockBefore {
		t.Error("apply --fail-on-drift wrote")
	}

	// --dry-run shows the requests and sends none.
	dry := e.expect(0, "apply", "--dry-run")
	if len(e.writes()) != before || e.read("agents/talkifai.lock.json") != lockBefore {
		t.Error("apply --dry-run wrote")
	}
	apply2 := e.expect(0, "apply")
	plan3 := e.expect(0, "plan", "--detailed-exitcode")
	golden(t, "workflow", e.transcript(plan1, apply1, plan2, drift, failDrift, dry, apply2, plan3))
}

func TestE2ESavedPlanAndPrune(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)
	e.expect(0, "apply")
	lock := readLock(t, e, "agents/talkifai.lock.json")

	// A plan saved, then the live agent changes: applying it is refused,
	// and nothing is written.
	e.write(map[string]string{"agents/docs.json": `{"name": "Docs Helper", "agentArchitecture": "text", "model": "gpt-4o", "systemPrompt": "Answer questions about our docs."}`})
	saved := e.expect(0, "plan", "--out", "plan.json")
	e.api("PATCH", "/v1/agents/"+lock.Agents["concierge"].ID, `{"active":true}`, nil)
	before := len(e.writes())
	stale := e.expect(1, "apply", "--plan", "plan.json")
	if len(e.writes()) != before {
		t.Error("a stale plan was applied")
	}
	// A fresh plan saved and applied at once goes through.
	e.expect(0, "plan", "--out", "plan.json")
	fresh := e.expect(0, "apply", "--plan", "plan.json")

	// A spec removed: the agent is kept and said so, until --prune.
	if err := os.Remove(filepath.Join(e.dir, "agents/concierge.yaml")); err != nil {
		t.Fatal(err)
	}
	orphan := e.expect(0, "plan")
	keep := e.expect(0, "apply")
	prune := e.expect(0, "apply", "--prune")
	var deletes []string
	for _, w := range e.writes() {
		if w.Method == "DELETE" {
			deletes = append(deletes, w.Path)
		}
	}
	if want := []string{"/v1/agents/" + lock.Agents["concierge"].ID}; !slices.Equal(deletes, want) {
		t.Errorf("DELETEs sent = %v, want %v", deletes, want)
	}
	if _, ok := readLock(t, e, "agents/talkifai.lock.json").Agents["concierge"]; ok {
		t.Error("the pruned agent is still in the lock")
	}
	golden(t, "saved-plan-prune", e.transcript(saved, stale, fresh, orphan, keep, prune))
}

func TestE2EMissingAndEnv(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)
	e.expect(0, "apply", "--env", "staging")
	if _, err := os.Stat(filepath.Join(e.dir, "agents/talkifai.staging.lock.json")); err != nil {
		t.Fatalf("--env staging wrote no talkifai.staging.lock.json: %v", err)
	}
	lock := readLock(t, e, "agents/talkifai.staging.lock.json")
	e.api("DELETE", "/v1/agents/"+lock.Agents["docs"].ID, "", nil)
	plan := e.expect(0, "plan", "--env", "staging")
	refused := e.expect(1, "apply", "--env", "staging")
	recreated := e.expect(0, "apply", "--env", "staging", "--recreate-missing")
	golden(t, "missing", e.transcript(plan, refused, recreated))
}

func TestE2EPullImportMv(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := seed(e)
	e.api("POST", "/v1/agents", `{"name":"Support Bot","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"A second one."}`, nil)
	pull := e.expect(0, "pull")
	quiet := e.expect(0, "plan", "--detailed-exitcode")
	e.key = "" // mv sends no request, and needs no key
	mv := e.expect(0, "mv", "support-bot-2", "support-text")
	e.key = "tk_test_acme_owner"
	afterMv := e.expect(0, "plan", "--detailed-exitcode")

	var extra struct{ ID string }
	e.api("POST", "/v1/agents", `{"name":"Later","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Made in the dashboard."}`, &extra)
	imp := e.expect(0, "import", "later", extra.ID)
	taken := e.expect(1, "import", "later", ids[0])
	afterImport := e.expect(0, "plan", "--detailed-exitcode")
	golden(t, "pull-import-mv", e.transcript(pull, quiet, mv, afterMv, imp, taken, afterImport))
	golden(t, "pulled-support-bot.yaml", e.normalize(e.read("agents/support-bot.yaml")))
	golden(t, "pulled-support-bot.md", e.read("agents/prompts/support-bot.md"))
}

// lockFile is the part of the lock the tests read.
type lockFile struct {
	BaseURL string `json:"baseURL"`
	Serial  int    `json:"serial"`
	Agents  map[string]struct {
		ID string `json:"id"`
	} `json:"agents"`
}

func readLock(t *testing.T, e *env, name string) lockFile {
	t.Helper()
	var l lockFile
	if err := json.Unmarshal([]byte(e.read(name)), &l); err != nil {
		t.Fatal(err)
	}
	if l.BaseURL != e.url {
		t.Errorf("lock baseURL = %q, want %q", l.BaseURL, e.url)
	}
	return l
}

// TestE2EPlanReadErrorAdvice: when plan cannot read the agents because the
// key is refused, it exits 1 and says to check the key.
func TestE2EPlanReadErrorAdvice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(threeSpecs)
	e.expect(0, "apply")
	e.key = "tk_test_wrong"
	for _, args := range [][]string{{"plan"}, {"plan", "--detailed-exitcode"}, {"apply"}} {
		r := e.expect(1, args...)
		if !strings.Contains(r.stderr+r.stdout, "check TALKIFAI_API_KEY: the server does not accept this key") {
			t.Errorf("%q says nothing of the key:\n%s%s", args, r.stdout, r.stderr)
		}
	}
}
