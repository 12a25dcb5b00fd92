package fake

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestContentLength: every answer carries a Content-Length equal to its
// body and is never chunked, over TCP and through the in-process client.
// The fake sets it only above autoLengthMax and leaves net/http to set
// the rest: this test fails if net/http stops doing so.
func TestContentLength(t *testing.T) {
	over := NewServer(t)
	in := NewHandler()
	for name, s := range map[string]*Server{"TCP": over, "in process": in} {
		c := s.HTTPClient()
		base := s.URL()
		if base == "" {
			base = "http://fake"
		}
		send := func(method, path, body string) (*http.Response, []byte) {
			t.Helper()
			req, err := http.NewRequest(method, base+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+owner)
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp, b
		}
		created, body := send("POST", "/v1/agents", pipelineBody)
		if created.StatusCode != http.StatusCreated {
			t.Fatalf("%s: create: %d %s", name, created.StatusCode, body)
		}
		id := body[strings.Index(string(body), `"id":"`)+6:]
		id = id[:strings.IndexByte(string(id), '"')]
		for range 30 {
			send("POST", "/v1/agents", pipelineBody)
		}
		for _, tc := range []struct {
			what, method, path string
			large              bool // over autoLengthMax: set by the fake itself
		}{
			{"GET by id", "GET", "/v1/agents/" + string(id), false},
			{"a list page", "GET", "/v1/agents?limit=100", true},
			{"an error", "GET", "/v1/agents/agent_none", false},
			{"a 405", "PUT", "/v1/agents", false},
		} {
			resp, b := send(tc.method, tc.path, "")
			cl := resp.Header.Get("Content-Length")
			if cl != strconv.Itoa(len(b)) || resp.ContentLength != int64(len(b)) || len(resp.TransferEncoding) != 0 {
				t.Errorf("%s: %s: Content-Length %q (%d), transfer encoding %v, for a body of %d bytes",
					name, tc.what, cl, resp.ContentLength, resp.TransferEncoding, len(b))
			}
			if (len(b) > autoLengthMax) != tc.large {
				t.Errorf("%s: %s: %d bytes; the test wants it %v autoLengthMax", name, tc.what, len(b), map[bool]string{true: "over", false: "at most"}[tc.large])
			}
		}
	}
}
