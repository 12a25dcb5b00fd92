package agents_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// TestDiff shows the patch Diff makes for each kind of difference, as the
// JSON body it encodes to.
func TestDiff(t *testing.T) {
	pipeline := agents.CreateParams{
		Name: agents.Value("Support Bot"), Architecture: agents.Value(agents.Pipeline),
		Model: agents.Value("gpt-4o"), STT: agents.Value("deepgram"), TTS: agents.Value("cartesia"), VoiceID: agents.Value("sonic"),
		SystemPrompt: agents.Value("Help."), Language: agents.Value("en-US"), Mode: agents.Value(agents.Private), Active: agents.Value(true),
		Temperature: agents.Value(0.7), EnabledFunctions: agents.Value([]string{"web_search"}), EnabledCustomFunctions: agents.Value([]string{"crm_lookup"}),
	}
	with := func(edit func(p *agents.CreateParams)) agents.CreateParams {
		p := pipeline
		edit(&p)
		return p
	}
	for _, tc := range []struct {
		name    string
		live    agents.Agent
		desired agents.CreateParams
		want    string
	}{
		{"equal", storedPipeline(), pipeline, `{}`},
		{"one value", storedPipeline(), with(func(p *agents.CreateParams) { p.SystemPrompt = agents.Value("Help more.") }), `{"systemPrompt":"Help more."}`},
		{
			"left out: cleared with null, mode and active to their defaults",
			storedPipeline(),
			with(func(p *agents.CreateParams) {
				p.VoiceID, p.Temperature, p.Language = agents.Optional[string]{}, agents.Optional[float64]{}, agents.Optional[string]{}
				p.EnabledFunctions, p.Mode, p.Active = agents.Optional[[]string]{}, agents.Optional[agents.Mode]{}, agents.Optional[bool]{}
			}),
			`{"voiceId":null,"language":null,"active":false,"temperature":null,"enabledFunctions":null}`,
		},
		{
			"explicit defaults are sent as values",
			storedPipeline(),
			with(func(p *agents.CreateParams) {
				p.Language, p.EnabledFunctions = agents.Value("en"), agents.Value([]string{})
			}),
			`{"language":"en","enabledFunctions":[]}`,
		},
		{
			"null in the spec is as absent",
			storedPipeline(),
			with(func(p *agents.CreateParams) { p.VoiceID = agents.Null[string]() }),
			`{"voiceId":null}`,
		},
		{
			"mode changes as a value",
			storedPipeline(),
			with(func(p *agents.CreateParams) { p.Mode = agents.Value(agents.Commercial) }),
			`{"mode":"commercial"}`,
		},
		{
			"architecture change: what the new one lacks is nulled, what it needs is set",
			storedPipeline(),
			with(func(p *agents.CreateParams) {
				p.Architecture, p.STT, p.TTS, p.RealtimeProvider = agents.Value(agents.Realtime), agents.Optional[string]{}, agents.Optional[string]{}, agents.Value("openai")
			}),
			`{"agentArchitecture":"realtime","stt":null,"tts":null,"realtimeProvider":"openai"}`,
		},
		{
			"to text: voice fields go too",
			storedRealtime(),
			agents.CreateParams{
				Name: agents.Value("Concierge"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o-realtime"),
				SystemPrompt: agents.Value("Greet."), Mode: agents.Value(agents.Public),
			},
			`{"agentArchitecture":"text","realtimeProvider":null,"voiceId":null}`,
		},
		{
			"function lists compare by value, order included",
			storedPipeline(),
			with(func(p *agents.CreateParams) { p.EnabledCustomFunctions = agents.Value([]string{"crm_lookup", "b"}) }),
			`{"enabledCustomFunctions":["crm_lookup","b"]}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := agents.Diff(tc.live, tc.desired)
			got, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("Diff body\n got %s\nwant %s", got, tc.want)
			}
			checkDiff(t, tc.live, tc.desired, p)
		})
	}
}

// checkDiff asserts what FuzzDiff asserts: p applies to live, gives the
// agent a create of desired gives, and is minimal.
func checkDiff(t *testing.T, live agents.Agent, desired agents.CreateParams, p agents.UpdateParams) {
	t.Helper()
	got, err := p.Apply(live)
	if err != nil {
		t.Fatalf("Apply(Diff) on %s: %v", live.ID, err)
	}
	want := domain.NewAgent(desired, live.ID, live.CreatedAt)
	want.UpdatedAt = live.UpdatedAt
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Apply(Diff) differs from a create of the desired body (-create +patched):\n%s", diff)
	}
	// Minimal: leaving out any one field of the patch gives another agent
	// (or a patch the API refuses).
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	for name := range fields {
		fewer := make(map[string]json.RawMessage, len(fields))
		for k, v := range fields {
			if k != name {
				fewer[k] = v
			}
		}
		b, _ := json.Marshal(fewer)
		var q agents.UpdateParams
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		if a, err := q.Apply(live); err == nil && domain.SameContent(a, got) {
			t.Fatalf("the patch %s is not minimal: %s is not needed", body, name)
		}
	}
}

// FuzzDiff builds a valid live agent and a valid desired create body from
// the fuzzer's bytes and checks that the patch Diff makes, applied to the
// live agent, gives exactly what a create of the desired body gives (ids
// and times aside), and holds no field it does not need.
func FuzzDiff(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, []byte{1, 2, 3})
	f.Add([]byte{}, []byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255})
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		live := domain.NewAgent(genParams(a), "agent_live1", created)
		live.UpdatedAt = updated
		desired := genParams(b)
		if err := desired.Validate(); err != nil {
			t.Fatalf("genParams made an invalid body: %v", err)
		}
		checkDiff(t, live, desired, agents.Diff(live, desired))
	})
}

// genParams returns a valid create body chosen by the bytes of b: one byte
// per field picks absent, null or one of a few values (bytes past the end
// read as 0).
func genParams(b []byte) agents.CreateParams {
	pick := func(i int) int {
		if i < len(b) {
			return int(b[i])
		}
		return 0
	}
	str := func(i int, values ...string) agents.Optional[string] {
		switch n := pick(i) % (len(values) + 2); n {
		case 0:
			return agents.Optional[string]{}
		case 1:
			return agents.Null[string]()
		default:
			return agents.Value(values[n-2])
		}
	}
	list := func(i int) agents.Optional[[]string] {
		switch pick(i) % 5 {
		case 0:
			return agents.Optional[[]string]{}
		case 1:
			return agents.Null[[]string]()
		case 2:
			return agents.Value([]string{})
		case 3:
			return agents.Value([]string{"web_search"})
		}
		return agents.Value([]string{"web_search", "calendar"})
	}
	arch := []agents.Architecture{agents.Pipeline, agents.Realtime, agents.Text}[pick(0)%3]
	p := agents.CreateParams{
		Name:                   agents.Value([]string{"Support", "Sales", "Chat"}[pick(1)%3]),
		Architecture:           agents.Value(arch),
		SystemPrompt:           agents.Value([]string{"Help.", "Sell.\nNicely."}[pick(2)%2]),
		Language:               str(3, "en", "fr", "pt-BR"),
		EnabledFunctions:       list(4),
		EnabledCustomFunctions: list(5),
	}
	switch pick(6) % 5 {
	case 0:
	case 1:
		p.Mode = agents.Null[agents.Mode]()
	default:
		p.Mode = agents.Value([]agents.Mode{agents.Public, agents.Private, agents.Commercial}[pick(6)%3])
	}
	switch pick(7) % 4 {
	case 1:
		p.Active = agents.Value(true)
	case 2:
		p.Active = agents.Value(false)
	case 3:
		p.Active = agents.Null[bool]()
	}
	switch pick(8) % 4 {
	case 1:
		p.Temperature = agents.Value(0.0)
	case 2:
		p.Temperature = agents.Value(0.7)
	case 3:
		p.Temperature = agents.Null[float64]()
	}
	switch arch {
	case agents.Pipeline:
		p.Model = agents.Value([]string{"gpt-4o", "gpt-4o-mini"}[pick(9)%2])
		p.STT = agents.Value([]string{"deepgram", "whisper"}[pick(10)%2])
		p.TTS = agents.Value([]string{"cartesia", "elevenlabs"}[pick(11)%2])
		p.VoiceID = str(12, "sonic", "alloy")
	case agents.Realtime:
		p.Model = str(9, "gpt-4o-realtime", "gpt-4o")
		p.RealtimeProvider = agents.Value([]string{"openai", "google"}[pick(10)%2])
		p.VoiceID = str(12, "sonic", "alloy")
	case agents.Text:
		p.Model = agents.Value([]string{"gpt-4o", "gpt-4o-mini"}[pick(9)%2])
	}
	return p
}
