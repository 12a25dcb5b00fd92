package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// BenchmarkGet compares Get through the client (with and without a
// Response requested) with the least a caller could write by hand
// (net/http and encoding/json), on the same in-process fake and the same
// agent, so the difference is the client's own cost.
//
//	go test -run '^$' -bench Get -benchmem ./client
func BenchmarkGet(b *testing.B) {
	srv := fake.NewHandler()
	ctx := context.Background()
	a, err := srv.Client(b).Agents.Create(ctx, pipelineParams())
	if err != nil {
		b.Fatal(err)
	}

	b.Run("client", func(b *testing.B) {
		c := srv.Client(b)
		b.ReportAllocs()
		for b.Loop() {
			got, err := c.Agents.Get(ctx, a.ID)
			if err != nil || got.ID != a.ID {
				b.Fatal(got, err)
			}
		}
	})

	b.Run("client+response", func(b *testing.B) {
		c := srv.Client(b)
		var resp client.Response
		b.ReportAllocs()
		for b.Loop() {
			got, err := c.Agents.Get(ctx, a.ID, client.WithResponse(&resp))
			if err != nil || got.ID != a.ID || resp.StatusCode != http.StatusOK {
				b.Fatal(got, err)
			}
		}
	})

	b.Run("net-http", func(b *testing.B) {
		hc := srv.HTTPClient()
		url := "http://localhost" + wire.AgentsPath + "/" + a.ID
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var env wire.Response[agents.Agent]
			err = json.NewDecoder(resp.Body).Decode(&env)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || env.Data.ID != a.ID {
				b.Fatal(resp.Status, err)
			}
		}
	})
}
