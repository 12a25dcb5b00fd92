package agents_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
)

// roundTrip decodes the file into a fresh T, encodes it back and checks that
// the JSON is the same, and returns the decoded value.
func roundTrip[T any](t *testing.T, file string) T {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	want = bytes.TrimSpace(want)
	var v T
	if err := json.Unmarshal(want, &v); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %s: %v", file, err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s does not round-trip (-want +got):\n%s", file, diff)
	}
	return v
}

// The example bodies stand in for the published reference's examples (the
// three create bodies, the GET answer, the list item).
func TestCreateExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"create_pipeline.json", "create_realtime.json", "create_text.json"} {
		t.Run(file, func(t *testing.T) {
			p := roundTrip[agents.CreateParams](t, file)
			if err := p.Validate(); err != nil {
				t.Errorf("the example is valid, Validate() = %v", err)
			}
		})
	}
	p := roundTrip[agents.CreateParams](t, "create_pipeline.json")
	want := agents.CreateParams{
		Name: agents.Value("Support Bot"), Architecture: agents.Value(agents.Pipeline),
		Model: agents.Value("gpt-4o"), STT: agents.Value("deepgram"), TTS: agents.Value("cartesia"),
		VoiceID: agents.Value("sonic-english-female"), SystemPrompt: agents.Value("You are a helpful support agent for Acme."),
		Language: agents.Value("en-US"), Mode: agents.Value(agents.Private), Active: agents.Value(true),
		Temperature: agents.Value(0.7), EnabledFunctions: agents.Value([]string{"web_search"}),
		EnabledCustomFunctions: agents.Value([]string{}),
	}
	if diff := cmp.Diff(want, p, cmp.AllowUnexported(agents.Optional[string]{}, agents.Optional[agents.Architecture]{},
		agents.Optional[agents.Mode]{}, agents.Optional[bool]{}, agents.Optional[float64]{}, agents.Optional[[]string]{})); diff != "" {
		t.Errorf("decoded pipeline example (-want +got):\n%s", diff)
	}
}

func TestAgentRoundTrip(t *testing.T) {
	t.Parallel()
	a := roundTrip[agents.Agent](t, "get_agent.json")
	at := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	want := agents.Agent{
		ID: "agent_7f3k2m9x1q4w8e5r", Name: "Support Bot", Architecture: agents.Pipeline,
		Model: "gpt-4o", STT: "deepgram", TTS: "cartesia", VoiceID: "sonic-english-female",
		SystemPrompt: "You are a helpful support agent for Acme.", Language: "en-US", Mode: agents.Private,
		Active: true, Temperature: ptr(0.7), EnabledFunctions: []string{"web_search"}, EnabledCustomFunctions: []string{},
		CreatedAt: at, UpdatedAt: at,
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("decoded agent (-want +got):\n%s", diff)
	}
	s := roundTrip[agents.Summary](t, "list_item.json")
	if diff := cmp.Diff(a.Summary(), s); diff != "" {
		t.Errorf("Summary() vs the list item (-want +got):\n%s", diff)
	}
}

// TestAgentJSON covers the GET rules: unset optional fields omitted, arrays
// always arrays, timestamps in UTC with milliseconds, any RFC 3339 accepted.
func TestAgentJSON(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("+02", 2*3600)
	a := agents.Agent{
		ID: "agent_1", Name: "n", Architecture: agents.Text, Model: "m", SystemPrompt: "p",
		Language: "en", Mode: agents.Private,
		CreatedAt: time.Date(2024, 1, 15, 12, 30, 0, 123456789, plus2),
		UpdatedAt: time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC),
	}
	got, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"agent_1","name":"n","agentArchitecture":"text","model":"m","systemPrompt":"p","language":"en","mode":"private","active":false,"enabledFunctions":[],"enabledCustomFunctions":[],"createdAt":"2024-01-15T10:30:00.123Z","updatedAt":"2024-01-15T10:30:00.000Z"}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	for _, ts := range []string{"2024-01-15T10:30:00Z", "2024-01-15T10:30:00.123Z", "2024-01-15T12:30:00+02:00"} {
		var s agents.Summary
		if err := json.Unmarshal([]byte(`{"createdAt":"`+ts+`"}`), &s); err != nil {
			t.Errorf("decode createdAt %s: %v", ts, err)
		}
	}
}

// An agent whose temperature JSON cannot hold fails to encode with
// encoding/json's own error, as its doc says.
func TestAgentJSONUnsupportedTemperature(t *testing.T) {
	t.Parallel()
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		_, err := json.Marshal(agents.Agent{ID: "agent_1", Temperature: &v})
		var unsupported *json.UnsupportedValueError
		if !errors.As(err, &unsupported) {
			t.Errorf("temperature %v: error %v, want a *json.UnsupportedValueError", v, err)
		}
	}
}

// TestOptionalJSON covers the three states: absent is omitted, null encodes
// as null, a value as itself, and decoding keeps them apart.
func TestOptionalJSON(t *testing.T) {
	t.Parallel()
	p := agents.UpdateParams{
		Name:             agents.Value(""),
		VoiceID:          agents.Null[string](),
		Temperature:      agents.Value(0.0),
		Active:           agents.Value(false),
		EnabledFunctions: agents.Value([]string{}),
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"name":"","voiceId":null,"active":false,"temperature":0,"enabledFunctions":[]}`
	if string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var back agents.UpdateParams
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name               string
		zero, null, isSet  bool
		wantZero, wantNull bool
		wantSet            bool
	}{
		{"name", back.Name.IsZero(), back.Name.IsNull(), back.Name.IsSet(), false, false, true},
		{"voiceId", back.VoiceID.IsZero(), back.VoiceID.IsNull(), back.VoiceID.IsSet(), false, true, false},
		{"model", back.Model.IsZero(), back.Model.IsNull(), back.Model.IsSet(), true, false, false},
		{"temperature", back.Temperature.IsZero(), back.Temperature.IsNull(), back.Temperature.IsSet(), false, false, true},
	}
	for _, c := range checks {
		if c.zero != c.wantZero || c.null != c.wantNull || c.isSet != c.wantSet {
			t.Errorf("%s: zero/null/set = %v/%v/%v, want %v/%v/%v", c.name, c.zero, c.null, c.isSet, c.wantZero, c.wantNull, c.wantSet)
		}
	}
	if v, ok := back.Temperature.Get(); !ok || v != 0 {
		t.Errorf("Temperature.Get() = %v, %v", v, ok)
	}
	if got := back.Model.Or("dflt"); got != "dflt" {
		t.Errorf("Model.Or = %q", got)
	}
	for o, want := range map[agents.Optional[string]]string{{}: "absent", agents.Null[string](): "null", agents.Value("x"): `"x"`} {
		if o.String() != want {
			t.Errorf("String() = %q, want %q", o.String(), want)
		}
	}
	var bad agents.UpdateParams
	if err := json.Unmarshal([]byte(`{"temperature":"hot"}`), &bad); err == nil {
		t.Error("a string temperature must not decode")
	}
}

// TestOptionalNullItem covers the decoding side of "a null item is not a
// string" (contract section 4, wrong_type): encoding/json alone would turn
// ["a", null] into ["a", ""], which the rules would call too_short, while
// package validate says wrong_type. Decoding must fail instead.
func TestOptionalNullItem(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"enabledFunctions":["a",null]}`,
		`{"enabledCustomFunctions":[null]}`,
		`{"enabledFunctions":[ "a" , null ]}`,
	} {
		for name, v := range map[string]any{"CreateParams": &agents.CreateParams{}, "UpdateParams": &agents.UpdateParams{}} {
			err := json.Unmarshal([]byte(body), v)
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) || te.Value != "null" {
				t.Errorf("decode %s into %s: %v, want a *json.UnmarshalTypeError for null", body, name, err)
			}
		}
	}
	var p agents.UpdateParams
	if err := json.Unmarshal([]byte(`{"enabledFunctions":null,"enabledCustomFunctions":[]}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.EnabledFunctions.IsNull() || !p.EnabledCustomFunctions.IsSet() {
		t.Errorf("a null list and an empty list: got %v and %v", p.EnabledFunctions, p.EnabledCustomFunctions)
	}
	// Where an item can be null, null stays a valid item.
	var ptrs agents.Optional[[]*string]
	if err := json.Unmarshal([]byte(`["a",null]`), &ptrs); err != nil {
		t.Errorf("decode a null item into []*string: %v", err)
	}
}
