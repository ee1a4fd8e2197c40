#!/usr/bin/env bash
# Context GET and 10-field action POST requests/s against a locally started server, with wrk.
# Usage: handshake-bench/scripts/http-load.sh [seconds] [connections]
# Needs: wrk (Debian package 'wrk'), a JDK >= 21 as java, the server jar built
# (./mvnw -q -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${2:-64}; port=${PORT:-18181}
jar=handshake-server/target/handshake.jar
java -Xmx1g -jar "$jar" serve --port "$port" --rate-limit 0 --no-demo >/tmp/handshake-load.log 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
body=$(python3 -c 'import json;print(json.dumps({"mode":"form-fill","schema":[{"key":f"field{i}","type":"string","label":f"Field {i}"} for i in range(10)],"context":{f"field{i}":None for i in range(10)}}))')
resp=$(curl -s -X POST "http://127.0.0.1:$port/handshake/session" -H "Origin: http://127.0.0.1:$port" -d "$body")
sid=$(echo "$resp" | python3 -c 'import json,sys;print(json.load(sys.stdin)["sessionId"])')
tok=$(echo "$resp" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
action=$(python3 -c 'import json;print(json.dumps({"actions":[{"type":"set","key":f"field{i}","value":f"value {i}"} for i in range(10)],"stream":False,"intervalMs":0}))')
lua=$(mktemp --suffix .lua)
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["X-Handshake-Token"] = "%s"\n' "$action" "$tok" > "$lua"
echo "== warm-up"; wrk -t2 -c"$conns" -d3s -H "X-Handshake-Token: $tok" "http://127.0.0.1:$port/handshake/context/$sid" >/dev/null
echo "== context GET"; wrk -t2 -c"$conns" -d"${secs}s" -H "X-Handshake-Token: $tok" "http://127.0.0.1:$port/handshake/context/$sid"
echo "== action POST (10 fields, stream off)"; wrk -t2 -c"$conns" -d"${secs}s" -s "$lua" "http://127.0.0.1:$port/handshake/action/$sid"
rm -f "$lua"
