package agents

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFieldsListEveryField keeps the field list complete: it names every
// JSON field of CreateParams, in order, and carries each one to an Agent
// and back.
func TestFieldsListEveryField(t *testing.T) {
	t.Parallel()
	var want []string
	ct := reflect.TypeFor[CreateParams]()
	for i := range ct.NumField() {
		name, _, _ := strings.Cut(ct.Field(i).Tag.Get("json"), ",")
		want = append(want, name)
	}
	var got []string
	visitFields(&CreateParams{}, func(name string, _ bool, _ state) { got = append(got, name) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("fields (-CreateParams +fields):\n%s", diff)
	}

	// Every field set to something other than its default reaches every
	// writable field of the agent, and comes back unchanged.
	p := CreateParams{
		Name: Value("n"), Architecture: Value(Pipeline), Model: Value("m"), STT: Value("s"), TTS: Value("t"),
		RealtimeProvider: Value("r"), VoiceID: Value("v"), SystemPrompt: Value("p"), Language: Value("de"),
		Mode: Value(Public), Active: Value(true), Temperature: Value(0.5),
		EnabledFunctions: Value([]string{"f"}), EnabledCustomFunctions: Value([]string{"c"}),
	}
	a := newAgent(p, "agent_1", time.Unix(1, 0))
	av := reflect.ValueOf(a)
	for i := range av.NumField() {
		if av.Field(i).IsZero() {
			t.Errorf("newAgent left Agent.%s unset", av.Type().Field(i).Name)
		}
	}
	if diff := cmp.Diff(p, draft(a), cmp.AllowUnexported(Optional[string]{}, Optional[Architecture]{}, Optional[Mode]{},
		Optional[bool]{}, Optional[float64]{}, Optional[[]string]{})); diff != "" {
		t.Errorf("draft(newAgent(p)) (-p +draft):\n%s", diff)
	}
}

// TestDiffCoversEveryField: from an agent with every default to one with
// every field set otherwise, Diff's patch touches every field that
// eachField names.
func TestDiffCoversEveryField(t *testing.T) {
	t.Parallel()
	desired := CreateParams{
		Name: Value("n"), Architecture: Value(Pipeline), Model: Value("m"), STT: Value("s"), TTS: Value("t"),
		RealtimeProvider: Value("r"), VoiceID: Value("v"), SystemPrompt: Value("p"), Language: Value("de"),
		Mode: Value(Public), Active: Value(true), Temperature: Value(0.5),
		EnabledFunctions: Value([]string{"f"}), EnabledCustomFunctions: Value([]string{"c"}),
	}
	live := newAgent(CreateParams{}, "agent_1", time.Unix(1, 0))
	var untouched []string
	for name, touched := range Diff(live, desired).touched() {
		if !touched {
			untouched = append(untouched, name)
		}
	}
	if len(untouched) > 0 {
		t.Errorf("Diff leaves out %v", untouched)
	}
}
