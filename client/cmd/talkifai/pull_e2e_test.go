package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestE2EPullResumes: a pull cut short after writing specs and before
// locking them (here: the lock removed after a pull) is finished by
// pulling again: the specs already there are kept and locked, none is
// written twice, and plan shows no change.
func TestE2EPullResumes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seed(e)
	e.expect(0, "pull")
	spec := e.read("agents/support-bot.yaml")
	if err := os.Remove(filepath.Join(e.dir, "agents/talkifai.lock.json")); err != nil {
		t.Fatal(err)
	}
	again := e.expect(0, "pull")
	quiet := e.expect(0, "plan", "--detailed-exitcode")
	golden(t, "pull-resumes", e.transcript(again, quiet))
	if e.read("agents/support-bot.yaml") != spec {
		t.Error("the second pull changed a spec")
	}
	if files, _ := filepath.Glob(filepath.Join(e.dir, "agents/*.yaml")); len(files) != 3 {
		t.Errorf("spec files %v, want the three of the first pull", files)
	}
}

// TestE2EPullPartial: a pull that fails part way (a prompt file of other
// content is in the way of one agent's) says what it pulled and locked,
// and that a rerun finishes; once the file is out of the way, it does.
func TestE2EPullPartial(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seed(e)
	e.api("POST", "/v1/agents", `{"name":"Later","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Two\nlines."}`, nil)
	e.write(map[string]string{"agents/prompts/later.md": "Something else.\n"})
	partial := e.expect(1, "pull")
	if err := os.Remove(filepath.Join(e.dir, "agents/prompts/later.md")); err != nil {
		t.Fatal(err)
	}
	rest := e.expect(0, "pull")
	quiet := e.expect(0, "plan", "--detailed-exitcode")
	golden(t, "pull-partial", e.transcript(partial, rest, quiet))
}
