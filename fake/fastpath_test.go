package fake

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// TestPlainCreateFields: the fast path's struct has the fields of
// agents.CreateParams, in order, with the same JSON names and the types
// their Optionals hold, so a field added to one cannot be missed by the
// other.
func TestPlainCreateFields(t *testing.T) {
	want, got := reflect.TypeFor[agents.CreateParams](), reflect.TypeFor[plainCreate]()
	if want.NumField() != got.NumField() {
		t.Fatalf("CreateParams has %d fields, plainCreate %d", want.NumField(), got.NumField())
	}
	for i := range want.NumField() {
		w, g := want.Field(i), got.Field(i)
		wName, _, _ := strings.Cut(w.Tag.Get("json"), ",")
		getter, _ := w.Type.MethodByName("Get")
		if g.Name != w.Name || g.Tag.Get("json") != wName || g.Type != reflect.PointerTo(getter.Type.Out(0)) {
			t.Errorf("field %d: plainCreate has %s %s %q, CreateParams %s %s %q", i, g.Name, g.Type, g.Tag.Get("json"), w.Name, w.Type, wName)
		}
	}
}

// fastCases are bodies the fast path must leave to the full judgement.
var fastCases = []string{
	`{"name":"x","name":"y","agentArchitecture":"text","model":"m","systemPrompt":"p"}`,     // a key twice
	`{"Name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p"}`,                // a key in another case
	`{"na\u006de":"x","agentArchitecture":"text","model":"m","systemPrompt":"p"}`,           // an escaped key
	`{"name":"\ud800","agentArchitecture":"text","model":"m","systemPrompt":"p"}`,           // a lone surrogate
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p","voiceId":null}`, // null
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p","enabledFunctions":["a",null]}`,
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p"} {}`,             // trailing data
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p","id":"agent_1"}`, // read-only
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p","temperature":"1"}`,
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":"p","temperature":3}`,
	`{"name":"x","agentArchitecture":"text","model":"m","systemPrompt":{"name":"y"}}`,
	"{\"name\":\"\xff\",\"agentArchitecture\":\"text\",\"model\":\"m\",\"systemPrompt\":\"p\"}",
	`["name"]`, `{"name":"x",`, ``,
}

// TestFastCreate: the fast path accepts the common valid bodies, leaves
// every doubtful one to the full judgement, and whatever it accepts,
// package validate accepts, decoded to the same params.
func TestFastCreate(t *testing.T) {
	for _, body := range []string{pipelineBody, ` { "name" : "R" , "agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"a, \"b\": {c}"} `} {
		if _, ok := fastCreate([]byte(body)); !ok {
			t.Errorf("the fast path refused %s", body)
		}
		checkFastCreate(t, []byte(body))
	}
	for _, body := range fastCases {
		if _, ok := fastCreate([]byte(body)); ok {
			t.Errorf("the fast path accepted %s", body)
		}
	}
}

// FuzzFastCreate: whatever the fast path accepts, the full judgement
// accepts too, with the same params.
func FuzzFastCreate(f *testing.F) {
	for _, s := range append(append([]string{}, bodySeeds...), fastCases...) {
		f.Add([]byte(s))
	}
	f.Fuzz(checkFastCreate)
}

func checkFastCreate(t *testing.T, body []byte) {
	p, ok := fastCreate(body)
	if !ok {
		return
	}
	if err := validate.Create(body); err != nil {
		t.Fatalf("the fast path accepted %q, which validate refuses: %v", body, err)
	}
	var full agents.CreateParams
	if err := json.Unmarshal(body, &full); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(full)
	if string(a) != string(b) {
		t.Errorf("the fast path decoded %s, the full path %s", a, b)
	}
}
