// Package client is the Go client of the TalkifAI Agents API: one method per
// endpoint, an iterator over every page, typed errors, and retries that
// never create an agent twice.
//
//	c, err := client.New(client.WithAPIKey(key)) // or TALKIFAI_API_KEY
//	if err != nil { ... }
//	a, err := c.Agents.Get(ctx, "agent_abc")
//	for s, err := range c.Agents.All(ctx, client.AgentListParams{Mode: agents.Public}) { ... }
//
// A [Client] is safe for concurrent use; make one and share it. It holds no
// state of any one call. The API key is sent as a bearer token, and only
// over https, or http to a loopback host (127.0.0.0/8, ::1, localhost)
// unless [WithInsecureHTTP] says otherwise. It appears in no error message
// and no log line, and printing a Client shows only its base URL.
//
// # Options
//
// One [Option] type configures the client in [New], and one call when
// given to a method after its own arguments:
//
//	var resp client.Response
//	a, err := c.Agents.Create(ctx, p,
//		client.WithIdempotencyKey("order-42"), // Create only
//		client.WithTimeout(10*time.Second),    // the whole call
//		client.WithResponse(&resp))            // status, headers, request id, rate limit, attempts
//
// A call's options apply on top of the client's, for that call only.
// Each option's doc says where it applies. Given where it means nothing,
// it fails New, or fails the call before sending, with an error matching
// [ErrInvalidOption].
//
// Details: per call or per client: [WithAPIKey], [WithHeader],
// [WithMaxRetries], [WithRetryWait], [WithTimeout], [WithAttemptTimeout],
// [WithLimiter], [WithPOSTRetries] (Create), [WithValidation] (Create and
// Update). Per call only: [WithIdempotencyKey] (Create), [WithResponse].
// Per client only: [WithBaseURL], [WithHTTPClient], [WithLogger],
// [WithUserAgent], [WithInsecureHTTP].
//
// # Errors
//
// Every error a call returns reads "client: METHOD PATH: cause" and wraps
// its cause. That is the only prefix: the causes of this module have none
// of their own, so the whole reads as one line, such as
// "client: POST /v1/agents: validation failed: 1 invalid field: name must
// not be empty". Use errors.Is and errors.As (not == or a type assertion,
// nor the text):
//
//   - An error answer of the API is an *[APIError]: status, code, message,
//     failing fields and request id. errors.Is matches it against one
//     sentinel per code ([ErrNotFound], [ErrRateLimited], [ErrValidation],
//     ...).
//   - A body the API would refuse is an *[agents.ValidationError], and
//     nothing is sent. It matches [ErrValidation], as the server's refusal
//     does, and errors.As finds an *agents.ValidationError in either.
//   - A bad parameter or option is refused before sending:
//     [ErrInvalidParameter], [ErrInvalidOption].
//   - When the context (or [WithTimeout]) ends, the cause is the
//     context's error: errors.Is(err, context.Canceled) holds. The text
//     adds what ended it when that is known: "WithTimeout(10s) ran out",
//     or the cause given to context.WithCancelCause (which errors.Is
//     matches too).
//   - A [Limiter]'s own error, a transport error, or a body over
//     [MaxResponseBytes] ([ErrResponseTooLarge]) is wrapped as it is.
//
// [AgentsService.Create] checks the whole body before sending.
// [AgentsService.Update] checks only what [agents.UpdateParams.Validate]
// can judge without the stored agent; the server judges the rest, and its
// refusal is an *APIError matching [ErrValidation]. [WithValidation](false)
// sends the body unchecked, for a server with rules newer than the client.
//
// Details: when a retry is due after an error answer, and the context ends
// (or the limiter fails), the error wraps both that cause and the answer's
// *APIError. So errors.Is matches the context error and the answer's
// sentinel, and errors.As finds the *APIError. [APIError.Error] and the
// sentinels have no prefix of their own: they are seen inside an error
// that has one.
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
// [WithLimiter] makes every attempt wait on a [Limiter]: a *rate.Limiter,
// or one that many processes share. The server's X-RateLimit-* figures of
// each answer are in its [Response].
//
// # Pages
//
// [AgentsService.List] returns one [AgentPage]; [AgentsService.All] is an
// iterator over every page that fetches lazily, stops when the loop breaks,
// never yields an id twice and yields an error at most once, last.
//
// # Testing
//
// Package fake serves the whole API in memory. Its Server.Client returns a
// Client pointed at it, which waits milliseconds between retries, so tests
// need no network, no mocks and no patience:
//
//	srv := fake.NewServer(t)
//	c := srv.Client(t)
package client
