// Package client is the Go client of the TalkifAI Agents API: one method per
// endpoint, an iterator over every page, typed errors, and retries that
// never create an agent twice.
//
//	c, err := client.New(client.WithAPIKey(key)) // or TALKIFAI_API_KEY
//	if err != nil { ... }
//	a, err := c.Agents.Get(ctx, "agent_abc")
//	for s, err := range c.Agents.All(ctx, client.ListParams{Mode: agents.Public}) { ... }
//
// A [Client] is safe for concurrent use; make one and share it. The API key
// is sent as a bearer token, and only over https, or http to a loopback host
// (127.0.0.0/8, ::1, localhost) unless [WithInsecureHTTP] says otherwise.
// It appears in no error message and no log line.
//
// # Errors
//
// A create body the API must refuse is never sent: [AgentsService.Create]
// validates its params first and returns the *[agents.ValidationError] of
// package agents. [AgentsService.Update] refuses before sending only what
// [agents.UpdateParams.Validate] can judge without the stored agent (the same
// *agents.ValidationError); what depends on the stored agent is the
// server's to judge, and its refusal is an *APIError matching
// [ErrValidation]. An error answer of the API
// is an *[APIError] with the status, code, message, failing fields and
// request id; errors.Is matches it against a sentinel per code
// ([ErrNotFound], [ErrRateLimited], [ErrValidation], ...), and errors.As
// finds an *agents.ValidationError in a VALIDATION_ERROR answer too. When the
// context ends, the error is the context's (errors.Is(err,
// context.Canceled) holds); when it ends, or the [WithRateLimit] limiter
// cannot grant a retry before the deadline, after an error answer that was
// to be retried, the error wraps that answer's *APIError too, so errors.Is
// matches both the context error and the answer's sentinel, and errors.As
// finds the *APIError. Transport errors are wrapped with the method and
// path.
//
// # Retries
//
// The client retries what is safe and nothing else:
//
//	outcome                                        GET, PATCH, DELETE   POST
//	connection failed before sending (dial, DNS)   retry                retry
//	connection lost after sending, timeout         retry                with WithPOSTRetries
//	429                                            retry                retry
//	500, 502, 503, 504                             retry                with WithPOSTRetries
//	other 4xx                                      no                   no
//
// At most [DefaultMaxRetries] retries by default ([WithMaxRetries]). The wait
// before a retry is the server's Retry-After (seconds or HTTP-date) when it
// sent one, capped at [WithRetryWait]'s max but not raised to its min (the
// server's word wins: Retry-After: 0 or a date in the past retries at once),
// else exponential backoff with jitter within [WithRetryWait]'s bounds; either
// way it ends at once when the context does. Every
// POST carries an Idempotency-Key, the same on each of its retries, and
// every attempt carries its number in X-Talkifai-Retry-Count. A DELETE that
// was retried after an attempt that may have deleted the agent (a lost
// answer, a 5xx) and then answers 404 has succeeded. When retries run out, the
// error is the last answer's *APIError, body and all.
//
// [WithRateLimit] adds a client-side token bucket that every attempt waits
// on; [Client.RateLimit] reports the server's X-RateLimit-* headers.
//
// # Pages
//
// [AgentsService.List] returns one [Page]; [AgentsService.All] is an
// iterator over every page that fetches lazily, stops when the loop breaks,
// never yields an id twice and yields an error at most once, last.
//
// # Testing
//
// Package fake serves the whole API in memory. Its Server.Client returns a
// Client pointed at it, so tests need no network and no mocks:
//
//	srv := fake.NewServer(t)
//	c := srv.Client()
package client
