package rules

import (
	"slices"
	"strings"
)

// Detail codes of a field error. A field has one entry at most; where
// several rules fail for one field, the code listed first here wins.
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

// codeOrder is the order of the constants above.
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

// Normalize returns a sorted copy of fields with one entry per field: the
// entries are ordered by field name (byte order), and of the entries of one
// field only the one whose code comes first in the order of the Code
// constants is kept (ties go to the earlier entry). key returns an entry's
// field name and code. It returns nil for no fields.
func Normalize[F any](fields []F, key func(F) (field, code string)) []F {
	if len(fields) == 0 {
		return nil
	}
	fs := slices.Clone(fields)
	slices.SortStableFunc(fs, func(a, b F) int {
		fa, ca := key(a)
		fb, cb := key(b)
		if c := strings.Compare(fa, fb); c != 0 {
			return c
		}
		return codeRank(ca) - codeRank(cb)
	})
	return slices.CompactFunc(fs, func(a, b F) bool {
		fa, _ := key(a)
		fb, _ := key(b)
		return fa == fb
	})
}
