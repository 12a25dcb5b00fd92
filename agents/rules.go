package agents

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the API contract, section 3. Lengths count Unicode code points.
const (
	MaxNameLength         = 100
	MaxModelLength        = 100
	MaxProviderLength     = 64 // stt, tts, realtimeProvider
	MaxVoiceIDLength      = 200
	MaxSystemPromptLength = 50000
	MaxFunctions          = 64 // items in each function list
	MaxFunctionNameLength = 100
	MinTemperature        = 0.0
	MaxTemperature        = 2.0
)

// languageTag is the contract's BCP 47 shape: 2-3 letters, then subtags of
// 2-8 letters or digits.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// idFormat is the contract's agent id: "agent_" and 1 to 64 ASCII letters
// or digits.
var idFormat = regexp.MustCompile(`^agent_[A-Za-z0-9]{1,64}$`)

// ValidID reports whether id has the form of an agent id: "agent_" and 1
// to 64 ASCII letters or digits (API contract, section 3). The server
// makes ids; a store can check the ones it is given, and a client the ones
// it puts in a path.
func ValidID(id string) bool { return idFormat.MatchString(id) }

// need says what an architecture asks of a field.
type need uint8

const (
	optional need = iota
	required
	notApplicable
)

// needs is the contract's table 4 for the fields that depend on the
// architecture. Fields not listed here do not depend on it.
var needs = map[string]map[Architecture]need{
	"model":            {Pipeline: required, Realtime: optional, Text: required},
	"stt":              {Pipeline: required, Realtime: notApplicable, Text: notApplicable},
	"tts":              {Pipeline: required, Realtime: notApplicable, Text: notApplicable},
	"realtimeProvider": {Pipeline: notApplicable, Realtime: required, Text: notApplicable},
	"voiceId":          {Pipeline: optional, Realtime: optional, Text: notApplicable},
}

// Needs reports what architecture arch asks of the JSON field: "required",
// "optional" or "not_applicable". Fields that do not depend on the
// architecture, and unknown architectures, answer "optional" (name,
// agentArchitecture and systemPrompt are always required; see
// [CreateParams.Validate]).
func Needs(arch Architecture, field string) string {
	switch needs[field][arch] {
	case required:
		return "required"
	case notApplicable:
		return "not_applicable"
	}
	return "optional"
}

// stringRule is what the contract asks of one string field's value.
type stringRule struct {
	max       int
	noSpace   bool // no Unicode white space anywhere (model and provider names)
	noControl bool // no Unicode Cc characters (name)
	noBlank   bool // blank after trimming white space is too short (name)
}

var (
	nameRule     = stringRule{max: MaxNameLength, noControl: true, noBlank: true}
	modelRule    = stringRule{max: MaxModelLength, noSpace: true}
	providerRule = stringRule{max: MaxProviderLength, noSpace: true}
	voiceRule    = stringRule{max: MaxVoiceIDLength}
	promptRule   = stringRule{max: MaxSystemPromptLength}
	functionRule = stringRule{max: MaxFunctionNameLength}
)

// Validate checks p against the contract's sections 3 and 4 and returns nil
// or a *[ValidationError] with every failing field. A null field counts as
// absent, as in a create body. When the architecture is missing or unknown,
// only the rules that do not depend on it are judged.
func (p CreateParams) Validate() error {
	// Returned as is, a nil *ValidationError would be a non-nil error.
	if err := NewValidationError(p.check()...); err != nil {
		return err
	}
	return nil
}

// check returns one FieldError per failing field, unsorted.
func (p CreateParams) check() []FieldError {
	arch, hasArch := p.Architecture.Get()
	if !arch.Valid() {
		hasArch = false
	}
	needOf := func(field string) (need, Architecture) {
		if !hasArch || needs[field] == nil {
			return optional, ""
		}
		return needs[field][arch], arch
	}
	var errs []FieldError
	add := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	add(checkString("name", p.Name, required, "", nameRule))
	add(checkArchitecture(p.Architecture))
	add(checkString("systemPrompt", p.SystemPrompt, required, "", promptRule))
	for _, f := range []struct {
		field string
		o     Optional[string]
		rule  stringRule
	}{
		{"model", p.Model, modelRule},
		{"stt", p.STT, providerRule},
		{"tts", p.TTS, providerRule},
		{"realtimeProvider", p.RealtimeProvider, providerRule},
		{"voiceId", p.VoiceID, voiceRule},
	} {
		n, archName := needOf(f.field)
		add(checkString(f.field, f.o, n, archName, f.rule))
	}
	add(checkLanguage(p.Language))
	add(checkMode(p.Mode))
	add(checkTemperature(p.Temperature))
	errs = append(errs, checkFunctions("enabledFunctions", p.EnabledFunctions)...)
	errs = append(errs, checkFunctions("enabledCustomFunctions", p.EnabledCustomFunctions)...)
	return errs
}

// fieldError returns the entry of code on field, worded by [Message] for
// architecture arch.
func fieldError(field, code string, arch Architecture) *FieldError {
	return &FieldError{Field: field, Code: code, Message: Message(field, code, arch)}
}

// checkString judges presence (n, for architecture arch) and then the value.
func checkString(field string, o Optional[string], n need, arch Architecture, r stringRule) *FieldError {
	v, ok := o.Get()
	switch {
	case !ok && n == required:
		return fieldError(field, CodeRequired, arch)
	case !ok:
		return nil
	case n == notApplicable:
		return fieldError(field, CodeNotApplicable, arch)
	}
	return r.check(field, v)
}

// check returns the first value rule that v fails, in the order of the
// Code constants (too_short, too_long, invalid_format), or nil.
func (r stringRule) check(field, v string) *FieldError {
	switch {
	case v == "":
		return fieldError(field, CodeTooShort, "")
	case r.noBlank && strings.TrimSpace(v) == "":
		return &FieldError{Field: field, Code: CodeTooShort, Message: BlankMessage(field)}
	case utf8.RuneCountInString(v) > r.max:
		return fieldError(field, CodeTooLong, "")
	case r.noSpace && strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return fieldError(field, CodeInvalidFormat, "")
	case r.noControl && strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fieldError(field, CodeInvalidFormat, "")
	}
	return nil
}

func checkArchitecture(o Optional[Architecture]) *FieldError {
	a, ok := o.Get()
	switch {
	case !ok:
		return fieldError("agentArchitecture", CodeRequired, "")
	case !a.Valid():
		return fieldError("agentArchitecture", CodeInvalidValue, "")
	}
	return nil
}

func checkLanguage(o Optional[string]) *FieldError {
	if v, ok := o.Get(); ok && !languageTag.MatchString(v) {
		return fieldError("language", CodeInvalidFormat, "")
	}
	return nil
}

func checkMode(o Optional[Mode]) *FieldError {
	if m, ok := o.Get(); ok && !m.Valid() {
		return fieldError("mode", CodeInvalidValue, "")
	}
	return nil
}

func checkTemperature(o Optional[float64]) *FieldError {
	// Written so that NaN fails too.
	if t, ok := o.Get(); ok && !(t >= MinTemperature && t <= MaxTemperature) {
		return fieldError("temperature", CodeOutOfRange, "")
	}
	return nil
}

// checkFunctions reports too_many on the list itself, and each bad item at
// its index; a duplicate is reported at its later index.
func checkFunctions(field string, o Optional[[]string]) []FieldError {
	names, _ := o.Get()
	var errs []FieldError
	if len(names) > MaxFunctions {
		errs = append(errs, *fieldError(field, CodeTooMany, ""))
	}
	seen := make(map[string]bool, len(names))
	for i, name := range names {
		item := fmt.Sprintf("%s[%d]", field, i)
		if fe := functionRule.check(item, name); fe != nil {
			errs = append(errs, *fe)
		} else if seen[name] {
			errs = append(errs, *fieldError(item, CodeDuplicate, ""))
		}
		seen[name] = true
	}
	return errs
}
