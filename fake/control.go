package fake

import (
	"net/http"
	"strings"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// The control endpoints of the standalone fake, under /_fake/: they need
// no key, are never journaled, and faults never apply to them.

// controlPrefix starts every control path.
const controlPrefix = "/_fake/"

// isControl reports whether path is under /_fake/.
func isControl(path string) bool { return strings.HasPrefix(path, controlPrefix) }

// control serves a /_fake/ request whose body has been read.
func (s *Server) control(w http.ResponseWriter, r *http.Request, body []byte) {
	var allow string
	switch r.URL.Path {
	case controlPrefix + "reset":
		if allow = "POST"; r.Method == http.MethodPost {
			s.Reset()
			writeData(w, http.StatusOK, map[string]string{"message": "fake reset"})
			return
		}
	case controlPrefix + "requests":
		if allow = "GET"; r.Method == http.MethodGet {
			// Streamed, one entry at a time: a large journal never
			// sits in memory twice.
			w.Header().Set(wire.HeaderContentType, wire.ContentTypeJSON)
			w.WriteHeader(http.StatusOK)
			s.journal.writeTo(w) // an error means the caller has gone
			return
		}
	case controlPrefix + "faults":
		allow = "POST, DELETE"
		switch r.Method {
		case http.MethodPost:
			f, err := decodeFault(body)
			if err != nil {
				writeError(w, err)
				return
			}
			writeData(w, http.StatusCreated, s.faults.add(f))
			return
		case http.MethodDelete:
			s.ClearFaults()
			writeData(w, http.StatusOK, map[string]string{"message": "faults removed"})
			return
		}
	default:
		writeError(w, errorf(http.StatusNotFound, "no such path %q", truncate(r.URL.Path, 120)))
		return
	}
	e := errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s: use %s", truncate(r.Method, 20), r.URL.Path, allow)
	e.allow = allow
	writeError(w, e)
}

// Reset empties the store, the journal, the idempotency memory and the
// rate-limit buckets, and removes every fault rule; the keys stay. It is
// what POST /_fake/reset does.
func (s *Server) Reset() {
	s.store.Reset()
	s.journal.reset()
	s.idempotency.reset()
	s.limits.reset()
	s.faults.clear()
}
