package validate_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// BenchmarkPipelineCreate validates the pipeline create example and, in the
// same loop, decodes it into agents.CreateParams with encoding/json (what
// a server does with it next). It reports both times per body and their
// ratio: the target is validate/decode <= 4.
func BenchmarkPipelineCreate(b *testing.B) {
	body := []byte(pipelineExample)
	if err := validate.Create(body); err != nil { // compile outside the loop
		b.Fatal(err)
	}
	var validating, decoding time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := validate.Create(body); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		var p agents.CreateParams
		if err := json.Unmarshal(body, &p); err != nil {
			b.Fatal(err)
		}
		validating += t1.Sub(t0)
		decoding += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(validating.Nanoseconds())/n, "ns/validate")
	b.ReportMetric(float64(decoding.Nanoseconds())/n, "ns/decode")
	b.ReportMetric(float64(validating)/float64(decoding), "validate/decode")
}
