package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentMixedOps runs 32 goroutines of creates, gets, updates,
// lists and deletes against one server under -race. Each goroutine updates
// and deletes only agents it created, so "the last update" of an agent is
// well defined; gets and lists cross every goroutine's agents. Members do
// everything but delete, which they may not. Afterwards
// the total is the creates minus the deletes, and every agent holds the
// last name it was sent.
func TestConcurrentMixedOps(t *testing.T) {
	const workers, ops = 32, 30
	f := newFixture(t, WithIDs(randomID))
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	t.Cleanup(httpc.CloseIdleConnections)
	keys := []string{owner, admin, member, member2}

	type result struct {
		last    map[string]string // id -> last name sent and accepted
		created int
		deleted int
	}
	results := make([]result, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			key := keys[w%len(keys)]
			res := result{last: map[string]string{}}
			var mine []string
			for i := range ops {
				var err error
				switch op := rng.IntN(10); {
				case op < 4 || len(mine) == 0: // create
					name := fmt.Sprintf("w%d-op%d", w, i)
					var id string
					if id, err = createVia(httpc, f.srv.URL(), key, name); err == nil {
						mine = append(mine, id)
						res.last[id] = name
						res.created++
					}
				case op < 6: // update one of mine
					id := mine[rng.IntN(len(mine))]
					name := fmt.Sprintf("w%d-op%d-renamed", w, i)
					if err = expectStatus(httpc, "PATCH", f.srv.URL()+"/v1/agents/"+id, key, `{"name":"`+name+`"}`, 200); err == nil {
						res.last[id] = name
					}
				case op < 7 && (key == owner || key == admin): // delete one of mine (members may not)
					j := rng.IntN(len(mine))
					if err = expectStatus(httpc, "DELETE", f.srv.URL()+"/v1/agents/"+mine[j], key, "", 200); err == nil {
						delete(res.last, mine[j])
						mine = append(mine[:j], mine[j+1:]...)
						res.deleted++
					}
				case op < 8: // get one of mine
					err = expectStatus(httpc, "GET", f.srv.URL()+"/v1/agents/"+mine[rng.IntN(len(mine))], key, "", 200)
				default: // list a page
					err = expectStatus(httpc, "GET", fmt.Sprintf("%s/v1/agents?page=%d&limit=7", f.srv.URL(), 1+rng.IntN(5)), key, "", 200)
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d op %d: %w", w, i, err)
					return
				}
			}
			results[w] = res
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	want := map[string]string{}
	total := 0
	for _, r := range results {
		total += r.created - r.deleted
		for id, name := range r.last {
			want[id] = name
		}
	}
	stored := f.srv.Agents(t, OrgAcme)
	if len(stored) != total || len(want) != total {
		t.Fatalf("stored %d agents, tracked %d, created minus deleted %d", len(stored), len(want), total)
	}
	for _, a := range stored {
		if want[a.ID] != a.Name {
			t.Errorf("%s: name %q, last update sent %q", a.ID, a.Name, want[a.ID])
		}
	}
	got := f.do(t, call{method: "GET", path: "/v1/agents?limit=1", key: owner}).body.(map[string]any)
	if n := got["pagination"].(map[string]any)["total"]; n != float64(total) {
		t.Errorf("list total %v, want %d", n, total)
	}
}

// createVia creates a text agent named name and returns its id.
func createVia(c *http.Client, base, key, name string) (string, error) {
	body := `{"name":"` + name + `","agentArchitecture":"text","model":"m","systemPrompt":"p"}`
	raw, err := send(c, "POST", base+"/v1/agents", key, body, 201)
	if err != nil {
		return "", err
	}
	var out struct{ Data struct{ ID string } }
	err = json.Unmarshal(raw, &out)
	return out.Data.ID, err
}

func expectStatus(c *http.Client, method, url, key, body string, want int) error {
	_, err := send(c, method, url, key, body, want)
	return err
}

// send makes one request from any goroutine and checks its status.
func send(c *http.Client, method, url, key, body string, want int) ([]byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewBufferString(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != want {
		err = fmt.Errorf("%s %s: status %d, want %d: %s", method, url, resp.StatusCode, want, raw)
	}
	return raw, err
}
