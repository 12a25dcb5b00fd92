// Package curlline reads the curl command lines a README shows, so that a
// test can send them and the README cannot go stale: [Words] splits a line
// as a shell would, and [Request] builds the request curl would send.
// Only what the README's lines use is understood; anything else is an
// error, so that a new kind of line is noticed.
package curlline
