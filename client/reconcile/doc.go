// Package reconcile keeps a folder of agent specs and the agents of an
// organization in step: it loads and validates the folder, plans what
// would change, and applies the plan, recording what it applied in a lock.
//
// A folder holds one spec file per agent at its top level, KEY.yaml,
// KEY.yml or KEY.json, whose content is the create body of the API
// (with systemPromptFile as the one extension: the prompt read from a
// file beside the spec). [Load] reads it and reports every problem of
// every file at once, each at its file, line and column. The spec is the
// whole truth for its agent: what it leaves out has the create default,
// so a field set on the live agent and absent from the spec is cleared.
//
// The lock (talkifai.lock.json, or talkifai.ENV.lock.json for one of
// several organizations) records, for each key, the agent's id and the
// body last applied. It is read and written through [LockStore], so a
// service can keep it in its own database; [FileStore] keeps it in the
// folder, written atomically after every completed operation.
//
// [Engine.Plan] compares, for every key, the spec, the lock and the live
// agent, and sends no write. [Engine.Apply] carries a plan out. Creates are
// crash-safe: before a create is sent, a pending entry with a fresh random
// Idempotency-Key and the body is written to the lock, so a run that dies
// between the create and the write of its id finds the agent on the next
// run (or replays the create with the same key) instead of creating a
// second one. Fields that someone changed on the live agent since the last
// apply are marked as drift in the plan.
//
// Every call the engine makes to the API goes through the *client.Client
// it is given; it makes no request of its own.
package reconcile
