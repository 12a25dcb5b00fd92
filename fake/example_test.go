package fake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// A fake with a fixed clock and sequential ids answers byte for byte the
// same on every run. Here it is served by httptest and called with plain
// net/http as the owner of org_acme.
func ExampleNewHandler() {
	srv := fake.NewHandler(
		fake.WithClock(fake.NewClock(time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)).Now),
		fake.WithIDs(fake.SequentialIDs()),
	)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	body := `{"name":"Support Bot","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Be brief."}`
	req, _ := http.NewRequest("POST", ts.URL+"/v1/agents", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Println(string(out))
	// Output:
	// 201 Created
	// {"success":true,"data":{"id":"agent_1","name":"Support Bot","agentArchitecture":"text","active":false,"createdAt":"2024-01-15T10:30:00.000Z"}}
}

// Members see public agents and their own private ones; commercial
// agents and other organizations' agents are invisible to them.
func Example_permissions() {
	ts := httptest.NewServer(fake.NewHandler())
	defer ts.Close()
	send := func(method, key, path, body string) string {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		var out struct {
			Data []struct{ Name string }
			Code string
		}
		json.NewDecoder(resp.Body).Decode(&out)
		words := []string{resp.Status}
		if out.Code != "" {
			words = append(words, out.Code)
		}
		for _, a := range out.Data {
			words = append(words, a.Name)
		}
		return strings.Join(words, " ")
	}
	text := func(name, mode string) string {
		return fmt.Sprintf(`{"name":%q,"agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Be brief.","mode":%q}`, name, mode)
	}
	send("POST", fake.KeyAcmeOwner, "/v1/agents", text("FAQ", "public"))
	send("POST", fake.KeyAcmeOwner, "/v1/agents", text("Playbook", "commercial"))
	send("POST", fake.KeyAcmeMember, "/v1/agents", text("Draft", "private"))
	send("POST", fake.KeyGlobexOwner, "/v1/agents", text("Globex", "public"))

	fmt.Println(send("GET", fake.KeyAcmeMember, "/v1/agents", ""))
	fmt.Println(send("GET", fake.KeyAcmeMember2, "/v1/agents", ""))
	fmt.Println(send("GET", fake.KeyAcmeOwner, "/v1/agents", ""))
	fmt.Println(send("POST", fake.KeyAcmeMember, "/v1/agents", text("Mine", "commercial")))
	// Output:
	// 200 OK Draft FAQ
	// 200 OK FAQ
	// 200 OK Draft Playbook FAQ
	// 403 Forbidden FORBIDDEN
}

// In a test, CreateAgent seeds agents as a key's user, through the rules
// of POST /v1/agents, and Agent reads one back; both fail the test rather
// than return errors. runTest stands for go test here: in your test file,
// its function is the test, func TestRename(t *testing.T).
func ExampleServer_CreateAgent() {
	runTest(func(t testing.TB) {
		srv := fake.NewServer(t) // closed when the test ends
		draft := srv.CreateAgent(t, fake.KeyAcmeMember, agents.CreateParams{
			Name:         agents.Value("Draft"),
			Architecture: agents.Value(agents.Text),
			Model:        agents.Value(agents.ModelGPT4o),
			SystemPrompt: agents.Value("Be brief."),
		})

		// The code under test, here a client acting as the same member,
		// renames the draft.
		member := srv.Client(t, client.WithAPIKey(fake.KeyAcmeMember))
		if _, err := member.Agents.Update(t.Context(), draft.ID, agents.UpdateParams{Name: agents.Value("Renamed")}); err != nil {
			t.Fatal(err)
		}

		got := srv.Agent(t, draft.ID)
		fmt.Println(got.Name, got.Mode)
	})
	// Output:
	// Renamed private
}

// A fault with After lets the create happen and loses its answer; the
// retry with the same Idempotency-Key replays the real 201 instead of
// creating a second agent. The journal shows both attempts. AddFault fails
// the test when the rule is invalid. runTest stands for go test here: in
// your test file, its function is the test.
func ExampleServer_AddFault() {
	runTest(func(t testing.TB) {
		srv := fake.NewServer(t)
		srv.AddFault(t, fake.Fault{Method: "POST", Path: "/v1/agents", Status: 503, After: true, Times: 1})
		c := srv.Client(t, client.WithPOSTRetries())

		a, err := c.Agents.Create(t.Context(), agents.CreateParams{
			Name:         agents.Value("Support Bot"),
			Architecture: agents.Value(agents.Text),
			Model:        agents.Value(agents.ModelGPT4o),
			SystemPrompt: agents.Value("Be brief."),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range srv.Requests().Method("POST").Path("/v1/agents") {
			fmt.Println(q.Method, q.Path, q.Status)
		}
		stored := srv.Agents(t, fake.OrgAcme)
		fmt.Println(len(stored), stored[0].ID == a.ID)
	})
	// Output:
	// POST /v1/agents 503
	// POST /v1/agents 201
	// 1 true
}
