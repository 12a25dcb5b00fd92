package fake

import (
	"net/http"
	"strings"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// headerAPIKey is X-API-Key as net/http stores it ("X-Api-Key"), so that
// reading it does not canonicalize the name on every request.
var headerAPIKey = http.CanonicalHeaderKey(wire.HeaderAPIKey)

// authenticate returns the caller of r, or the 401 to answer. Every
// credential header present must name a known key, and all must name the
// same one: a malformed Authorization beside a valid X-API-Key is 401.
// Messages never quote the key.
func (s *Server) authenticate(r *http.Request) (*principal, *apiError) {
	auth, apiKey := r.Header[wire.HeaderAuthorization], r.Header[headerAPIKey]
	if len(auth) == 0 && len(apiKey) == 0 {
		return nil, errorf(http.StatusUnauthorized, "missing API key: send Authorization: Bearer <key>")
	}
	var found *principal
	check := func(key string, ok bool, header string) *apiError {
		if !ok {
			return errorf(http.StatusUnauthorized, "malformed %s header", header)
		}
		p := s.keys.lookup(key)
		switch {
		case p == nil:
			return errorf(http.StatusUnauthorized, "unknown API key in %s", header)
		case found != nil && found != p:
			return errorf(http.StatusUnauthorized, "credential headers name different API keys")
		}
		found = p
		return nil
	}
	for _, h := range auth {
		key, ok := bearer(h)
		if err := check(key, ok, wire.HeaderAuthorization); err != nil {
			return nil, err
		}
	}
	for _, h := range apiKey {
		if err := check(h, h != "", wire.HeaderAPIKey); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// bearer returns the token of an Authorization value "Bearer <token>" (the
// scheme in any case, one or more spaces), and false for anything else.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || hasBlank(token) {
		return "", false
	}
	return token, true
}

// hasBlank reports whether s holds a space or a tab: a byte loop, where
// strings.ContainsAny would build its set of bytes on every request.
func hasBlank(s string) bool {
	for i := range len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			return true
		}
	}
	return false
}
