// Command duplicates measures what lost answers do to creates. It sends the
// same 200 creates through three clients to a fake that loses every other
// answer after the agent was stored (alternately a 502 and a dropped
// connection, both injected with "after" faults), and counts the agents
// that result:
//
//   - a naive retrying client (go-retryablehttp's defaults, which retry a
//     POST on 5xx and on connection errors, with no Idempotency-Key);
//
//   - this module's client as it comes (it does not retry a POST whose
//     answer was lost, and says so with an error);
//
//   - this module's client with client.WithPOSTRetries (it retries, with
//     the same Idempotency-Key, and the server replays the first answer).
//
//     go run ./examples/duplicates
package main
