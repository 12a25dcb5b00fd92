package validate_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/talkifai-go/talkifai/agents"
)

// pipelineExample is the published pipeline create example.
const pipelineExample = `{"name":"Support Bot","agentArchitecture":"pipeline","model":"gpt-4o","stt":"deepgram","tts":"cartesia","voiceId":"sonic-english-female","systemPrompt":"You are a helpful support agent for Acme.","language":"en-US","mode":"private","active":true,"temperature":0.7,"enabledFunctions":["web_search"],"enabledCustomFunctions":[]}`

// fc is what the agreement is about: a field and its detail code.
type fc struct{ Field, Code string }

// fieldCodes returns the (field, code) pairs of err, which must be nil or
// a *agents.ValidationError, in the error's order.
func fieldCodes(t testing.TB, err error) []fc {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *agents.ValidationError", err, err)
	}
	out := make([]fc, len(ve.Fields))
	for i, f := range ve.Fields {
		out[i] = fc{f.Field, f.Code}
	}
	return out
}

// baseField returns the JSON field of an entry: "enabledFunctions" for
// "enabledFunctions[2]".
func baseField(field string) string {
	if i := strings.IndexByte(field, '['); i > 0 {
		return field[:i]
	}
	return field
}

// diffFC returns "" when want and got hold the same pairs in the same
// order, and a go-cmp diff (-want +got) otherwise.
func diffFC(want, got []fc) string {
	if slices.Equal(want, got) {
		return ""
	}
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
}

// without returns the pairs of fcs for which drop is false.
func without(fcs []fc, drop func(fc) bool) []fc {
	return slices.DeleteFunc(slices.Clone(fcs), drop)
}

// onlyCodes returns the pairs of fcs whose code is one of codes.
func onlyCodes(fcs []fc, codes ...string) []fc {
	return without(fcs, func(p fc) bool { return !slices.Contains(codes, p.Code) })
}

// rawOnly are the codes that only raw JSON can have.
var rawOnly = []string{agents.CodeWrongType, agents.CodeUnknownField, agents.CodeReadOnly}

// knownFields are the writable fields of create and update bodies.
var knownFields = []string{
	"name", "agentArchitecture", "model", "stt", "tts", "realtimeProvider", "voiceId", "systemPrompt",
	"language", "mode", "active", "temperature", "enabledFunctions", "enabledCustomFunctions",
}

// tableFields are the fields whose need depends on the architecture.
var tableFields = []string{"model", "stt", "tts", "realtimeProvider", "voiceId"}

// checkWellFormed fails unless err is nil, a ValidationError that follows
// the contract's shape (sorted by field, one entry per field, known codes,
// a message), or an error wrapping ErrInvalidJSON.
func checkWellFormed(t testing.TB, err error, invalidJSON error) {
	t.Helper()
	if err == nil || errors.Is(err, invalidJSON) {
		return
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is neither a ValidationError nor ErrInvalidJSON", err, err)
	}
	if len(ve.Fields) == 0 {
		t.Fatalf("ValidationError without fields")
	}
	known := []string{
		agents.CodeWrongType, agents.CodeReadOnly, agents.CodeUnknownField, agents.CodeRequired,
		agents.CodeNotApplicable, agents.CodeInvalidValue, agents.CodeTooShort, agents.CodeTooLong,
		agents.CodeOutOfRange, agents.CodeInvalidFormat, agents.CodeDuplicate, agents.CodeTooMany,
	}
	for i, f := range ve.Fields {
		if i > 0 && ve.Fields[i-1].Field >= f.Field {
			t.Fatalf("fields out of order or repeated: %q then %q", ve.Fields[i-1].Field, f.Field)
		}
		if !slices.Contains(known, f.Code) {
			t.Fatalf("field %q: unknown code %q", f.Field, f.Code)
		}
		rest := strings.ReplaceAll(f.Message, f.Field, "") // the field may be any key
		if !strings.Contains(f.Message, f.Field) || strings.Contains(rest, "#/") || strings.Contains(rest, "$defs") {
			t.Fatalf("field %q: message %q does not name the field, or shows a schema path", f.Field, f.Message)
		}
	}
}
