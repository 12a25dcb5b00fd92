package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/internal/domain"
)

// ErrInvalidJSON reports a body that is not one JSON object: a syntax
// error, data after the object, an array, a string, a number, null, an
// empty body, bytes that are not UTF-8, or a key that appears twice in the
// object (RFC 8259 leaves its meaning open; decoders differ on which copy
// wins). Create and Update return it wrapped, with the reason: test with
// errors.Is. It is the API's INVALID_JSON.
var ErrInvalidJSON = errors.New("validate: body is not one JSON object")

// Create checks body, the raw JSON of POST /v1/agents. It returns nil when
// the body is valid, and otherwise a *[agents.ValidationError] listing every
// failing field.
//
// It applies every rule that [agents.CreateParams.Validate] applies, plus
// what only raw JSON can get wrong: a value of the wrong type
// (wrong_type), a read-only field (read_only), an unknown field
// (unknown_field), and a string that spells a lone UTF-16 surrogate such
// as "\ud800" (invalid_format), which encoding/json would quietly replace
// by U+FFFD.
//
// Details:
//
//   - A body that is not one JSON object gives an error wrapping
//     [ErrInvalidJSON].
//   - Any other error is a bug in this package (an embedded schema that
//     does not compile).
//   - When Create returns nil, the body decodes into [agents.CreateParams]
//     with encoding/json, and Validate accepts the result. When it reports
//     wrong_type, encoding/json cannot decode the body.
func Create(body []byte) error {
	return check(body, false)
}

// Update checks body, the raw JSON merge patch of PATCH /v1/agents/{id},
// on its own, without the stored agent. It returns what Create returns.
//
// It checks wrong types, read-only and unknown fields, the limits and
// format of every value that is not null, and null on a field that always
// has a value (name, agentArchitecture, systemPrompt, mode, active:
// required). Null on any other field is valid: it clears the field.
//
// Whether the resulting agent fits its architecture depends on the stored
// agent, so Update leaves it alone: [agents.UpdateParams.Apply] judges it.
// When Update returns nil, the body decodes into [agents.UpdateParams]
// with encoding/json.
func Update(body []byte) error {
	return check(body, true)
}

func check(body []byte, patch bool) error {
	obj, err := decodeObject(body)
	if err != nil {
		return err
	}
	c, err := load()
	if err != nil {
		return err
	}
	s := c.create
	if patch {
		s = c.update
	}
	lone := loneSurrogates(body)
	err = s.Validate(obj)
	if err == nil {
		if lone != nil {
			return domain.NewValidationError(lone...)
		}
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("validate: %w", err)
	}
	r := report{c: c, body: obj, patch: patch}
	found := r.fields(ve)
	if verr := domain.NewValidationError(append(found, withoutJudged(lone, found)...)...); verr != nil {
		return verr
	}
	// Every schema error maps to a field (a test walks the schemas to
	// make sure); should one not, the body is still not valid.
	return errors.New("validate: internal error: a schema error without a field")
}

// decodeObject decodes body as one JSON object, or returns an error
// wrapping ErrInvalidJSON.
func decodeObject(body []byte) (map[string]any, error) {
	// encoding/json would quietly turn bad bytes into U+FFFD.
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: not valid UTF-8", ErrInvalidJSON)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == io.EOF {
		return nil, fmt.Errorf("%w: empty body", ErrInvalidJSON)
	} else if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the object", ErrInvalidJSON)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: the body is %s, not an object", ErrInvalidJSON, jsonKind(v))
	}
	// The map kept the last copy of a repeated key; encoding/json into a
	// struct looks at every copy. Refuse to guess.
	if countKeys(body) != len(obj) {
		return nil, fmt.Errorf("%w: key %q appears more than once", ErrInvalidJSON, repeatedKey(body))
	}
	toFloats(obj)
	return obj, nil
}

// countKeys counts the members of the object body, valid JSON: the colons
// outside strings at depth 1.
func countKeys(body []byte) int {
	n, depth, inString, escaped := 0, 0, false, false
	for _, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == ':' && depth == 1:
			n++
		}
	}
	return n
}

// repeatedKey returns the first key of the object body that appears a
// second time.
func repeatedKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // {
		return ""
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, _ := tok.(string)
		if err != nil || seen[key] {
			return key
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// toFloats replaces, in place, every number under v with the float64 that
// encoding/json (and so agents) would see, so that a bound is judged on
// the same value: 2.0000000000000001 is 2. A number beyond float64 becomes
// the largest float64 of its sign: still out of any range, and safe for
// the schema library, which cannot handle such a number exactly.
func toFloats(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil { // ±Inf: out of range
			f = math.Copysign(math.MaxFloat64, f)
		}
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = toFloats(e)
		}
	case []any:
		for i, e := range x {
			x[i] = toFloats(e)
		}
	}
	return v
}

// jsonKind names the JSON type of a decoded value, with its article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}
