// Command pagination lists thousands of agents with the client's iterator:
// all of them, the first few with break, and one mode only. It runs against
// the embedded fake and counts the pages it fetched from the fake's request
// journal.
//
//	go run ./examples/pagination
package main
