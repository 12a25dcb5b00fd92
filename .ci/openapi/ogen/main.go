// The lifecycle of the Agents API through a client that ogen generated
// from the fake's /openapi.json, into package api beside this file. Every
// call must decode into the typed response the document declares.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"lifecycle/api"

	"github.com/ogen-go/ogen/ogenerrors"
)

// key is a security source: the key as a bearer token; X-API-Key, the
// document's other scheme, stays unused.
type key string

func (k key) BearerAuth(context.Context, api.OperationName) (api.BearerAuth, error) {
	return api.BearerAuth{Token: string(k)}, nil
}

func (key) ApiKeyHeader(context.Context, api.OperationName) (api.ApiKeyHeader, error) {
	return api.ApiKeyHeader{}, ogenerrors.ErrSkipClientSecurity
}

func newClient(k string) *api.Client {
	c, err := api.NewClient(fakeURL, key(k), api.WithClient(httpClient))
	must(err)
	return c
}

func main() {
	ctx := context.Background()
	reset()
	c := newClient(ownerKey)
	fmt.Println("ogen lifecycle against", fakeURL)

	// Create one agent of each architecture.
	pipeline := api.CreateAgentRequest{Type: api.CreatePipelineAgentRequestCreateAgentRequest, CreatePipelineAgentRequest: api.CreatePipelineAgentRequest{
		Name: "Support Bot", Model: "gpt-4o", Stt: "deepgram", Tts: "cartesia",
		VoiceId: api.NewOptNilString("sonic-english-female"), SystemPrompt: "You are a helpful support agent.",
		Mode: api.NewOptNilCreatePipelineAgentRequestMode(api.CreatePipelineAgentRequestModePrivate), Temperature: api.NewOptNilFloat64(0.7),
	}}
	idem := api.CreateAgentParams{IdempotencyKey: api.NewOptString("lifecycle-pipeline-1")}
	created := want[*api.AgentCreatedHeaders](c.CreateAgent(ctx, pipeline, idem))("create pipeline")
	p := created.Response.Data
	check(p.AgentArchitecture == api.ArchitecturePipeline && p.Name == "Support Bot", "create pipeline: %+v", p)
	check(created.XRequestID.Set && created.XRequestID.Value != "", "create pipeline: no X-Request-Id")
	step("create pipeline %s (X-Request-Id %s)", p.ID, created.XRequestID.Value)

	replayed := want[*api.AgentCreatedHeaders](c.CreateAgent(ctx, pipeline, idem))("create pipeline again")
	check(replayed.Response.Data.ID == p.ID && replayed.IdempotentReplayed.Or(false), "replay: %+v", replayed)
	step("create pipeline again with the same Idempotency-Key: replayed %s", replayed.Response.Data.ID)

	realtime := api.CreateAgentRequest{Type: api.CreateRealtimeAgentRequestCreateAgentRequest, CreateRealtimeAgentRequest: api.CreateRealtimeAgentRequest{
		Name: "Voice Concierge", RealtimeProvider: "openai", SystemPrompt: "Greet callers.",
		Mode: api.NewOptNilCreateRealtimeAgentRequestMode(api.CreateRealtimeAgentRequestModePublic), Active: api.NewOptNilBool(true),
	}}
	r := want[*api.AgentCreatedHeaders](c.CreateAgent(ctx, realtime, api.CreateAgentParams{}))("create realtime").Response.Data
	check(r.AgentArchitecture == api.ArchitectureRealtime && r.Active, "create realtime: %+v", r)
	step("create realtime %s", r.ID)

	text := api.CreateAgentRequest{Type: api.CreateTextAgentRequestCreateAgentRequest, CreateTextAgentRequest: api.CreateTextAgentRequest{
		Name: "Docs Helper", Model: "gpt-4o-mini", SystemPrompt: "Answer questions about our docs.",
		EnabledFunctions: api.NewOptNilStringArray([]string{"web_search"}),
	}}
	tx := want[*api.AgentCreatedHeaders](c.CreateAgent(ctx, text, api.CreateAgentParams{}))("create text").Response.Data
	check(tx.AgentArchitecture == api.ArchitectureText, "create text: %+v", tx)
	step("create text %s", tx.ID)

	// List with page, limit and mode.
	list := want[*api.AgentListOKHeaders](c.ListAgents(ctx, api.ListAgentsParams{
		Mode: api.NewOptMode(api.ModePrivate), Page: api.NewOptInt(1), Limit: api.NewOptInt(1),
	}))("list")
	pg := list.Response.Pagination
	check(len(list.Response.Data) == 1 && pg.Total == 2 && pg.HasNext && !pg.HasPrev && pg.Limit == 1,
		"list private, page 1, limit 1: %+v", list.Response)
	check(list.Response.Data[0].ID == tx.ID && list.Response.Data[0].Mode == api.ModePrivate, "list: newest first: %+v", list.Response.Data)
	step("list mode=private page=1 limit=1: %s of %d", list.Response.Data[0].ID, pg.Total)

	// Get: the answer is the pipeline form of the agent.
	got := want[*api.AgentOKHeaders](c.GetAgent(ctx, api.GetAgentParams{ID: p.ID}))("get").Response.Data
	check(got.Type == api.PipelineAgentAgent && got.PipelineAgent.Stt == "deepgram" && got.PipelineAgent.VoiceId.Value == "sonic-english-female",
		"get: %+v", got)
	step("get %s: a %s agent with stt %s", p.ID, got.Type, got.PipelineAgent.Stt)

	// PATCH with a null: voiceId is cleared.
	var patch api.UpdateAgentRequest
	patch.Name = api.NewOptString("Support Bot v2")
	patch.VoiceId.SetToNull()
	up := api.UpdateAgentApplicationMergePatchJSON(patch)
	updated := want[*api.AgentOKHeaders](c.UpdateAgent(ctx, &up, api.UpdateAgentParams{ID: p.ID}))("update").Response.Data
	check(updated.Type == api.PipelineAgentAgent && updated.PipelineAgent.Name == "Support Bot v2" && !updated.PipelineAgent.VoiceId.Set,
		"update: %+v", updated.PipelineAgent)
	step("patch %s with voiceId null: name %q, no voiceId", p.ID, updated.PipelineAgent.Name)

	// Delete, then get after delete.
	del := want[*api.AgentDeletedHeaders](c.DeleteAgent(ctx, api.DeleteAgentParams{ID: tx.ID}))("delete")
	check(del.Response.Data.Message != "", "delete: %+v", del.Response)
	step("delete %s: %s", tx.ID, del.Response.Data.Message)
	gone := want[*api.NotFoundHeaders](c.GetAgent(ctx, api.GetAgentParams{ID: tx.ID}))("get after delete")
	check(string(gone.Response.Code) == "NOT_FOUND", "get after delete: %+v", gone.Response)
	step("get %s after delete: 404 %s", tx.ID, gone.Response.Code)

	// 400 with details: a realtime agent turned pipeline without its fields.
	var toPipeline api.UpdateAgentRequest
	toPipeline.AgentArchitecture = api.NewOptArchitecture(api.ArchitecturePipeline)
	bad := api.UpdateAgentApplicationJSON(toPipeline)
	invalid := want[*api.BadRequestHeaders](c.UpdateAgent(ctx, &bad, api.UpdateAgentParams{ID: r.ID}))("update to pipeline")
	check(string(invalid.Response.Code) == "VALIDATION_ERROR" && len(invalid.Response.Details) >= 3, "400: %+v", invalid.Response)
	step("patch %s to pipeline: 400 %s, %d details, first %s %s", r.ID, invalid.Response.Code, len(invalid.Response.Details),
		invalid.Response.Details[0].Field, invalid.Response.Details[0].Code)

	// 401: an unknown key.
	unauth := want[*api.UnauthorizedHeaders](newClient("tk_test_nobody").GetAgent(ctx, api.GetAgentParams{ID: p.ID}))("unknown key")
	check(string(unauth.Response.Code) == "UNAUTHORIZED", "401: %+v", unauth.Response)
	step("get with an unknown key: 401 %s", unauth.Response.Code)

	// 405: a method the path does not take.
	na := want[*api.MethodNotAllowedHeaders](c.GetAgent(withMethod(ctx, http.MethodPut), api.GetAgentParams{ID: p.ID}))("PUT")
	check(string(na.Response.Code) == "METHOD_NOT_ALLOWED" && na.Allow == "GET, PATCH, DELETE", "405: %+v", na)
	step("PUT %s: 405 %s, Allow: %s", p.ID, na.Response.Code, na.Allow)

	// 503 with Retry-After, injected.
	injectFault(`{"method":"GET","path":"/v1/agents","status":503,"retryAfter":2,"times":1}`)
	// ogen returns the default response as an error.
	_, err := c.ListAgents(ctx, api.ListAgentsParams{})
	var down *api.ServerErrorStatusCodeWithHeaders
	check(errors.As(err, &down), "injected 503: %v", err)
	check(down.StatusCode == 503 && down.RetryAfter.Or(0) == 2 && string(down.Response.Code) == "SERVICE_UNAVAILABLE", "503: %+v", down)
	step("list during an injected outage: %d %s, Retry-After %d", down.StatusCode, down.Response.Code, down.RetryAfter.Value)

	// 429: the free tier's 60 requests a minute run out.
	free := newClient(freeKey)
	for i := 0; ; i++ {
		check(i <= 100, "no 429 after %d requests of the free tier", i)
		res, err := free.ListAgents(ctx, api.ListAgentsParams{})
		if _, ok := res.(*api.AgentListOKHeaders); ok && err == nil {
			continue
		}
		limited := want[*api.RateLimitedHeaders](res, err)("rate limit")
		check(string(limited.Response.Code) == "RATE_LIMITED" && limited.RetryAfter.Or(0) >= 1 && limited.XRateLimitLimit.Or(0) == 60,
			"429: %+v", limited)
		step("request %d of the free tier: 429 %s, Retry-After %d, X-RateLimit-Limit %d", i+1, limited.Response.Code,
			limited.RetryAfter.Value, limited.XRateLimitLimit.Value)
		break
	}
	fmt.Println("ogen lifecycle: every call decoded into its typed response")
}
