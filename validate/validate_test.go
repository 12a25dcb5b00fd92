package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// Valid bodies of each architecture, to build cases on.
const (
	realtimeBody = `"name":"R","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"p"`
	textBody     = `"name":"T","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p"`
	pipelineBody = `"name":"P","agentArchitecture":"pipeline","model":"gpt-4o","stt":"deepgram","tts":"cartesia","systemPrompt":"p"`
)

// obj joins groups of members ("a":1,"b":2) into one JSON object; a later
// member replaces an earlier one of the same key, in its place.
func obj(groups ...string) []byte {
	var ms []member
	for _, g := range groups {
		for _, m := range decodeMembers([]byte("{" + g + "}")) {
			if i := slices.IndexFunc(ms, func(x member) bool { return x.key == m.key }); i >= 0 {
				ms[i] = m
			} else {
				ms = append(ms, m)
			}
		}
	}
	return encode(ms)
}

// decodeMembers returns the members of a JSON object, in order.
func decodeMembers(object []byte) []member {
	dec := json.NewDecoder(bytes.NewReader(object))
	if _, err := dec.Token(); err != nil {
		panic(err)
	}
	var ms []member
	for dec.More() {
		key, err := dec.Token()
		var raw json.RawMessage
		if err == nil {
			err = dec.Decode(&raw)
		}
		if err != nil {
			panic(fmt.Sprintf("members of %s: %v", object, err))
		}
		ms = append(ms, member{key.(string), string(raw)})
	}
	return ms
}

// str is a JSON string member.
func str(key, value string) string { return quote(key) + ":" + quote(value) }

type ruleCase struct {
	name string
	body []byte
	want []fc
}

func runRules(t *testing.T, check func([]byte) error, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := check(tc.body)
			checkWellFormed(t, err, validate.ErrInvalidJSON)
			if diff := diffFC(tc.want, fieldCodes(t, err)); diff != "" {
				t.Errorf("body %s (-want +got):\n%s", tc.body, diff)
			}
		})
	}
}

func TestCreateRules(t *testing.T) {
	t.Parallel()
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	req, na := agents.CodeRequired, agents.CodeNotApplicable
	runRules(t, validate.Create, []ruleCase{
		{"POST: the published pipeline example", []byte(pipelineExample), nil},
		{"realtime: minimal body", obj(realtimeBody), nil},
		{"text: minimal body", obj(textBody), nil},
		{"null is absent on optional fields", obj(realtimeBody, `"model":null,"voiceId":null,"temperature":null,"language":null,"mode":null,"active":null,"enabledFunctions":null,"enabledCustomFunctions":null,"stt":null,"tts":null`), nil},

		{"name, agentArchitecture, systemPrompt required", obj(), []fc{{"agentArchitecture", req}, {"name", req}, {"systemPrompt", req}}},
		{"null on a required field is required", obj(`"name":null,"agentArchitecture":null,"systemPrompt":null`), []fc{{"agentArchitecture", req}, {"name", req}, {"systemPrompt", req}}},

		{"pipeline: model, stt, tts required", obj(`"name":"P","agentArchitecture":"pipeline","systemPrompt":"p","stt":null`), []fc{{"model", req}, {"stt", req}, {"tts", req}}},
		{"pipeline: realtimeProvider not applicable", obj(pipelineBody, str("realtimeProvider", "openai")), []fc{{"realtimeProvider", na}}},
		{"realtime: realtimeProvider required", obj(`"name":"R","agentArchitecture":"realtime","systemPrompt":"p"`), []fc{{"realtimeProvider", req}}},
		{"realtime: stt, tts not applicable", obj(realtimeBody, str("stt", "deepgram"), str("tts", "x y")), []fc{{"stt", na}, {"tts", na}}},
		{"realtime: model, voiceId optional", obj(realtimeBody, str("model", "gpt-4o"), str("voiceId", "v")), nil},
		{"text: model required", obj(`"name":"T","agentArchitecture":"text","systemPrompt":"p","model":null`), []fc{{"model", req}}},
		{"text: stt, tts, realtimeProvider, voiceId not applicable", obj(textBody, str("stt", ""), str("tts", "t"), str("realtimeProvider", "o"), str("voiceId", "v")), []fc{{"realtimeProvider", na}, {"stt", na}, {"tts", na}, {"voiceId", na}}},
		{"not_applicable outranks the value rules", obj(textBody, str("voiceId", long("v", 201))), []fc{{"voiceId", na}}},
		{"wrong_type outranks not_applicable", obj(textBody, `"voiceId":5`), []fc{{"voiceId", agents.CodeWrongType}}},
		{"unknown architecture: only the rules that do not depend on it", obj(`"name":"X","agentArchitecture":"voice","systemPrompt":"p","stt":"s"`), []fc{{"agentArchitecture", agents.CodeInvalidValue}}},
		{"agentArchitecture: empty is invalid_value", obj(`"name":"X","agentArchitecture":"","systemPrompt":"p"`), []fc{{"agentArchitecture", agents.CodeInvalidValue}}},
		{"wrong-typed agentArchitecture counts as unknown", obj(`"name":"X","agentArchitecture":["text"],"systemPrompt":"p","voiceId":"v"`), []fc{{"agentArchitecture", agents.CodeWrongType}}},

		{"name: empty is too_short", obj(realtimeBody, str("name", "")), []fc{{"name", agents.CodeTooShort}}},
		{"name: blank is Unicode white space", obj(realtimeBody, str("name", " \u3000\u00a0")), []fc{{"name", agents.CodeTooShort}}},
		{"name: a blank tab is too_short, not invalid_format", obj(realtimeBody, str("name", "\t")), []fc{{"name", agents.CodeTooShort}}},
		{"name: blank and too long is too_short", obj(realtimeBody, str("name", long(" ", 101))), []fc{{"name", agents.CodeTooShort}}},
		{"name: 100 code points", obj(realtimeBody, str("name", long("😀", 100))), nil},
		{"name: 101 code points", obj(realtimeBody, str("name", long("é", 101))), []fc{{"name", agents.CodeTooLong}}},
		{"name: length as sent, trailing space counts", obj(realtimeBody, str("name", long("a", 100)+" ")), []fc{{"name", agents.CodeTooLong}}},
		{"name: no control characters (NUL)", obj(realtimeBody, str("name", "a\x00b")), []fc{{"name", agents.CodeInvalidFormat}}},
		{"name: no control characters (C1 NEL)", obj(realtimeBody, str("name", "a\u0085")), []fc{{"name", agents.CodeInvalidFormat}}},
		{"name: too_long before invalid_format", obj(realtimeBody, str("name", long("a", 101)+"\x7f")), []fc{{"name", agents.CodeTooLong}}},
		{"name: a format character (Cf) is not Cc", obj(realtimeBody, str("name", "a\u200bb\u00ad")), nil},

		{"model: no whitespace", obj(textBody, str("model", "gpt 4o")), []fc{{"model", agents.CodeInvalidFormat}}},
		{"model: no Unicode whitespace (NBSP)", obj(textBody, str("model", "gpt\u00a04o")), []fc{{"model", agents.CodeInvalidFormat}}},
		{"model: no Unicode whitespace (LS)", obj(textBody, str("model", "gpt\u20284o")), []fc{{"model", agents.CodeInvalidFormat}}},
		{"model: zero-width space is not white space", obj(textBody, str("model", "gpt\u200b4o")), nil},
		{"model: empty is too_short", obj(textBody, str("model", "")), []fc{{"model", agents.CodeTooShort}}},
		{"model: too_long before invalid_format", obj(textBody, str("model", long("m", 100)+" ")), []fc{{"model", agents.CodeTooLong}}},
		{"stt, tts: 64 and 65 characters", obj(`"name":"P","agentArchitecture":"pipeline","model":"m","systemPrompt":"p"`, str("stt", long("s", 64)), str("tts", long("t", 65))), []fc{{"tts", agents.CodeTooLong}}},
		{"voiceId: 201 characters", obj(realtimeBody, str("voiceId", long("v", 201))), []fc{{"voiceId", agents.CodeTooLong}}},
		{"voiceId: may hold spaces", obj(realtimeBody, str("voiceId", "Rachel voice")), nil},
		{"systemPrompt: empty is too_short", obj(`"name":"R","agentArchitecture":"realtime","realtimeProvider":"o","systemPrompt":""`), []fc{{"systemPrompt", agents.CodeTooShort}}},
		{"systemPrompt: 50,001 characters", obj(`"name":"R","agentArchitecture":"realtime","realtimeProvider":"o"`, str("systemPrompt", long("p", 50001))), []fc{{"systemPrompt", agents.CodeTooLong}}},

		{"language: yue-Hant-HK", obj(realtimeBody, str("language", "yue-Hant-HK")), nil},
		{"language: empty is invalid_format", obj(realtimeBody, str("language", "")), []fc{{"language", agents.CodeInvalidFormat}}},
		{"language: en_US is invalid_format", obj(realtimeBody, str("language", "en_US")), []fc{{"language", agents.CodeInvalidFormat}}},
		{"language: a trailing newline is invalid_format", obj(realtimeBody, str("language", "en-US\n")), []fc{{"language", agents.CodeInvalidFormat}}},
		{"mode: unknown is invalid_value", obj(realtimeBody, str("mode", "secret")), []fc{{"mode", agents.CodeInvalidValue}}},
		{"mode: empty is invalid_value", obj(realtimeBody, str("mode", "")), []fc{{"mode", agents.CodeInvalidValue}}},
		{"mode: wrong_type", obj(realtimeBody, `"mode":1`), []fc{{"mode", agents.CodeWrongType}}},
		{"active: wrong_type", obj(realtimeBody, `"active":"true"`), []fc{{"active", agents.CodeWrongType}}},

		{"temperature: 2 passes", obj(realtimeBody, `"temperature":2`), nil},
		{"temperature: -0 passes", obj(realtimeBody, `"temperature":-0`), nil},
		{"temperature: a number that is 2 as a float64", obj(realtimeBody, `"temperature":2.0000000000000001`), nil},
		{"temperature: over 2", obj(realtimeBody, `"temperature":2.000001`), []fc{{"temperature", agents.CodeOutOfRange}}},
		{"temperature: under 0", obj(realtimeBody, `"temperature":-0.1`), []fc{{"temperature", agents.CodeOutOfRange}}},
		{"temperature: beyond float64", obj(realtimeBody, `"temperature":1e400`), []fc{{"temperature", agents.CodeOutOfRange}}},
		{"temperature: beyond float64, negative", obj(realtimeBody, `"temperature":-1e400`), []fc{{"temperature", agents.CodeOutOfRange}}},
		{"temperature: a string is wrong_type", obj(realtimeBody, `"temperature":"0.7"`), []fc{{"temperature", agents.CodeWrongType}}},

		{"duplicate at its later index", obj(realtimeBody, `"enabledFunctions":["a","b","a"]`), []fc{{"enabledFunctions[2]", agents.CodeDuplicate}}},
		{"every duplicate at its later index", obj(realtimeBody, `"enabledFunctions":["a","a","b","a","b"]`), []fc{{"enabledFunctions[1]", agents.CodeDuplicate}, {"enabledFunctions[3]", agents.CodeDuplicate}, {"enabledFunctions[4]", agents.CodeDuplicate}}},
		{"functions: empty items are too_short, not duplicate", obj(realtimeBody, `"enabledFunctions":["",""]`), []fc{{"enabledFunctions[0]", agents.CodeTooShort}, {"enabledFunctions[1]", agents.CodeTooShort}}},
		{"functions: 101-character name", obj(realtimeBody, `"enabledCustomFunctions":[`+quote(long("f", 101))+`]`), []fc{{"enabledCustomFunctions[0]", agents.CodeTooLong}}},
		{"functions: items of the wrong type, null included", obj(realtimeBody, `"enabledFunctions":["a",5,null,"a"]`), []fc{{"enabledFunctions[1]", agents.CodeWrongType}, {"enabledFunctions[2]", agents.CodeWrongType}, {"enabledFunctions[3]", agents.CodeDuplicate}}},
		{"functions: not an array is wrong_type", obj(realtimeBody, `"enabledFunctions":"web_search"`), []fc{{"enabledFunctions", agents.CodeWrongType}}},
		{"functions: 64 items", obj(realtimeBody, `"enabledFunctions":`+names(64)), nil},
		{"functions: 65 items is too_many on the array", obj(realtimeBody, `"enabledFunctions":`+names(65)), []fc{{"enabledFunctions", agents.CodeTooMany}}},
		{"functions: too_many and a duplicate", obj(realtimeBody, `"enabledFunctions":`+strings.Replace(names(65), `"f64"`, `"f0"`, 1)), []fc{{"enabledFunctions", agents.CodeTooMany}, {"enabledFunctions[64]", agents.CodeDuplicate}}},

		{"read-only fields, even null, are read_only", obj(realtimeBody, `"id":"agent_abc","createdAt":null,"updatedAt":"2024-01-15T10:30:00Z"`), []fc{{"createdAt", agents.CodeReadOnly}, {"id", agents.CodeReadOnly}, {"updatedAt", agents.CodeReadOnly}}},
		{"read_only is judged by the key alone, whatever the value's type", obj(realtimeBody, `"id":5,"createdAt":true,"updatedAt":{}`), []fc{{"createdAt", agents.CodeReadOnly}, {"id", agents.CodeReadOnly}, {"updatedAt", agents.CodeReadOnly}}},
		{"unknown fields, even null, are unknown_field", obj(realtimeBody, `"systemprompt":"x","Name":null,"":1,"a/b~c":{},"x#/0%20":1`), []fc{{"", agents.CodeUnknownField}, {"Name", agents.CodeUnknownField}, {"a/b~c", agents.CodeUnknownField}, {"systemprompt", agents.CodeUnknownField}, {"x#/0%20", agents.CodeUnknownField}}},
		{"unknown_field: keys with colons, quotes and backslashes", obj(realtimeBody, `"a\":b":1,"voiceId":"x\\","c\\":{"d:":[":"]}`), []fc{{`a":b`, agents.CodeUnknownField}, {`c\`, agents.CodeUnknownField}}},
		{"wrong_type: a key repeated inside a value", obj(realtimeBody, `"voiceId":{"a":1,"a":2}`), []fc{{"voiceId", agents.CodeWrongType}}},
	})
}

// TestCreateNullIsAbsent covers contract section 4, "in a create body,
// null is the same as absent (so null on a required field is required)",
// for every writable field of every architecture, on a body that sets
// every optional field the architecture allows.
func TestCreateNullIsAbsent(t *testing.T) {
	t.Parallel()
	optional := `"language":"en","mode":"public","active":true,"temperature":1,"enabledFunctions":["a"],"enabledCustomFunctions":["b"]`
	for _, base := range []string{pipelineBody + `,"voiceId":"v"`, realtimeBody + `,"model":"m","voiceId":"v"`, textBody} {
		for _, field := range knownFields {
			null := obj(base, optional, quote(field)+":null")
			absent := encode(slices.DeleteFunc(decodeMembers(null), func(m member) bool { return m.key == field }))
			if diff := diffFC(fieldCodes(t, validate.Create(absent)), fieldCodes(t, validate.Create(null))); diff != "" {
				t.Errorf("%s: null and absent differ (-absent +null):\n%s", null, diff)
			}
		}
	}
}

// names returns a JSON array of n distinct function names f0, f1, ...
func names(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf(`"f%d"`, i)
	}
	return "[" + strings.Join(s, ",") + "]"
}

func TestUpdateRules(t *testing.T) {
	t.Parallel()
	req := agents.CodeRequired
	runRules(t, validate.Update, []ruleCase{
		{"PATCH {} is valid", obj(), nil},
		{"PATCH null clears optional fields", obj(`"model":null,"stt":null,"tts":null,"realtimeProvider":null,"voiceId":null,"temperature":null,"language":null,"enabledFunctions":null,"enabledCustomFunctions":null`), nil},
		{"PATCH null on a field that always has a value is required", obj(`"name":null,"agentArchitecture":null,"systemPrompt":null,"mode":null,"active":null`), []fc{{"active", req}, {"agentArchitecture", req}, {"mode", req}, {"name", req}, {"systemPrompt", req}}},
		{"PATCH the architecture table needs the stored agent", obj(`"agentArchitecture":"text","stt":"deepgram","voiceId":"v"`), nil},
		{"PATCH values follow the value rules", obj(`"agentArchitecture":"voice","stt":"a b","name":"  ","temperature":3,"language":"x","mode":"secret","enabledFunctions":["a","a"]`), []fc{
			{"agentArchitecture", agents.CodeInvalidValue}, {"enabledFunctions[1]", agents.CodeDuplicate}, {"language", agents.CodeInvalidFormat},
			{"mode", agents.CodeInvalidValue}, {"name", agents.CodeTooShort}, {"stt", agents.CodeInvalidFormat}, {"temperature", agents.CodeOutOfRange},
		}},
		{"PATCH wrong_type", obj(`"name":5,"active":"yes","enabledCustomFunctions":[1]`), []fc{{"active", agents.CodeWrongType}, {"enabledCustomFunctions[0]", agents.CodeWrongType}, {"name", agents.CodeWrongType}}},
		{"PATCH read_only by the key alone", obj(`"id":5,"createdAt":[1]`), []fc{{"createdAt", agents.CodeReadOnly}, {"id", agents.CodeReadOnly}}},
		{"PATCH read_only and unknown_field", obj(`"id":null,"updatedAt":"x","voice_id":"v"`), []fc{{"id", agents.CodeReadOnly}, {"updatedAt", agents.CodeReadOnly}, {"voice_id", agents.CodeUnknownField}}},
	})
}

// TestMessages pins the messages people read: they name the field, say
// what is wrong, and never show a schema path.
func TestMessages(t *testing.T) {
	t.Parallel()
	body := obj(`"name":"","agentArchitecture":"pipeline","model":"gpt 4o","tts":5,"systemPrompt":null,"realtimeProvider":"openai"`,
		`"language":"english","mode":"secret","temperature":9,"enabledFunctions":["a","a"],"id":"agent_1","Voice":"v"`,
		`"enabledCustomFunctions":`+names(65))
	want := []agents.FieldError{
		{Field: "Voice", Code: "unknown_field", Message: "Voice is not a field of this body"},
		{Field: "enabledCustomFunctions", Code: "too_many", Message: "enabledCustomFunctions must have at most 64 items"},
		{Field: "enabledFunctions[1]", Code: "duplicate", Message: "enabledFunctions[1] repeats an earlier item"},
		{Field: "id", Code: "read_only", Message: "id is read-only: the server sets it"},
		{Field: "language", Code: "invalid_format", Message: "language must be a BCP 47 tag such as en or pt-BR"},
		{Field: "mode", Code: "invalid_value", Message: "mode must be one of public, private, commercial"},
		{Field: "model", Code: "invalid_format", Message: "model must not contain white space"},
		{Field: "name", Code: "too_short", Message: "name must not be empty"},
		{Field: "realtimeProvider", Code: "not_applicable", Message: "realtimeProvider is not applicable to pipeline agents"},
		{Field: "stt", Code: "required", Message: "stt is required for pipeline agents"},
		{Field: "systemPrompt", Code: "required", Message: "systemPrompt is required"},
		{Field: "temperature", Code: "out_of_range", Message: "temperature must be between 0 and 2"},
		{Field: "tts", Code: "wrong_type", Message: "tts must be a string"},
	}
	var ve *agents.ValidationError
	if err := validate.Create(body); !errors.As(err, &ve) {
		t.Fatalf("Create = %v, want a ValidationError", err)
	}
	if diff := cmp.Diff(want, ve.Fields); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	want = []agents.FieldError{
		{Field: "mode", Code: "required", Message: "mode cannot be null"},
		{Field: "name", Code: "too_long", Message: "name must be at most 100 characters"},
		{Field: "stt", Code: "too_short", Message: "stt must not be empty"},
	}
	if err := validate.Update(obj(`"mode":null,"stt":""`, str("name", strings.Repeat("n", 101)))); !errors.As(err, &ve) {
		t.Fatalf("Update = %v, want a ValidationError", err)
	}
	if diff := cmp.Diff(want, ve.Fields); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestInvalidJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"", "  \n", "null", "[]", `[{"name":"x"}]`, `"s"`, "1", "true", "{", `{"name":}`, `{"a":1,}`,
		`{}x`, `{} {}`, `{}}`, "\xff", `{"name":"` + "\xff" + `"}`, "\xef\xbb\xbf{}", `{'a':1}`,
		`{"name":5,"name":"ok"}`, `{"x":1,"y":{"x":[]},"x":null}`, `{"\u006eame":"a","name":"b"}`,
	} {
		for name, check := range map[string]func([]byte) error{"Create": validate.Create, "Update": validate.Update} {
			err := check([]byte(body))
			if !errors.Is(err, validate.ErrInvalidJSON) {
				t.Errorf("%s(%q) = %v, want ErrInvalidJSON", name, body, err)
			}
			var ve *agents.ValidationError
			if errors.As(err, &ve) {
				t.Errorf("%s(%q) is also a ValidationError", name, body)
			}
		}
	}
}

// TestBadInput feeds bodies that are large or deep: each must give an
// answer, not a panic or a hang.
func TestBadInput(t *testing.T) {
	t.Parallel()
	mib := strings.Repeat("x", 1<<20)
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	cases := []struct {
		name    string
		body    string
		want    []fc
		invalid bool // ErrInvalidJSON
	}{
		{name: "1 MiB name", body: string(obj(realtimeBody, `"name":"`+mib+`"`)), want: []fc{{"name", agents.CodeTooLong}}},
		{name: "1 MiB model with spaces", body: string(obj(textBody, `"model":"`+strings.Repeat("a ", 1<<19)+`"`)), want: []fc{{"model", agents.CodeTooLong}}},
		{name: "1 MiB unknown key", body: `{` + realtimeBody + `,"` + mib + `":1}`, want: []fc{{mib, agents.CodeUnknownField}}},
		{name: "10,000 nested arrays", body: nested(10000), invalid: true},
		{name: "10,000 nested arrays in a field", body: `{"name":` + nested(10000) + `}`, invalid: true},
		{name: "9,999 nested arrays in a field", body: `{` + realtimeBody + `,"voiceId":` + nested(9999) + `}`, want: []fc{{"voiceId", agents.CodeWrongType}}},
		{name: "deep equal items", body: `{` + realtimeBody + `,"enabledFunctions":[` + nested(9998) + `,` + nested(9998) + `]}`,
			want: []fc{{"enabledFunctions[0]", agents.CodeWrongType}, {"enabledFunctions[1]", agents.CodeWrongType}}},
		{name: "number beyond big.Rat", body: `{` + realtimeBody + `,"temperature":-1e1000100}`, want: []fc{{"temperature", agents.CodeOutOfRange}}},
		{name: "numbers beyond big.Rat, compared", body: `{` + realtimeBody + `,"enabledFunctions":[1e1000100,1e1000100]}`,
			want: []fc{{"enabledFunctions[0]", agents.CodeWrongType}, {"enabledFunctions[1]", agents.CodeWrongType}}},
		{name: "numbers beyond big.Rat, hashed", body: `{` + realtimeBody + `,"enabledCustomFunctions":[` + strings.Repeat(`1e1000100,`, 20) + `1e1000100]}`,
			want: func() []fc {
				var w []fc
				for i := range 21 {
					w = append(w, fc{fmt.Sprintf("enabledCustomFunctions[%d]", i), agents.CodeWrongType})
				}
				slices.SortFunc(w, func(a, b fc) int { return strings.Compare(a.Field, b.Field) })
				return w
			}()},
		{name: "100,000 items", body: `{` + realtimeBody + `,"enabledFunctions":[` + strings.Repeat(`"a",`, 99999) + `"b"]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, check := range []func([]byte) error{validate.Create, validate.Update} {
				err := check([]byte(tc.body))
				if tc.invalid {
					if !errors.Is(err, validate.ErrInvalidJSON) {
						t.Errorf("got %v, want ErrInvalidJSON", err)
					}
					continue
				}
				checkWellFormed(t, err, validate.ErrInvalidJSON)
				got := fieldCodes(t, err)
				if tc.want == nil { // the 100,000 items: check the shape only
					if len(got) != 99999 || got[0] != (fc{"enabledFunctions", agents.CodeTooMany}) {
						t.Errorf("got %d entries starting %v, want too_many and 99,998 duplicates", len(got), got[:min(len(got), 2)])
					}
					continue
				}
				if diff := diffFC(tc.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestConcurrent runs Create and Update from many goroutines at once,
// first use included, and checks each answer against a sequential one.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	bodies := [][]byte{[]byte(pipelineExample), obj(), obj(textBody, `"voiceId":"v"`), obj(`"name":null`), []byte(`[]`)}
	type answer struct{ create, update string }
	run := func(b []byte) answer {
		return answer{fmt.Sprint(validate.Create(b)), fmt.Sprint(validate.Update(b))}
	}
	var wg sync.WaitGroup
	got := make([][]answer, 8)
	for g := range got {
		wg.Go(func() {
			for range 20 {
				for _, b := range bodies {
					got[g] = append(got[g], run(b))
				}
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i, a := range got[g] {
			if want := run(bodies[i%len(bodies)]); a != want {
				t.Fatalf("goroutine %d, call %d: got %+v, want %+v", g, i, a, want)
			}
		}
	}
}
