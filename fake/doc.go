// Package fake is an in-memory fake of the TalkifAI Agents API for tests:
// the five /v1/agents endpoints with the real API's status codes, bodies,
// create defaults, pagination, permissions, validation and errors, answered
// in microseconds without a network.
//
//	func TestSync(t *testing.T) {
//		srv := fake.NewServer(t) // on 127.0.0.1, closed when the test ends
//		c := srv.Client(t)       // a *client.Client acting as fake.KeyAcmeOwner
//		// ... run the code under test against c, or against srv.URL() ...
//	}
//
// [NewServer] starts the fake on loopback for one test; [NewHandler]
// returns it unstarted, as an http.Handler to embed or serve. Every server
// has its own state: tests using them may run in parallel.
//
// # Keys, organizations and roles
//
// A server starts with five keys: [KeyAcmeOwner], [KeyAcmeAdmin],
// [KeyAcmeMember] and [KeyAcmeMember2] in org_acme, and [KeyGlobexOwner] in
// org_globex. [WithKeys] replaces them ([Server.Client] acts as
// KeyAcmeOwner: without that key, give it client.WithAPIKey, or its every
// request is 401). Each key acts as one user with one role, and the fake
// enforces the whole permission matrix: members see public agents and their
// own private ones, change only their own private agents, and never make an
// agent commercial; another organization's agents are always 404.
//
// # Arrange and assert without HTTP
//
// [Server.CreateAgent] seeds an agent as a key's user, through the same
// rules as POST /v1/agents; [Server.Agent], [Server.LookupAgent] and
// [Server.Agents] read the store back. [Server.Client], [Server.AddFault]
// and [Server.NewTenant] belong here too. They take the test and fail it
// rather than returning errors; methods that take no test, such as
// [Server.RemoveTenant], return an error instead.
// Only a bug of the fake itself panics, and [NewHandler] given an invalid
// option (a bad key list), since it has no test to fail and no error to
// return: [NewServer] fails the test instead.
//
// # Misbehaving on purpose
//
// [Server.AddFault] makes the server answer an error status (with
// Retry-After), wait, drop the connection, or lose the answer of a write
// that happened (After), for a number of matching requests ([Fault]);
// [Server.Faults] lists the rules in force, with the uses each has left.
// That is how a test proves that its retries are safe: with After, a POST
// creates the agent and the caller sees 503; a retry with the same
// Idempotency-Key then replays the real 201 (Idempotent-Replayed: true)
// instead of creating a second agent. The same key with another body is 409
// IDEMPOTENCY_CONFLICT; answers are remembered per API key for 24 hours on
// the server's clock, and concurrent requests with one key create one
// agent.
//
// [WithRateLimits] turns on the API's rate limits per key and tier, with
// X-RateLimit-* headers and 429 with Retry-After. They are off by default,
// so that tests are not flaky.
//
// [Server.Client] waits 1 to 5 ms between retries and caps Retry-After the
// same, so a test full of faults runs in milliseconds. A 429 of
// WithRateLimits (Retry-After: seconds) then spends its retries at once
// and fails; a test that means to wait for the bucket passes longer waits
// (client.WithRetryWait), best inside a testing/synctest bubble.
//
// # What the code under test sent
//
// [Server.Requests] returns the journal: every /v1 request, oldest first,
// with method, path, query, organization, user, idempotency key, body, the
// status the caller saw (0 after a disconnect), the X-Request-Id it was
// given and the time on the server's clock, never an API key. A [Journal]
// filters itself, and [Request.DecodeBody] reads a body into a value:
//
//	posts := srv.Requests().Method("POST").Path("/v1/agents").Status(201)
//	var sent agents.CreateParams
//	err := posts[0].DecodeBody(&sent)
//
// ByRequestID finds the request behind a client error's request id. It keeps the last
// [DefaultJournalSize] requests and [DefaultJournalBytes] bytes unless
// [WithJournalSize] and [WithJournalBytes] say otherwise; a body over
// [JournalBodyCap] bytes is recorded as null, with BodyTruncated set.
// [Server.Reset] empties the store, the journal, the idempotency memory and
// the rate-limit buckets, and removes the faults and the tenants.
//
// # Tenants: many tests, one fake
//
// A tenant is an organization of its own, with an owner, an admin and two
// members, made for one test: [Server.NewTenant] returns its id and keys,
// and removes it when the test ends. Nobody else sees its agents; its
// journal entries carry its organization ([Journal.Org]); a [Fault] with
// Org set touches only its requests; [Server.ResetOrg] empties it alone.
// Tests that share one server, in one process or, through the standalone
// binary, in many, each take a tenant and never meet:
//
//	tn := srv.NewTenant(t, fake.TierEnterprise)
//	c := srv.Client(t, client.WithAPIKey(tn.Keys.Owner))
//	srv.AddFault(t, fake.Fault{Org: tn.Org, Method: "GET", Status: 503, Times: 1})
//
// A server holds at most [DefaultMaxTenants] tenants at once
// ([WithMaxTenants]). Organization and key ids are never reused. For a
// standalone fake shared by many test processes, [NewRemote] offers the
// same test kit over its control endpoints: [Server] and [Remote] are
// both a [TestKit], so one test body runs against either.
//
// # Deterministic output
//
// [WithClock] sets the clock that stamps createdAt and updatedAt, and
// [WithIDs] the source of agent ids, so that whole responses can be
// compared byte for byte; [NewClock] and [SequentialIDs] make both:
//
//	clock := fake.NewClock(time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC))
//	srv := fake.NewServer(t, fake.WithClock(clock.Now), fake.WithIDs(fake.SequentialIDs()))
//	clock.Advance(time.Minute)
//
// Timestamps are UTC with milliseconds, as the API writes them.
//
// # How it differs from the real service
//
// It keeps everything in memory ([Server.WriteState] and
// [Server.ReadState] save and load the agents). It accepts the key in
// X-API-Key, honours Idempotency-Key, reports every failing field in
// details, answers unknown paths and wrong methods with the JSON error
// envelope, and serves the control endpoints: the real service may not
// have these (docs/api.md in the module's repository marks them).
//
// Request bodies are checked by package validate, then by package agents:
// the fake holds no copy of any field rule.
//
// # Limits
//
// Where the API leaves a case open, or Go decides first, the fake behaves
// so:
//
//   - Go's net/http answers a request whose header holds a control
//     character (a non-printable Idempotency-Key, say) with its own
//     plain-text 400 before the fake sees it, as it does other malformed
//     HTTP (a bad request line; headers over 1 MB are its 431). Such
//     answers carry no X-Request-Id and are not journaled.
//   - A body is INVALID_JSON when it is nested deeper than 10,000 levels
//     (encoding/json's limit) or names a key twice.
//   - The journal keeps the newest [WithJournalSize] requests (default
//     [DefaultJournalSize], 10,000) within [WithJournalBytes] (default
//     [DefaultJournalBytes], 8 MiB): older ones are dropped without
//     notice. GET /_fake/requests is streamed, one entry at a time. A
//     body that is not valid UTF-8 is journaled as a JSON string, each bad
//     byte replaced by U+FFFD. API keys are read only from the credential
//     headers, which are never journaled; a key a caller puts in the path,
//     query or body is journaled as sent.
//   - GET /v1/agents splits its query on "&" only: ";" is an ordinary
//     character, so "page=1;x" is 400 INVALID_PARAMETER, as is a page,
//     limit or mode that is not correctly percent-encoded. A parameter
//     given twice is judged each time, and its first value is used.
//   - An id is matched on the decoded path: /v1/agents/a%2Fb is the path
//     /v1/agents/a/b, which is 404 like any unknown path.
//   - Each change moves updatedAt by at least a millisecond, so many
//     changes to one agent within a millisecond run ahead of the clock.
//   - An idempotent answer is dropped once it is 24 hours old on the
//     server's clock, when the next answer is remembered, even if its key
//     was reused; or sooner when the memory is full
//     ([WithIdempotencyLimits]; by default [DefaultIdempotencyEntries]
//     answers and [DefaultIdempotencyBytes] bytes for all organizations
//     together): then the organization using the most of it loses its
//     oldest answers first, so one organization's flood evicts its own
//     answers before another's. A key whose answer was dropped is new
//     again; a request still in flight is never dropped.
//   - Fault delays run on real timers (or a synctest bubble's), not on
//     [WithClock]. On HTTP/2, where a connection cannot be hijacked, a
//     disconnect resets the stream instead.
//   - A state file holds the agents only: not the journal, the faults, the
//     idempotency memory or the rate-limit buckets.
//
// # Performance
//
// Each organization's agents are indexed by order-statistic trees (all
// agents, each mode, each user's private agents), so one list page costs
// O(log n + limit) for every role and filter, a member's view (public
// agents merged with their own private ones) included. Each agent's JSON is
// encoded once, when it changes: a GET copies bytes. A stored agent costs
// well under 1 KiB. A create body that is plainly valid (known fields, each
// once, no null, no \u escape) is judged by package agents alone; any
// other is judged by package validate as well, which finds every failing
// field. The answer is the same either way.
//
// Memory is bounded whatever the traffic: the journal by
// [WithJournalSize] and [WithJournalBytes], the idempotency memory by
// [WithIdempotencyLimits] in all, the tenants by [WithMaxTenants], and
// each request body by 1 MiB and [WithBodyTimeout]. Only the agents, and
// the fault rules a test adds (until they are used up, cleared or reset),
// grow without bound.
//
// # The standalone binary
//
// fake/cmd/talkifai-fake serves the same fake for tests in other
// languages, or for many test processes at once, with the control
// endpoints POST /_fake/reset, GET /_fake/requests, GET, POST and DELETE
// /_fake/faults, POST /_fake/tenants and DELETE /_fake/tenants/{org}, and
// -state to keep agents across restarts:
//
//	go run ./fake/cmd/talkifai-fake -state agents.json
//	curl -H 'Authorization: Bearer tk_test_acme_owner' 127.0.0.1:8080/v1/agents
package fake
