package agents_test

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// validPipeline, validRealtime and validText are the smallest valid create
// bodies of each architecture; tests change one thing at a time.
func validPipeline() agents.CreateParams {
	return agents.CreateParams{
		Name:         agents.Value("Support Bot"),
		Architecture: agents.Value(agents.Pipeline),
		Model:        agents.Value(agents.ModelGPT4o),
		STT:          agents.Value(agents.STTDeepgram),
		TTS:          agents.Value(agents.TTSCartesia),
		SystemPrompt: agents.Value("You are helpful."),
	}
}

func validRealtime() agents.CreateParams {
	return agents.CreateParams{
		Name:             agents.Value("Voice Concierge"),
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		SystemPrompt:     agents.Value("You are a concierge."),
	}
}

func validText() agents.CreateParams {
	return agents.CreateParams{
		Name:         agents.Value("Chat Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("You chat."),
	}
}

var validByArch = map[agents.Architecture]func() agents.CreateParams{
	agents.Pipeline: validPipeline,
	agents.Realtime: validRealtime,
	agents.Text:     validText,
}

// fieldCodes returns err's (field, code) pairs, or nil for a nil error. It
// fails the test for an error that is not a *ValidationError.
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *agents.ValidationError", err, err)
	}
	out := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
		out[i] = f.Field + ":" + f.Code
	}
	return out
}

func strs(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26)
	}
	return out
}

// TestValidateCommonFields covers contract section 3 (fields and limits) and
// the always-required rows of section 4, on every architecture.
func TestValidateCommonFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		row    string // the contract row covered
		change func(*agents.CreateParams)
		want   []string
	}{
		{"valid minimal body", func(*agents.CreateParams) {}, nil},
		{"name required", func(p *agents.CreateParams) { p.Name = agents.Optional[string]{} }, []string{"name:required"}},
		{"null is absent on create", func(p *agents.CreateParams) { p.Name = agents.Null[string]() }, []string{"name:required"}},
		{"name 1 char", func(p *agents.CreateParams) { p.Name = agents.Value("a") }, nil},
		{"name 100 chars", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat("n", 100)) }, nil},
		{"name 101 chars", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat("n", 101)) }, []string{"name:too_long"}},
		{"name counts code points", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat("é", 100)) }, nil},
		{"name 100 + trailing space", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat("n", 100) + " ") }, []string{"name:too_long"}},
		{"name empty", func(p *agents.CreateParams) { p.Name = agents.Value("") }, []string{"name:too_short"}},
		{"name blank", func(p *agents.CreateParams) { p.Name = agents.Value(" \u00a0\u2003") }, []string{"name:too_short"}},
		{"name control char", func(p *agents.CreateParams) { p.Name = agents.Value("Bot\x07") }, []string{"name:invalid_format"}},
		{"name C1 control", func(p *agents.CreateParams) { p.Name = agents.Value("Bot\u0085x") }, []string{"name:invalid_format"}},
		{"name blank and too long: too_short first", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat(" ", 101)) }, []string{"name:too_short"}},
		{"name too long with a control char: too_long first", func(p *agents.CreateParams) { p.Name = agents.Value(strings.Repeat("n", 100) + "\x00") }, []string{"name:too_long"}},
		{"name stored as sent", func(p *agents.CreateParams) { p.Name = agents.Value("  Bot  ") }, nil},
		{"architecture required", func(p *agents.CreateParams) { p.Architecture = agents.Optional[agents.Architecture]{} }, []string{"agentArchitecture:required"}},
		{"architecture unknown", func(p *agents.CreateParams) { p.Architecture = agents.Value(agents.Architecture("hybrid")) }, []string{"agentArchitecture:invalid_value"}},
		{"systemPrompt required", func(p *agents.CreateParams) { p.SystemPrompt = agents.Optional[string]{} }, []string{"systemPrompt:required"}},
		{"systemPrompt 1 char", func(p *agents.CreateParams) { p.SystemPrompt = agents.Value("p") }, nil},
		{"systemPrompt empty", func(p *agents.CreateParams) { p.SystemPrompt = agents.Value("") }, []string{"systemPrompt:too_short"}},
		{"systemPrompt 50000", func(p *agents.CreateParams) { p.SystemPrompt = agents.Value(strings.Repeat("p", 50000)) }, nil},
		{"systemPrompt 50001", func(p *agents.CreateParams) { p.SystemPrompt = agents.Value(strings.Repeat("p", 50001)) }, []string{"systemPrompt:too_long"}},
		{"language en", func(p *agents.CreateParams) { p.Language = agents.Value("en") }, nil},
		{"language en-US", func(p *agents.CreateParams) { p.Language = agents.Value("en-US") }, nil},
		{"language pt-BR", func(p *agents.CreateParams) { p.Language = agents.Value("pt-BR") }, nil},
		{"language yue-Hant-HK", func(p *agents.CreateParams) { p.Language = agents.Value("yue-Hant-HK") }, nil},
		{"language english", func(p *agents.CreateParams) { p.Language = agents.Value("english") }, []string{"language:invalid_format"}},
		{"language e", func(p *agents.CreateParams) { p.Language = agents.Value("e") }, []string{"language:invalid_format"}},
		{"language subtag of 1", func(p *agents.CreateParams) { p.Language = agents.Value("en-U") }, []string{"language:invalid_format"}},
		{"language subtag of 8", func(p *agents.CreateParams) { p.Language = agents.Value("en-abcdefgh") }, nil},
		{"language 4 letters", func(p *agents.CreateParams) { p.Language = agents.Value("engl") }, []string{"language:invalid_format"}},
		{"language digits subtag", func(p *agents.CreateParams) { p.Language = agents.Value("es-419") }, nil},
		{"language empty", func(p *agents.CreateParams) { p.Language = agents.Value("") }, []string{"language:invalid_format"}},
		{"language subtag too long", func(p *agents.CreateParams) { p.Language = agents.Value("en-abcdefghi") }, []string{"language:invalid_format"}},
		{"language trailing dash", func(p *agents.CreateParams) { p.Language = agents.Value("en-") }, []string{"language:invalid_format"}},
		{"mode public", func(p *agents.CreateParams) { p.Mode = agents.Value(agents.Public) }, nil},
		{"mode commercial", func(p *agents.CreateParams) { p.Mode = agents.Value(agents.Commercial) }, nil},
		{"mode unknown", func(p *agents.CreateParams) { p.Mode = agents.Value(agents.Mode("secret")) }, []string{"mode:invalid_value"}},
		{"mode empty", func(p *agents.CreateParams) { p.Mode = agents.Value(agents.Mode("")) }, []string{"mode:invalid_value"}},
		{"active true", func(p *agents.CreateParams) { p.Active = agents.Value(true) }, nil},
		{"temperature 0", func(p *agents.CreateParams) { p.Temperature = agents.Value(0.0) }, nil},
		{"temperature 2", func(p *agents.CreateParams) { p.Temperature = agents.Value(2.0) }, nil},
		{"temperature -0.01", func(p *agents.CreateParams) { p.Temperature = agents.Value(-0.01) }, []string{"temperature:out_of_range"}},
		{"temperature 2.01", func(p *agents.CreateParams) { p.Temperature = agents.Value(2.01) }, []string{"temperature:out_of_range"}},
		{"temperature NaN", func(p *agents.CreateParams) { p.Temperature = agents.Value(math.NaN()) }, []string{"temperature:out_of_range"}},
		{"functions 64", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value(strs(64, "f")) }, nil},
		{"functions 65", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value(strs(65, "f")) }, []string{"enabledFunctions:too_many"}},
		{"functions empty list", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{}) }, nil},
		{"function name 100", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{strings.Repeat("f", 100)}) }, nil},
		{"function name 101", func(p *agents.CreateParams) {
			p.EnabledFunctions = agents.Value([]string{"ok", strings.Repeat("f", 101)})
		}, []string{"enabledFunctions[1]:too_long"}},
		{"function name 1 char", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{"f"}) }, nil},
		{"function name may hold spaces", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{"web search"}) }, nil},
		{"function name empty", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{""}) }, []string{"enabledFunctions[0]:too_short"}},
		{"empty and repeated: too_short before duplicate", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{"", ""}) }, []string{"enabledFunctions[0]:too_short", "enabledFunctions[1]:too_short"}},
		{"duplicate at later index", func(p *agents.CreateParams) { p.EnabledFunctions = agents.Value([]string{"a", "b", "a"}) }, []string{"enabledFunctions[2]:duplicate"}},
		{"custom functions same limits", func(p *agents.CreateParams) {
			p.EnabledCustomFunctions = agents.Value(append(strs(65, "c"), "")) // 66 items, the last empty
		}, []string{"enabledCustomFunctions:too_many", "enabledCustomFunctions[65]:too_short"}},
		{"several fields at once, ordered by name", func(p *agents.CreateParams) {
			p.Name = agents.Value("")
			p.Mode = agents.Value(agents.Mode("x"))
			p.Temperature = agents.Value(3.0)
			p.Language = agents.Value("english")
		}, []string{"language:invalid_format", "mode:invalid_value", "name:too_short", "temperature:out_of_range"}},
	}
	for arch, valid := range validByArch {
		for _, tt := range tests {
			t.Run(string(arch)+"/"+tt.row, func(t *testing.T) {
				p := valid()
				tt.change(&p)
				if diff := cmp.Diff(tt.want, fieldCodes(t, p.Validate())); diff != "" {
					t.Errorf("Validate() (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestValidateByArchitecture covers contract section 4's table, cell by
// cell, and the section 3 rows of the fields in it (model, stt, tts,
// realtimeProvider, voiceId), on an architecture that has them.
func TestValidateByArchitecture(t *testing.T) {
	t.Parallel()
	unset := agents.Optional[string]{}
	tests := []struct {
		row    string
		arch   agents.Architecture
		change func(*agents.CreateParams)
		want   []string
	}{
		{"pipeline: model required", agents.Pipeline, func(p *agents.CreateParams) { p.Model = unset }, []string{"model:required"}},
		{"pipeline: stt required", agents.Pipeline, func(p *agents.CreateParams) { p.STT = unset }, []string{"stt:required"}},
		{"pipeline: tts required", agents.Pipeline, func(p *agents.CreateParams) { p.TTS = unset }, []string{"tts:required"}},
		{"pipeline: realtimeProvider not applicable", agents.Pipeline, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value("openai") }, []string{"realtimeProvider:not_applicable"}},
		{"not applicable whatever its value", agents.Pipeline, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value("") }, []string{"realtimeProvider:not_applicable"}},
		{"pipeline: voiceId optional", agents.Pipeline, func(p *agents.CreateParams) { p.VoiceID = agents.Value("v1") }, nil},
		{"every failing field at once", agents.Pipeline, func(p *agents.CreateParams) { p.Model, p.STT, p.TTS = unset, unset, unset }, []string{"model:required", "stt:required", "tts:required"}},
		{"realtime: realtimeProvider required", agents.Realtime, func(p *agents.CreateParams) { p.RealtimeProvider = unset }, []string{"realtimeProvider:required"}},
		{"realtime: model optional", agents.Realtime, func(p *agents.CreateParams) { p.Model = agents.Value("gpt-4o-realtime") }, nil},
		{"realtime: stt not applicable", agents.Realtime, func(p *agents.CreateParams) { p.STT = agents.Value("deepgram") }, []string{"stt:not_applicable"}},
		{"realtime: tts not applicable", agents.Realtime, func(p *agents.CreateParams) { p.TTS = agents.Value("cartesia") }, []string{"tts:not_applicable"}},
		{"realtime: voiceId optional", agents.Realtime, func(p *agents.CreateParams) { p.VoiceID = agents.Value("alloy") }, nil},
		{"text: model required", agents.Text, func(p *agents.CreateParams) { p.Model = unset }, []string{"model:required"}},
		{"text: stt not applicable", agents.Text, func(p *agents.CreateParams) { p.STT = agents.Value("deepgram") }, []string{"stt:not_applicable"}},
		{"text: tts not applicable", agents.Text, func(p *agents.CreateParams) { p.TTS = agents.Value("cartesia") }, []string{"tts:not_applicable"}},
		{"text: realtimeProvider not applicable", agents.Text, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value("openai") }, []string{"realtimeProvider:not_applicable"}},
		{"text: voiceId not applicable", agents.Text, func(p *agents.CreateParams) { p.VoiceID = agents.Value("v") }, []string{"voiceId:not_applicable"}},
		{"not applicable and null is absent", agents.Text, func(p *agents.CreateParams) { p.VoiceID = agents.Null[string]() }, nil},
		{"not_applicable outranks the value rules", agents.Text, func(p *agents.CreateParams) { p.STT = agents.Value(strings.Repeat("s", 99)) }, []string{"stt:not_applicable"}},
		{"model: 1 character", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value("m") }, nil},
		{"model: 100 characters", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value(strings.Repeat("m", 100)) }, nil},
		{"model: 101 characters", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value(strings.Repeat("m", 101)) }, []string{"model:too_long"}},
		{"model: empty", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value("") }, []string{"model:too_short"}},
		{"model: no whitespace", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value("gpt 4o") }, []string{"model:invalid_format"}},
		{"model: no Unicode whitespace", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value("gpt\u00a04o") }, []string{"model:invalid_format"}},
		{"model: too_long before invalid_format", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value(strings.Repeat("m", 100) + " ") }, []string{"model:too_long"}},
		{"model: an unknown name is valid", agents.Text, func(p *agents.CreateParams) { p.Model = agents.Value("my-own-llm-v9") }, nil},
		{"stt: 1 character", agents.Pipeline, func(p *agents.CreateParams) { p.STT = agents.Value("s") }, nil},
		{"stt: 64 characters", agents.Pipeline, func(p *agents.CreateParams) { p.STT = agents.Value(strings.Repeat("s", 64)) }, nil},
		{"stt: 65 characters", agents.Pipeline, func(p *agents.CreateParams) { p.STT = agents.Value(strings.Repeat("s", 65)) }, []string{"stt:too_long"}},
		{"stt: an unknown provider is valid", agents.Pipeline, func(p *agents.CreateParams) { p.STT = agents.Value("my-own-stt") }, nil},
		{"tts: 64 characters", agents.Pipeline, func(p *agents.CreateParams) { p.TTS = agents.Value(strings.Repeat("t", 64)) }, nil},
		{"tts: 65 characters", agents.Pipeline, func(p *agents.CreateParams) { p.TTS = agents.Value(strings.Repeat("t", 65)) }, []string{"tts:too_long"}},
		{"tts: no whitespace", agents.Pipeline, func(p *agents.CreateParams) { p.TTS = agents.Value("eleven labs") }, []string{"tts:invalid_format"}},
		{"tts: empty", agents.Pipeline, func(p *agents.CreateParams) { p.TTS = agents.Value("") }, []string{"tts:too_short"}},
		{"realtimeProvider: 64 characters", agents.Realtime, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value(strings.Repeat("r", 64)) }, nil},
		{"realtimeProvider: 65 characters", agents.Realtime, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value(strings.Repeat("r", 65)) }, []string{"realtimeProvider:too_long"}},
		{"realtimeProvider: empty", agents.Realtime, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value("") }, []string{"realtimeProvider:too_short"}},
		{"realtimeProvider: no whitespace", agents.Realtime, func(p *agents.CreateParams) { p.RealtimeProvider = agents.Value("open\tai") }, []string{"realtimeProvider:invalid_format"}},
		{"voiceId: 1 character", agents.Pipeline, func(p *agents.CreateParams) { p.VoiceID = agents.Value("v") }, nil},
		{"voiceId: 200 characters", agents.Pipeline, func(p *agents.CreateParams) { p.VoiceID = agents.Value(strings.Repeat("v", 200)) }, nil},
		{"voiceId: 201 characters", agents.Pipeline, func(p *agents.CreateParams) { p.VoiceID = agents.Value(strings.Repeat("v", 201)) }, []string{"voiceId:too_long"}},
		{"voiceId: empty", agents.Realtime, func(p *agents.CreateParams) { p.VoiceID = agents.Value("") }, []string{"voiceId:too_short"}},
		{"voiceId: may hold spaces", agents.Realtime, func(p *agents.CreateParams) { p.VoiceID = agents.Value("warm voice") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.row, func(t *testing.T) {
			p := validByArch[tt.arch]()
			tt.change(&p)
			if diff := cmp.Diff(tt.want, fieldCodes(t, p.Validate())); diff != "" {
				t.Errorf("Validate() (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateUnknownArchitecture covers "when agentArchitecture is missing
// or unknown, only the rules that do not depend on it are judged".
func TestValidateUnknownArchitecture(t *testing.T) {
	t.Parallel()
	for _, arch := range []agents.Optional[agents.Architecture]{{}, agents.Null[agents.Architecture](), agents.Value(agents.Architecture("hybrid"))} {
		p := agents.CreateParams{
			Name:             agents.Value("x"),
			Architecture:     arch,
			SystemPrompt:     agents.Value("p"),
			STT:              agents.Value("deepgram"),              // n/a for two architectures: not judged
			RealtimeProvider: agents.Value(strings.Repeat("r", 65)), // value rules still apply
		}
		wantArch := "agentArchitecture:required"
		if arch.IsSet() {
			wantArch = "agentArchitecture:invalid_value"
		}
		want := []string{wantArch, "realtimeProvider:too_long"}
		if diff := cmp.Diff(want, fieldCodes(t, p.Validate())); diff != "" {
			t.Errorf("architecture %v: Validate() (-want +got):\n%s", arch, diff)
		}
	}
}

// TestValidateNullIsAbsent covers "in a create body, null is the same as
// absent (so null on a required field is required)" for every field of
// every architecture, through JSON as a server decodes it.
func TestValidateNullIsAbsent(t *testing.T) {
	t.Parallel()
	for arch, valid := range validByArch {
		full := valid()
		full.Language, full.Mode, full.Active = agents.Value("en"), agents.Value(agents.Public), agents.Value(true)
		full.Temperature = agents.Value(1.0)
		full.EnabledFunctions, full.EnabledCustomFunctions = agents.Value([]string{"a"}), agents.Value([]string{"b"})
		body, err := json.Marshal(full)
		if err != nil {
			t.Fatal(err)
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(body, &members); err != nil {
			t.Fatal(err)
		}
		for _, field := range writableFields {
			withNull := maps.Clone(members)
			withNull[field] = json.RawMessage("null")
			absent := maps.Clone(members)
			delete(absent, field)
			null, gone := decodeCreate(t, withNull), decodeCreate(t, absent)
			if diff := cmp.Diff(fieldCodes(t, gone.Validate()), fieldCodes(t, null.Validate())); diff != "" {
				t.Errorf("%s, %s: null and absent differ (-absent +null):\n%s", arch, field, diff)
			}
		}
	}
}

// writableFields are the JSON names of the fields of a create body.
var writableFields = []string{
	"name", "agentArchitecture", "model", "stt", "tts", "realtimeProvider", "voiceId", "systemPrompt",
	"language", "mode", "active", "temperature", "enabledFunctions", "enabledCustomFunctions",
}

func decodeCreate(t *testing.T, members map[string]json.RawMessage) agents.CreateParams {
	t.Helper()
	b, err := json.Marshal(members)
	if err != nil {
		t.Fatal(err)
	}
	var p agents.CreateParams
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return p
}

func TestValidateMessages(t *testing.T) {
	t.Parallel()
	p := validPipeline()
	p.STT = agents.Optional[string]{}
	p.Name = agents.Value(strings.Repeat("n", 101))
	p.VoiceID = agents.Value("")
	var ve *agents.ValidationError
	if !errors.As(p.Validate(), &ve) {
		t.Fatal("want a *ValidationError")
	}
	want := []agents.FieldError{
		{Field: "name", Code: "too_long", Message: "name must be at most 100 characters"},
		{Field: "stt", Code: "required", Message: "stt is required for pipeline agents"},
		{Field: "voiceId", Code: "too_short", Message: "voiceId must not be empty"},
	}
	if diff := cmp.Diff(want, ve.Fields); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
	const wantMsg = "validation failed: 3 invalid fields: name must be at most 100 characters; stt is required for pipeline agents; voiceId must not be empty"
	if ve.Error() != wantMsg {
		t.Errorf("Error() = %q, want %q", ve.Error(), wantMsg)
	}
	if f, ok := ve.Field("stt"); !ok || f.Code != agents.CodeRequired {
		t.Errorf("Field(stt) = %v, %v", f, ok)
	}
	if _, ok := ve.Field("tts"); ok {
		t.Error("Field(tts) found an entry that is not there")
	}
}

// TestNewValidationError covers contract section 4: "one entry per field;
// the first code in the contract's order wins; entries ordered by field
// name (byte order)", and this module's order of the value rules
// (too_short, too_long, invalid_format, duplicate).
func TestNewValidationError(t *testing.T) {
	t.Parallel()
	if err := domain.NewValidationError(); err != nil {
		t.Fatalf("NewValidationError() = %v, want nil", err)
	}
	got := domain.NewValidationError(
		agents.FieldError{Field: "stt", Code: "too_long", Message: "a"},
		agents.FieldError{Field: "enabledFunctions[2]", Code: "duplicate", Message: "b"},
		agents.FieldError{Field: "stt", Code: "not_applicable", Message: "c"},
		agents.FieldError{Field: "enabledFunctions", Code: "too_many", Message: "d"},
		agents.FieldError{Field: "enabledFunctions[10]", Code: "too_short", Message: "e"},
		agents.FieldError{Field: "name", Code: "required", Message: "f"},
		agents.FieldError{Field: "name", Code: "wrong_type", Message: "g"},
		agents.FieldError{Field: "id", Code: "read_only", Message: "h"},
		agents.FieldError{Field: "mode", Code: "invalid_value", Message: "i"},
		agents.FieldError{Field: "mode", Code: "unknown_field", Message: "j"},
		agents.FieldError{Field: "model", Code: "invalid_format", Message: "k"},
		agents.FieldError{Field: "model", Code: "too_long", Message: "l"},
		agents.FieldError{Field: "voiceId", Code: "too_long", Message: "m"},
		agents.FieldError{Field: "voiceId", Code: "too_short", Message: "n"},
		agents.FieldError{Field: "enabledFunctions[3]", Code: "duplicate", Message: "o"},
		agents.FieldError{Field: "enabledFunctions[3]", Code: "too_long", Message: "p"},
	)
	want := []agents.FieldError{
		{Field: "enabledFunctions", Code: "too_many", Message: "d"},
		{Field: "enabledFunctions[10]", Code: "too_short", Message: "e"},
		{Field: "enabledFunctions[2]", Code: "duplicate", Message: "b"},
		{Field: "enabledFunctions[3]", Code: "too_long", Message: "p"},
		{Field: "id", Code: "read_only", Message: "h"},
		{Field: "mode", Code: "unknown_field", Message: "j"},
		{Field: "model", Code: "too_long", Message: "l"},
		{Field: "name", Code: "wrong_type", Message: "g"},
		{Field: "stt", Code: "not_applicable", Message: "c"},
		{Field: "voiceId", Code: "too_short", Message: "n"},
	}
	if diff := cmp.Diff(want, got.Fields); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}
