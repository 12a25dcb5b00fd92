package agents

import (
	"fmt"
	"strings"

	"github.com/talkifai-go/talkifai/internal/rules"
)

// Detail codes of [FieldError.Code].
//
// A field has one entry at most. When several rules fail for one field,
// the code listed first here wins: a name that is blank and too long is
// too_short, a model that is too long and holds a space is too_long.
// Package validate follows the same order.
const (
	CodeWrongType     = "wrong_type"     // the JSON value has the wrong type
	CodeReadOnly      = "read_only"      // id, createdAt, updatedAt in a body
	CodeUnknownField  = "unknown_field"  // a key the API does not know
	CodeRequired      = "required"       // missing, or null where a value is needed
	CodeNotApplicable = "not_applicable" // present on an architecture that has no such field
	CodeInvalidValue  = "invalid_value"  // not one of an enum
	CodeTooShort      = "too_short"      // empty, or blank where that is not allowed
	CodeTooLong       = "too_long"       // over the length limit, in code points
	CodeOutOfRange    = "out_of_range"   // a number outside its bounds
	CodeInvalidFormat = "invalid_format" // fails a format rule (white space, control characters, BCP 47)
	CodeDuplicate     = "duplicate"      // an array item equal to an earlier one
	CodeTooMany       = "too_many"       // an array over its item limit
)

// FieldError is one failing field of a request body: the JSON field name
// (with an index for array items, "enabledFunctions[2]"), a detail code and
// a message for people.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ValidationError lists every failing field of a body at once, one entry per
// field, ordered by field name (byte order).
//
// Its text has no package prefix, and reads as the server's refusal of the
// same body does: "validation failed: 2 invalid fields: name must not be
// empty; stt is required for pipeline agents". Wrapped by the client, it
// reads "client: POST /v1/agents: validation failed: ...".
type ValidationError struct {
	Fields []FieldError
}

// newValidationError returns the ValidationError of fields: sorted by
// field name, one entry per field (the one whose code comes first), or nil
// when fields is empty.
func newValidationError(fields ...FieldError) *ValidationError {
	fs := rules.Normalize(fields, func(f FieldError) (string, string) { return f.Field, f.Code })
	if fs == nil {
		return nil
	}
	return &ValidationError{Fields: fs}
}

// Error says how many fields failed and lists their messages.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	return fmt.Sprintf("validation failed: %s: %s", plural(len(e.Fields), "invalid field"), strings.Join(msgs, "; "))
}

// Field returns the entry for the JSON field name (as in FieldError.Field)
// and whether there is one.
func (e *ValidationError) Field(name string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
