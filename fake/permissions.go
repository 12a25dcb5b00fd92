package fake

import (
	"net/http"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/agents"
)

// Who may do what (docs/api.md, "Who may do what"). The store is per
// organization, so every check here is within the caller's organization:
// another organization's agents are never found, which answers 404.

// canSee reports whether p may list and get an agent of its organization
// with mode and owner: owners and admins see all, members see public agents
// and their own private ones.
func canSee(p *principal, mode agents.Mode, owner string) bool {
	return p.elevated() || mode == agents.Public || (mode == agents.Private && owner == p.user)
}

// mayCreate returns the 403 of a create in mode (the raw "mode" of the
// body; "" when absent or not a string), or nil: members may not create
// commercial agents.
func mayCreate(p *principal, mode string) *apiError {
	if !p.elevated() && mode == string(agents.Commercial) {
		return errorf(http.StatusForbidden, "members cannot create commercial agents")
	}
	return nil
}

// mayUpdate returns the 403 of an update by p of an agent it can see, with
// mode, to newMode (the raw "mode" of the body; "" when absent or not a
// string), or nil. Members may update only their own private agents, and
// may not make them commercial.
func mayUpdate(p *principal, mode agents.Mode, newMode string) *apiError {
	switch {
	case p.elevated():
		return nil
	case mode != agents.Private:
		return errorf(http.StatusForbidden, "members cannot update %s agents", mode)
	case newMode == string(agents.Commercial):
		return errorf(http.StatusForbidden, "members cannot make agents commercial")
	}
	return nil
}

// mayDelete returns the 403 of a delete by p of an agent it can see, or
// nil: only owners and admins delete.
func mayDelete(p *principal) *apiError {
	if !p.elevated() {
		return errorf(http.StatusForbidden, "members cannot delete agents")
	}
	return nil
}

// notFound is the 404 of an agent that does not exist or that the caller
// may not see: the two are indistinguishable by design.
func notFound(id string) *apiError {
	return errorf(http.StatusNotFound, "agent %q not found", truncate(id, 80))
}

// truncate shortens s to at most n bytes for a message, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
