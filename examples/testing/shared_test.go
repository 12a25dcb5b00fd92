package provisioner_test

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/talkifai-go/talkifai/client"
	provisioner "github.com/talkifai-go/talkifai/examples/testing"
	"github.com/talkifai-go/talkifai/fake"
)

// TestMain gives the shared-fake test a fake to share: the one
// TALKIFAI_FAKE_URL names (a talkifai-fake serving the whole CI run), or
// else one served here for this process.
func TestMain(m *testing.M) {
	if os.Getenv("TALKIFAI_FAKE_URL") == "" {
		ts := httptest.NewServer(fake.NewHandler())
		os.Setenv("TALKIFAI_FAKE_URL", ts.URL)
		code := m.Run()
		ts.Close()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// The README's "Sharing one fake between test processes" shows this test
// as it is, between the marks.

// README:begin
func TestProvisionOnASharedFake(t *testing.T) {
	t.Parallel()
	shared := fake.NewRemote(os.Getenv("TALKIFAI_FAKE_URL")) // one talkifai-fake for the whole CI run
	tn := shared.NewTenant(t, fake.TierEnterprise)           // an organization of its own, removed at the end
	p := &provisioner.Provisioner{Client: shared.Client(t, client.WithAPIKey(tn.Keys.Owner))}
	shared.AddFault(t, fake.Fault{Org: tn.Org, Method: "GET", Path: "/v1/agents", Status: 503, Times: 1})

	if _, err := p.Provision(context.Background(), acme); err != nil {
		t.Fatal(err)
	}
	journal := shared.Journal(t, tn.Org) // this test's requests, nobody else's
	if got := len(journal.Status(503)) + len(journal.Method("POST").Status(201)); got != 2 {
		t.Errorf("want one 503 (this tenant's fault) and one create:\n%v", journal)
	}
}

// README:end
