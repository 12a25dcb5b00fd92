package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// DefaultMaxTenants is how many tenants a server holds at once unless
// [WithMaxTenants] says otherwise.
const DefaultMaxTenants = 1000

// Tenant is an organization of its own, made for one test: nobody else
// sees its agents, journal entries or faults. Its JSON form is the answer
// of POST /_fake/tenants.
type Tenant struct {
	// Org is the organization's id, "org_t_" and 16 random characters.
	Org string `json:"org"`
	// Tier is the tier of every key of the tenant.
	Tier Tier `json:"tier"`
	// Keys are the tenant's four API keys, one per user.
	Keys TenantKeys `json:"keys"`
}

// TenantKeys are the API keys of a tenant. Each acts as its own user with
// the role its name says, like the default keys of org_acme.
type TenantKeys struct {
	Owner   string `json:"owner"`
	Admin   string `json:"admin"`
	Member  string `json:"member"`
	Member2 string `json:"member2"`
}

// tenant marks the principals of one tenant, so that a request that
// looked its key up before the tenant was removed can tell.
type tenant struct {
	removed atomic.Bool
}

// newTenant mints a tenant of tier ("" for enterprise): a fresh
// organization and four keys, unguessable. It fails when tier is unknown
// or the server already holds its most tenants.
func (ring *keyring) newTenant(tier Tier) (Tenant, *apiError) {
	if tier == "" {
		tier = TierEnterprise
	}
	if tier != TierFree && tier != TierPro && tier != TierEnterprise {
		return Tenant{}, validationError(domain.NewValidationError(agents.FieldError{
			Field: "tier", Code: agents.CodeInvalidValue, Message: "tier must be one of free, pro, enterprise"}))
	}
	ring.mu.Lock()
	defer ring.mu.Unlock()
	if ring.tenants >= ring.max {
		return Tenant{}, errorf(http.StatusForbidden,
			"the fake already holds %d tenants, its most: remove those you are done with (DELETE /_fake/tenants/{org}) or raise the limit", ring.max)
	}
	t := ring.table.Load()
	tn := Tenant{Tier: tier}
	for tn.Org == "" || t.orgs[tn.Org] != nil { // 80 random bits: a clash is all but impossible
		tn.Org = "org_t_" + secret()[:16]
	}
	tn.Keys = TenantKeys{Owner: tenantKey(), Admin: tenantKey(), Member: tenantKey(), Member2: tenantKey()}
	next := t.clone()
	mark := &tenant{}
	user := "usr_t_" + strings.TrimPrefix(tn.Org, "org_t_") + "_"
	for _, k := range []struct {
		key  string
		name string
		role Role
	}{
		{tn.Keys.Owner, "owner", RoleOwner}, {tn.Keys.Admin, "admin", RoleAdmin},
		{tn.Keys.Member, "member", RoleMember}, {tn.Keys.Member2, "member2", RoleMember},
	} {
		ring.lastID++
		next.add(sha256.Sum256([]byte(k.key)), &principal{org: tn.Org, user: user + k.name, role: k.role, tier: tier, id: ring.lastID, tenant: mark})
	}
	ring.table.Store(next)
	ring.tenants++
	return tn, nil
}

// removeTenant takes the keys of the tenant org out of the table and
// returns their principal ids. It returns a 404 when org is not a tenant.
func (ring *keyring) removeTenant(org string) ([]int, *apiError) {
	ring.mu.Lock()
	defer ring.mu.Unlock()
	t := ring.table.Load()
	o := t.orgs[org]
	switch {
	case o == nil:
		return nil, errorf(http.StatusNotFound, "no tenant %q", truncate(org, 120))
	case o.tenant == nil:
		return nil, errorf(http.StatusNotFound, "%q is not a tenant: the organizations the fake started with cannot be removed", truncate(org, 120))
	}
	o.tenant.removed.Store(true)
	next := t.clone()
	for _, sum := range o.sums {
		delete(next.byKey, sum)
	}
	delete(next.orgs, org)
	ring.table.Store(next)
	ring.tenants--
	return o.ids, nil
}

// secret returns 26 random lowercase letters and digits (128 bits).
func secret() string { return strings.ToLower(rand.Text()) }

// tenantKey returns a new tenant API key.
func tenantKey() string { return "tk_test_t_" + secret() }

// knownOrg returns the ids of org's keys, or a 404 when no key belongs
// to it.
func (s *Server) knownOrg(org string) ([]int, *apiError) {
	o := s.keys.org(org)
	if o == nil {
		return nil, errorf(http.StatusNotFound, "no organization %q: no key belongs to it", truncate(org, 120))
	}
	return o.ids, nil
}

// NewTenant makes a tenant of tier ("" for enterprise): a new
// organization with an owner, an admin and two members, whose keys work at
// once. It is removed when the test ends. It fails the test when tier is
// unknown or the server already holds its most tenants ([WithMaxTenants]).
// POST /_fake/tenants does the same over HTTP.
func (s *Server) NewTenant(tb testing.TB, tier Tier) Tenant {
	tb.Helper()
	tn, err := s.keys.newTenant(tier)
	if err != nil {
		tb.Fatalf("fake: NewTenant: %s", err.describe())
	}
	tb.Cleanup(func() { s.RemoveTenant(tn.Org) }) // an error: the test removed it itself
	return tn
}

// RemoveTenant removes the tenant org: its keys stop working at once,
// and its agents, journal entries, idempotency memory, rate-limit buckets
// and faults are gone. It returns an error, and changes nothing, when org
// is not a tenant (the organizations the server started with cannot be
// removed). DELETE /_fake/tenants/{org} does the same over HTTP.
func (s *Server) RemoveTenant(org string) error {
	if err := s.removeTenant(org); err != nil {
		return fmt.Errorf("fake: RemoveTenant: %s", err.message)
	}
	return nil
}

func (s *Server) removeTenant(org string) *apiError {
	ids, err := s.keys.removeTenant(org)
	if err != nil {
		return err
	}
	s.clearOrg(org, ids)
	return nil
}

// ResetOrg empties one organization, a tenant or not: its agents, its
// journal entries, the idempotency memory and rate-limit buckets of its
// keys, and the faults scoped to it. Its keys stay. It fails the test, and
// changes nothing, when no key belongs to org. POST /_fake/reset?org=ORG
// does the same over HTTP.
func (s *Server) ResetOrg(tb testing.TB, org string) {
	tb.Helper()
	if err := s.resetOrg(org); err != nil {
		tb.Fatalf("fake: ResetOrg: %s", err.message)
	}
}

func (s *Server) resetOrg(org string) *apiError {
	ids, err := s.knownOrg(org)
	if err != nil {
		return err
	}
	s.clearOrg(org, ids)
	return nil
}

// clearOrg forgets everything of org whose keys have the principal ids.
func (s *Server) clearOrg(org string, ids []int) {
	s.store.RemoveOrg(org)
	s.journal.removeOrg(org)
	s.idempotency.forget(org, ids)
	s.limits.forget(ids)
	s.faults.removeOrg(org)
}

// serveTenants serves POST /_fake/tenants and DELETE /_fake/tenants/{org}.
func (s *Server) serveTenants(w http.ResponseWriter, r *http.Request, body []byte) {
	org, one := strings.CutPrefix(r.URL.Path, controlPrefix+"tenants/")
	allow := "POST"
	if one {
		allow = "DELETE"
	}
	switch {
	case r.Method != allow:
		e := errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s: use %s", truncate(r.Method, 20), truncate(r.URL.Path, 120), allow)
		e.allow = allow
		writeError(w, e)
	case one:
		if err := s.removeTenant(org); err != nil {
			writeError(w, err)
			return
		}
		writeData(w, http.StatusOK, map[string]string{"message": "tenant removed"})
	default:
		tier, err := decodeTenant(body)
		if err == nil {
			var tn Tenant
			if tn, err = s.keys.newTenant(tier); err == nil {
				writeData(w, http.StatusCreated, tn)
				return
			}
		}
		writeError(w, err)
	}
}

// decodeTenant reads the optional body of POST /_fake/tenants: nothing,
// or one JSON object with at most "tier".
func decodeTenant(body []byte) (Tier, *apiError) {
	if len(body) == 0 {
		return "", nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return "", errorCode(http.StatusBadRequest, wire.CodeInvalidJSON, "body is not one JSON object")
	}
	var tier Tier
	var fs []agents.FieldError
	for name, raw := range members {
		switch {
		case name != "tier":
			fs = append(fs, agents.FieldError{Field: name, Code: agents.CodeUnknownField, Message: name + " is not a field of a tenant"})
		case json.Unmarshal(raw, &tier) != nil:
			fs = append(fs, agents.FieldError{Field: name, Code: agents.CodeWrongType, Message: "tier must be a string"})
		}
	}
	if ve := domain.NewValidationError(fs...); ve != nil {
		return "", validationError(ve)
	}
	return tier, nil
}
