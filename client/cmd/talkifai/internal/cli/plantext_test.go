package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// TestPlanColour checks that the plan's text is coloured on a terminal by
// what each line says, and is the engine's text with the command's advice,
// unchanged, elsewhere.
func TestPlanColour(t *testing.T) {
	t.Parallel()
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	plan := &reconcile.Plan{Version: 1, Changes: []reconcile.Change{
		{Key: "a", Action: reconcile.Create, HasSpec: true, Fields: []reconcile.FieldChange{{Field: "name", New: raw(`"A"`)}}},
		{Key: "b", Action: reconcile.Update, ID: "agent_2", HasSpec: true, Fields: []reconcile.FieldChange{
			{Field: "temperature", Old: raw(`0.9`), New: raw(`0.4`), Drift: true},
			{Field: "systemPrompt", Old: raw(`"one\ntwo\nthree"`), New: raw(`"one\n2\nthree"`)},
		}},
		{Key: "c", Action: reconcile.Missing, ID: "agent_3", HasSpec: true},
		{Key: "d", Action: reconcile.NoChange, ID: "agent_4", HasSpec: true},
	}}
	var want strings.Builder
	if err := plan.WriteTextAdvice(&want, commandAdvice("")); err != nil {
		t.Fatal(err)
	}
	plain, _, plainOut, _ := iostreams.Test()
	if err := writePlanText(plain, plan, ""); err != nil {
		t.Fatal(err)
	}
	if plainOut.String() != want.String() {
		t.Errorf("without a terminal the text differs from the engine's:\n%s\nwant\n%s", plainOut, want.String())
	}
	tty, _, ttyOut, _ := iostreams.Test()
	tty.SetStdoutTTY(true)
	if err := writePlanText(tty, plan, ""); err != nil {
		t.Fatal(err)
	}
	colours := map[string]string{}
	for line := range strings.Lines(ttyOut.String()) {
		plainLine := stripANSI(strings.TrimSuffix(line, "\n"))
		colours[strings.TrimSpace(plainLine)] = strings.TrimSuffix(strings.TrimPrefix(line, "\x1b["), "\n")[:3]
	}
	for line, code := range map[string]string{ // line prefixes
		"+ a: create":                    "32m",
		"temperature (drift): 0.9 → 0.4": "33m",
		"+ 2":                            "32m",
		"- two":                          "31m",
		"! c: missing":                   "31m",
		"= d: no-change (agent_4)":       "90m",
	} {
		got, ok := "", false
		for l, c := range colours {
			if strings.HasPrefix(l, line) {
				got, ok = c, true
			}
		}
		if !ok {
			t.Errorf("no line %q in the text:\n%s", line, stripANSI(ttyOut.String()))
			continue
		}
		if got != code {
			t.Errorf("line %q has colour %q, want %q", line, got, code)
		}
	}
	if stripANSI(ttyOut.String()) != want.String() {
		t.Errorf("the coloured text, without its colour, differs from the engine's")
	}
}

// TestPlanTextEnv: with --env, the import hint names the environment, so
// that following it imports into that environment's lock.
func TestPlanTextEnv(t *testing.T) {
	t.Parallel()
	plan := &reconcile.Plan{Version: 1, Changes: []reconcile.Change{
		{Key: "a", Action: reconcile.Create, HasSpec: true, Adopt: []string{"agent_1"}},
	}}
	ios, _, out, _ := iostreams.Test()
	if err := writePlanText(ios, plan, "staging"); err != nil {
		t.Fatal(err)
	}
	want := "Plan: 1 create.\n+ a: create; a live agent has this name: talkifai import --env staging a agent_1 adopts it\n"
	if out.String() != want {
		t.Errorf("text:\n%s\nwant\n%s", out, want)
	}
}
