package validate_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// The agreement tests generate bodies from a fixed seed and check that
// validate and agents judge them alike. A body is generated twice over:
// raw, as validate sees it (with wrong types, unknown and read-only keys),
// and typed, the part that decodes into agents' params.

const (
	createBodies = 3000
	updateBodies = 1000
)

// member is one key of a generated body and its raw JSON value.
type member struct{ key, raw string }

// genBody is a generated body and what is known about it in advance.
type genBody struct {
	raw, typed []member
	wrongType  []string          // fields (with index for items) of the wrong type
	extra      map[string]string // unknown and read-only keys, with their code
}

func (g *genBody) add(key, raw string, typed bool) {
	g.raw = append(g.raw, member{key, raw})
	if typed {
		g.typed = append(g.typed, member{key, raw})
	}
}

func encode(ms []member) []byte {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s:%s", quote(m.key), m.raw)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

func quote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// gen makes bodies from a seeded source.
type gen struct {
	r     *rand.Rand
	pools map[int][]string // by length limit: see str
}

func newGen(seed uint64) gen {
	return gen{r: rand.New(rand.NewPCG(seed, seed+1)), pools: map[int][]string{}}
}

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) chance(p float64) bool    { return g.r.Float64() < p }

// str returns one of good, or a string around the rules of a field of at
// most max code points: emptiness, blankness, every kind of white space
// and control character, and lengths at the limit in 1-, 2- and 4-byte
// characters.
func (g gen) str(max int, good ...string) string {
	if g.chance(0.5) {
		return g.pick(good...)
	}
	pool, ok := g.pools[max]
	if !ok {
		pool = []string{
			"", " ", "\t", "\n", "\u3000", "\u00a0", "\u0085", "\u1680", "\u2007", "\u180e", "\u200b", "\ufeff",
			"a", "a b", "a\tb", "a\u2028b", "a\u00a0", "\u205fa", "a\x00b", "a\x1fb", "a\x7fb", "a\u009fb", "x\u0085",
			"\u00ad", "é", "日本", "😀", "\ufffd",
			strings.Repeat("a", max-1), strings.Repeat("a", max), strings.Repeat("a", max+1),
			strings.Repeat("é", max), strings.Repeat("é", max+1), strings.Repeat("😀", max), strings.Repeat("😀", max+1),
			strings.Repeat("a", max) + " ", " " + strings.Repeat("a", max-1), strings.Repeat(" ", max+1), "\u3000\u3000",
		}
		g.pools[max] = pool
	}
	return g.pick(pool...)
}

// wrongTypeRaw returns a JSON value that is not of type want.
func (g gen) wrongTypeRaw(want string) string {
	all := map[string][]string{
		"string":  {`5`, `-1.5`, `true`, `[]`, `["a"]`, `{}`, `{"a":"b"}`},
		"boolean": {`"true"`, `1`, `0`, `[]`, `{}`, `"yes"`},
		"number":  {`"0.7"`, `true`, `[]`, `{}`, `[1]`},
		"array":   {`"web_search"`, `5`, `{}`, `true`, `{"0":"a"}`},
	}
	return g.pick(all[want]...)
}

// functions returns a JSON array of function names, and the indexes of
// the items of the wrong type.
func (g gen) functions() (string, []int) {
	n := []int{0, 1, 2, 3, 5, 8, 63, 64, 65, 70}[g.r.IntN(10)]
	items := make([]string, n)
	var bad []int
	for i := range items {
		switch {
		case g.chance(0.01):
			items[i] = g.pick(`5`, `null`, `true`, `{}`, `[]`, `["a"]`)
			bad = append(bad, i)
		case g.chance(0.3):
			items[i] = quote(g.pick("web_search", "lookup", "web_search", "a")) // duplicates
		default:
			items[i] = quote(g.str(agents.MaxFunctionNameLength, "web_search", "f"+fmt.Sprint(i), "send_email", "ñ"))
		}
	}
	return "[" + strings.Join(items, ",") + "]", bad
}

// field adds field to body: absent, null, a value of the right type (good
// or bad), or a value of the wrong type.
func (g gen) field(b *genBody, field string) {
	switch {
	case g.chance(0.22):
		return // absent
	case g.chance(0.08):
		b.add(field, "null", true)
		return
	}
	kind := "string"
	switch field {
	case "active":
		kind = "boolean"
	case "temperature":
		kind = "number"
	case "enabledFunctions", "enabledCustomFunctions":
		kind = "array"
	}
	if g.chance(0.04) {
		b.add(field, g.wrongTypeRaw(kind), false)
		b.wrongType = append(b.wrongType, field)
		return
	}
	var raw string
	switch field {
	case "name":
		raw = quote(g.str(agents.MaxNameLength, "Support Bot", "  Bot  ", "Bøt 😀"))
	case "agentArchitecture":
		raw = quote(g.pick("pipeline", "realtime", "text", "pipeline", "realtime", "text", "", "Pipeline", "voice", " text"))
	case "model":
		raw = quote(g.str(agents.MaxModelLength, agents.ModelGPT4o, agents.ModelGemini))
	case "stt", "tts", "realtimeProvider":
		raw = quote(g.str(agents.MaxProviderLength, "deepgram", "cartesia", "openai"))
	case "voiceId":
		raw = quote(g.str(agents.MaxVoiceIDLength, "sonic-english-female", "Rachel voice"))
	case "systemPrompt":
		// Prompts at the 50,000 limit are slow to build and scan (under
		// -race): use them in one body in thirty, short ones otherwise.
		limit := agents.MaxSystemPromptLength
		if !g.chance(1.0 / 30) {
			limit = 100
		}
		raw = quote(g.str(limit, "You are a helpful support agent for Acme.", "Line 1\nLine 2\t"))
	case "language":
		raw = quote(g.pick("en", "en-US", "pt-BR", "yue-Hant-HK", "EN", "e", "engl", "en-", "en-U", "en-12345678",
			"en-123456789", "", "en_US", "en-US\n", "en US", "é", "en--US", "1en", "zh-Hans-CN-x", " en"))
	case "mode":
		raw = quote(g.pick("public", "private", "commercial", "", "Public", "secret", " public"))
	case "active":
		raw = g.pick("true", "false")
	case "temperature":
		raw = g.pick("0", "2", "-0", "0.7", "1", "2.0", "1E0", "0e10", "2.0000000000000001", "2.000001",
			"-0.0001", "1e-400", "-1e-400", "1e300", "-5", "3")
	default: // the function lists
		var bad []int
		raw, bad = g.functions()
		if len(bad) > 0 {
			b.add(field, raw, false)
			for _, i := range bad {
				b.wrongType = append(b.wrongType, fmt.Sprintf("%s[%d]", field, i))
			}
			return
		}
	}
	b.add(field, raw, true)
}

// extras adds, now and then, keys that are not writable fields.
func (g gen) extras(b *genBody) {
	for g.chance(0.06) {
		key, code := g.pick("id", "createdAt", "updatedAt"), agents.CodeReadOnly
		if g.chance(0.6) {
			key, code = g.pick("systemprompt", "Name", "voice_id", "foo", "", "x/y~z", "enabledfunctions", "NAME"), agents.CodeUnknownField
		}
		if _, dup := b.extra[key]; dup {
			continue
		}
		b.add(key, g.pick(`null`, `"agent_abc"`, `1`, `{}`, `"2024-01-15T10:30:00Z"`), false)
		if b.extra == nil {
			b.extra = map[string]string{}
		}
		b.extra[key] = code
	}
}

// body generates one body, its fields in random order.
func (g gen) body() *genBody {
	b := &genBody{}
	fields := slices.Clone(knownFields)
	g.r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	for _, f := range fields {
		g.field(b, f)
	}
	g.extras(b)
	return b
}

// checkRawOnly checks the codes that only validate can give: wrong_type
// exactly on the generated wrong types, read_only and unknown_field
// exactly on the extra keys.
func checkRawOnly(t *testing.T, b *genBody, got []fc) {
	t.Helper()
	var want []fc
	for _, f := range b.wrongType {
		want = append(want, fc{f, agents.CodeWrongType})
	}
	for k, code := range b.extra {
		want = append(want, fc{k, code})
	}
	sortFC(want)
	if diff := diffFC(want, sortFC(onlyCodes(got, rawOnly...))); diff != "" {
		t.Fatalf("body %s\nraw-only codes (-want +got):\n%s", encode(b.raw), diff)
	}
}

func sortFC(fcs []fc) []fc {
	slices.SortFunc(fcs, func(a, b fc) int { return strings.Compare(a.Field+"\x00"+a.Code, b.Field+"\x00"+b.Code) })
	return fcs
}

// coverage counts the (field, code) pairs that agents reported, by base
// field, so that the test can prove the generator reached every rule.
type coverage map[fc]int

func (c coverage) add(fcs []fc) {
	for _, p := range fcs {
		c[fc{baseField(p.Field), p.Code}]++
	}
}

// addNulls counts the fields that b sets to null, as (field, "null").
func (c coverage) addNulls(b *genBody) {
	for _, m := range b.typed {
		if m.raw == "null" {
			c[fc{m.key, "null"}]++
		}
	}
}

// requireNulls fails unless the generator set every writable field to null
// at least once: in a create body null is the same as absent, and in a
// patch it clears or is required (contract sections 4 and 5).
func (c coverage) requireNulls(t *testing.T) {
	t.Helper()
	for _, f := range knownFields {
		if c[fc{f, "null"}] == 0 {
			t.Errorf("the generator never set %s to null", f)
		}
	}
}

func (c coverage) require(t *testing.T, field string, codes ...string) {
	t.Helper()
	for _, code := range codes {
		if c[fc{field, code}] == 0 {
			t.Errorf("the generator never produced %s on %s", code, field)
		}
	}
}

// judge runs check (Create or Update) on b's raw body, with the checks
// every generated body gets: the raw-only codes exactly where the
// generator put them, decoding exactly when validate allows it, and the
// count in seen of what was reached. It returns b's typed body decoded
// into P, the raw body and validate's answer.
func judge[P any](t *testing.T, seen coverage, b *genBody, check func([]byte) error) (p P, raw []byte, verr error) {
	t.Helper()
	raw = encode(b.raw)
	verr = check(raw)
	got := fieldCodes(t, verr)
	checkRawOnly(t, b, got)
	decodeAs(t, raw, verr, new(P))
	seen.add(got)
	seen.addNulls(b)
	if err := json.Unmarshal(encode(b.typed), &p); err != nil {
		t.Fatalf("typed body %s does not decode: %v", encode(b.typed), err)
	}
	return p, raw, verr
}

func TestCreateAgreesWithAgents(t *testing.T) {
	t.Parallel()
	g := newGen(1)
	seen := coverage{}
	for range createBodies {
		p, raw, verr := judge[agents.CreateParams](t, seen, g.body(), validate.Create)
		seen.add(fieldCodes(t, p.Validate()))
		if diff := createDiff(t, verr, p); diff != "" {
			t.Fatalf("body %s\nvalidate.Create disagrees with agents (-agents +validate):\n%s", raw, diff)
		}
	}
	seen.requireNulls(t)
	value := []string{agents.CodeTooShort, agents.CodeTooLong}
	seen.require(t, "name", append(value, agents.CodeRequired, agents.CodeInvalidFormat, agents.CodeWrongType)...)
	seen.require(t, "agentArchitecture", agents.CodeRequired, agents.CodeInvalidValue, agents.CodeWrongType)
	seen.require(t, "model", append(value, agents.CodeRequired, agents.CodeInvalidFormat, agents.CodeWrongType)...)
	for _, f := range []string{"stt", "tts", "realtimeProvider"} {
		seen.require(t, f, append(value, agents.CodeRequired, agents.CodeNotApplicable, agents.CodeInvalidFormat, agents.CodeWrongType)...)
	}
	seen.require(t, "voiceId", append(value, agents.CodeNotApplicable)...)
	seen.require(t, "systemPrompt", append(value, agents.CodeRequired)...)
	seen.require(t, "language", agents.CodeInvalidFormat)
	seen.require(t, "mode", agents.CodeInvalidValue)
	seen.require(t, "active", agents.CodeWrongType)
	seen.require(t, "temperature", agents.CodeOutOfRange, agents.CodeWrongType)
	for _, f := range []string{"enabledFunctions", "enabledCustomFunctions"} {
		seen.require(t, f, append(value, agents.CodeTooMany, agents.CodeDuplicate, agents.CodeWrongType)...)
	}
	seen.require(t, "id", agents.CodeReadOnly)
	seen.require(t, "foo", agents.CodeUnknownField)
}

// storedAgents are valid agents of each architecture, to patch.
func storedAgents() []agents.Agent {
	now := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	temp := 0.5
	return []agents.Agent{
		{ID: "agent_p", Name: "P", Architecture: agents.Pipeline, Model: "gpt-4o", STT: "deepgram", TTS: "cartesia",
			VoiceID: "v1", SystemPrompt: "p", Language: "en", Mode: agents.Private, Temperature: &temp,
			EnabledFunctions: []string{"web_search"}, CreatedAt: now, UpdatedAt: now},
		{ID: "agent_r", Name: "R", Architecture: agents.Realtime, RealtimeProvider: "openai", SystemPrompt: "r",
			Language: "en-US", Mode: agents.Public, Active: true, CreatedAt: now, UpdatedAt: now},
		{ID: "agent_t", Name: "T", Architecture: agents.Text, Model: "gpt-4o-mini", SystemPrompt: "t",
			Language: "en", Mode: agents.Commercial, EnabledCustomFunctions: []string{"a", "b"}, CreatedAt: now, UpdatedAt: now},
	}
}

// updatePatch generates a patch: fewer fields than a create body.
func (g gen) patch() *genBody {
	b := &genBody{}
	for _, f := range knownFields {
		if g.chance(0.6) {
			continue
		}
		g.field(b, f)
	}
	g.extras(b)
	return b
}

// TestUpdateAgreesWithAgents checks the structural rules of a patch:
// validate.Update judges the body alone, Apply judges the merged agent.
// On every field that does not depend on the architecture table, the two
// must agree; table results (required and not_applicable on model, stt,
// tts, realtimeProvider, voiceId) are Apply's alone.
func TestUpdateAgreesWithAgents(t *testing.T) {
	t.Parallel()
	g := newGen(3)
	stored := storedAgents()
	seen := coverage{}
	for range updateBodies {
		p, raw, verr := judge[agents.UpdateParams](t, seen, g.patch(), validate.Update)
		for _, a := range stored {
			if diff := updateDiff(t, verr, p, a); diff != "" {
				t.Fatalf("patch %s on %s\nvalidate.Update disagrees with Apply (-agents +validate):\n%s", raw, a.Architecture, diff)
			}
		}
	}
	seen.requireNulls(t)
	for _, f := range []string{"name", "agentArchitecture", "systemPrompt", "mode", "active"} {
		seen.require(t, f, agents.CodeRequired)
	}
	seen.require(t, "name", agents.CodeTooLong, agents.CodeInvalidFormat)
	seen.require(t, "stt", agents.CodeInvalidFormat)
	seen.require(t, "enabledFunctions", agents.CodeDuplicate, agents.CodeTooMany)
	seen.require(t, "temperature", agents.CodeOutOfRange)
}
