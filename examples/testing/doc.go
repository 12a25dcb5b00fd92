// Package provisioner is an example of the kind of service users write on
// talkifai-go, with its tests on the fake (see provisioner_test.go): it
// gives every customer of a business exactly one support agent.
//
// It is safe to call Provision again after any failure, even one where the
// create reached the server and only the answer was lost: Provision first
// looks for the customer's agent by name, and creates one only when there
// is none.
package provisioner
