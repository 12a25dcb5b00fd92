package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// StringRule is what one string field asks of its value.
type StringRule struct {
	Max       int  // most code points
	NoSpace   bool // no Unicode white space anywhere (model and provider names)
	NoControl bool // no Unicode control characters (name)
	NoBlank   bool // only white space counts as too short (name)
}

// stringRules gives the rule of each string field; the items of the
// function lists are looked up as "enabledFunctions[]".
var stringRules = map[string]StringRule{
	"name":                     {Max: MaxNameLength, NoControl: true, NoBlank: true},
	"model":                    {Max: MaxModelLength, NoSpace: true},
	"stt":                      {Max: MaxProviderLength, NoSpace: true},
	"tts":                      {Max: MaxProviderLength, NoSpace: true},
	"realtimeProvider":         {Max: MaxProviderLength, NoSpace: true},
	"voiceId":                  {Max: MaxVoiceIDLength},
	"systemPrompt":             {Max: MaxSystemPromptLength},
	"enabledFunctions[]":       {Max: MaxFunctionNameLength},
	"enabledCustomFunctions[]": {Max: MaxFunctionNameLength},
}

// RuleOf returns the rule of a string field, and false for a field that
// is not a string. An item such as "enabledFunctions[2]" takes its list's
// item rule.
func RuleOf(field string) (StringRule, bool) {
	if list, _, item := strings.Cut(field, "["); item {
		field = list + "[]"
	}
	r, ok := stringRules[field]
	return r, ok
}

// Judge returns the code and message of the first rule that v, the value
// of field, breaks, in the order of the Code constants (too_short,
// too_long, invalid_format); or two empty strings when v is fine.
func (r StringRule) Judge(field, v string) (code, message string) {
	switch {
	case v == "":
		code = CodeTooShort
	case r.NoBlank && strings.TrimSpace(v) == "":
		return CodeTooShort, BlankMessage(field)
	case utf8.RuneCountInString(v) > r.Max:
		code = CodeTooLong
	case r.NoSpace && strings.IndexFunc(v, unicode.IsSpace) >= 0:
		code = CodeInvalidFormat
	case r.NoControl && strings.IndexFunc(v, unicode.IsControl) >= 0:
		code = CodeInvalidFormat
	default:
		return "", ""
	}
	return code, Message(field, code, "")
}
