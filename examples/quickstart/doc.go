// Command quickstart runs the whole agent lifecycle and prints a transcript:
// it creates one agent of each architecture, reads one back, activates it
// and changes its prompt, lists the agents with the iterator, shows a
// validation error with every failing field, and deletes what it made.
//
// With no environment it starts the embedded fake on loopback, so it needs
// no account and no network:
//
//	go run ./examples/quickstart
//
// With TALKIFAI_API_KEY set (and optionally TALKIFAI_BASE_URL) it runs
// against that server instead, names its agents with a unique prefix, and
// deletes them at the end even when a step fails.
package main
