package fake_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/fake"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// exchange is one request of TestAnswersFitOpenAPI.
type exchange struct {
	name, method, path, key, body string
	header                        map[string]string
	status                        int
}

// TestAnswersFitOpenAPI sends the fake a request of every kind, and checks
// each answer against GET /openapi.json: the body against the schema the
// document gives for its operation and status, and the headers against
// those it declares: every header the API sends is declared, and every
// required one is sent.
func TestAnswersFitOpenAPI(t *testing.T) {
	t.Parallel()
	srv := fake.NewServer(t, fake.WithRateLimits(nil))
	doc := fetchOpenAPI(t, srv)
	ids := map[string]string{}
	send := func(x exchange) []byte {
		t.Helper()
		for k, v := range ids {
			x.path = strings.ReplaceAll(x.path, "{"+k+"}", v)
		}
		status, header, body := do(t, srv, x)
		if status != x.status {
			t.Fatalf("%s: %s %s answered %d, want %d: %s", x.name, x.method, x.path, status, x.status, body)
		}
		doc.check(t, x, status, header, body)
		return body
	}
	create := func(name, body string) {
		b := send(exchange{name: "create " + name, method: "POST", path: "/v1/agents", key: fake.KeyAcmeOwner, body: body, status: 201,
			header: map[string]string{"Idempotency-Key": "key-" + name}})
		var created struct{ Data struct{ ID string } }
		if err := json.Unmarshal(b, &created); err != nil {
			t.Fatal(err)
		}
		ids[name] = created.Data.ID
	}
	create("pipeline", `{"name":"P","agentArchitecture":"pipeline","model":"gpt-4o","stt":"deepgram","tts":"cartesia","voiceId":"v","systemPrompt":"p","temperature":0.5}`)
	create("realtime", `{"name":"R","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"r","mode":"public"}`)
	create("text", `{"name":"T","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"t","enabledFunctions":["web_search"]}`)
	owner := fake.KeyAcmeOwner
	big := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, x := range []exchange{
		{name: "replayed create", method: "POST", path: "/v1/agents", key: owner, status: 201, header: map[string]string{"Idempotency-Key": "key-text"},
			body: `{"name":"T","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"t","enabledFunctions":["web_search"]}`},
		{name: "key reused", method: "POST", path: "/v1/agents", key: owner, status: 409, header: map[string]string{"Idempotency-Key": "key-text"}, body: `{}`},
		{name: "invalid create", method: "POST", path: "/v1/agents", key: owner, status: 400, body: `{"name":"","agentArchitecture":"pipeline"}`},
		{name: "create as text/plain", method: "POST", path: "/v1/agents", key: owner, status: 415, body: `{}`, header: map[string]string{"Content-Type": "text/plain"}},
		{name: "commercial by a member", method: "POST", path: "/v1/agents", key: fake.KeyAcmeMember, status: 403,
			body: `{"name":"C","agentArchitecture":"text","model":"m","systemPrompt":"s","mode":"commercial"}`},
		{name: "list", method: "GET", path: "/v1/agents?mode=private&page=1&limit=2", key: owner, status: 200},
		{name: "list page 0", method: "GET", path: "/v1/agents?page=0", key: owner, status: 400},
		{name: "get pipeline", method: "GET", path: "/v1/agents/{pipeline}", key: owner, status: 200},
		{name: "get realtime", method: "GET", path: "/v1/agents/{realtime}", key: owner, status: 200},
		{name: "get text", method: "GET", path: "/v1/agents/{text}", key: owner, status: 200},
		{name: "patch with nulls", method: "PATCH", path: "/v1/agents/{pipeline}", key: owner, status: 200,
			body: `{"voiceId":null,"temperature":null,"name":"P2"}`, header: map[string]string{"Content-Type": "application/merge-patch+json"}},
		{name: "patch to pipeline", method: "PATCH", path: "/v1/agents/{realtime}", key: owner, status: 400, body: `{"agentArchitecture":"pipeline"}`},
		{name: "patch too large", method: "PATCH", path: "/v1/agents/{text}", key: owner, status: 413, body: big},
		{name: "delete by a member", method: "DELETE", path: "/v1/agents/{realtime}", key: fake.KeyAcmeMember, status: 403},
		{name: "delete", method: "DELETE", path: "/v1/agents/{text}", key: owner, status: 200},
		{name: "get after delete", method: "GET", path: "/v1/agents/{text}", key: owner, status: 404},
		{name: "no key", method: "GET", path: "/v1/agents", status: 401},
		{name: "PUT", method: "PUT", path: "/v1/agents/{pipeline}", key: owner, status: 405},
		{name: "DELETE the list", method: "DELETE", path: "/v1/agents", key: owner, status: 405},
	} {
		send(x)
	}
	do(t, srv, exchange{method: "POST", path: "/_fake/faults", body: `{"method":"GET","path":"/v1/agents","status":503,"retryAfter":3,"times":1}`})
	send(exchange{name: "injected 503", method: "GET", path: "/v1/agents", key: owner, status: 503})
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("the free tier never answered 429")
		}
		status, _, _ := do(t, srv, exchange{method: "GET", path: "/v1/agents/agent_none", key: fake.KeyGlobexOwner})
		if status == http.StatusTooManyRequests {
			break
		}
	}
	send(exchange{name: "rate limited", method: "GET", path: "/v1/agents", key: fake.KeyGlobexOwner, status: 429})
}

// do sends x to srv and returns the answer.
func do(t *testing.T, srv *fake.Server, x exchange) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(x.method, srv.URL()+x.path, strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	if x.key != "" {
		req.Header.Set("Authorization", "Bearer "+x.key)
	}
	if x.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range x.header {
		req.Header.Set(k, v)
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// openAPI is the fake's document, decoded, and compiled for its schemas.
type openAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
}

const openAPIURL = "https://example.test/openapi.json"

func fetchOpenAPI(t *testing.T, srv *fake.Server) openAPI {
	t.Helper()
	status, _, b := do(t, srv, exchange{method: "GET", path: "/openapi.json"})
	if status != 200 {
		t.Fatalf("GET /openapi.json: %d", status)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	if err := c.AddResource(openAPIURL, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return openAPI{doc: doc, compiler: c}
}

// get follows keys down the document, resolving a $ref found on the way.
func (o openAPI) get(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		if ref, ok := m["$ref"].(string); ok {
			v = o.get(o.doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
			m, _ = v.(map[string]any)
		}
		v = m[k]
	}
	if m, ok := v.(map[string]any); ok {
		if ref, ok := m["$ref"].(string); ok {
			return o.get(o.doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
		}
	}
	return v
}

// sentHeaders are the headers of the API's answers that a document must
// declare when they are sent.
var sentHeaders = []string{
	wire.HeaderRequestID, wire.HeaderRateLimitLimit, wire.HeaderRateLimitRemaining, wire.HeaderRateLimitReset,
	wire.HeaderRetryAfter, wire.HeaderIdempotentReplayed, wire.HeaderAllow,
}

// check judges one answer against the document.
func (o openAPI) check(t *testing.T, x exchange, status int, header http.Header, body []byte) {
	t.Helper()
	tmpl, _, _ := strings.Cut(x.path, "?")
	if tmpl != "/v1/agents" {
		tmpl = "/v1/agents/{id}"
	}
	item, _ := o.get(o.doc, "paths", tmpl).(map[string]any)
	op, ok := item[strings.ToLower(x.method)]
	if !ok { // a method the path does not take: any operation's 405
		op = item["get"]
	}
	resp, ok := o.get(op, "responses", strconv.Itoa(status)).(map[string]any)
	if !ok {
		resp, ok = o.get(op, "responses", "default").(map[string]any)
	}
	if !ok {
		t.Fatalf("%s: the document has no answer %d for %s %s", x.name, status, x.method, tmpl)
	}
	name := schemaName(resp)
	if name == "" {
		t.Fatalf("%s: the document has no JSON schema for %s %s %d", x.name, x.method, tmpl, status)
	}
	s, err := o.compiler.Compile(openAPIURL + "#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", x.name, err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s: the answer does not fit %s: %v\n%s", x.name, name, err, body)
	}
	declared, _ := resp["headers"].(map[string]any)
	for _, h := range sentHeaders {
		if header.Get(h) != "" && declared[h] == nil {
			t.Errorf("%s: %d sends %s, which the document does not declare", x.name, status, h)
		}
	}
	for h := range declared {
		if o.get(declared, h, "required") == true && header.Get(h) == "" {
			t.Errorf("%s: %d does not send %s, which the document requires", x.name, status, h)
		}
	}
	if header.Get(wire.HeaderRequestID) == "" {
		t.Errorf("%s: no %s", x.name, wire.HeaderRequestID)
	}
}

// schemaName returns the component name of a response's JSON schema.
func schemaName(resp map[string]any) string {
	content, _ := resp["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, _ := media["schema"].(map[string]any)
	ref, _ := schema["$ref"].(string)
	return strings.TrimPrefix(ref, "#/components/schemas/")
}
