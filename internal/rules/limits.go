package rules

import (
	"regexp"
	"time"
)

// The architectures and modes, as they appear in JSON, in the order that
// messages list them.
const (
	Pipeline = "pipeline"
	Realtime = "realtime"
	Text     = "text"

	Public     = "public"
	Private    = "private"
	Commercial = "commercial"
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

// languageTag is the accepted shape of a BCP 47 tag: 2-3 letters, then
// subtags of 2-8 letters or digits.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ValidLanguage reports whether tag has the shape of a BCP 47 language
// tag, such as en or pt-BR.
func ValidLanguage(tag string) bool { return languageTag.MatchString(tag) }

// idFormat is an agent id: "agent_" and 1 to 64 ASCII letters or digits.
var idFormat = regexp.MustCompile(`^agent_[A-Za-z0-9]{1,64}$`)

// ValidID reports whether id has the form of an agent id: "agent_" and 1
// to 64 ASCII letters or digits. The server makes ids; a store checks the
// ones it is given.
func ValidID(id string) bool { return idFormat.MatchString(id) }

// TimeFormat is the layout of every timestamp the module encodes: RFC 3339
// in UTC with milliseconds. Decoding accepts any RFC 3339 form.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// FormatTime formats t in UTC with [TimeFormat].
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }
