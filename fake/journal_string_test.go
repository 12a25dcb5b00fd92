package fake_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/fake"
)

// A journal prints one request a line, which the README promises for
// t.Log(srv.Requests()).
func TestJournalStringOneLineEach(t *testing.T) {
	t.Parallel()
	j := fake.Journal{
		{Method: "GET", Path: "/v1/agents", Query: "limit=5", Status: 200, Org: "org_acme", User: "usr_1", RequestID: "req_1"},
		{Method: "POST", Path: "/v1/agents", Status: 0, RequestID: "req_2", Body: []byte(`{"name":"x"}`)},
	}
	want := "GET /v1/agents?limit=5 200 org_acme/usr_1 req_1 -\n" +
		`POST /v1/agents 0 - req_2 {"name":"x"}`
	if diff := cmp.Diff(want, j.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if got := (fake.Journal{}).String(); got != "" {
		t.Errorf("empty journal: %q, want \"\"", got)
	}
}
