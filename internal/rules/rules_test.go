package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/internal/rules"
)

func TestNeeds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		arch  string
		field string
		want  rules.Need
	}{
		{rules.Pipeline, "stt", rules.Required},
		{rules.Pipeline, "model", rules.Required},
		{rules.Realtime, "stt", rules.NotApplicable},
		{rules.Realtime, "model", rules.Optional},
		{rules.Realtime, "realtimeProvider", rules.Required},
		{rules.Text, "voiceId", rules.NotApplicable},
		{rules.Text, "model", rules.Required},
		{rules.Text, "name", rules.Optional},
		{"hybrid", "stt", rules.Optional},
		{"", "stt", rules.Optional},
	}
	for _, tt := range tests {
		if got := rules.Needs(tt.arch, tt.field); got != tt.want {
			t.Errorf("Needs(%s, %s) = %d, want %d", tt.arch, tt.field, got, tt.want)
		}
	}
}

// TestValidID: "agent_" and 1-64 of [A-Za-z0-9].
func TestValidID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]bool{
		"agent_1":                          true,
		"agent_7f3k2m9x1q4w8e5r":           true,
		"agent_AbC09":                      true,
		"agent_" + strings.Repeat("a", 64): true,
		"agent_" + strings.Repeat("a", 65): false,
		"agent_":                           false,
		"agent-1":                          false,
		"Agent_1":                          false,
		"agent_a_b":                        false,
		"agent_é":                          false,
		"agent_1\n":                        false,
		" agent_1":                         false,
		"":                                 false,
	} {
		if got := rules.ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestMessageLimitsFollowRules keeps the limits that Message states equal
// to the ones the rules enforce.
func TestMessageLimitsFollowRules(t *testing.T) {
	t.Parallel()
	for field, want := range map[string]string{
		"name":                      "name must be at most 100 characters",
		"model":                     "model must be at most 100 characters",
		"stt":                       "stt must be at most 64 characters",
		"tts":                       "tts must be at most 64 characters",
		"realtimeProvider":          "realtimeProvider must be at most 64 characters",
		"voiceId":                   "voiceId must be at most 200 characters",
		"systemPrompt":              "systemPrompt must be at most 50000 characters",
		"enabledFunctions[0]":       "enabledFunctions[0] must be at most 100 characters",
		"enabledCustomFunctions[9]": "enabledCustomFunctions[9] must be at most 100 characters",
		"enabledFunctions":          "enabledFunctions is not valid",
		"language":                  "language is not valid",
	} {
		if got := rules.Message(field, rules.CodeTooLong, ""); got != want {
			t.Errorf("Message(%q, too_long) = %q, want %q", field, got, want)
		}
	}
	for _, tc := range []struct{ field, code, want string }{
		{"enabledCustomFunctions", rules.CodeTooMany, "enabledCustomFunctions must have at most 64 items"},
		{"enabledFunctions[1]", rules.CodeTooMany, "enabledFunctions[1] is not valid"},
		{"mode", rules.CodeInvalidValue, "mode must be one of public, private, commercial"},
		{"agentArchitecture", rules.CodeInvalidValue, "agentArchitecture must be one of pipeline, realtime, text"},
		{"active", rules.CodeInvalidValue, "active is not valid"},
		{"name", rules.CodeInvalidFormat, "name must not contain control characters"},
		{"realtimeProvider", rules.CodeInvalidFormat, "realtimeProvider must not contain white space"},
		{"voiceId", rules.CodeInvalidFormat, "voiceId is not valid"},
		{"name", rules.CodeWrongType, "name is not valid"},
		{"model", rules.CodeRequired, "model is required"},
		{"name", rules.CodeRequired, "name is required"},
	} {
		if got := rules.Message(tc.field, tc.code, ""); got != tc.want {
			t.Errorf("Message(%q, %q) = %q, want %q", tc.field, tc.code, got, tc.want)
		}
	}
}

// TestMessage covers the wordings that depend on the architecture and the
// two that field, code and architecture do not tell apart.
func TestMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{rules.Message("stt", rules.CodeRequired, rules.Pipeline), "stt is required for pipeline agents"},
		{rules.Message("stt", rules.CodeRequired, rules.Realtime), "stt is required"},
		{rules.Message("stt", rules.CodeNotApplicable, rules.Text), "stt is not applicable to text agents"},
		{rules.Message("enabledFunctions[3]", rules.CodeTooLong, ""), "enabledFunctions[3] must be at most 100 characters"},
		{rules.Message("temperature", rules.CodeOutOfRange, ""), "temperature must be between 0 and 2"},
		{rules.Message("language", rules.CodeInvalidFormat, ""), "language must be a BCP 47 tag such as en or pt-BR"},
		{rules.Message("enabledFunctions[0]", rules.CodeDuplicate, ""), "enabledFunctions[0] repeats an earlier item"},
		{rules.Message("voiceId", rules.CodeTooShort, ""), "voiceId must not be empty"},
		{rules.NullMessage("mode"), "mode cannot be null"},
		{rules.BlankMessage("name"), "name must not be blank"},
		{rules.Message("nickname", rules.CodeTooLong, ""), "nickname is not valid"},
		{rules.Message("name", "no_such_code", ""), "name is not valid"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestJudge covers the order of the string value rules: too_short, then
// too_long, then invalid_format.
func TestJudge(t *testing.T) {
	t.Parallel()
	name, _ := rules.RuleOf("name")
	model, _ := rules.RuleOf("model")
	item, ok := rules.RuleOf("enabledFunctions[7]")
	if !ok {
		t.Fatal("RuleOf(enabledFunctions[7]) found no item rule")
	}
	if _, ok := rules.RuleOf("temperature"); ok {
		t.Error("RuleOf(temperature) found a string rule")
	}
	for _, tc := range []struct {
		rule      rules.StringRule
		field, v  string
		code, msg string
	}{
		{name, "name", "Bot", "", ""},
		{name, "name", "", rules.CodeTooShort, "name must not be empty"},
		{name, "name", strings.Repeat(" ", 101), rules.CodeTooShort, "name must not be blank"},
		{name, "name", strings.Repeat("n", 100) + "\x00", rules.CodeTooLong, "name must be at most 100 characters"},
		{name, "name", "Bot\x07", rules.CodeInvalidFormat, "name must not contain control characters"},
		{model, "model", "gpt 4o", rules.CodeInvalidFormat, "model must not contain white space"},
		{model, "model", strings.Repeat("m", 100) + " ", rules.CodeTooLong, "model must be at most 100 characters"},
		{item, "enabledFunctions[7]", "web search", "", ""},
		{item, "enabledFunctions[7]", " ", "", ""},
	} {
		code, msg := tc.rule.Judge(tc.field, tc.v)
		if code != tc.code || msg != tc.msg {
			t.Errorf("Judge(%q, %q) = %q, %q; want %q, %q", tc.field, tc.v, code, msg, tc.code, tc.msg)
		}
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 1, 15, 11, 30, 0, 0, cet), "2024-01-15T10:30:00.000Z"},
		{time.Date(2024, 1, 15, 10, 30, 0, 123456789, time.UTC), "2024-01-15T10:30:00.123Z"},
	} {
		if got := rules.FormatTime(tc.in); got != tc.want {
			t.Errorf("FormatTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNormalize covers the order of a validation error's entries: by field
// name in byte order, one per field, the first code in the order of the
// Code constants winning, ties to the earlier entry.
func TestNormalize(t *testing.T) {
	t.Parallel()
	type fe struct{ field, code, msg string }
	key := func(f fe) (string, string) { return f.field, f.code }
	if got := rules.Normalize(nil, key); got != nil {
		t.Errorf("Normalize(nil) = %v, want nil", got)
	}
	in := []fe{
		{"stt", rules.CodeTooLong, "a"},
		{"enabledFunctions[2]", rules.CodeDuplicate, "b"},
		{"stt", rules.CodeNotApplicable, "c"},
		{"enabledFunctions[10]", rules.CodeTooShort, "d"},
		{"name", rules.CodeRequired, "e"},
		{"name", rules.CodeRequired, "f"},
		{"mode", "no_such_code", "g"},
		{"mode", rules.CodeTooMany, "h"},
	}
	want := []fe{
		{"enabledFunctions[10]", rules.CodeTooShort, "d"},
		{"enabledFunctions[2]", rules.CodeDuplicate, "b"},
		{"mode", rules.CodeTooMany, "h"},
		{"name", rules.CodeRequired, "e"},
		{"stt", rules.CodeNotApplicable, "c"},
	}
	got := rules.Normalize(in, key)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(fe{})); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	if in[0].field != "stt" {
		t.Error("Normalize changed its argument")
	}
}
