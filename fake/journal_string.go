package fake

import "strings"

// String returns j one request a line, as Request.String writes each, so
// that t.Log(srv.Requests()) reads as a log; "" for an empty journal.
func (j Journal) String() string {
	lines := make([]string, len(j))
	for i, q := range j {
		lines[i] = q.String()
	}
	return strings.Join(lines, "\n")
}
