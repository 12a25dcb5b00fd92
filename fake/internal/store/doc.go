// Package store holds the fake's agents: records that keep their encoded
// JSON, found by id, and per organization the indexes that make a list
// page cost O(log n + limit) for every filter and every role.
//
// The fake's HTTP layer speaks to it through [Store]; [NewMemory] returns
// the one implementation, in memory. The store knows nothing of HTTP,
// keys or validation: it keeps what it is given and answers in list
// order (newest createdAt first, ties broken by creation order, newest
// first).
package store
