package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// stateOf returns the state document of n pipeline agents across two
// organizations.
func stateOf(tb testing.TB, n int) []byte {
	tb.Helper()
	s := NewHandler()
	seedPipelines(tb, s, n)
	var buf bytes.Buffer
	if err := s.WriteState(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// seedPipelines stores n pipeline examples, as CreateAgent would, half in
// each default organization.
func seedPipelines(tb testing.TB, s *Server, n int) {
	tb.Helper()
	p := pipelineParams(tb)
	for i := range n {
		org, owner := "org_acme", "usr_acme_owner"
		if i%2 == 1 {
			org, owner = "org_globex", "usr_globex_owner"
		}
		a := domain.NewAgent(p, fmt.Sprintf("agent_%d", i), stamp(t0))
		r, err := newRecord(a, org, owner)
		if err != nil {
			tb.Fatal(err)
		}
		s.store.Insert(r)
	}
}

// BenchmarkState saves and loads 10,000 agents, side by side: loading
// should cost no more than about twice saving.
func BenchmarkState(b *testing.B) {
	const n = 10_000
	doc := stateOf(b, n)
	b.Run("save", func(b *testing.B) {
		s := NewHandler()
		if err := s.ReadState(bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if err := s.WriteState(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		s := NewHandler()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if err := s.ReadState(bytes.NewReader(doc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// pipelineParams returns the published pipeline example as create params.
func pipelineParams(tb testing.TB) agents.CreateParams {
	tb.Helper()
	var p agents.CreateParams
	if err := json.Unmarshal([]byte(pipelineBody), &p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestLoadCost holds loading a state to its cost in allocations, a figure
// that does not depend on the machine's load: an agent is decoded once,
// judged by package agents (not by the JSON Schema, which costs hundreds
// of allocations) and encoded once. Timings are in BenchmarkState.
func TestLoadCost(t *testing.T) {
	const n = 200
	doc := stateOf(t, n)
	s := NewHandler()
	perAgent := testing.AllocsPerRun(3, func() {
		if err := s.ReadState(bytes.NewReader(doc)); err != nil {
			t.Fatal(err)
		}
	}) / n
	if perAgent > 45 {
		t.Errorf("loading costs %.0f allocations per agent, want at most 45", perAgent)
	}
}
