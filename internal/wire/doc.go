// Package wire holds the Agents API's wire format, defined once for the
// client and the fake: envelopes, the error body, pagination, error codes,
// header names, paths and limits (see docs/api.md).
package wire
