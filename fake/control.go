package fake

import (
	"net/http"
	"strings"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// The control endpoints, under /_fake/: they need no key, are never
// journaled, and faults never apply to them.

// controlPrefix starts every control path.
const controlPrefix = "/_fake/"

// isControl reports whether path is under /_fake/.
func isControl(path string) bool { return strings.HasPrefix(path, controlPrefix) }

// control serves a /_fake/ request whose body has been read.
func (s *Server) control(w http.ResponseWriter, r *http.Request, body []byte) {
	var allow string
	switch path := r.URL.Path; {
	case path == controlPrefix+"reset":
		if allow = "POST"; r.Method == http.MethodPost {
			s.serveReset(w, r)
			return
		}
	case path == controlPrefix+"requests":
		if allow = "GET"; r.Method == http.MethodGet {
			s.serveRequests(w, r)
			return
		}
	case path == controlPrefix+"faults":
		allow = "GET, POST, DELETE"
		switch r.Method {
		case http.MethodGet:
			writeData(w, http.StatusOK, s.faults.list())
			return
		case http.MethodPost:
			f, err := decodeFault(body)
			if err == nil {
				f, err = s.addFault(f)
			}
			if err != nil {
				writeError(w, err)
				return
			}
			writeData(w, http.StatusCreated, f)
			return
		case http.MethodDelete:
			s.ClearFaults()
			writeData(w, http.StatusOK, map[string]string{"message": "faults removed"})
			return
		}
	case path == controlPrefix+"tenants" || strings.HasPrefix(path, controlPrefix+"tenants/"):
		s.serveTenants(w, r, body)
		return
	default:
		writeError(w, errorf(http.StatusNotFound, "no such path %q", truncate(r.URL.Path, 120)))
		return
	}
	e := errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s: use %s", truncate(r.Method, 20), r.URL.Path, allow)
	e.allow = allow
	writeError(w, e)
}

// scope returns the org query parameter of r, "" when there is none, or
// the 404 of an organization that no key belongs to.
func (s *Server) scope(r *http.Request) (string, bool, *apiError) {
	q := r.URL.Query()
	if !q.Has("org") {
		return "", false, nil
	}
	org := q.Get("org")
	if _, err := s.knownOrg(org); err != nil {
		return "", false, err
	}
	return org, true, nil
}

// serveReset serves POST /_fake/reset, for the whole server or, with
// ?org=, for one organization.
func (s *Server) serveReset(w http.ResponseWriter, r *http.Request) {
	org, scoped, err := s.scope(r)
	switch {
	case err != nil:
		writeError(w, err)
		return
	case scoped:
		s.resetOrg(org) // cannot fail: scope found org
	default:
		s.Reset()
	}
	writeData(w, http.StatusOK, map[string]string{"message": "fake reset"})
}

// serveRequests serves GET /_fake/requests, the whole journal or, with
// ?org=, the requests made with one organization's keys.
func (s *Server) serveRequests(w http.ResponseWriter, r *http.Request) {
	org, scoped, err := s.scope(r)
	if err != nil {
		writeError(w, err)
		return
	}
	if !scoped {
		org = ""
	}
	// Streamed, one entry at a time: a large journal never sits in
	// memory twice.
	w.Header().Set(wire.HeaderContentType, wire.ContentTypeJSON)
	w.WriteHeader(http.StatusOK)
	s.journal.writeTo(w, org) // an error means the caller has gone
}

// Reset empties the store, the journal, the idempotency memory and the
// rate-limit buckets, and removes every fault rule and every tenant: the
// keys the server started with are back, and only they work. It is what
// POST /_fake/reset does.
func (s *Server) Reset() {
	s.keys.restart()
	s.store.Reset()
	s.journal.reset()
	s.idempotency.reset()
	s.limits.reset()
	s.faults.clear()
}
