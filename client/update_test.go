package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

func TestUpdateCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	fe := func(field, code, msg string) agents.FieldError {
		return agents.FieldError{Field: field, Code: code, Message: msg}
	}
	tests := []struct {
		name string
		p    agents.UpdateParams
		want []agents.FieldError // nil: sent
	}{
		{"empty patch", agents.UpdateParams{}, nil},
		{"clear optional fields", agents.UpdateParams{VoiceID: agents.Null[string](), Temperature: agents.Null[float64](),
			Language: agents.Null[string](), Model: agents.Null[string](), EnabledFunctions: agents.Null[[]string]()}, nil},
		{"set valid values", agents.UpdateParams{Name: agents.Value("New name"), Mode: agents.Value(agents.Public),
			Temperature: agents.Value(2.0), Language: agents.Value("pt-BR")}, nil},
		// What depends on the stored agent is the server's to judge.
		{"stt without architecture", agents.UpdateParams{STT: agents.Value("deepgram")}, nil},
		{"switch to realtime, clearing", agents.UpdateParams{Architecture: agents.Value(agents.Realtime),
			RealtimeProvider: agents.Value("openai"), STT: agents.Null[string](), TTS: agents.Null[string]()}, nil},
		{"null name", agents.UpdateParams{Name: agents.Null[string]()},
			[]agents.FieldError{fe("name", agents.CodeRequired, "name cannot be null")}},
		{"null on fields that always have a value", agents.UpdateParams{Architecture: agents.Null[agents.Architecture](),
			SystemPrompt: agents.Null[string](), Mode: agents.Null[agents.Mode](), Active: agents.Null[bool]()},
			[]agents.FieldError{fe("active", agents.CodeRequired, "active cannot be null"),
				fe("agentArchitecture", agents.CodeRequired, "agentArchitecture cannot be null"),
				fe("mode", agents.CodeRequired, "mode cannot be null"),
				fe("systemPrompt", agents.CodeRequired, "systemPrompt cannot be null")}},
		{"bad values", agents.UpdateParams{Name: agents.Value(" "), Temperature: agents.Value(2.5),
			Mode: agents.Value(agents.Mode("secret")), Language: agents.Value("english!"),
			EnabledFunctions: agents.Value([]string{"a", "a"})},
			[]agents.FieldError{fe("enabledFunctions[1]", agents.CodeDuplicate, "enabledFunctions[1] repeats an earlier item"),
				fe("language", agents.CodeInvalidFormat, "language must be a BCP 47 tag such as en or pt-BR"),
				fe("mode", agents.CodeInvalidValue, "mode must be one of public, private, commercial"),
				fe("name", agents.CodeTooShort, "name must not be blank"),
				fe("temperature", agents.CodeOutOfRange, "temperature must be between 0 and 2")}},
		{"unknown architecture", agents.UpdateParams{Architecture: agents.Value(agents.Architecture("video"))},
			[]agents.FieldError{fe("agentArchitecture", agents.CodeInvalidValue, "agentArchitecture must be one of pipeline, realtime, text")}},
		{"not applicable to the new architecture", agents.UpdateParams{Architecture: agents.Value(agents.Text),
			VoiceID: agents.Value("v1")},
			[]agents.FieldError{fe("voiceId", agents.CodeNotApplicable, "voiceId is not applicable to text agents")}},
		{"required by the new architecture, nulled", agents.UpdateParams{Architecture: agents.Value(agents.Pipeline),
			STT: agents.Null[string](), Model: agents.Null[string]()},
			[]agents.FieldError{fe("model", agents.CodeRequired, "model is required for pipeline agents"),
				fe("stt", agents.CodeRequired, "stt is required for pipeline agents")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sent atomic.Int32
			c := stubClient(t, func(r *http.Request) (*http.Response, error) {
				sent.Add(1)
				return response(r, 200, agentJSON), nil
			})
			_, err := c.Agents.Update(context.Background(), "agent_1", tt.p)
			if tt.want == nil {
				if err != nil || sent.Load() != 1 {
					t.Errorf("Update: %v, %d requests; want it sent", err, sent.Load())
				}
				return
			}
			var ve *agents.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Update error %v, want *agents.ValidationError", err)
			}
			if diff := cmp.Diff(tt.want, ve.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if n := sent.Load(); n != 0 {
				t.Errorf("%d requests sent, want 0", n)
			}
		})
	}
}

// TestUpdateCheckAgreesWithApply checks the client's pre-check against
// the server's rule (agents.UpdateParams.Apply): the client refuses a patch
// exactly when Apply refuses it on a stored agent of every architecture,
// and then names only fields that Apply names on each. The stored agents
// set only what their architecture requires: more fields can only add
// refusals (not_applicable after a change of architecture), so these are
// the agents most likely to accept a patch.
func TestUpdateCheckAgreesWithApply(t *testing.T) {
	t.Parallel()
	stored := []agents.Agent{
		domain.NewAgent(agents.CreateParams{Name: agents.Value("P"), Architecture: agents.Value(agents.Pipeline), Model: agents.Value("m"),
			STT: agents.Value("s"), TTS: agents.Value("t"), SystemPrompt: agents.Value("x")}, "agent_p", fixedTime),
		domain.NewAgent(agents.CreateParams{Name: agents.Value("R"), Architecture: agents.Value(agents.Realtime),
			RealtimeProvider: agents.Value("openai"), SystemPrompt: agents.Value("x")}, "agent_r", fixedTime),
		domain.NewAgent(validCreate("T"), "agent_t", fixedTime),
	}
	patches := []agents.UpdateParams{
		// Refused whatever the stored agent.
		{Name: agents.Null[string]()},
		{Mode: agents.Null[agents.Mode]()},
		{Active: agents.Null[bool]()},
		{Temperature: agents.Value(-1.0), SystemPrompt: agents.Value("")},
		{Architecture: agents.Value(agents.Text), VoiceID: agents.Value("v1")},
		{Architecture: agents.Value(agents.Pipeline), STT: agents.Null[string]()},
		{Architecture: agents.Value(agents.Realtime), STT: agents.Value("deepgram")},
		{Language: agents.Value("x"), EnabledCustomFunctions: agents.Value([]string{strings.Repeat("f", 101)})},
		{STT: agents.Value("deep gram")}, // invalid_format on pipeline agents, not_applicable on the others
		{Architecture: agents.Value(agents.Architecture("video"))},
		// Accepted by some stored agent, so left to the server.
		{},
		{Model: agents.Null[string]()},
		{STT: agents.Value("deepgram")},
		{VoiceID: agents.Value("v1")},
		{Architecture: agents.Value(agents.Pipeline)},
		{Architecture: agents.Value(agents.Realtime), Model: agents.Null[string](), RealtimeProvider: agents.Value("openai")},
		{Architecture: agents.Value(agents.Text), STT: agents.Null[string](), TTS: agents.Null[string](), VoiceID: agents.Null[string]()},
		{Language: agents.Null[string](), Temperature: agents.Null[float64](), EnabledFunctions: agents.Null[[]string]()},
	}
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		return response(r, 200, agentJSON), nil
	})
	for _, p := range patches {
		_, err := c.Agents.Update(context.Background(), "agent_1", p)
		clientErr := &agents.ValidationError{}
		refused := errors.As(err, &clientErr)
		if !refused && err != nil {
			t.Fatalf("Update(%+v): %v", p, err)
		}
		everywhere := true
		for _, a := range stored {
			_, err := p.Apply(a)
			var serverErr *agents.ValidationError
			if !errors.As(err, &serverErr) {
				everywhere = false
				continue
			}
			for _, f := range clientErr.Fields {
				if _, ok := serverErr.Field(f.Field); !ok {
					t.Errorf("patch %+v: the client refuses %s, Apply on a %s agent does not: %+v", p, f.Field, a.Architecture, serverErr.Fields)
				}
			}
		}
		if refused != everywhere {
			t.Errorf("patch %+v: the client refuses it: %v; Apply on every architecture refuses it: %v (%v)", p, refused, everywhere, err)
		}
	}
}
