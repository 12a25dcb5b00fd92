package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// readBody reads at most one byte more than wire.MaxBodyBytes of r's body,
// within timeout (none when 0), so that an oversized body is known
// without reading all of it. The body is
// read before anything else is decided, because the journal and the
// idempotency memory need it whatever the answer.
func readBody(w http.ResponseWriter, r *http.Request, timeout time.Duration) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if timeout > 0 {
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(timeout)) == nil {
			b, err := readAll(r, w)
			// The deadline is for this body only: left in place, it would
			// cancel the request's context while a fault delays it. After
			// a failed read it stays, so that net/http gives up on the
			// rest of the body at once and closes the connection.
			if err == nil {
				rc.SetReadDeadline(time.Time{})
			}
			return b, err
		}
	}
	return readAll(r, w)
}

// readAll reads at most one byte more than wire.MaxBodyBytes of r's body.
// A failed read asks for the connection to be closed.
func readAll(r *http.Request, w http.ResponseWriter) ([]byte, error) {
	// With a Content-Length, one buffer of the right size (the journal
	// keeps the body and counts its capacity), but only up to 64 KiB on
	// the client's word alone: a Content-Length of 1 MiB with no body
	// behind it must not reserve 1 MiB per connection.
	n := 512
	if r.ContentLength > 0 {
		n = int(min(r.ContentLength, 64<<10) + 1)
	}
	b := make([]byte, 0, n)
	for {
		m, err := r.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		switch {
		case err == io.EOF:
			if cap(b)-len(b) > 4<<10 {
				// Grown past 64 KiB by append: keep no slack for the
				// journal to hold.
				b = slices.Clone(b)
			}
			return b, nil
		case err != nil:
			w.Header().Set("Connection", "close")
			return b, err
		case len(b) > wire.MaxBodyBytes:
			return b, nil
		case len(b) == cap(b):
			b = append(b, 0)[:len(b)]
		}
	}
}

// checkBody applies the transport checks of a POST or PATCH body in the
// API's order: content type (415), then size (413). mergePatch allows
// application/merge-patch+json besides application/json.
func checkBody(r *http.Request, body []byte, mergePatch bool) *apiError {
	ct := r.Header.Get(wire.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case ct == "":
		return errorf(http.StatusUnsupportedMediaType, "missing Content-Type: send application/json")
	case err != nil:
		return errorf(http.StatusUnsupportedMediaType, "malformed Content-Type: send application/json")
	case mt != wire.ContentTypeJSON && !(mergePatch && mt == wire.ContentTypeMergePatch):
		return errorf(http.StatusUnsupportedMediaType, "Content-Type %s is not supported: send application/json", mt)
	case len(body) > wire.MaxBodyBytes:
		return errorf(http.StatusRequestEntityTooLarge, "body is over %d bytes", wire.MaxBodyBytes)
	}
	return nil
}

// invalidJSON is the 400 of a body that is not one JSON object.
func invalidJSON(err error) *apiError {
	// validate's reasons start "validate: body is not one JSON object".
	return errorCode(http.StatusBadRequest, wire.CodeInvalidJSON, "%s", strings.TrimPrefix(err.Error(), "validate: "))
}

// rawString returns the member name of m as a string when it is a JSON
// string, and "" otherwise (absent, null, another type). Permission checks
// read the mode this way, before validation: a forbidden request is 403
// even when its fields are also invalid.
func rawString(m map[string]json.RawMessage, name string) string {
	raw := bytes.TrimSpace(m[name])
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
