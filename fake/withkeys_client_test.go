package fake_test

import (
	"errors"
	"testing"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// TestClientWithoutOwnerKey pins what WithKeys documents: a server whose
// keys leave out KeyAcmeOwner still gives a Client, whose every request is
// 401 until client.WithAPIKey names one of its keys.
func TestClientWithoutOwnerKey(t *testing.T) {
	only := fake.Key{Key: "tk_test_solo", Org: "org_solo", User: "usr_solo", Role: fake.RoleOwner, Tier: fake.TierFree}
	srv := fake.NewHandler(fake.WithKeys(only))
	if _, err := srv.Client(t).Agents.List(t.Context(), client.AgentListParams{}); !errors.Is(err, client.ErrUnauthorized) {
		t.Errorf("default client: %v, want ErrUnauthorized", err)
	}
	if _, err := srv.Client(t, client.WithAPIKey(only.Key)).Agents.List(t.Context(), client.AgentListParams{}); err != nil {
		t.Errorf("client with the server's key: %v", err)
	}
}
