package client_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// TestRefusedBodyReadsTheSameEitherSide: a body refused before sending
// and the server's refusal of it read alike (one prefix, then "validation
// failed: N invalid fields"), and both match ErrValidation and yield the
// same *agents.ValidationError.
func TestRefusedBodyReadsTheSameEitherSide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	a := srv.CreateAgent(t, fake.KeyAcmeOwner, validCreate("bot"))
	bad := agents.CreateParams{Name: agents.Value(""), Architecture: agents.Value(agents.Text), SystemPrompt: agents.Value("x")}
	badPatch := agents.UpdateParams{Name: agents.Null[string](), Temperature: agents.Value(3.0)}
	requestID := regexp.MustCompile(`req_[a-z0-9]+`)

	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"create, before sending",
			"client: POST /v1/agents: validation failed: 2 invalid fields: model is required for text agents; name must not be empty",
			second(c.Agents.Create(ctx, bad))},
		{"create, by the server",
			"client: POST /v1/agents: 400 VALIDATION_ERROR: validation failed: 2 invalid fields (model: required; name: too_short) [request req_x]",
			second(c.Agents.Create(ctx, bad, client.WithValidation(false)))},
		{"update, before sending",
			"client: PATCH /v1/agents/" + a.ID + ": validation failed: 2 invalid fields: name cannot be null; temperature must be between 0 and 2",
			second(c.Agents.Update(ctx, a.ID, badPatch))},
		{"update, by the server",
			"client: PATCH /v1/agents/" + a.ID + ": 400 VALIDATION_ERROR: validation failed: 2 invalid fields (name: required; temperature: out_of_range) [request req_x]",
			second(c.Agents.Update(ctx, a.ID, badPatch, client.WithValidation(false)))},
	} {
		if got := requestID.ReplaceAllString(tc.err.Error(), "req_x"); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		if !errors.Is(tc.err, client.ErrValidation) {
			t.Errorf("%s: %v does not match ErrValidation", tc.name, tc.err)
		}
		var ve *agents.ValidationError
		if !errors.As(tc.err, &ve) {
			t.Fatalf("%s: errors.As found no *agents.ValidationError in %v", tc.name, tc.err)
		}
		var codes []string
		for _, f := range ve.Fields {
			codes = append(codes, f.Field+":"+f.Code)
		}
		want := []string{"model:required", "name:too_short"}
		if tc.name[0] == 'u' {
			want = []string{"name:required", "temperature:out_of_range"}
		}
		if diff := cmp.Diff(want, codes); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tc.name, diff)
		}
	}
}
