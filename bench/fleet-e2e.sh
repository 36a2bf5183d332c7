#!/usr/bin/env bash
# End-to-end run of the Physical API (docs/RESULTS.md section 15.1): a server, three robot agents in
# their own processes, a markdown job, episodes uploaded into the server's datasets.
# Usage: bench/fleet-e2e.sh [OUT_DIR]   (default out/fleet-e2e; port 7080)
set -uo pipefail
cd "$(dirname "$0")/.."
E=${1:-out/fleet-e2e}; rm -rf "$E"; mkdir -p "$E"
./wam4j --version > /dev/null    # build once before starting several processes
./wam4j serve --port 7080 --data "$E/data" > "$E/serve.out" 2> "$E/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for i in $(seq 1 60); do curl -sf http://localhost:7080/api/v1/health > /dev/null && break; sleep 1; done
OP=$(cat "$E/data/operator.token")
for i in 1 2 3; do ./wam4j fleet enroll arm-$i --group shift --server http://localhost:7080 --token "$OP" --json > "$E/enroll-$i.json"; done
./wam4j fleet submit docs/examples/morning-shift.md --server http://localhost:7080 --token "$OP"
for i in 1 2 3; do
  T=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['token'])" "$E/enroll-$i.json")
  ./wam4j robot --server http://localhost:7080 --token "$T" --outbox "$E/robot-$i/outbox" --model-cache "$E/robot-$i/models" \
    --idle-exit-ms 5000 > "$E/robot-$i.out" 2> "$E/robot-$i.err" &
done
./wam4j fleet watch 1 --server http://localhost:7080 --token "$OP"
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null
./wam4j fleet datasets --server http://localhost:7080 --token "$OP"
./wam4j fleet robots --server http://localhost:7080 --token "$OP"
