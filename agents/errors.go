package agents

import (
	"fmt"
	"slices"
	"strings"
)

// Detail codes of [FieldError.Code], as the API contract, section 4, lists
// them.
//
// A field has one entry at most. Where several rules fail for one field,
// the code listed first here wins. Up to [CodeNotApplicable] that is the
// contract's order; the order of the value rules after it is this
// module's choice (the contract is silent), and package validate follows
// it too: a name that is blank and too long is too_short, a model that is
// too long and holds a space is too_long, and an item that is empty and
// repeats an earlier one is too_short.
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
	CodeInvalidFormat = "invalid_format" // fails a format rule (whitespace, control characters, BCP 47)
	CodeDuplicate     = "duplicate"      // an array item equal to an earlier one
	CodeTooMany       = "too_many"       // an array over its item limit
)

// codeOrder is the order of the constants above: for one field, the
// earliest code wins.
var codeOrder = []string{
	CodeWrongType, CodeReadOnly, CodeUnknownField, CodeRequired, CodeNotApplicable,
	CodeInvalidValue, CodeTooShort, CodeTooLong, CodeOutOfRange, CodeInvalidFormat, CodeDuplicate, CodeTooMany,
}

// codeRank returns the place of code in codeOrder; an unknown code comes
// last.
func codeRank(code string) int {
	if i := slices.Index(codeOrder, code); i >= 0 {
		return i
	}
	return len(codeOrder)
}

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
type ValidationError struct {
	Fields []FieldError
}

// NewValidationError returns the ValidationError of fields: sorted by field
// name (byte order), and where a field appears more than once, only the
// entry whose code comes first in the order of the Code constants (ties go
// to the earlier entry). It returns nil when fields is empty, so that
// callers can write `if err := NewValidationError(fs...); err != nil`.
func NewValidationError(fields ...FieldError) *ValidationError {
	if len(fields) == 0 {
		return nil
	}
	fs := slices.Clone(fields)
	slices.SortStableFunc(fs, func(a, b FieldError) int {
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return codeRank(a.Code) - codeRank(b.Code)
	})
	fs = slices.CompactFunc(fs, func(a, b FieldError) bool { return a.Field == b.Field })
	return &ValidationError{Fields: fs}
}

// Error lists the failing fields' messages.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	return fmt.Sprintf("agents: invalid %s: %s", plural(len(e.Fields), "field"), strings.Join(msgs, "; "))
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
