// Package client is the Go client of the TalkifAI Agents API: one method per
// endpoint, an iterator over every page, typed errors, and retries that
// never create an agent twice.
//
//	c, err := client.New(client.WithAPIKey(key)) // or TALKIFAI_API_KEY
//	if err != nil { ... }
//	a, err := c.Agents.Get(ctx, "agent_abc")
//	for s, err := range c.Agents.All(ctx, client.AgentListParams{Mode: agents.Public}) { ... }
//
// A [Client] is safe for concurrent use; make one and share it. The API key
// is sent as a bearer token, and only over https, or http to a loopback host
// (127.0.0.0/8, ::1, localhost) unless [WithInsecureHTTP] says otherwise.
// It appears in no error message and no log line.
//
// # Errors
//
// Every failure is a value you can inspect:
//
//   - An error answer of the API is an *[APIError]: status, code, message,
//     failing fields and request id. errors.Is matches it against one
//     sentinel per code ([ErrNotFound], [ErrRateLimited], [ErrValidation],
//     ...).
//   - A body the API would refuse is an *[agents.ValidationError], and
//     nothing is sent. errors.As also finds one in a VALIDATION_ERROR
//     answer.
//   - When the context ends, the error is the context's:
//     errors.Is(err, context.Canceled) holds.
//   - Transport errors are wrapped with the method and path.
//
// [AgentsService.Create] checks the whole body before sending.
// [AgentsService.Update] checks only what [agents.UpdateParams.Validate]
// can judge without the stored agent; the server judges the rest, and its
// refusal is an *APIError matching [ErrValidation].
//
// Details: when a retry is due after an error answer, and the context ends
// (or the [WithRateLimit] limiter cannot allow the retry before the
// deadline), the error wraps both the context's error and that answer's
// *APIError. So errors.Is matches the context error and the answer's
// sentinel, and errors.As finds the *APIError.
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
// It makes at most [DefaultMaxRetries] retries unless [WithMaxRetries]
// says otherwise. Before a retry it waits:
//
//   - the server's Retry-After, when it sent one (seconds or an HTTP date),
//     capped at [WithRetryWait]'s max. The server's word wins over the
//     min: Retry-After: 0 retries at once;
//   - otherwise, exponential backoff with jitter, within [WithRetryWait]'s
//     bounds.
//
// Either way, the wait ends at once when the context does. When retries
// run out, the error is the last answer's *APIError, body and all.
//
// Details: every POST carries an Idempotency-Key, the same on each of its
// retries. Every attempt carries its number in X-Talkifai-Retry-Count. A
// DELETE that answers 404 after a retry has succeeded, when an earlier
// attempt may have deleted the agent (its answer was lost, or was a 5xx).
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
