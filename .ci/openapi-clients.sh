#!/usr/bin/env bash
# Clients in other languages start from the fake's GET /openapi.json. This
# step generates Go clients from it, as a new user would, with ogen and
# oapi-codegen (each run by `go run MODULE@VERSION` in a scratch module of
# its own under a temporary directory, so the library's go.mod gains
# nothing), and runs the API's lifecycle through each against the
# standalone fake: every call must decode into its typed response. Then it
# lints the document with Redocly where npm is available: no error, no
# warning. It fails if a generator refuses the document, a client does not
# build, or a call fails.
set -euo pipefail
cd "$(dirname "$0")/.."

OGEN=github.com/ogen-go/ogen/cmd/ogen@v1.24.0
OAPI_CODEGEN=github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2
REDOCLY=@redocly/cli@2.77.0

work=$(mktemp -d)
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# get URL prints the body of a GET, with curl or, on a machine without
# it, with bash alone (the fake speaks HTTP/1.0).
get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS "$1"
    return
  fi
  local rest=${1#http://} hostport path
  hostport=${rest%%/*}
  path=/${rest#*/}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}

echo "== standalone fake"
go build -o "$work/talkifai-fake" ./fake/cmd/talkifai-fake
"$work/talkifai-fake" -addr 127.0.0.1:0 -rate-limits -log-level warn >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
url=
for _ in $(seq 100); do
  # The file may not exist yet: the fake's shell opens it.
  url=$(head -n 1 "$work/fake.out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "the fake did not start:"; cat "$work/fake.err"; exit 1
fi
get "$url/openapi.json" >"$work/openapi.json"
echo "$url, $(wc -c <"$work/openapi.json") bytes of /openapi.json"

# lifecycle NAME GENERATE...: copies .ci/openapi/NAME (a module with the
# lifecycle's main.go and its pinned dependencies) and the shared helpers
# into a scratch directory, generates package api there, builds and runs.
lifecycle() {
  local name=$1; shift
  local mod=$work/$name
  cp -r ".ci/openapi/$name" "$mod"
  cp .ci/openapi/common.go "$work/openapi.json" "$mod/"
  (
    cd "$mod"
    "$@"
    go build -o lifecycle .
    ./lifecycle "$url"
  )
}

echo "== ogen ($OGEN)"
# ogen warns that X-RateLimit-Limit is spelled X-Ratelimit-Limit in Go's
# canonical form; header names are case-insensitive, so that is noise.
lifecycle ogen bash -c "set -o pipefail; go run $OGEN -config ogen.yml -target api -package api -clean openapi.json 2>&1 | { grep -v 'is not canonical' || true; }"

echo "== oapi-codegen ($OAPI_CODEGEN)"
lifecycle oapi go run "$OAPI_CODEGEN" -config oapi-codegen.yaml openapi.json

if command -v npm >/dev/null 2>&1; then
  echo "== Redocly lint ($REDOCLY)"
  export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
  (cd "$work" && npx --yes "$REDOCLY" lint --format=json openapi.json >lint.json 2>lint.err) || true
  node -e '
    const r = require(process.argv[1]);
    for (const p of r.problems) console.log(p.severity, p.ruleId, p.message, JSON.stringify(p.location));
    console.log(`errors ${r.totals.errors}, warnings ${r.totals.warnings}`);
    process.exit(r.totals.errors + r.totals.warnings === 0 ? 0 : 1);
  ' "$work/lint.json" || { cat "$work/lint.err"; exit 1; }
else
  echo "== Redocly lint: skipped, no npm on this machine"
fi
