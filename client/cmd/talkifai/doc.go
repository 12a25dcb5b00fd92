// Command talkifai manages TalkifAI agents as code: it keeps a folder of
// agent specs (agents/KEY.yaml, KEY.yml or KEY.json) and the agents of an
// organization in step, and records what it applied in a lock file.
//
// Install it with
//
//	go install github.com/talkifai-go/talkifai/client/cmd/talkifai@latest
//
// Usage:
//
//	talkifai validate [DIR]          check every spec file, offline: FILE:LINE:COL: FIELD: message
//	talkifai plan [DIR]              show what apply would change (--json, --out FILE, --detailed-exitcode)
//	talkifai apply [DIR]             make it so (--plan FILE, --dry-run, --prune, --fail-on-drift, --recreate-missing)
//	talkifai pull [DIR]              write a spec for every live agent not in the lock, and lock it
//	talkifai import KEY ID           lock one existing agent under KEY and write its spec (or keep KEY's spec)
//	talkifai mv OLD NEW              rename a key (spec file and lock entry); no request, no API key
//	talkifai agents list|get|delete  the plain endpoints, as a table or -o json
//
// DIR defaults to agents. The API key is read from TALKIFAI_API_KEY and the
// server from TALKIFAI_BASE_URL. The lock is DIR/talkifai.lock.json, or
// DIR/talkifai.ENV.lock.json with --env ENV, so that one folder deploys to
// several organizations.
//
// plan --json prints the plan in the form that plan.schema.json, beside
// this file, describes.
//
// Exit status: 0 success (for plan --detailed-exitcode, no changes); 1 an
// error, a usage error included; 2 changes (plan --detailed-exitcode).
// Output is coloured only when standard output is a terminal (and NO_COLOR
// is not set), and apply draws its progress only when standard error is one.
package main
