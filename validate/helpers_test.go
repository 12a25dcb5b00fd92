package validate_test

import (
	"encoding/json"
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

// entries returns the field errors of err, which must be nil or a
// *agents.ValidationError, in the error's order.
func entries(t testing.TB, err error) []agents.FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *agents.ValidationError", err, err)
	}
	return ve.Fields
}

// fieldCodes returns the (field, code) pairs of err, as entries does.
func fieldCodes(t testing.TB, err error) []fc {
	t.Helper()
	var out []fc
	for _, f := range entries(t, err) {
		out = append(out, fc{f.Field, f.Code})
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

// diffFC returns "" when want and got hold the same items in the same
// order, and a go-cmp diff (-want +got) otherwise.
func diffFC[T comparable](want, got []T) string {
	if slices.Equal(want, got) {
		return ""
	}
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
}

// without returns the items of xs for which drop is false.
func without[T any](xs []T, drop func(T) bool) []T {
	return slices.DeleteFunc(slices.Clone(xs), drop)
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

// wrongTyped reports whether got has wrong_type on field's JSON field: a
// list with an item of the wrong type cannot be decoded at all, so none of
// its entries can be compared.
func wrongTyped(got []agents.FieldError, field string) bool {
	return slices.ContainsFunc(got, func(g agents.FieldError) bool {
		return g.Code == agents.CodeWrongType && baseField(g.Field) == baseField(field)
	})
}

// decodeAs decodes body into v as a server does after validate (whose
// answer was verr), and fails the test where the two disagree on whether that is possible: a body that
// validate passes must decode, and one where it finds a wrong type must
// not (else Go code would judge a value that validate never saw, such as
// a null item read as ""). It reports whether body decoded.
func decodeAs(t testing.TB, body []byte, verr error, v any) bool {
	t.Helper()
	err := json.Unmarshal(body, v)
	switch {
	case err != nil && verr == nil:
		t.Fatalf("body %s: valid by validate, but it does not decode: %v", body, err)
	case err == nil && slices.ContainsFunc(entries(t, verr), func(g agents.FieldError) bool { return g.Code == agents.CodeWrongType }):
		t.Fatalf("body %s: validate finds a wrong type, but it decodes into %T", body, v)
	}
	return err == nil
}

// createDiff returns "" when agents judges p exactly as validate did
// (verr): the same fields, codes and messages; and a diff (-agents
// +validate) otherwise. It leaves aside the codes only raw JSON can have,
// and every field that validate found of the wrong type.
func createDiff(t testing.TB, verr error, p agents.CreateParams) string {
	t.Helper()
	got := entries(t, verr)
	skip := func(f agents.FieldError) bool { return wrongTyped(got, f.Field) || slices.Contains(rawOnly, f.Code) }
	return diffFC(without(entries(t, p.Validate()), skip), without(got, skip))
}

// updateDiff is createDiff for a patch p, which Apply judges on a. The
// architecture table (required and not_applicable on tableFields) needs
// the stored agent: those results are Apply's alone, and a value rule that
// validate reports on a field Apply finds not applicable is outranked.
func updateDiff(t testing.TB, verr error, p agents.UpdateParams, a agents.Agent) string {
	t.Helper()
	got := entries(t, verr)
	_, err := p.Apply(a)
	applied := entries(t, err)
	notApplicable := func(f agents.FieldError) bool {
		return slices.ContainsFunc(applied, func(g agents.FieldError) bool {
			return g.Field == f.Field && g.Code == agents.CodeNotApplicable
		})
	}
	want := without(applied, func(f agents.FieldError) bool {
		return wrongTyped(got, f.Field) || f.Code == agents.CodeNotApplicable ||
			(f.Code == agents.CodeRequired && slices.Contains(tableFields, f.Field))
	})
	return diffFC(want, without(got, func(f agents.FieldError) bool {
		return wrongTyped(got, f.Field) || slices.Contains(rawOnly, f.Code) || notApplicable(f)
	}))
}
