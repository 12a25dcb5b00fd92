package agents_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// FuzzApply decodes arbitrary bytes into UpdateParams and applies them to a
// valid agent of each architecture: Apply returns an agent or a
// *ValidationError, never panics, never another error type; a result it
// accepts is itself valid.
func FuzzApply(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"name":null}`, `{"agentArchitecture":"realtime","stt":null,"tts":null,"realtimeProvider":"openai"}`,
		`{"enabledFunctions":["a","a",""]}`, `{"temperature":2.0000001}`, `{"language":"yue-Hant-HK"}`,
		`{"mode":"commercial","active":null}`, `{"voiceId":"","model":"a b"}`, `{"name":"\u0000"}`,
	} {
		f.Add([]byte(seed))
	}
	stored := []agents.Agent{storedPipeline(), storedRealtime(), storedText()}
	f.Fuzz(func(t *testing.T, body []byte) {
		var p agents.UpdateParams
		if json.Unmarshal(body, &p) != nil {
			return // not a body the fake would get this far with
		}
		for _, a := range stored {
			got, err := p.Apply(a)
			if err != nil {
				var ve *agents.ValidationError
				if !errors.As(err, &ve) || len(ve.Fields) == 0 {
					t.Fatalf("Apply error %v (%T) is not a non-empty *ValidationError", err, err)
				}
				continue
			}
			// What Apply accepts must be a valid agent, and stable under
			// an empty patch.
			again, err := agents.UpdateParams{}.Apply(got)
			if err != nil {
				t.Fatalf("Apply accepted %s on %s, but the result is invalid: %v", body, a.ID, err)
			}
			if !domain.SameContent(again, got) {
				t.Fatalf("an empty patch changed the result of %s", body)
			}
		}
	})
}
