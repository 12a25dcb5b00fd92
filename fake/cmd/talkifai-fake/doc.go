// Command talkifai-fake runs the fake TalkifAI Agents API of package fake
// as a standalone server, for tests written in any language.
//
//	go run ./fake/cmd/talkifai-fake -addr 127.0.0.1:8080
//	curl -H 'Authorization: Bearer tk_test_acme_owner' 127.0.0.1:8080/v1/agents
//
// Flags:
//
//	-addr HOST:PORT    where to listen (default 127.0.0.1:8080; port 0 picks one)
//	-clock RFC3339     freeze the clock at that instant (2024-01-15T10:30:00Z)
//	-ids MODE          agent ids: random (the default) or sequential
//	                   (agent_0000000000000001, ...)
//	-keys FILE         a JSON array of {"key","org","user","role","tier"} that
//	                   replaces the default keys (-h shows an example)
//	-log-level LEVEL   debug, info, warn or error (default info)
//	-max-tenants N     most tenants held at once (default 1000)
//	-rate-limits       enforce the rate limits of each key's tier
//	-state FILE        load the agents from FILE at start, if it exists, and
//	                   write them back on SIGINT and SIGTERM
//
// With -ids sequential and -clock, the same requests get the same bytes on
// every run, so transcripts and golden files in any language stay stable.
//
// Many test processes can share one fake: each makes a tenant (POST
// /_fake/tenants answers an organization of its own and four keys), adds
// faults scoped to it ("org" in the rule), reads its journal
// (GET /_fake/requests?org=) and resets it (POST /_fake/reset?org=)
// without touching the others, and removes it at the end
// (DELETE /_fake/tenants/{org}). Tenants are not saved by -state.
//
// Once it listens, it prints its base URL ("http://127.0.0.1:PORT") as one
// line on standard output, so that a script that asked for port 0 learns
// the port. It logs to standard error, one line per request (method, path,
// status, duration, request id; never the API key). It stops
// cleanly on SIGINT and SIGTERM with exit status 0; a bad flag, key file
// or state file (or a state file in a directory that does not exist or
// cannot be written) exits with status 2 before serving, a failure to
// listen or to save the state with 1.
//
// It warns at start when it listens beyond loopback (-addr :0, 0.0.0.0, a
// public address): the /_fake/ control endpoints need no key, so anyone
// who can reach the address can reset the fake or read its journal.
//
// Timeouts: a request's headers must arrive within 10 s of its first byte
// (on a new connection, of connecting) and a request body within 30 s of
// its handler starting (else 400 INVALID_JSON, and the connection is
// closed); a keep-alive connection idle for 60 s is closed. The header and
// idle timeouts fire up to 2 s late, never early. There is no write timeout, so a fault's delayMs (up to 10
// minutes) is served in full, and a test paused in a debugger loses at
// most an idle connection, which clients open again.
//
// The state file is written atomically (a temporary file in the same
// directory, synced, then renamed over it), so a crash never leaves half a
// file; the temporary files of a save cut short by SIGKILL are removed at
// the next start. A state file that cannot be read or is not a saved
// state stops the start, and is never overwritten.
package main
