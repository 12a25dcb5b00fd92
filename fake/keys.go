package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// Role is what a key's user may do in its organization.
type Role string

// The three roles.
const (
	// RoleOwner sees and changes every agent of the organization.
	RoleOwner Role = "owner"
	// RoleAdmin has the same rights over agents as RoleOwner.
	RoleAdmin Role = "admin"
	// RoleMember sees public agents and their own private ones, and changes
	// only their own private agents.
	RoleMember Role = "member"
)

// Tier is a key's plan, which sets its rate limit.
type Tier string

// The three tiers.
const (
	TierFree       Tier = "free"       // 60 requests a minute
	TierPro        Tier = "pro"        // 300 requests a minute
	TierEnterprise Tier = "enterprise" // 1000 requests a minute
)

// The default keys. Every server starts with them unless [WithKeys]
// replaces them.
const (
	// KeyAcmeOwner is usr_acme_owner, owner of org_acme, enterprise tier.
	KeyAcmeOwner = "tk_test_acme_owner"
	// KeyAcmeAdmin is usr_acme_admin, admin of org_acme, enterprise tier.
	KeyAcmeAdmin = "tk_test_acme_admin"
	// KeyAcmeMember is usr_acme_member, member of org_acme, enterprise tier.
	KeyAcmeMember = "tk_test_acme_member"
	// KeyAcmeMember2 is usr_acme_member2, a second member of org_acme,
	// enterprise tier.
	KeyAcmeMember2 = "tk_test_acme_member2"
	// KeyGlobexOwner is usr_globex_owner, owner of org_globex, free tier.
	KeyGlobexOwner = "tk_test_globex_owner"
)

// Key is an API key and whom it acts as. Its JSON form is the format of the
// standalone fake's -keys file: {"key","org","user","role","tier"}.
//
// The field that holds the key itself is named Key, as the member "key"
// of that file is, so that a literal reads like a line of it.
type Key struct {
	// Key is the API key as a caller sends it (Authorization: Bearer or
	// X-API-Key).
	Key string `json:"key"`
	// Org is the organization the key acts in.
	Org string `json:"org"`
	// User is the user the key acts as: the owner of the private agents
	// it creates.
	User string `json:"user"`
	// Role is the user's role in Org: owner, admin or member.
	Role Role `json:"role"`
	// Tier is the organization's tier, which sets its rate limit.
	Tier Tier `json:"tier"`
}

// DefaultKeys returns the default keys (KeyAcmeOwner and the others) as a
// new slice.
func DefaultKeys() []Key {
	return []Key{
		{KeyAcmeOwner, OrgAcme, "usr_acme_owner", RoleOwner, TierEnterprise},
		{KeyAcmeAdmin, OrgAcme, "usr_acme_admin", RoleAdmin, TierEnterprise},
		{KeyAcmeMember, OrgAcme, "usr_acme_member", RoleMember, TierEnterprise},
		{KeyAcmeMember2, OrgAcme, "usr_acme_member2", RoleMember, TierEnterprise},
		{KeyGlobexOwner, OrgGlobex, "usr_globex_owner", RoleOwner, TierFree},
	}
}

// The organizations of the default keys.
const (
	// OrgAcme is the organization of the four KeyAcme keys.
	OrgAcme = "org_acme"
	// OrgGlobex is the organization of KeyGlobexOwner.
	OrgGlobex = "org_globex"
)

// principal is an authenticated caller: a key without its secret. Requests
// carry a *principal, never the key itself, so that nothing downstream can
// log or record the key by mistake.
type principal struct {
	org  string
	user string
	role Role
	tier Tier
	// id scopes idempotency memory and rate limits. It is never reused,
	// not even after a tenant is removed, so that a new key can never
	// inherit what an old one left behind.
	id     int
	tenant *tenant // nil for the keys the server started with
}

// elevated reports whether p sees every agent of its organization.
func (p *principal) elevated() bool { return p.role == RoleOwner || p.role == RoleAdmin }

// gone reports whether p's tenant has been removed since p was looked up.
func (p *principal) gone() bool { return p.tenant != nil && p.tenant.removed.Load() }

// keyTable is one immutable snapshot of the keys: by the key's SHA-256,
// so that a lookup compares digests and its timing says nothing about how
// much of a guessed key was right; and by organization.
type keyTable struct {
	byKey map[[sha256.Size]byte]*principal
	orgs  map[string]*orgKeys
}

// orgKeys is what the table knows of one organization.
type orgKeys struct {
	ids    []int               // the principal ids of its keys
	tenant *tenant             // nil for an organization the server started with
	sums   [][sha256.Size]byte // its keys' digests, to remove them
}

// keyring finds the principal of a key. Every request reads it, so a
// lookup is one atomic load and a map read; the rare writers (a tenant
// made or removed, a reset) copy the table under a mutex and swap it in.
type keyring struct {
	table atomic.Pointer[keyTable]
	mu    sync.Mutex // serializes writers
	start *keyTable  // the keys the server started with, which Reset restores
	// lastID is the last principal id handed out. It only grows.
	lastID  int
	max     int // the most live tenants
	tenants int // live tenants
}

// newKeyring indexes keys, refusing an empty list, an empty field, an
// unknown role or tier, and a key given twice.
func newKeyring(keys []Key, maxTenants int) (*keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("fake: no keys")
	}
	t := &keyTable{byKey: make(map[[sha256.Size]byte]*principal, len(keys)), orgs: make(map[string]*orgKeys)}
	for i, k := range keys {
		if err := k.check(); err != nil {
			return nil, fmt.Errorf("fake: key %d (user %q): %w", i, k.User, err)
		}
		sum := sha256.Sum256([]byte(k.Key))
		if t.byKey[sum] != nil {
			return nil, fmt.Errorf("fake: key %d (user %q): the same key is given twice", i, k.User)
		}
		p := &principal{org: k.Org, user: k.User, role: k.Role, tier: k.Tier, id: i + 1}
		t.add(sum, p)
	}
	ring := &keyring{start: t, lastID: len(keys), max: maxTenants}
	ring.table.Store(t)
	return ring, nil
}

// add puts p under its key's digest sum. The caller owns t.
func (t *keyTable) add(sum [sha256.Size]byte, p *principal) {
	t.byKey[sum] = p
	o := t.orgs[p.org]
	if o == nil {
		o = &orgKeys{tenant: p.tenant}
		t.orgs[p.org] = o
	}
	o.ids = append(o.ids, p.id)
	o.sums = append(o.sums, sum)
}

// clone returns a copy of t that a writer may change.
func (t *keyTable) clone() *keyTable {
	c := &keyTable{byKey: maps.Clone(t.byKey), orgs: make(map[string]*orgKeys, len(t.orgs))}
	for org, o := range t.orgs {
		c.orgs[org] = &orgKeys{ids: slices.Clone(o.ids), tenant: o.tenant, sums: slices.Clone(o.sums)}
	}
	return c
}

// check reports what is wrong with k, never quoting the key itself.
func (k Key) check() error {
	switch {
	case k.Key == "":
		return fmt.Errorf("empty key")
	case k.Org == "":
		return fmt.Errorf("empty org")
	case k.User == "":
		return fmt.Errorf("empty user")
	case k.Role != RoleOwner && k.Role != RoleAdmin && k.Role != RoleMember:
		return fmt.Errorf("role %q is not owner, admin or member", k.Role)
	case k.Tier != TierFree && k.Tier != TierPro && k.Tier != TierEnterprise:
		return fmt.Errorf("tier %q is not free, pro or enterprise", k.Tier)
	}
	return nil
}

// lookup returns the principal of key, or nil when it is unknown.
func (ring *keyring) lookup(key string) *principal {
	return ring.table.Load().byKey[sha256.Sum256([]byte(key))]
}

// org returns what the table knows of org, or nil when no key belongs to
// it.
func (ring *keyring) org(org string) *orgKeys { return ring.table.Load().orgs[org] }

// restart puts back the keys the server started with, removing every
// tenant.
func (ring *keyring) restart() {
	ring.mu.Lock()
	defer ring.mu.Unlock()
	for _, o := range ring.table.Load().orgs {
		if o.tenant != nil {
			o.tenant.removed.Store(true)
		}
	}
	ring.table.Store(ring.start)
	ring.tenants = 0
}

// ParseKeys decodes a key list in the format of the standalone fake's
// -keys file, a JSON array of {"key","org","user","role","tier"}, and
// checks it as [WithKeys] would. It returns an error, which never quotes a
// key, when the JSON is malformed, names an unknown member, or a key is
// incomplete, has an unknown role or tier, or is given twice.
func ParseKeys(data []byte) ([]Key, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var keys []Key
	if err := dec.Decode(&keys); err != nil {
		return nil, fmt.Errorf("fake: key list: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("fake: key list: data after the array")
	}
	if _, err := newKeyring(keys, 0); err != nil {
		return nil, err
	}
	return keys, nil
}
