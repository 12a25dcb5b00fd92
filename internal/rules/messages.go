package rules

import (
	"fmt"
	"strings"
)

// The messages of field errors are composed here only: package agents and
// package validate both ask for them, so that the two give the same
// message for the same failure.

// choices lists the values of the enum fields.
var choices = map[string]string{
	"agentArchitecture": strings.Join([]string{Pipeline, Realtime, Text}, ", "),
	"mode":              strings.Join([]string{Public, Private, Commercial}, ", "),
}

// Message returns the message for people of a field error with code on
// the JSON field (with an index for array items, "enabledFunctions[2]"),
// in a body whose agentArchitecture is arch ("" when it has none).
//
// Some messages fit any field: CodeRequired ("name is required", or "stt
// is required for pipeline agents" when arch requires the field),
// CodeNotApplicable (which names arch), CodeTooShort ("must not be
// empty") and CodeDuplicate. The others state a limit, a list of values or
// a format, and so need a field that has one: CodeTooLong a string field
// or function list item, CodeTooMany a function list, CodeOutOfRange
// temperature, CodeInvalidValue agentArchitecture or mode,
// CodeInvalidFormat name, model, a provider or language.
//
// For an unknown code, a code on a field that has no such rule, and the
// codes whose message depends on the raw JSON (CodeWrongType,
// CodeReadOnly, CodeUnknownField, which package validate words), it
// returns field + " is not valid".
//
// [NullMessage] and [BlankMessage] word two cases of CodeRequired and
// CodeTooShort that field, code and arch do not tell apart.
func Message(field, code, arch string) string {
	rule, hasRule := RuleOf(field)
	switch code {
	case CodeRequired:
		if Needs(arch, field) == Required {
			return fmt.Sprintf("%s is required for %s agents", field, arch)
		}
		return field + " is required"
	case CodeNotApplicable:
		return fmt.Sprintf("%s is not applicable to %s agents", field, arch)
	case CodeInvalidValue:
		if c, ok := choices[field]; ok {
			return field + " must be one of " + c
		}
	case CodeTooShort:
		return field + " must not be empty"
	case CodeTooLong:
		if hasRule {
			return fmt.Sprintf("%s must be at most %d characters", field, rule.Max)
		}
	case CodeOutOfRange:
		if field == "temperature" {
			return fmt.Sprintf("%s must be between %v and %v", field, MinTemperature, MaxTemperature)
		}
	case CodeInvalidFormat:
		switch {
		case field == "language":
			return field + " must be a BCP 47 tag such as en or pt-BR"
		case rule.NoSpace:
			return field + " must not contain white space"
		case rule.NoControl:
			return field + " must not contain control characters"
		}
	case CodeDuplicate:
		return field + " repeats an earlier item"
	case CodeTooMany:
		if field == "enabledFunctions" || field == "enabledCustomFunctions" {
			return fmt.Sprintf("%s must have at most %d items", field, MaxFunctions)
		}
	}
	return field + " is not valid"
}

// NullMessage returns the message of CodeRequired for null, in an update
// body, on a field that always has a value: "name cannot be null".
func NullMessage(field string) string {
	return field + " cannot be null"
}

// BlankMessage returns the message of CodeTooShort for a value of only
// white space where that is not allowed (name): "name must not be blank".
func BlankMessage(field string) string {
	return field + " must not be blank"
}
