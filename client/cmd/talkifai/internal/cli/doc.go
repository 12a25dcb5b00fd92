// Package cli is the talkifai command: one file per command, each with an
// Options struct (its flags, the streams and the client constructor it was
// given) and a run function that does the work, so that tests drive a
// command without starting a process.
//
// Exit statuses: 0 success (and, for plan --detailed-exitcode, no
// changes), 1 any error (a usage error included, so that 2 keeps one
// meaning), 2 plan --detailed-exitcode with changes.
package cli
