// Package reconcile keeps a folder of agent specs and the agents of an
// organization in step: it loads and validates the folder, plans what
// would change, and applies the plan, recording what it applied in a lock.
// It is the engine of the talkifai command's plan and apply, and a library
// for services that provision agents for their own customers.
//
// # Specs
//
// A folder holds one spec file per agent at its top level: KEY.yaml,
// KEY.yml or KEY.json, where KEY (see [ValidKey]) is the agent's identity
// in the folder. Lock files, subfolders and other files are not specs. The
// content is the create body of the API, with one extension:
// systemPromptFile, a path inside the folder whose content is the prompt
// (UTF-8; a leading BOM removed, CRLF read as LF, one trailing newline
// removed). YAML is read as JSON data: tags, anchors and aliases are
// refused. [Load] reports every problem of every file at once, each at the
// file, line and column of the value at fault.
//
// The spec is the whole truth for its agent: a field it leaves out has the
// create default, so a field set on the live agent and absent from the
// spec is cleared on apply ([agents.Diff] makes the patch).
//
// # The lock
//
// The lock (talkifai.lock.json, or talkifai.ENV.lock.json per
// environment, see [LockFileName]) records, for each key, the agent's id
// and the body last applied, and the base URL it belongs to. The engine
// reads and writes it through [LockStore], so a service can keep it in its
// own database; [FileStore] keeps it in the folder, writes it atomically
// after every completed operation, refuses to write over a serial that
// moved, and refuses a second run while one holds it.
//
// # Plan
//
// [Engine.Plan] compares, for every key, the spec, the lock entry and the
// live agent, sending reads only, and says one [Action] per key: create,
// no change (perhaps refreshing the lock), update (the exact patch, each
// field changed outside since the last apply marked as drift), missing,
// pending, orphaned, gone, or error. A [Plan] prints for people with
// [Plan.WriteText] and encodes as JSON for programs; saved, it carries a
// digest of everything it was made from, and applying it is refused once
// any of that changed.
//
// # Apply
//
// [Engine.Apply] carries out a fresh plan (or a saved one), running
// independent keys concurrently (4 at once by default), and reports one
// [Outcome] per key. Creates are crash-safe: before a create is sent, a
// pending entry with a fresh random Idempotency-Key and the body is
// written to the lock. A run that dies between the create and the write of
// its id leaves the pending entry, and the next run looks for the agent
// (adopting it when exactly one fits, stopping when several do) or, when
// none fits, sends the create again with the same key, which a server that
// honours keys answers with the first create's agent. Orphaned agents are
// deleted only with Prune, missing ones recreated only with
// RecreateMissing, and FailOnDrift refuses to overwrite changes made
// outside.
//
// [Engine.Import] and [Engine.Pull] adopt existing agents into the folder
// (with [WriteSpec] and [KeyFromName]); a second Pull finishes one cut
// short. [Move] renames a key, in the folder and the lock alone.
//
// Every request goes through the *client.Client the engine is given, and
// the lock records that client's base URL.
package reconcile
