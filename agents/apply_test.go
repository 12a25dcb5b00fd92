package agents_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

var (
	created = time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	updated = time.Date(2024, 1, 16, 9, 0, 0, 0, time.UTC)
)

func ptr[T any](v T) *T { return &v }

// storedPipeline is a pipeline agent with every optional field set.
func storedPipeline() agents.Agent {
	return agents.Agent{
		ID: "agent_p1", Name: "Support Bot", Architecture: agents.Pipeline,
		Model: "gpt-4o", STT: "deepgram", TTS: "cartesia", VoiceID: "sonic",
		SystemPrompt: "Help.", Language: "en-US", Mode: agents.Private, Active: true,
		Temperature: ptr(0.7), EnabledFunctions: []string{"web_search"}, EnabledCustomFunctions: []string{"crm_lookup"},
		CreatedAt: created, UpdatedAt: updated,
	}
}

func storedRealtime() agents.Agent {
	return agents.Agent{
		ID: "agent_r1", Name: "Concierge", Architecture: agents.Realtime,
		Model: "gpt-4o-realtime", RealtimeProvider: "openai", VoiceID: "alloy",
		SystemPrompt: "Greet.", Language: "en", Mode: agents.Public,
		EnabledFunctions: []string{}, EnabledCustomFunctions: []string{},
		CreatedAt: created, UpdatedAt: updated,
	}
}

func storedText() agents.Agent {
	return agents.Agent{
		ID: "agent_t1", Name: "Chat", Architecture: agents.Text, Model: "gpt-4o-mini",
		SystemPrompt: "Chat.", Language: "en", Mode: agents.Commercial,
		EnabledFunctions: []string{}, EnabledCustomFunctions: []string{},
		CreatedAt: created, UpdatedAt: updated,
	}
}

// decodePatch decodes a PATCH body as the fake does.
func decodePatch(t *testing.T, body string) agents.UpdateParams {
	t.Helper()
	var p agents.UpdateParams
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return p
}

// TestApply covers every PATCH rule of contract section 5 and the PATCH
// fine points of section 9.
func TestApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule   string
		stored func() agents.Agent
		patch  string
		want   func(*agents.Agent) // the expected change to the stored agent
		errs   []string            // or the expected field errors
	}{
		{"{} is a valid no-op", storedPipeline, `{}`, func(*agents.Agent) {}, nil},
		{"a field that is absent does not change", storedPipeline, `{"name":"New"}`, func(a *agents.Agent) { a.Name = "New" }, nil},
		{"a field with a value is set", storedRealtime, `{"active":true,"temperature":0,"mode":"private"}`, func(a *agents.Agent) {
			a.Active, a.Temperature, a.Mode = true, ptr(0.0), agents.Private
		}, nil},
		{"null clears model on realtime", storedRealtime, `{"model":null}`, func(a *agents.Agent) { a.Model = "" }, nil},
		{"null clears voiceId", storedPipeline, `{"voiceId":null}`, func(a *agents.Agent) { a.VoiceID = "" }, nil},
		{"null clears temperature", storedPipeline, `{"temperature":null}`, func(a *agents.Agent) { a.Temperature = nil }, nil},
		{"null sets language back to en", storedPipeline, `{"language":null}`, func(a *agents.Agent) { a.Language = "en" }, nil},
		{"null sets the two arrays back to []", storedPipeline, `{"enabledFunctions":null,"enabledCustomFunctions":null}`, func(a *agents.Agent) {
			a.EnabledFunctions, a.EnabledCustomFunctions = []string{}, []string{}
		}, nil},
		{"null on a field that is already unset changes nothing", storedText, `{"voiceId":null,"temperature":null,"stt":null}`, func(*agents.Agent) {}, nil},
		{"null on name is required", storedPipeline, `{"name":null}`, nil, []string{"name:required"}},
		{"null on agentArchitecture is required", storedPipeline, `{"agentArchitecture":null}`, nil, []string{"agentArchitecture:required"}},
		{"null on systemPrompt is required", storedPipeline, `{"systemPrompt":null}`, nil, []string{"systemPrompt:required"}},
		{"null on mode is required", storedPipeline, `{"mode":null}`, nil, []string{"mode:required"}},
		{"null on active is required", storedPipeline, `{"active":null}`, nil, []string{"active:required"}},
		{"null on a field pipeline requires is required", storedPipeline, `{"stt":null,"model":null}`, nil, []string{"model:required", "stt:required"}},
		{"null on a field realtime requires is required", storedRealtime, `{"realtimeProvider":null}`, nil, []string{"realtimeProvider:required"}},
		{"null on tts of pipeline is required", storedPipeline, `{"tts":null}`, nil, []string{"tts:required"}},
		{"null clears a field not applicable to the architecture", storedRealtime, `{"stt":null,"tts":null}`, func(*agents.Agent) {}, nil},
		{"null on a field text requires is required", storedText, `{"model":null}`, nil, []string{"model:required"}},
		{"the result is validated: value rules", storedPipeline, `{"name":"","temperature":2.5,"language":"english","mode":"secret"}`, nil,
			[]string{"language:invalid_format", "mode:invalid_value", "name:too_short", "temperature:out_of_range"}},
		{"the result is validated: not_applicable", storedText, `{"stt":"deepgram"}`, nil, []string{"stt:not_applicable"}},
		{"architecture change without the nulls is not_applicable", storedPipeline, `{"agentArchitecture":"realtime","realtimeProvider":"openai"}`, nil,
			[]string{"stt:not_applicable", "tts:not_applicable"}},
		{"architecture change with the nulls", storedPipeline, `{"agentArchitecture":"realtime","realtimeProvider":"openai","stt":null,"tts":null}`, func(a *agents.Agent) {
			a.Architecture, a.RealtimeProvider, a.STT, a.TTS = agents.Realtime, "openai", "", ""
		}, nil},
		{"architecture change missing a field the new one requires", storedPipeline, `{"agentArchitecture":"realtime","stt":null,"tts":null}`, nil,
			[]string{"realtimeProvider:required"}},
		{"realtime to text needs model and no voice", storedRealtime, `{"agentArchitecture":"text","model":null,"realtimeProvider":null}`, nil,
			[]string{"model:required", "voiceId:not_applicable"}},
		{"realtime to text done right", storedRealtime, `{"agentArchitecture":"text","realtimeProvider":null,"voiceId":null}`, func(a *agents.Agent) {
			a.Architecture, a.RealtimeProvider, a.VoiceID = agents.Text, "", ""
		}, nil},
		{"text to pipeline", storedText, `{"agentArchitecture":"pipeline","stt":"deepgram","tts":"cartesia"}`, func(a *agents.Agent) {
			a.Architecture, a.STT, a.TTS = agents.Pipeline, "deepgram", "cartesia"
		}, nil},
		{"unknown architecture in a patch", storedText, `{"agentArchitecture":"hybrid"}`, nil, []string{"agentArchitecture:invalid_value"}},
		{"array items in a patch", storedPipeline, `{"enabledFunctions":["a","","a"]}`, nil, []string{"enabledFunctions[1]:too_short", "enabledFunctions[2]:duplicate"}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			stored := tt.stored()
			got, err := decodePatch(t, tt.patch).Apply(stored)
			if diff := cmp.Diff(tt.errs, fieldCodes(t, err)); diff != "" {
				t.Fatalf("Apply errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stored(), stored); diff != "" {
				t.Errorf("Apply changed its argument (-before +after):\n%s", diff)
			}
			if err != nil {
				if diff := cmp.Diff(stored, got); diff != "" {
					t.Errorf("on error Apply must return the agent unchanged (-want +got):\n%s", diff)
				}
				return
			}
			want := tt.stored()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Apply result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyNoOp covers "{} is a valid no-op; so is a PATCH whose values equal
// the current ones": SameContent tells the fake not to move updatedAt.
func TestApplyNoOp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		patch string
		same  bool
	}{
		{`{}`, true},
		{`{"name":"Support Bot","mode":"private","temperature":0.7,"language":"en-US"}`, true},
		{`{"enabledFunctions":["web_search"]}`, true},
		{`{"enabledFunctions":["web_search","x"]}`, false},
		{`{"temperature":0.8}`, false},
		{`{"temperature":null}`, false},
		{`{"active":false}`, false},
		{`{"language":"en"}`, false},
	}
	for _, tt := range tests {
		a := storedPipeline()
		got, err := decodePatch(t, tt.patch).Apply(a)
		if err != nil {
			t.Fatalf("Apply(%s): %v", tt.patch, err)
		}
		if same := domain.SameContent(got, a); same != tt.same {
			t.Errorf("Apply(%s).SameContent(stored) = %v, want %v", tt.patch, same, tt.same)
		}
		if !got.UpdatedAt.Equal(a.UpdatedAt) {
			t.Errorf("Apply(%s) moved UpdatedAt", tt.patch)
		}
	}
	// An unset voice and a null patch on it are the same content.
	text := storedText()
	got, _ := decodePatch(t, `{"voiceId":null}`).Apply(text)
	if !domain.SameContent(got, text) {
		t.Error("null on an unset field must be the same content")
	}
	nilLists := text
	nilLists.EnabledFunctions, nilLists.EnabledCustomFunctions = nil, nil
	if !domain.SameContent(nilLists, text) {
		t.Error("nil and empty function lists must be the same content")
	}
	other := text
	other.ID = "agent_other"
	if domain.SameContent(text, other) {
		t.Error("agents with different ids must not be the same content")
	}
}

// TestApplyDoesNotAlias checks that the result shares no slice with the
// stored agent or the patch, so a store can keep both safely.
func TestApplyDoesNotAlias(t *testing.T) {
	t.Parallel()
	a := storedPipeline()
	fns := []string{"a", "b"}
	got, err := agents.UpdateParams{EnabledFunctions: agents.Value(fns)}.Apply(a)
	if err != nil {
		t.Fatal(err)
	}
	fns[0] = "changed"
	got.EnabledCustomFunctions[0] = "changed"
	if got.EnabledFunctions[0] != "a" || a.EnabledCustomFunctions[0] != "crm_lookup" {
		t.Errorf("slices are shared: got %v, stored %v", got.EnabledFunctions, a.EnabledCustomFunctions)
	}
}

func TestNewAgentDefaults(t *testing.T) {
	t.Parallel()
	got := domain.NewAgent(validText(), "agent_abc", created)
	want := agents.Agent{
		ID: "agent_abc", Name: "Chat Helper", Architecture: agents.Text, Model: agents.ModelGPT4oMini,
		SystemPrompt: "You chat.", Language: "en", Mode: agents.Private, Active: false,
		EnabledFunctions: []string{}, EnabledCustomFunctions: []string{},
		CreatedAt: created, UpdatedAt: created,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NewAgent (-want +got):\n%s", diff)
	}
	p := validPipeline()
	p.Temperature = agents.Value(0.0)
	p.Mode = agents.Value(agents.Commercial)
	p.Active = agents.Value(true)
	p.Language = agents.Value("de")
	a := domain.NewAgent(p, "agent_x", created)
	if a.Temperature == nil || *a.Temperature != 0 || a.Mode != agents.Commercial || !a.Active || a.Language != "de" {
		t.Errorf("NewAgent did not keep the given values: %+v", a)
	}
}

// TestUpdateValidate covers UpdateParams.Validate: it refuses a patch only for what
// Apply refuses on a stored agent of every architecture, with the same
// entries, and leaves what depends on the stored agent alone.
func TestUpdateValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		patch string
		want  []string
	}{
		{`{}`, nil},
		{`{"stt":"deepgram"}`, nil},               // n/a only on some stored agents
		{`{"agentArchitecture":"pipeline"}`, nil}, // stt and tts may be stored already
		{`{"model":null,"voiceId":null,"language":null,"enabledFunctions":null}`, nil},
		{`{"name":null,"mode":null}`, []string{"mode:required", "name:required"}},
		{`{"temperature":-1,"systemPrompt":""}`, []string{"systemPrompt:too_short", "temperature:out_of_range"}},
		{`{"agentArchitecture":"text","voiceId":"v"}`, []string{"voiceId:not_applicable"}},
		{`{"agentArchitecture":"pipeline","stt":null}`, []string{"stt:required"}},
		{`{"enabledFunctions":["a","a"]}`, []string{"enabledFunctions[1]:duplicate"}},
	}
	for _, tt := range tests {
		p := decodePatch(t, tt.patch)
		got := fieldCodes(t, p.Validate())
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Validate(%s) (-want +got):\n%s", tt.patch, diff)
		}
		if tt.want == nil {
			continue
		}
		for _, stored := range []agents.Agent{storedPipeline(), storedRealtime(), storedText()} {
			var checkErr, applyErr *agents.ValidationError
			_, err := p.Apply(stored)
			errors.As(p.Validate(), &checkErr)
			if !errors.As(err, &applyErr) {
				t.Fatalf("Validate refuses %s but Apply accepts it on %s", tt.patch, stored.Architecture)
			}
			for _, f := range checkErr.Fields {
				if g, ok := applyErr.Field(f.Field); !ok || g != f {
					t.Errorf("%s on %s: Validate says %+v, Apply says %+v", tt.patch, stored.Architecture, f, g)
				}
			}
		}
	}
}
