package reconcile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

func TestKeyFromName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Support Bot", "support-bot"},
		{"  Support -- Bot!  ", "support-bot"},
		{"Sales_EU 2", "sales-eu-2"},
		{"Café Olé", "caf-ol"},
		{"日本語", "agent"},
		{"", "agent"},
		{"---", "agent"},
		{"x234567890123456789012345678901234567890123456789012345678901234567890", "x23456789012345678901234567890123456789012345678901234567890123"},
		{strings.Repeat("y", 62) + " z", strings.Repeat("y", 62)}, // cut to 63, then the "-" at the end dropped
	} {
		got := reconcile.KeyFromName(tc.name)
		if got != tc.want || !reconcile.ValidKey(got) {
			t.Errorf("KeyFromName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestAssignKeys: repeats get -2, -3 in createdAt order, skipping keys in
// use.
func TestAssignKeys(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	list := []agents.Summary{ // newest first, as the API lists them
		{ID: "agent_4", Name: "Support", CreatedAt: at(3)},
		{ID: "agent_3", Name: "support!", CreatedAt: at(2)},
		{ID: "agent_2", Name: "Sales", CreatedAt: at(1)},
		{ID: "agent_1", Name: "SUPPORT", CreatedAt: at(1)},
	}
	taken := map[string]bool{"sales": true, "support-3": true}
	got := reconcile.AssignKeys(list, func(k string) bool { return taken[k] })
	want := map[string]string{"agent_1": "support", "agent_2": "sales-2", "agent_3": "support-2", "agent_4": "support-4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

// TestWriteSpec: the file holds the agent's fields but its defaults, a
// prompt with a line break goes to prompts/KEY.md, and Load reads back the
// same agent. Nothing is overwritten.
func TestWriteSpec(t *testing.T) {
	dir := t.TempDir()
	a := agents.Agent{
		ID: "agent_1", Name: "Voice: EU", Architecture: agents.Pipeline, Model: "gpt-4o", STT: "deepgram", TTS: "cartesia",
		SystemPrompt: "Line one.\nLine two: \"quoted\".\n", Language: "en", Mode: agents.Public, Active: false,
		EnabledFunctions: []string{"web_search"}, EnabledCustomFunctions: []string{}, Temperature: new(0.0),
	}
	paths, err := reconcile.WriteSpec(dir, "voice", a)
	if err != nil {
		t.Fatal(err)
	}
	wantPaths := []string{filepath.Join(dir, "prompts", "voice.md"), filepath.Join(dir, "voice.yaml")}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	spec, _ := os.ReadFile(filepath.Join(dir, "voice.yaml"))
	wantSpec := `name: "Voice: EU"
agentArchitecture: pipeline
model: gpt-4o
stt: deepgram
tts: cartesia
systemPromptFile: prompts/voice.md
mode: public
temperature: 0.0
enabledFunctions:
- web_search
`
	if string(spec) != wantSpec {
		t.Errorf("spec file:\n%s\nwant:\n%s", spec, wantSpec)
	}
	f, err := reconcile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(f.Specs[0].Params), mustJSON(reconcile.SpecFromAgent(a)); got != want {
		t.Errorf("read back\n got %s\nwant %s", got, want)
	}
	if f.Specs[0].Params.SystemPrompt.Or("") != a.SystemPrompt {
		t.Errorf("prompt read back %q", f.Specs[0].Params.SystemPrompt.Or(""))
	}
	if _, err := reconcile.WriteSpec(dir, "voice", a); !errors.Is(err, reconcile.ErrKeyTaken) {
		t.Errorf("second WriteSpec: %v, want ErrKeyTaken", err)
	}
	// A one-line prompt stays inline.
	a.SystemPrompt = "One line."
	if _, err := reconcile.WriteSpec(dir, "short", a); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "prompts", "short.md")); err == nil {
		t.Error("a one-line prompt went to a file")
	}
}

// TestImportPullMove: import locks one agent, pull the rest; the plan then
// shows no change; mv renames the file and the entry, not the agent.
func TestImportPullMove(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Help."))
	e.clock.Advance(time.Second)
	b := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Sales", "Sell.\nWell."))
	e.clock.Advance(time.Second)
	c := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Sales", "Sell more."))

	imported, err := e.eng.Import(ctx, e.dir, "helpdesk", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(e.dir, "helpdesk.yaml")
	if diff := cmp.Diff(reconcile.Adopted{Key: "helpdesk", ID: a.ID, SpecFile: spec, Written: []string{spec}}, imported); diff != "" {
		t.Errorf("Import (-want +got):\n%s", diff)
	}
	if _, err := e.eng.Import(ctx, e.dir, "other", a.ID); !errors.Is(err, reconcile.ErrKeyTaken) {
		t.Errorf("importing a locked agent again: %v, want ErrKeyTaken", err)
	}
	if _, err := e.eng.Import(ctx, e.dir, "helpdesk", b.ID); !errors.Is(err, reconcile.ErrKeyTaken) {
		t.Errorf("importing under a taken key: %v, want ErrKeyTaken", err)
	}
	pulled, err := e.eng.Pull(ctx, e.dir)
	if err != nil {
		t.Fatal(err)
	}
	in := e.path
	want := []reconcile.Adopted{
		{Key: "sales", ID: b.ID, SpecFile: in("sales.yaml"), Written: []string{in("prompts/sales.md"), in("sales.yaml")}},
		{Key: "sales-2", ID: c.ID, SpecFile: in("sales-2.yaml"), Written: []string{in("sales-2.yaml")}},
	}
	if diff := cmp.Diff(want, pulled); diff != "" {
		t.Errorf("pulled (-want +got):\n%s", diff)
	}
	l := e.lock()
	ids := map[string]string{}
	for k, en := range l.Agents {
		ids[k] = en.ID
	}
	if diff := cmp.Diff(map[string]string{"helpdesk": a.ID, "sales": b.ID, "sales-2": c.ID}, ids); diff != "" {
		t.Errorf("lock (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "prompts", "sales.md")); err != nil {
		t.Errorf("the two-line prompt has no file: %v", err)
	}
	if p := e.plan(); p.HasChanges() {
		t.Errorf("plan after pull has changes: %s", mustJSON(p.Changes))
	}
	if again, err := e.eng.Pull(ctx, e.dir); err != nil || len(again) != 0 {
		t.Errorf("second pull: %v, %v; want nothing", again, err)
	}

	if err := reconcile.Move(ctx, e.store, e.dir, "sales-2", "sales-eu"); err != nil {
		t.Fatal(err)
	}
	if err := reconcile.Move(ctx, e.store, e.dir, "sales", "helpdesk"); !errors.Is(err, reconcile.ErrKeyTaken) {
		t.Errorf("mv onto a taken key: %v, want ErrKeyTaken", err)
	}
	if err := reconcile.Move(ctx, e.store, e.dir, "sales-2", "sales-eu"); !errors.Is(err, reconcile.ErrNoEntry) {
		t.Errorf("the same mv again: %v, want ErrNoEntry", err)
	}
	if err := reconcile.Move(ctx, e.store, e.dir, "nothing", "x"); !errors.Is(err, reconcile.ErrNoEntry) {
		t.Errorf("mv of nothing: %v, want ErrNoEntry", err)
	}
	if en := e.lock().Agents["sales-eu"]; en == nil || en.ID != c.ID {
		t.Errorf("entry after mv: %+v", en)
	}
	p := e.plan()
	if p.HasChanges() {
		t.Errorf("plan after mv has changes: %s", mustJSON(p.Changes))
	}
	if len(e.writes()) != 0 {
		t.Errorf("import, pull and mv sent writes: %v", e.writes())
	}
}

// TestMoveResumes: a mv cut short after renaming the file is finished by
// running it again.
func TestMoveResumes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.seed("old", textSpec("Support", "Help."))
	if err := os.Rename(filepath.Join(e.dir, "old.yaml"), filepath.Join(e.dir, "new.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := reconcile.Move(ctx, e.store, e.dir, "old", "new"); err != nil {
		t.Fatal(err)
	}
	if p := e.plan(); p.HasChanges() {
		t.Errorf("plan after the resumed mv: %s", mustJSON(p.Changes))
	}
}

// TestImportAdoptsForASpec: the plan's hint for a create whose name a live
// agent has, "talkifai import KEY ID", keeps the spec file and locks the
// agent; the next plan updates that agent instead of creating another.
func TestImportAdoptsForASpec(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Old prompt."))
	e.write("support.yaml", textSpec("Support", "Help."))
	p := e.plan()
	if c := p.Changes[0]; c.Action != reconcile.Create || len(c.Adopt) != 1 || c.Adopt[0] != a.ID {
		t.Fatalf("plan: %s", mustJSON(p.Changes))
	}
	imported, err := e.eng.Import(ctx, e.dir, "support", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(reconcile.Adopted{Key: "support", ID: a.ID, SpecFile: filepath.Join(e.dir, "support.yaml")}, imported); diff != "" {
		t.Errorf("Import kept the spec (-want +got):\n%s", diff)
	}
	data, _ := os.ReadFile(filepath.Join(e.dir, "support.yaml"))
	if string(data) != textSpec("Support", "Help.") {
		t.Errorf("import changed the spec file:\n%s", data)
	}
	wantChange(t, e.plan(), "support", `{"key":"support","action":"update","id":"`+a.ID+`","file":"support.yaml","hasSpec":true,
		"fields":[{"field":"systemPrompt","old":"Old prompt.","new":"Help."}],"patch":{"systemPrompt":"Help."}}`)
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpUpdate)
	if n := len(e.srv.Agents(t, "org_acme")); n != 1 {
		t.Errorf("%d agents, want the one adopted", n)
	}
}

// TestPullResumes: a pull cut short after writing a spec and before
// locking it (here, the lock write fails) leaves a spec whose plan says
// create, with the hint to import the agent; a second pull finishes the
// job: it locks the agent under the spec already there, writes no second
// spec, and the plan shows no change. A prompt file left by a pull cut
// short before its spec is reused, not refused.
func TestPullResumes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Help.\nKindly."))
	e.clock.Advance(time.Second)
	b := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Help again."))
	e.clock.Advance(time.Second)
	c := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Sales", "Sell.\nWell."))

	crash := errors.New("crash")
	e.store.failWrites(crash)
	if _, err := e.eng.Pull(ctx, e.dir); !errors.Is(err, crash) {
		t.Fatalf("Pull with the lock failing: %v, want the crash", err)
	}
	e.store.failWrites(nil)
	// Pull goes oldest first: the first Support agent's spec is written,
	// its lock entry is not.
	wantChange(t, e.plan(), "support", `{"key":"support","action":"create","file":"support.yaml","hasSpec":true,
		"fields":[{"field":"name","new":"Support"},{"field":"agentArchitecture","new":"text"},{"field":"model","new":"gpt-4o-mini"},{"field":"systemPrompt","new":"Help.\nKindly."}],
		"body":{"name":"Support","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Help.\nKindly."},
		"adopt":["`+b.ID+`","`+a.ID+`"]}`)
	// And the Sales agent's prompt file, as if cut short before its spec.
	e.write("prompts/sales.md", "Sell.\nWell.\n")

	pulled, err := e.eng.Pull(ctx, e.dir)
	if err != nil {
		t.Fatal(err)
	}
	in := e.path
	want := []reconcile.Adopted{
		{Key: "sales", ID: c.ID, SpecFile: in("sales.yaml"), Written: []string{in("sales.yaml")}},
		{Key: "support", ID: a.ID, SpecFile: in("support.yaml")},
		{Key: "support-2", ID: b.ID, SpecFile: in("support-2.yaml"), Written: []string{in("support-2.yaml")}},
	}
	if diff := cmp.Diff(want, pulled); diff != "" {
		t.Errorf("second pull (-want +got):\n%s", diff)
	}
	if p := e.plan(); p.HasChanges() {
		t.Errorf("plan after the second pull has changes: %s", mustJSON(p.Changes))
	}
	files, _ := filepath.Glob(in("*.yaml"))
	if len(files) != 3 {
		t.Errorf("spec files %v, want one per agent", files)
	}
}

// TestPullAdoptsOnlyWhatASpecDescribes: an unlocked spec that differs from
// the live agent in any field is not adopted by pull: the agent gets a
// spec of its own, and the plan keeps saying create for the other.
func TestPullAdoptsOnlyWhatASpecDescribes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Help."))
	e.write("support.yaml", textSpec("Support", "Help, but differently."))
	pulled, err := e.eng.Pull(ctx, e.dir)
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(e.dir, "support-2.yaml")
	if diff := cmp.Diff([]reconcile.Adopted{{Key: "support-2", ID: a.ID, SpecFile: spec, Written: []string{spec}}}, pulled); diff != "" {
		t.Errorf("pull (-want +got):\n%s", diff)
	}
	if c := e.plan().Changes[0]; c.Key != "support" || c.Action != reconcile.Create {
		t.Errorf("plan of the other spec: %s", mustJSON(c))
	}
}
