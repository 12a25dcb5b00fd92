// The lifecycle of the Agents API through a client that oapi-codegen
// generated from the fake's /openapi.json, into package api beside this
// file. Every call must decode into the typed response the document
// declares for its status.
package main

import (
	"context"
	"fmt"
	"net/http"

	"lifecycle/api"

	"github.com/oapi-codegen/nullable"
)

func newClient(key string) *api.ClientWithResponses {
	c, err := api.NewClientWithResponses(fakeURL, api.WithHTTPClient(httpClient),
		api.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+key)
			return nil
		}))
	must(err)
	return c
}

// answer is what every generated response has.
type answer interface{ StatusCode() int }

// typed fails unless the call succeeded with status and v, the decoded
// body for that status, is there; it returns v.
func typed[T any](res answer, err error, status int, v func() *T, what string) *T {
	if err != nil {
		fail("%s: %v", what, err)
	}
	if res.StatusCode() != status || v() == nil {
		fail("%s: status %d, want %d with a decoded body", what, res.StatusCode(), status)
	}
	return v()
}

func main() {
	ctx := context.Background()
	reset()
	c := newClient(ownerKey)
	fmt.Println("oapi-codegen lifecycle against", fakeURL)

	// Create one agent of each architecture.
	var pipeline api.CreateAgentRequest
	must(pipeline.FromCreatePipelineAgentRequest(api.CreatePipelineAgentRequest{
		AgentArchitecture: api.CreatePipelineAgentRequestAgentArchitecturePipeline,
		Name:              "Support Bot", Model: "gpt-4o", Stt: "deepgram", Tts: "cartesia",
		VoiceId: nullable.NewNullableWithValue("sonic-english-female"), SystemPrompt: "You are a helpful support agent.",
		Mode: nullable.NewNullableWithValue(api.CreatePipelineAgentRequestModePrivate), Temperature: nullable.NewNullableWithValue(0.7),
	}))
	key := "lifecycle-pipeline-1"
	res, err := c.CreateAgentWithResponse(ctx, &api.CreateAgentParams{IdempotencyKey: &key}, pipeline)
	p := typed(res, err, 201, func() *api.AgentCreated { return res.JSON201 }, "create pipeline").Data
	check(p.AgentArchitecture == api.ArchitecturePipeline && p.Name == "Support Bot", "create pipeline: %+v", p)
	step("create pipeline %s (X-Request-Id %s)", p.Id, res.HTTPResponse.Header.Get("X-Request-Id"))

	res, err = c.CreateAgentWithResponse(ctx, &api.CreateAgentParams{IdempotencyKey: &key}, pipeline)
	again := typed(res, err, 201, func() *api.AgentCreated { return res.JSON201 }, "create pipeline again").Data
	check(again.Id == p.Id && res.HTTPResponse.Header.Get("Idempotent-Replayed") == "true", "replay: %+v", again)
	step("create pipeline again with the same Idempotency-Key: replayed %s", again.Id)

	var realtime api.CreateAgentRequest
	must(realtime.FromCreateRealtimeAgentRequest(api.CreateRealtimeAgentRequest{
		AgentArchitecture: api.CreateRealtimeAgentRequestAgentArchitectureRealtime,
		Name:              "Voice Concierge", RealtimeProvider: "openai", SystemPrompt: "Greet callers.",
		Mode: nullable.NewNullableWithValue(api.CreateRealtimeAgentRequestModePublic), Active: nullable.NewNullableWithValue(true),
	}))
	res, err = c.CreateAgentWithResponse(ctx, &api.CreateAgentParams{}, realtime)
	r := typed(res, err, 201, func() *api.AgentCreated { return res.JSON201 }, "create realtime").Data
	check(r.AgentArchitecture == api.ArchitectureRealtime && r.Active, "create realtime: %+v", r)
	step("create realtime %s", r.Id)

	var text api.CreateAgentRequest
	must(text.FromCreateTextAgentRequest(api.CreateTextAgentRequest{
		AgentArchitecture: api.CreateTextAgentRequestAgentArchitectureText,
		Name:              "Docs Helper", Model: "gpt-4o-mini", SystemPrompt: "Answer questions about our docs.",
		EnabledFunctions: nullable.NewNullableWithValue([]string{"web_search"}),
	}))
	res, err = c.CreateAgentWithResponse(ctx, &api.CreateAgentParams{}, text)
	tx := typed(res, err, 201, func() *api.AgentCreated { return res.JSON201 }, "create text").Data
	check(tx.AgentArchitecture == api.ArchitectureText, "create text: %+v", tx)
	step("create text %s", tx.Id)

	// List with page, limit and mode.
	mode, page, limit := api.ModePrivate, 1, 1
	lres, err := c.ListAgentsWithResponse(ctx, &api.ListAgentsParams{Mode: &mode, Page: &page, Limit: &limit})
	list := typed(lres, err, 200, func() *api.AgentListOK { return lres.JSON200 }, "list")
	pg := list.Pagination
	check(len(list.Data) == 1 && pg.Total == 2 && pg.HasNext && !pg.HasPrev && pg.Limit == 1, "list private, page 1, limit 1: %+v", list)
	check(list.Data[0].Id == tx.Id && list.Data[0].Mode == api.ModePrivate, "list: newest first: %+v", list.Data)
	step("list mode=private page=1 limit=1: %s of %d", list.Data[0].Id, pg.Total)

	// Get: the answer is the pipeline form of the agent.
	gres, err := c.GetAgentWithResponse(ctx, p.Id)
	got := typed(gres, err, 200, func() *api.AgentOK { return gres.JSON200 }, "get").Data
	arch, err := got.Discriminator()
	must(err)
	pa, err := got.AsPipelineAgent()
	must(err)
	check(arch == "pipeline" && pa.Stt == "deepgram" && pa.VoiceId != nil && *pa.VoiceId == "sonic-english-female", "get: %+v", pa)
	step("get %s: a %s agent with stt %s", p.Id, arch, pa.Stt)

	// PATCH with a null: voiceId is cleared.
	name := "Support Bot v2"
	patch := api.UpdateAgentRequest{Name: &name, VoiceId: nullable.NewNullNullable[string]()}
	ures, err := c.UpdateAgentWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, p.Id, patch)
	up, err := typed(ures, err, 200, func() *api.AgentOK { return ures.JSON200 }, "update").Data.AsPipelineAgent()
	must(err)
	check(up.Name == name && up.VoiceId == nil, "update: %+v", up)
	step("patch %s with voiceId null: name %q, no voiceId", p.Id, up.Name)

	// Delete, then get after delete.
	dres, err := c.DeleteAgentWithResponse(ctx, tx.Id)
	del := typed(dres, err, 200, func() *api.AgentDeleted { return dres.JSON200 }, "delete")
	step("delete %s: %s", tx.Id, del.Data.Message)
	gres, err = c.GetAgentWithResponse(ctx, tx.Id)
	gone := typed(gres, err, 404, func() *api.NotFound { return gres.JSON404 }, "get after delete")
	check(gone.Code == api.NOTFOUND, "get after delete: %+v", gone)
	step("get %s after delete: 404 %s", tx.Id, gone.Code)

	// 400 with details: a realtime agent turned pipeline without its fields.
	toPipeline := api.ArchitecturePipeline
	ures, err = c.UpdateAgentWithResponse(ctx, r.Id, api.UpdateAgentRequest{AgentArchitecture: &toPipeline})
	invalid := typed(ures, err, 400, func() *api.BadRequest { return ures.JSON400 }, "update to pipeline")
	check(invalid.Code == api.VALIDATIONERROR && invalid.Details != nil && len(*invalid.Details) >= 3, "400: %+v", invalid)
	first := (*invalid.Details)[0]
	step("patch %s to pipeline: 400 %s, %d details, first %s %s", r.Id, invalid.Code, len(*invalid.Details), first.Field, first.Code)

	// 401: an unknown key.
	gres, err = newClient("tk_test_nobody").GetAgentWithResponse(ctx, p.Id)
	unauth := typed(gres, err, 401, func() *api.Unauthorized { return gres.JSON401 }, "unknown key")
	check(unauth.Code == api.UNAUTHORIZED, "401: %+v", unauth)
	step("get with an unknown key: 401 %s", unauth.Code)

	// 405: a method the path does not take.
	gres, err = c.GetAgentWithResponse(withMethod(ctx, http.MethodPut), p.Id)
	na := typed(gres, err, 405, func() *api.MethodNotAllowed { return gres.JSON405 }, "PUT")
	allow := gres.HTTPResponse.Header.Get("Allow")
	check(na.Code == api.METHODNOTALLOWED && allow == "GET, PATCH, DELETE", "405: %+v, Allow %q", na, allow)
	step("PUT %s: 405 %s, Allow: %s", p.Id, na.Code, allow)

	// 503 with Retry-After, injected.
	injectFault(`{"method":"GET","path":"/v1/agents","status":503,"retryAfter":2,"times":1}`)
	lres, err = c.ListAgentsWithResponse(ctx, &api.ListAgentsParams{})
	down := typed(lres, err, 503, func() *api.ServerError { return lres.JSONDefault }, "injected 503")
	check(down.Code == api.SERVICEUNAVAILABLE && lres.HTTPResponse.Header.Get("Retry-After") == "2", "503: %+v", down)
	step("list during an injected outage: 503 %s, Retry-After %s", down.Code, lres.HTTPResponse.Header.Get("Retry-After"))

	// 429: the free tier's 60 requests a minute run out.
	free := newClient(freeKey)
	for i := 0; ; i++ {
		check(i <= 100, "no 429 after %d requests of the free tier", i)
		lres, err = free.ListAgentsWithResponse(ctx, &api.ListAgentsParams{})
		if err == nil && lres.StatusCode() == 200 && lres.JSON200 != nil {
			continue
		}
		limited := typed(lres, err, 429, func() *api.RateLimited { return lres.JSON429 }, "rate limit")
		h := lres.HTTPResponse.Header
		check(limited.Code == api.RATELIMITED && h.Get("Retry-After") != "" && h.Get("X-RateLimit-Limit") == "60", "429: %+v %v", limited, h)
		step("request %d of the free tier: 429 %s, Retry-After %s, X-RateLimit-Limit %s", i+1, limited.Code,
			h.Get("Retry-After"), h.Get("X-RateLimit-Limit"))
		break
	}
	fmt.Println("oapi-codegen lifecycle: every call decoded into its typed response")
}
