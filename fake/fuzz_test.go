package fake

import (
	"bytes"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// serveDirect sends one request through the handler, without a network.
func serveDirect(s *Server, method, target, key string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// bodySeeds are create and patch bodies that reach every branch: valid
// ones of each architecture, nulls, wrong types, unknown fields, numbers
// out of float64's range, and broken JSON.
var bodySeeds = []string{
	pipelineBody,
	`{"name":"R","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"p"}`,
	`{"name":"T","agentArchitecture":"text","model":"m","systemPrompt":"p","voiceId":null}`,
	`{"agentArchitecture":7,"stt":"x","temperature":1e400}`,
	`{"name":null,"mode":"commercial","enabledFunctions":["a","a",""]}`,
	`{"NAME":"x","id":"agent_1","language":"en-","temperature":-0}`,
	`{"agentArchitecture":"realtime","stt":null,"tts":null,"realtimeProvider":"google"}`,
	`{}`, `[]`, `{"a":`, "{\"name\":\"\xff\"}",
}

// FuzzBodies sends arbitrary bodies as a create and as a patch of a
// pipeline agent. The fake must never answer 500, which would mean that
// validate and agents disagree or a decode failed; a 201 must be stored
// as its create said, a 200 patch must be stored as answered, and the
// journal that recorded both must still be valid JSON.
func FuzzBodies(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnyBody(t, body)
	})
}

func checkAnyBody(t *testing.T, body []byte) {
	t.Helper()
	s := NewHandler(WithIDs(SequentialIDs()))
	created := serveDirect(s, "POST", "/v1/agents", owner, []byte(pipelineBody))
	if created.Code != 201 {
		t.Fatalf("seed create: %d %s", created.Code, created.Body)
	}
	w := serveDirect(s, "POST", "/v1/agents", owner, body)
	switch w.Code {
	case 201:
		var out struct{ Data struct{ ID string } }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		a, found := s.LookupAgent(out.Data.ID)
		var p agents.CreateParams
		if !found || json.Unmarshal(body, &p) != nil || p.Validate() != nil {
			t.Fatalf("create %s: 201 but stored %v, params do not validate", body, found)
		}
		if a.Name != p.Name.Or("") {
			t.Fatalf("create %s: stored name %q", body, a.Name)
		}
	case 400, 403, 413:
	default:
		t.Fatalf("create %s: %d %s", body, w.Code, w.Body)
	}
	w = serveDirect(s, "PATCH", "/v1/agents/agent_1", owner, body)
	switch w.Code {
	case 200:
		var out struct{ Data agents.Agent }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		if a := s.Agent(t, "agent_1"); !domain.SameContent(a, out.Data) {
			t.Fatalf("patch %s: answered %+v, stored %+v", body, out.Data, a)
		}
	case 400, 413:
	default:
		t.Fatalf("patch %s: %d %s", body, w.Code, w.Body)
	}
	checkJournalJSON(t, s)
}

// TestGeneratedBodies runs FuzzBodies' check on bodies built from every
// field with values of every kind, for each architecture: a deterministic
// sample of what the fuzzer explores, so that plain `go test` covers it.
func TestGeneratedBodies(t *testing.T) {
	for _, b := range generatedBodies() {
		checkAnyBody(t, b)
	}
	for _, s := range bodySeeds {
		checkAnyBody(t, []byte(s))
	}
}

// TestGeneratedBodiesDeterministic: the sample is the same on every run.
func TestGeneratedBodiesDeterministic(t *testing.T) {
	a, b := generatedBodies(), generatedBodies()
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("body %d differs between two generations: %s and %s", i, a[i], b[i])
		}
	}
}

// generatedBodies returns 300 bodies drawn from a fixed seed, with the
// fields in sorted order.
func generatedBodies() [][]byte {
	values := map[string][]string{
		"name":                   {`"N"`, `""`, `"  "`, `null`, `5`, `"` + strings.Repeat("n", 101) + `"`},
		"agentArchitecture":      {`"pipeline"`, `"realtime"`, `"text"`, `"robot"`, `null`, `[]`},
		"model":                  {`"gpt-4o"`, `"a b"`, `null`, `1`},
		"stt":                    {`"deepgram"`, `null`, `""`, `{}`},
		"tts":                    {`"cartesia"`, `null`, `true`},
		"realtimeProvider":       {`"openai"`, `null`, `"x y"`},
		"voiceId":                {`"v"`, `null`, `""`},
		"systemPrompt":           {`"p"`, `null`, `""`},
		"language":               {`"en-US"`, `null`, `"english"`, `7`},
		"mode":                   {`"public"`, `"private"`, `"commercial"`, `"secret"`, `3`},
		"active":                 {`true`, `false`, `null`, `"yes"`},
		"temperature":            {`0`, `2`, `2.5`, `null`, `"hot"`, `1e400`},
		"enabledFunctions":       {`[]`, `["a","a"]`, `[""]`, `null`, `"a"`, `[1]`},
		"enabledCustomFunctions": {`["x"]`, `null`},
		"id":                     {`"agent_9"`},
		"extra":                  {`1`},
	}
	names := slices.Sorted(maps.Keys(values))
	rng := rand.New(rand.NewPCG(11, 12))
	bodies := make([][]byte, 0, 300)
	for range 300 {
		var parts []string
		for _, k := range names {
			if rng.IntN(3) == 0 {
				continue
			}
			vs := values[k]
			parts = append(parts, `"`+k+`":`+vs[rng.IntN(len(vs))])
		}
		bodies = append(bodies, []byte("{"+strings.Join(parts, ",")+"}"))
	}
	return bodies
}

// FuzzListQuery sends arbitrary query strings to GET /v1/agents: the
// answer is a page or INVALID_PARAMETER, never anything else.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{"", "page=2&limit=5", "page=0", "limit=abc", "mode=public", "page=99999999999999999999", "mode=&page=", "%zz", "limit=101", "mode=secret%", "page=0;x", "page=1&page=2"} {
		f.Add(q)
	}
	s := NewHandler()
	serveDirect(s, "POST", "/v1/agents", owner, []byte(pipelineBody))
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := url.ParseRequestURI("/v1/agents?" + q); err != nil || strings.ContainsAny(q, " #") {
			t.Skip("not a query string a client can send")
		}
		w := serveDirect(s, "GET", "/v1/agents?"+q, member, nil)
		var out struct {
			Success bool
			Code    string
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if !(w.Code == 200 && out.Success || w.Code == 400 && out.Code == "INVALID_PARAMETER") {
			t.Fatalf("%q: %d %s", q, w.Code, w.Body)
		}
	})
}

// FuzzBearer checks that the Authorization parser accepts exactly
// "Bearer" (any case), spaces, and one word.
func FuzzBearer(f *testing.F) {
	for _, h := range []string{"Bearer k", "bearer  k", "Bearer", "Bearer k x", "Basic k", "Bearer\tk", ""} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		token, ok := bearer(h)
		fields := strings.Split(h, " ")
		wantOK := len(fields) >= 2 && strings.EqualFold(fields[0], "bearer") && fields[len(fields)-1] != "" &&
			strings.TrimLeft(strings.Join(fields[1:], " "), " ") == fields[len(fields)-1] && !strings.ContainsAny(fields[len(fields)-1], "\t")
		if ok != wantOK || ok && token != fields[len(fields)-1] {
			t.Fatalf("bearer(%q) = %q, %v; want ok %v", h, token, ok, wantOK)
		}
	})
}
