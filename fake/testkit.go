package fake

import (
	"encoding/json"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

// TestKit is the test kit that a [Server] in this process and a [Remote]
// fake in another process share, so that one test body runs against
// either: a fake of its own on a developer's machine, one talkifai-fake
// shared by the whole run in CI. Each method fails the test when the fake
// refuses, as the methods of [Server] and [Remote] document. URL is "" for
// a Server from [NewHandler], whose Client needs none.
//
//	func newKit(t *testing.T) fake.TestKit {
//		if u := os.Getenv("TALKIFAI_FAKE_URL"); u != "" {
//			return fake.NewRemote(u)
//		}
//		return fake.NewServer(t)
//	}
//
// A test that shares a fake works in a tenant of its own (NewTenant), and
// scopes its faults, journal and resets to that tenant's organization.
// Faults lists every organization's rules; a test finds its own by their
// Org. ClearFaults is not part of the kit, because on a shared fake it
// would remove other tests' rules: ResetOrg removes a tenant's own.
type TestKit interface {
	URL() string
	Client(tb testing.TB, opts ...client.Option) *client.Client
	NewTenant(tb testing.TB, tier Tier) Tenant
	AddFault(tb testing.TB, f Fault)
	Faults(tb testing.TB) []FaultRule
	Journal(tb testing.TB, org string) Journal
	ResetOrg(tb testing.TB, org string)
}

var (
	_ TestKit = (*Server)(nil)
	_ TestKit = (*Remote)(nil)
)

// These helpers arrange and assert without HTTP: they seed the agents a
// test starts from, and read back what the code under test left behind.
// They take the test and fail it with Fatal, rather than returning errors
// that a test would only check.

// CreateAgent creates an agent from p as the user of key, through exactly
// the rules of POST /v1/agents (the key's permissions, then validation,
// then the create defaults), and returns it as GET would. It fails the test
// when key is unknown or the create is refused; no request is journaled and
// no rate limit is spent.
func (s *Server) CreateAgent(tb testing.TB, key string, p agents.CreateParams) agents.Agent {
	tb.Helper()
	who := s.keys.lookup(key)
	if who == nil {
		tb.Fatal("fake: CreateAgent: unknown API key")
	}
	body, err := json.Marshal(p)
	if err != nil {
		tb.Fatalf("fake: CreateAgent: %v", err)
	}
	a, apiErr := s.create(who, body)
	if apiErr != nil {
		tb.Fatalf("fake: CreateAgent: %d %s: %s %v", apiErr.status, apiErr.code, apiErr.message, apiErr.details)
	}
	return s.Agent(tb, a.ID)
}

// Agent returns the agent with id, in whichever organization it is. It
// fails the test when there is no such agent (use [Server.LookupAgent] to
// assert that one is gone).
func (s *Server) Agent(tb testing.TB, id string) agents.Agent {
	tb.Helper()
	a, ok := s.LookupAgent(id)
	if !ok {
		tb.Fatalf("fake: no agent %q", id)
	}
	return a
}

// LookupAgent returns the agent with id, in whichever organization it is,
// and whether there is one. It panics only on a bug of the fake: when a
// stored agent, which the fake encoded itself, does not decode.
func (s *Server) LookupAgent(id string) (agents.Agent, bool) {
	r, ok := s.store.Find(id)
	if !ok {
		return agents.Agent{}, false
	}
	a, err := decodeAgent(r.Full)
	if err != nil {
		panic("fake: a stored agent does not decode: " + err.Error()) // the store wrote it: a bug
	}
	return a, true
}

// Agents returns every agent of the organization org (such as [OrgAcme]
// or a tenant's), in list order: newest first. It returns an empty slice
// for an organization without agents, and fails the test when no key
// belongs to org (a typo, or a tenant that was removed). It panics only on
// a bug of the fake: when a stored agent, which the fake encoded itself,
// does not decode.
func (s *Server) Agents(tb testing.TB, org string) []agents.Agent {
	tb.Helper()
	if _, err := s.knownOrg(org); err != nil {
		tb.Fatalf("fake: Agents: %s", err.message)
	}
	recs := s.store.Ordered(org)
	out := make([]agents.Agent, len(recs))
	for i, r := range recs {
		a, err := decodeAgent(r.Full)
		if err != nil {
			panic("fake: a stored agent does not decode: " + err.Error()) // the store wrote it: a bug
		}
		out[i] = a
	}
	return out
}
