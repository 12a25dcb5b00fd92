package fake

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBodyTimeout: a client that drips its body is answered 400 once the
// body timeout passes, and its connection is closed, instead of holding
// it open for ever; the deadline is for the body only, so a fault's delay
// longer than it still lets the request through.
func TestBodyTimeout(t *testing.T) {
	f := newFixture(t, WithBodyTimeout(100*time.Millisecond))
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Only a safety net: the server answers long before.
	conn.SetDeadline(time.Now().Add(time.Minute))
	io.WriteString(conn, "POST /v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+owner+"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a dripping body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"code":"INVALID_JSON"`) || !resp.Close {
		t.Errorf("a dripping body: %d %s (close %v), want 400 INVALID_JSON and the connection closed", resp.StatusCode, body, resp.Close)
	}

	f.srv.AddFault(t, Fault{Method: "POST", Delay: 300 * time.Millisecond, Times: 1})
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}).expect(t, 201, nil)
}
