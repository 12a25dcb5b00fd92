package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
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
type Key struct {
	Key  string `json:"key"`
	Org  string `json:"org"`
	User string `json:"user"`
	Role Role   `json:"role"`
	Tier Tier   `json:"tier"`
}

// DefaultKeys returns the default keys (KeyAcmeOwner and the others) as a
// new slice.
func DefaultKeys() []Key {
	return []Key{
		{KeyAcmeOwner, "org_acme", "usr_acme_owner", RoleOwner, TierEnterprise},
		{KeyAcmeAdmin, "org_acme", "usr_acme_admin", RoleAdmin, TierEnterprise},
		{KeyAcmeMember, "org_acme", "usr_acme_member", RoleMember, TierEnterprise},
		{KeyAcmeMember2, "org_acme", "usr_acme_member2", RoleMember, TierEnterprise},
		{KeyGlobexOwner, "org_globex", "usr_globex_owner", RoleOwner, TierFree},
	}
}

// principal is an authenticated caller: a key without its secret. Requests
// carry a *principal, never the key itself, so that nothing downstream can
// log or record the key by mistake.
type principal struct {
	org  string
	user string
	role Role
	tier Tier
	id   int // the key's position in the key list: scope of idempotency and rate limits
}

// elevated reports whether p sees every agent of its organization.
func (p *principal) elevated() bool { return p.role == RoleOwner || p.role == RoleAdmin }

// keyring finds the principal of a key. It is indexed by the key's SHA-256,
// so that a lookup compares digests, and its timing says nothing about how
// much of a guessed key was right. It is read-only once built.
type keyring map[[sha256.Size]byte]*principal

// newKeyring indexes keys, refusing an empty list, an empty field, an
// unknown role or tier, and a key given twice.
func newKeyring(keys []Key) (keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("fake: no keys")
	}
	ring := make(keyring, len(keys))
	for i, k := range keys {
		if err := k.check(); err != nil {
			return nil, fmt.Errorf("fake: key %d (user %q): %w", i, k.User, err)
		}
		sum := sha256.Sum256([]byte(k.Key))
		if ring[sum] != nil {
			return nil, fmt.Errorf("fake: key %d (user %q): the same key is given twice", i, k.User)
		}
		ring[sum] = &principal{org: k.Org, user: k.User, role: k.Role, tier: k.Tier, id: i}
	}
	return ring, nil
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
func (ring keyring) lookup(key string) *principal {
	return ring[sha256.Sum256([]byte(key))]
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
	if _, err := newKeyring(keys); err != nil {
		return nil, err
	}
	return keys, nil
}
