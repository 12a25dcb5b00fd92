package agents

import (
	"fmt"

	"github.com/talkifai-go/talkifai/internal/rules"
)

// Limits of field values. Lengths count Unicode code points.
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

// Validate checks every field of p and returns nil, or a
// *[ValidationError] listing every failing field.
//
// It checks that name, agentArchitecture and systemPrompt are present,
// that the architecture's own fields are present and the fields it does
// not have are absent (see [Architecture]), and each value's limits and
// format. A null field counts as absent, as in a create body. When the
// architecture is missing or unknown, only the rules that do not depend on
// it are checked.
func (p CreateParams) Validate() error {
	// Returned as is, a nil *ValidationError would be a non-nil error.
	if err := newValidationError(p.check()...); err != nil {
		return err
	}
	return nil
}

// check returns one FieldError per failing field, unsorted.
func (p CreateParams) check() []FieldError {
	arch, _ := p.Architecture.Get()
	if !arch.Valid() {
		arch = "" // judge only what does not depend on it
	}
	var errs []FieldError
	add := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	add(checkString("name", p.Name, rules.Required, ""))
	add(checkArchitecture(p.Architecture))
	add(checkString("systemPrompt", p.SystemPrompt, rules.Required, ""))
	for _, f := range []struct {
		field string
		o     Optional[string]
	}{
		{"model", p.Model},
		{"stt", p.STT},
		{"tts", p.TTS},
		{"realtimeProvider", p.RealtimeProvider},
		{"voiceId", p.VoiceID},
	} {
		add(checkString(f.field, f.o, rules.Needs(string(arch), f.field), arch))
	}
	add(checkLanguage(p.Language))
	add(checkMode(p.Mode))
	add(checkTemperature(p.Temperature))
	errs = append(errs, checkFunctions("enabledFunctions", p.EnabledFunctions)...)
	errs = append(errs, checkFunctions("enabledCustomFunctions", p.EnabledCustomFunctions)...)
	return errs
}

// fieldError returns the entry of code on field, worded for architecture
// arch.
func fieldError(field, code string, arch Architecture) *FieldError {
	return &FieldError{Field: field, Code: code, Message: rules.Message(field, code, string(arch))}
}

// checkString judges presence (what arch needs of the field) and then the
// value.
func checkString(field string, o Optional[string], n rules.Need, arch Architecture) *FieldError {
	v, ok := o.Get()
	switch {
	case !ok && n == rules.Required:
		return fieldError(field, CodeRequired, arch)
	case !ok:
		return nil
	case n == rules.NotApplicable:
		return fieldError(field, CodeNotApplicable, arch)
	}
	return checkValue(field, v)
}

// checkValue judges a string value by its field's rule.
func checkValue(field, v string) *FieldError {
	rule, _ := rules.RuleOf(field)
	if code, msg := rule.Judge(field, v); code != "" {
		return &FieldError{Field: field, Code: code, Message: msg}
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
	if v, ok := o.Get(); ok && !rules.ValidLanguage(v) {
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
		if fe := checkValue(item, name); fe != nil {
			errs = append(errs, *fe)
		} else if seen[name] {
			errs = append(errs, *fieldError(item, CodeDuplicate, ""))
		}
		seen[name] = true
	}
	return errs
}
