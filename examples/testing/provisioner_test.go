package provisioner_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/client"
	provisioner "github.com/talkifai-go/talkifai/examples/testing"
	"github.com/talkifai-go/talkifai/fake"
)

var acme = provisioner.Customer{ID: "cus_42", Company: "Acme"}

// newProvisioner returns a Provisioner on a fresh fake, with short retry
// waits so that the tests do not idle.
func newProvisioner(t *testing.T) (*provisioner.Provisioner, *fake.Server) {
	t.Helper()
	srv := fake.NewServer(t)
	c := srv.Client(t, client.WithRetryWait(time.Millisecond, 5*time.Millisecond))
	return &provisioner.Provisioner{Client: c}, srv
}

// calls returns the journal as "METHOD path status" lines.
func calls(srv *fake.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
	}
	return out
}

func TestProvisionHappyPath(t *testing.T) {
	t.Parallel()
	p, srv := newProvisioner(t)
	ctx := context.Background()

	first, err := p.Provision(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if first.Name != "support-cus_42" || !first.Active {
		t.Errorf("Provision = %+v, want an active agent named support-cus_42", first)
	}
	again, err := p.Provision(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("a second Provision must return the same agent (-first +again):\n%s", diff)
	}
	// The second call only looked: one list, no create.
	want := []string{"GET /v1/agents 200", "POST /v1/agents 201", "GET /v1/agents 200"}
	if diff := cmp.Diff(want, calls(srv)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// TestProvisionSurvivesA503Storm: the client retries reads through
// SERVICE_UNAVAILABLE, and the service never notices.
func TestProvisionSurvivesA503Storm(t *testing.T) {
	t.Parallel()
	p, srv := newProvisioner(t)
	srv.AddFault(t, fake.Fault{Method: "GET", Path: "/v1/agents", Status: 503, Times: 2})

	if _, err := p.Provision(context.Background(), acme); err != nil {
		t.Fatalf("Provision through two 503s: %v", err)
	}
	want := []string{"GET /v1/agents 503", "GET /v1/agents 503", "GET /v1/agents 200", "POST /v1/agents 201"}
	if diff := cmp.Diff(want, calls(srv)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// TestProvisionGivesUpOnAnOutage: a storm longer than the retries is an
// error the caller can recognise, and nothing was created.
func TestProvisionGivesUpOnAnOutage(t *testing.T) {
	t.Parallel()
	p, srv := newProvisioner(t)
	srv.AddFault(t, fake.Fault{Path: "/v1/agents", Status: 503}) // until removed

	_, err := p.Provision(context.Background(), acme)
	if !errors.Is(err, client.ErrServiceUnavailable) {
		t.Fatalf("Provision during an outage = %v, want ErrServiceUnavailable", err)
	}
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			t.Errorf("journal has %s %s: nothing but the lookups should have been sent", r.Method, r.Path)
		}
	}
}

// TestProvisionAfterALostCreateAnswer: the create reaches the server but the
// answer is lost (an "after" fault). The client does not retry the POST by
// default, so Provision fails; calling it again finds the agent instead of
// making a second one.
func TestProvisionAfterALostCreateAnswer(t *testing.T) {
	t.Parallel()
	p, srv := newProvisioner(t)
	srv.AddFault(t, fake.Fault{Method: "POST", Path: "/v1/agents", Status: 502, After: true, Times: 1})
	ctx := context.Background()

	if _, err := p.Provision(ctx, acme); !errors.Is(err, client.ErrBadGateway) {
		t.Fatalf("first Provision = %v, want ErrBadGateway", err)
	}
	a, err := p.Provision(ctx, acme)
	if err != nil {
		t.Fatalf("second Provision: %v", err)
	}
	want := []string{"GET /v1/agents 200", "POST /v1/agents 502", "GET /v1/agents 200"}
	if diff := cmp.Diff(want, calls(srv)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	page, err := p.Client.Agents.List(ctx, client.AgentListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || page.Agents[0].ID != a.ID {
		t.Errorf("the store holds %d agents (%v), want exactly %s", page.Total, page.Agents, a.ID)
	}
}
