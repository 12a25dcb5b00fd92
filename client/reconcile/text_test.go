package reconcile_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/client/reconcile"
)

// promptText returns the text form of a plan whose one change turns the
// prompt old into new.
func promptText(t *testing.T, old, new string) string {
	t.Helper()
	enc := func(s string) json.RawMessage {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	p := &reconcile.Plan{Changes: []reconcile.Change{{Key: "k", Action: reconcile.Update, ID: "agent_1", HasSpec: true,
		Fields: []reconcile.FieldChange{{Field: "systemPrompt", Old: enc(old), New: enc(new)}}}}}
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	_, diff, _ := strings.Cut(b.String(), "    systemPrompt:\n")
	return diff
}

// TestPlanTextLineDiff: the line diff of a prompt prints the old lines of
// a change before the new ones, ends no line with white space (a blank
// line is its mark alone), and shows white space at a line's end.
func TestPlanTextLineDiff(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"a changed line", "one\ntwo\nthree", "one\n2\nthree",
			"        one\n      - two\n      + 2\n        three\n"},
		{"two changed lines", "one\ntwo\nthree\nfour", "one\n2\n3\nfour",
			"        one\n      - two\n      - three\n      + 2\n      + 3\n        four\n"},
		{"a blank line added", "one\ntwo", "one\n\ntwo",
			"        one\n      +\n        two\n"},
		{"a blank line removed, a blank context line", "one\n\n\ntwo\nthree", "one\n\ntwo\nthree",
			"      …\n\n      -\n        two\n      …\n"},
		{"white space at the end", "Be kind.  \nBye.\t", "Be kind.\nBye.",
			"      - Be kind.··\n      - Bye.⇥\n      + Be kind.\n      + Bye.\n"},
		{"from nothing", "", "one\n\ntwo",
			"      + one\n      +\n      + two\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, promptText(t, tc.old, tc.new)); diff != "" {
				t.Errorf("line diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanTextLineDiffOrder: for random prompts, within each run of
// changed lines every "-" comes before every "+", and no line ends with
// white space.
func TestPlanTextLineDiffOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	prompt := func() string {
		lines := make([]string, 2+r.IntN(8))
		for i := range lines {
			lines[i] = []string{"", "a", "b", "c ", "long line " + strings.Repeat("x", 70)}[r.IntN(5)]
		}
		return strings.Join(lines, "\n")
	}
	for range 2000 {
		old, new := prompt(), prompt()
		text := promptText(t, old, new)
		added := false
		for line := range strings.Lines(text) {
			line = strings.TrimSuffix(line, "\n")
			if strings.TrimRight(line, " \t") != line {
				t.Fatalf("%q → %q: a line ends with white space: %q", old, new, line)
			}
			switch mark := strings.TrimSpace(line); {
			case strings.HasPrefix(mark, "+"):
				added = true
			case strings.HasPrefix(mark, "-") && added:
				t.Fatalf("%q → %q: a removed line after an added one:\n%s", old, new, text)
			case !strings.HasPrefix(mark, "-"):
				added = false
			}
		}
	}
}

// TestPlanTextPending: a pending create's line says what apply will do
// with it, from the agents that may be its.
func TestPlanTextPending(t *testing.T) {
	p := &reconcile.Plan{Changes: []reconcile.Change{
		{Key: "a", Action: reconcile.Pending, HasSpec: true},
		{Key: "b", Action: reconcile.Pending, HasSpec: true, Adopt: []string{"agent_1"},
			Fields: []reconcile.FieldChange{{Field: "temperature", Old: json.RawMessage("0.2"), New: json.RawMessage("0.4")}}},
		{Key: "c", Action: reconcile.Pending, HasSpec: true, Adopt: []string{"agent_2", "agent_3"}},
		{Key: "d", Action: reconcile.Pending, Adopt: []string{"agent_4"}},
	}}
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Plan: 4 pending.
… a: pending; a create was cut short: apply sends it again with its Idempotency-Key (no agent of it is listed)
… b: pending; a create was cut short: apply adopts agent_1, the agent it made, then updates it to the spec
    temperature: 0.2 → 0.4
… c: pending; a create was cut short: apply adopts the one of agent_2, agent_3 with its content, or stops if not exactly one has it
… d: pending; a create was cut short: apply adopts agent_4, the agent it made, then keeps it as an orphan (the spec is gone; ApplyOptions.Prune deletes it)
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

// TestPlanTextAdvice: the advice in the text is worded by the program that
// shows it, part by part; the parts it leaves out are in the engine's
// terms.
func TestPlanTextAdvice(t *testing.T) {
	p := &reconcile.Plan{Changes: []reconcile.Change{
		{Key: "a", Action: reconcile.Create, HasSpec: true, Adopt: []string{"agent_1"}},
		{Key: "b", Action: reconcile.Missing, ID: "agent_2", HasSpec: true},
		{Key: "c", Action: reconcile.Orphaned, ID: "agent_3"},
	}}
	for _, tc := range []struct {
		name   string
		advice reconcile.Advice
		want   string
	}{
		{"the engine's terms", reconcile.Advice{}, `Plan: 1 create, 1 missing, 1 orphaned.
+ a: create; a live agent has this name: Engine.Import of agent_1 as a adopts it
! b: missing (agent_2); the agent is gone: ApplyOptions.RecreateMissing creates it again
? c: orphaned (agent_3); no spec: kept (ApplyOptions.Prune deletes it)
`},
		{"a program's terms", reconcile.Advice{
			Import:          func(key, id string) string { return "the Adopt button on " + id },
			Prune:           "the Prune box",
			RecreateMissing: "the Recreate box",
		}, `Plan: 1 create, 1 missing, 1 orphaned.
+ a: create; a live agent has this name: the Adopt button on agent_1 adopts it
! b: missing (agent_2); the agent is gone: the Recreate box creates it again
? c: orphaned (agent_3); no spec: kept (the Prune box deletes it)
`},
		{"some parts", reconcile.Advice{Prune: "--prune"}, `Plan: 1 create, 1 missing, 1 orphaned.
+ a: create; a live agent has this name: Engine.Import of agent_1 as a adopts it
! b: missing (agent_2); the agent is gone: ApplyOptions.RecreateMissing creates it again
? c: orphaned (agent_3); no spec: kept (--prune deletes it)
`},
	} {
		var b strings.Builder
		if err := p.WriteTextAdvice(&b, tc.advice); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, b.String()); diff != "" {
			t.Errorf("%s: text (-want +got):\n%s", tc.name, diff)
		}
	}
}
