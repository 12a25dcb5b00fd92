package validate_test

import (
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// TestLoneSurrogate: a string that spells a lone UTF-16 surrogate is
// invalid_format on the field that holds it, in a create and an update
// (encoding/json would store U+FFFD in its place); a pair that makes one
// character, and an escaped backslash before "u", are fine.
func TestLoneSurrogate(t *testing.T) {
	const inv = agents.CodeInvalidFormat
	cases := []ruleCase{
		{"high alone", obj(textBody, `"name":"\ud800"`), []fc{{"name", inv}}},
		{"low alone", obj(textBody, `"name":"a\uDC00b"`), []fc{{"name", inv}}},
		{"high then not low", obj(textBody, `"name":"\ud800\u0041"`), []fc{{"name", inv}}},
		{"high at the end", obj(textBody, `"systemPrompt":"prompt \uD83D"`), []fc{{"systemPrompt", inv}}},
		{"two highs", obj(textBody, `"name":"\ud83d\ud83d\ude00"`), []fc{{"name", inv}}},
		{"in a list item", obj(textBody, `"enabledFunctions":["ok","\udfff"]`), []fc{{"enabledFunctions[1]", inv}}},
		{"in two fields", obj(textBody, `"name":"\ud800"`, `"model":"\udc00"`), []fc{{"model", inv}, {"name", inv}}},
		{"beside another error", obj(textBody, `"name":"\ud800"`, `"temperature":5`), []fc{{"name", inv}, {"temperature", agents.CodeOutOfRange}}},
		{"wrong_type outranks it", obj(textBody, `"mode":["\ud800"]`), []fc{{"mode", agents.CodeWrongType}}},
		{"a pair is one character", obj(textBody, `"name":"smile \ud83d\ude00"`), nil},
		{"an escaped backslash", obj(textBody, `"name":"a\\ud800"`), nil},
		{"other escapes", obj(textBody, `"name":"caf\u00e9 \"q\" \/"`, `"systemPrompt":"\u2028"`), nil},
		{"an unknown field's items", obj(textBody, `"tags":["\ud800"]`), []fc{{"tags", agents.CodeUnknownField}}},
	}
	runRules(t, validate.Create, cases)
	runRules(t, validate.Update, []ruleCase{
		{"update", []byte(`{"name":"\ud800","voiceId":"\udbff\udfff"}`), []fc{{"name", inv}}},
	})
	err := validate.Create(obj(textBody, `"name":"\ud800"`))
	if ve, ok := err.(*agents.ValidationError); !ok || ve.Fields[0].Message != `name must not contain a lone UTF-16 surrogate (a \ud800-\udfff escape without its pair)` {
		t.Errorf("message: %v", err)
	}
}
