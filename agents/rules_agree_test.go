package agents_test

import (
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// TestConstantsAgreeWithRules keeps the constants users see here equal to
// the ones the rules and messages use. They are written out in this package
// so that go doc shows their values.
func TestConstantsAgreeWithRules(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"CodeWrongType", agents.CodeWrongType, rules.CodeWrongType},
		{"CodeReadOnly", agents.CodeReadOnly, rules.CodeReadOnly},
		{"CodeUnknownField", agents.CodeUnknownField, rules.CodeUnknownField},
		{"CodeRequired", agents.CodeRequired, rules.CodeRequired},
		{"CodeNotApplicable", agents.CodeNotApplicable, rules.CodeNotApplicable},
		{"CodeInvalidValue", agents.CodeInvalidValue, rules.CodeInvalidValue},
		{"CodeTooShort", agents.CodeTooShort, rules.CodeTooShort},
		{"CodeTooLong", agents.CodeTooLong, rules.CodeTooLong},
		{"CodeOutOfRange", agents.CodeOutOfRange, rules.CodeOutOfRange},
		{"CodeInvalidFormat", agents.CodeInvalidFormat, rules.CodeInvalidFormat},
		{"CodeDuplicate", agents.CodeDuplicate, rules.CodeDuplicate},
		{"CodeTooMany", agents.CodeTooMany, rules.CodeTooMany},
		{"MaxNameLength", agents.MaxNameLength, rules.MaxNameLength},
		{"MaxModelLength", agents.MaxModelLength, rules.MaxModelLength},
		{"MaxProviderLength", agents.MaxProviderLength, rules.MaxProviderLength},
		{"MaxVoiceIDLength", agents.MaxVoiceIDLength, rules.MaxVoiceIDLength},
		{"MaxSystemPromptLength", agents.MaxSystemPromptLength, rules.MaxSystemPromptLength},
		{"MaxFunctions", agents.MaxFunctions, rules.MaxFunctions},
		{"MaxFunctionNameLength", agents.MaxFunctionNameLength, rules.MaxFunctionNameLength},
		{"MinTemperature", agents.MinTemperature, rules.MinTemperature},
		{"MaxTemperature", agents.MaxTemperature, rules.MaxTemperature},
		{"Pipeline", string(agents.Pipeline), rules.Pipeline},
		{"Realtime", string(agents.Realtime), rules.Realtime},
		{"Text", string(agents.Text), rules.Text},
		{"Public", string(agents.Public), rules.Public},
		{"Private", string(agents.Private), rules.Private},
		{"Commercial", string(agents.Commercial), rules.Commercial},
	} {
		if c.got != c.want {
			t.Errorf("agents.%s = %v, but rules.%s = %v", c.name, c.got, c.name, c.want)
		}
	}
}
