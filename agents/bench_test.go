package agents_test

import (
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
)

// BenchmarkApply merges a typical PATCH (two values and a null) into a
// pipeline agent: the work the fake does on every update. Run it with
// -benchmem; allocations per call are the figure to watch.
func BenchmarkApply(b *testing.B) {
	t := 0.7
	a := agents.Agent{
		ID: "agent_1", Name: "Support Bot", Architecture: agents.Pipeline,
		Model: agents.ModelGPT4o, STT: agents.STTDeepgram, TTS: agents.TTSCartesia, VoiceID: "v1",
		SystemPrompt: "You are helpful.", Language: "en-US", Mode: agents.Private, Temperature: &t,
		EnabledFunctions: []string{"web_search"}, EnabledCustomFunctions: []string{},
		CreatedAt: time.Unix(1, 0), UpdatedAt: time.Unix(1, 0),
	}
	p := agents.UpdateParams{
		Active:       agents.Value(true),
		SystemPrompt: agents.Value("Be brief."),
		Temperature:  agents.Null[float64](),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Apply(a); err != nil {
			b.Fatal(err)
		}
	}
}
