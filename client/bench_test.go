package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

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

// BenchmarkGetRatio runs Get through the client (without and with a
// Response) and by hand in turns, 50 calls each per iteration, and
// reports the median ratios of their times: on a loaded machine, where
// separate benchmarks swing widely, the turns share the load.
//
//	go test -run '^$' -bench GetRatio -benchtime 200x ./client
func BenchmarkGetRatio(b *testing.B) {
	srv := fake.NewHandler()
	ctx := context.Background()
	a, err := srv.Client(b).Agents.Create(ctx, pipelineParams())
	if err != nil {
		b.Fatal(err)
	}
	c := srv.Client(b)
	hc := srv.HTTPClient()
	url := "http://localhost" + wire.AgentsPath + "/" + a.ID
	var resp client.Response
	plain := func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
		r, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var env wire.Response[agents.Agent]
		err = json.NewDecoder(r.Body).Decode(&env)
		r.Body.Close()
		if err != nil || env.Data.ID != a.ID {
			b.Fatal(err)
		}
	}
	get := func(opts ...client.Option) {
		if got, err := c.Agents.Get(ctx, a.ID, opts...); err != nil || got.ID != a.ID {
			b.Fatal(err)
		}
	}
	timed := func(f func()) time.Duration {
		start := time.Now()
		for range 50 {
			f()
		}
		return time.Since(start)
	}
	var bare, withResp []float64
	for b.Loop() {
		tc := timed(func() { get() })
		tp := timed(plain)
		tr := timed(func() { get(client.WithResponse(&resp)) })
		tp = (tp + timed(plain)) / 2
		bare = append(bare, float64(tc)/float64(tp))
		withResp = append(withResp, float64(tr)/float64(tp))
	}
	b.ReportMetric(median(bare), "client/net-http")
	b.ReportMetric(median(withResp), "client+response/net-http")
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}
