package validate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// The schema library reports a tree of errors whose leaves name a keyword
// by its location in a schema document. A leaf's detail code comes from
// the definition it sits in, when that definition stands for a code (the
// $defs of fields.json below), and otherwise from the keyword. Its field
// comes from the location in the body, except for "required", which names
// the object and lists the fields in the schema.

// defCodes maps the definitions of fields.json that stand for a detail code.
var defCodes = map[string]string{
	"notApplicable": agents.CodeNotApplicable,
	"readOnly":      agents.CodeReadOnly,
	"unknownField":  agents.CodeUnknownField,
	"nonBlank":      agents.CodeTooShort,
}

// keywordCodes maps the assertion keywords that the request schemas use.
var keywordCodes = map[string]string{
	"type":        agents.CodeWrongType,
	"required":    agents.CodeRequired,
	"enum":        agents.CodeInvalidValue,
	"minLength":   agents.CodeTooShort,
	"maxLength":   agents.CodeTooLong,
	"minimum":     agents.CodeOutOfRange,
	"maximum":     agents.CodeOutOfRange,
	"pattern":     agents.CodeInvalidFormat,
	"maxItems":    agents.CodeTooMany,
	"uniqueItems": agents.CodeDuplicate,
}

// report turns one schema validation error into field errors.
type report struct {
	c     *compiled
	body  map[string]any
	patch bool
	out   []agents.FieldError
}

// fields returns the field errors of every leaf of ve, in no particular
// order: domain.NewValidationError sorts them and keeps, for each field,
// the code that comes first in the order agents documents.
func (r *report) fields(ve *jsonschema.ValidationError) []agents.FieldError {
	r.walk(ve)
	return r.out
}

func (r *report) walk(e *jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		r.leaf(e)
		return
	}
	for _, c := range e.Causes {
		r.walk(c)
	}
}

func (r *report) add(field, code, message string) {
	r.out = append(r.out, agents.FieldError{Field: field, Code: code, Message: message})
}

// leaf maps one failed keyword.
func (r *report) leaf(e *jsonschema.ValidationError) {
	keyword, def := keywordAt(e.AbsoluteKeywordLocation)
	value, _ := r.c.lookup(e.AbsoluteKeywordLocation)
	inst := pointerTokens(e.InstanceLocation)
	field := fieldName(inst)
	code, ok := r.code(keyword, def, inst)
	if !ok {
		// A keyword the request schemas do not use; a test keeps this
		// from happening. No code has a message for "", so this is
		// "field is not valid".
		r.add(field, agents.CodeInvalidValue, rules.Message(field, "", ""))
		return
	}
	switch {
	case keyword == "required":
		for _, name := range r.missing(value) {
			r.add(name, code, rules.Message(name, code, r.architecture()))
		}
	case keyword == "uniqueItems":
		for _, item := range r.duplicates(inst) {
			r.add(item, code, rules.Message(item, code, ""))
		}
	default:
		r.add(field, code, r.message(field, code, def, value))
	}
}

// keywordAt returns the keyword a schema location ends in, and the
// definition of $defs it sits in, if any: ".../fields.json#/$defs/name/maxLength"
// is maxLength in name.
func keywordAt(location string) (keyword, def string) {
	_, frag, _ := strings.Cut(location, "#")
	toks := pointerTokens(frag)
	if len(toks) == 0 {
		return "", ""
	}
	keyword = toks[len(toks)-1]
	for i := len(toks) - 2; i >= 0; i-- {
		if toks[i] == "$defs" {
			return keyword, toks[i+1]
		}
	}
	return keyword, ""
}

// code returns the detail code of a failed keyword at instance location
// inst: the definition's code when it stands for one, else the keyword's.
// A "type" that fails on a field's null is required: the API's "null
// where a value is needed". (Null as an array item is an item of the wrong
// type.)
func (r *report) code(keyword, def string, inst []string) (string, bool) {
	code, ok := defCodes[def]
	if !ok {
		code, ok = keywordCodes[keyword]
	}
	if code == agents.CodeWrongType && len(inst) == 1 && r.body[inst[0]] == nil {
		code = agents.CodeRequired
	}
	return code, ok
}

// message says what is wrong with field, for people. rules.Message words
// the codes that agents knows; only the ones about raw JSON, and the two
// wordings that depend on the body (null in a patch, a blank value), are
// chosen here.
func (r *report) message(field, code, def string, value any) string {
	switch code {
	case agents.CodeWrongType:
		return field + " must be " + typeNames(value)
	case agents.CodeReadOnly:
		return field + " is read-only: the server sets it"
	case agents.CodeUnknownField:
		return field + " is not a field of this body"
	case agents.CodeRequired:
		if r.patch {
			return rules.NullMessage(field)
		}
	case agents.CodeTooShort:
		if def == "nonBlank" {
			return rules.BlankMessage(field)
		}
	}
	return rules.Message(field, code, r.architecture())
}

// architecture returns the body's agentArchitecture, or "" when it is not
// a string.
func (r *report) architecture() string {
	a, _ := r.body["agentArchitecture"].(string)
	return a
}

// missing returns the names of a "required" keyword's value that the body
// lacks. (Only the body itself has required fields.)
func (r *report) missing(required any) []string {
	names, _ := required.([]any)
	var out []string
	for _, n := range names {
		if s, ok := n.(string); ok {
			if _, present := r.body[s]; !present {
				out = append(out, s)
			}
		}
	}
	return out
}

// duplicates returns the field of every item of the array at inst that
// equals an earlier one: the API reports a duplicate at its later index.
// The schema library reports only the first pair. Items that are not
// strings are wrong_type, which outranks duplicate, so only strings count.
func (r *report) duplicates(inst []string) []string {
	if len(inst) != 1 {
		return nil
	}
	items, _ := r.body[inst[0]].([]any)
	seen := make(map[string]bool, len(items))
	var out []string
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			continue
		}
		if seen[s] {
			out = append(out, fmt.Sprintf("%s[%d]", inst[0], i))
		}
		seen[s] = true
	}
	return out
}

// fieldName turns a location in the body into the API's field name:
// ["enabledFunctions", "2"] is "enabledFunctions[2]".
func fieldName(toks []string) string {
	if len(toks) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(toks[0])
	for _, t := range toks[1:] {
		if _, err := strconv.Atoi(t); err == nil {
			b.WriteString("[" + t + "]")
		} else {
			b.WriteString("." + t)
		}
	}
	return b.String()
}

// typeNames says which JSON types a "type" keyword's value allows, leaving
// null aside (where null is allowed it means "absent").
func typeNames(types any) string {
	var list []any
	switch t := types.(type) {
	case string:
		list = []any{t}
	case []any:
		list = t
	}
	var names []string
	for _, t := range list {
		switch t {
		case "string", "number", "boolean":
			names = append(names, "a "+t.(string))
		case "array", "object":
			names = append(names, "an "+t.(string))
		}
	}
	if len(names) == 0 {
		return "null"
	}
	return strings.Join(names, " or ")
}
