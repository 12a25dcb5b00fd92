// Package wire holds the Agents API's wire format, defined once for the
// client and the fake: envelopes, the error body, pagination, error codes,
// header names, paths and limits (API contract, sections 1, 2 and 5).
package wire
