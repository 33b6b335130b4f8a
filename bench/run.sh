#!/usr/bin/env bash
# Runs the benchmark suite and writes docs/benchmarks.md (or, with --smoke, a short run whose
# report goes to .build/bench/smoke.md and whose timings are not checked).
#
#   bash bench/run.sh            full run, about 20 minutes on 2 cores
#   bash bench/run.sh --smoke    every scenario for a few seconds, for CI
#   bash bench/run.sh --no-1m    full run without the 1-million-invoice growth step
#   bash bench/run.sh --no-build use the jars already built
#
# It builds the apps and the load generator, sets up PostgreSQL with deploy/pg-setup.sh, empties the
# database BENCH_DB_NAME (default malipo_bench), starts the api, ussd-channel and admin-ui apps from
# their jars with the Daraja simulator replying at once and webhooks going to a local receiver,
# runs the scenarios, and stops everything it started. All traffic stays on 127.0.0.1.
#
# Environment: BENCH_DB_NAME, BENCH_PORT_BASE (default 8401; the apps, the receiver and the
# load generator use the next 4 ports), BENCH_CONNECTIONS (default 8, for closed-loop runs and
# pgbench -c), BENCH_JVM_OPTS (the apps' JVM flags, default below), and DB_HOST, DB_PORT, DB_USER,
# DB_PASSWORD as for deploy/pg-setup.sh.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

mode=full
build=1
growth_1m=1
for arg in "$@"; do
  case $arg in
    --smoke) mode=smoke ;;
    --no-build) build=0 ;;
    --no-1m) growth_1m=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $arg; use --smoke, --no-build, --no-1m or --help" >&2; exit 2 ;;
  esac
done

export DB_HOST=${DB_HOST:-127.0.0.1}
export DB_PORT=${DB_PORT:-5432}
export DB_USER=${DB_USER:-malipo}
export DB_PASSWORD=${DB_PASSWORD:-malipo}
bench_db=${BENCH_DB_NAME:-malipo_bench}
if [[ $bench_db == malipo || $bench_db == malipo_test || $bench_db == postgres || $bench_db == template* ]]; then
  echo "bench: BENCH_DB_NAME=$bench_db would empty a demo, test or system database; choose another name" >&2
  exit 2
fi
port_base=${BENCH_PORT_BASE:-8401}
api_port=$port_base
ussd_port=$((port_base + 1))
receiver_port=$((port_base + 2))
admin_port=$((port_base + 3))
api_url=http://127.0.0.1:$api_port

# Checks before anything is built or emptied: the four ports are free, and no other run uses the
# database. A server already on a port would otherwise take the run's load, or its readiness
# check would pass for an app that never started.
for port in "$api_port" "$ussd_port" "$receiver_port" "$admin_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port on 127.0.0.1 is in use; stop what listens there or set BENCH_PORT_BASE" >&2
    exit 2
  fi
done
lock_file=${TMPDIR:-/tmp}/malipo-bench-$bench_db.lock
exec 9>"$lock_file"
if ! flock -n 9; then
  echo "bench: another run is using database $bench_db ($lock_file); wait for it or set BENCH_DB_NAME" >&2
  exit 2
fi
connections=${BENCH_CONNECTIONS:-8}
# A small heap, code cache and thread stacks, and the serial collector, keep each app's resident
# memory low. MALLOC_ARENA_MAX=2 stops glibc from giving each of the many worker threads its own
# malloc arena, which added tens of MB of resident memory under load. TieredStopAtLevel=1 compiles
# with C1 only: on 2 cores the C2 compiler took a fifth of the api's CPU in the first minutes of
# load and its memory pushed the api near 300 MB. bench/analysis.md compares both.
jvm_opts=${BENCH_JVM_OPTS:--Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

# Durations in seconds and open-loop rates per second. The full run's rates are those at which
# docs/benchmarks.md states the latency targets.
if [[ $mode == smoke ]]; then
  warmup=0.5 closed_s=2 open_s=2 pgbench_s=2 growth_s=2
  push_rate=50 status_rate=100 callback_rate=50 e2e_rate=20 ussd_rate=25
  status_pool=2000 callback_pool=400 pgbench_callback_pool=5000 growth_small=1000 growth_large=0 status_growth=500
  idle_wait=0.5 e2e_drain=10 drain_limit=10
  report=$repo_root/.build/bench/smoke.md
else
  warmup=3 closed_s=20 open_s=20 pgbench_s=20 growth_s=15
  push_rate=500 status_rate=1000 callback_rate=500 e2e_rate=200 ussd_rate=100
  status_pool=20000 callback_pool=40000 pgbench_callback_pool=150000 growth_small=10000 growth_large=1000000
  status_growth=2000
  ((growth_1m)) || growth_large=0
  idle_wait=5 e2e_drain=30 drain_limit=180
  report=$repo_root/docs/benchmarks.md
fi

work=$repo_root/.build/bench
mkdir -p "$work"
# A failed smoke run must not leave the last run's report looking current.
if [[ $mode == smoke ]]; then
  rm -f "$report"
fi
results=$work/results.tsv
: >"$results"
notes=$work/notes.txt
: >"$notes"
pids=()

log() { echo "bench: $*" >&2; }

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT

psql_bench() {
  PGPASSWORD=$DB_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$bench_db" "$@"
}

# ---------------------------------------------------------------------------------------------
# Build
app_jar_missing() {
  [[ ! -f api/target/quarkus-app/quarkus-run.jar || ! -f ussd-channel/target/quarkus-app/quarkus-run.jar ||
    ! -f admin-ui/target/quarkus-app/quarkus-run.jar ]]
}
jar_missing() {
  app_jar_missing || [[ ! -f bench/target/malipo-bench-0.1.0-SNAPSHOT.jar ]]
}
# A smoke run builds the apps only when a jar is missing, because CI runs it right after mvn verify
# has packaged them.
if ((build)); then
  if [[ $mode == full ]] || app_jar_missing; then
    log "building the apps (mvn package -DskipTests)"
    mvn -B -ntp -q package -DskipTests -pl api,ussd-channel,admin-ui -am
  fi
  log "building the load generator (mvn -f bench/pom.xml package)"
  mvn -B -ntp -q -f bench/pom.xml package -DskipTests
fi
jar_missing && { log "a jar is missing; run without --no-build"; exit 1; }
loadgen=(java -Xmx256m -cp "bench/target/malipo-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" co.malipo.bench.LoadGen)

# ---------------------------------------------------------------------------------------------
# Database: a fresh schema, migrated by the api app at its start
DB_NAME=malipo DB_TEST_NAME=$bench_db bash deploy/pg-setup.sh >&2
psql_bench -c "SET client_min_messages = warning" \
  -c "DROP SCHEMA IF EXISTS bench CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"

# ---------------------------------------------------------------------------------------------
# Processes
"${loadgen[@]}" receiver --port "$receiver_port" >"$work/receiver.log" 2>&1 &
pids+=($!)

rss_mb() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# launch_app NAME JAR PORT [JVM system properties...] starts an app in the background, and
# await_app NAME PORT waits for its /q/health/ready and records the startup time and, idle_wait
# seconds later, its idle resident memory.
declare -A app_pid app_started
launch_app() {
  local name=$1 jar=$2 port=$3
  shift 3
  app_started[$name]=$(date +%s%N)
  # shellcheck disable=SC2086
  DB_NAME=$bench_db java $jvm_opts -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 "$@" \
    -jar "$jar" >"$work/$name.log" 2>&1 &
  app_pid[$name]=$!
  pids+=($!)
}
await_app() {
  local name=$1 port=$2 ready=''
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; then
      ready=$(date +%s%N)
      break
    fi
    kill -0 "${app_pid[$name]}" 2>/dev/null || { log "$name exited at start; see $work/$name.log"; exit 1; }
    sleep 0.1
  done
  [[ -n $ready ]] || { log "$name was not ready within 60 s; see $work/$name.log"; exit 1; }
  local startup_ms=$(((ready - app_started[$name]) / 1000000))
  local quarkus_s
  quarkus_s=$(grep -o 'started in [0-9.]*s' "$work/$name.log" | head -n 1 | grep -o '[0-9.]*' || echo "?")
  sleep "$idle_wait"
  printf '%s\t%s\t%s\t%s\n' "$name" "$startup_ms" "$quarkus_s" "$(rss_mb "${app_pid[$name]}" VmRSS)" >>"$work/startup.tsv"
  log "$name ready on port $port after $startup_ms ms"
}
: >"$work/startup.tsv"

launch_api() {
  launch_app api api/target/quarkus-app/quarkus-run.jar "$api_port" \
    -Dmalipo.api.host="$api_url" \
    -Dmalipo.callback.simulator-base-url="$api_url" \
    -Dmalipo.daraja.accounts.simulator.base-url="$api_url/simulator/daraja" \
    -Dmalipo.simulator.callback-delay=0s \
    -Dmalipo.demo.seed=true \
    -Dmalipo.api.push-limit-per-key=0 -Dmalipo.api.push-limit-per-phone=0 -Dmalipo.api.status-limit-per-key=0 \
    -Dmalipo.sms.simulator-enabled=true \
    -Dmalipo.sms.sandbox-base-url="$api_url/simulator/africastalking" \
    -Dmalipo.sms.username=sandbox -Dmalipo.sms.api-key=simulator-at-api-key-not-a-secret
}
# Every app that contains core runs its push worker, status poller and SMS sender. The ussd-channel
# app gets the api app's simulators for Daraja and Africa's Talking, as the api app does.
launch_ussd() {
  launch_app ussd-channel ussd-channel/target/quarkus-app/quarkus-run.jar "$ussd_port" \
    -Dmalipo.ussd.callback-token=bench-ussd-token -Dmalipo.ussd.request-limit-per-phone=0 \
    -Dmalipo.api.host="$api_url" \
    -Dmalipo.callback.simulator-base-url="$api_url" \
    -Dmalipo.daraja.accounts.simulator.base-url="$api_url/simulator/daraja" \
    -Dmalipo.sms.sandbox-base-url="$api_url/simulator/africastalking" \
    -Dmalipo.sms.username=sandbox -Dmalipo.sms.api-key=simulator-at-api-key-not-a-secret
}
# admin-ui's prod configuration already turns its push worker, status poller and SMS sender off.
# The run sets them off again, so that a changed default cannot make admin-ui claim the run's pushes.
launch_admin() {
  launch_app admin-ui admin-ui/target/quarkus-app/quarkus-run.jar "$admin_port" \
    -Dmalipo.push.poll-interval=off -Dmalipo.reconcile.poll-interval=off -Dmalipo.sms.poll-interval=off
}
# The api app migrates the database, so it must be ready before the others start. A full run starts
# the other two one at a time, so that neither startup time includes the other's. A smoke run starts
# them together.
launch_api
await_app api "$api_port"
if [[ $mode == smoke ]]; then
  launch_ussd
  launch_admin
  await_app ussd-channel "$ussd_port"
  await_app admin-ui "$admin_port"
else
  launch_ussd
  await_app ussd-channel "$ussd_port"
  launch_admin
  await_app admin-ui "$admin_port"
fi

# ---------------------------------------------------------------------------------------------
# Fixtures: the demo merchant, which the api app seeds, gets a webhook endpoint at the receiver and
# a USSD business number. bench/sql/fixtures.sql adds the pgbench merchant and the invoice generator.
secret=ISSecretKey_test_DemoShopSecretKey0000000000000000
public=ISPubKey_test_DemoShopPublicKey00000000000000000
psql_bench -f bench/sql/fixtures.sql
curl -fsS -o /dev/null -X POST "$api_url/api/v1/webhooks/" -H "Authorization: Bearer $secret" \
  -H "Content-Type: application/json" \
  -d "{\"endpoint\": \"http://127.0.0.1:$receiver_port/hook\", \"challenge\": \"bench\"}"
psql_bench -c "INSERT INTO channel_businesses (business_number, merchant_id, environment, display_name)
  VALUES ('7401', 'MRC_DEMO', 'TEST', 'Bench Shop') ON CONFLICT DO NOTHING"

make_invoices() { # merchant id_prefix first last state token_prefix
  psql_bench -t -A -c "SELECT bench.make_invoices('$1', '$2', $3, $4, '$5', '$6')" >/dev/null
}
make_invoices MRC_DEMO BST 1 "$status_pool" COMPLETE bst
make_invoices MRC_PGBENCH PCB 1 "$pgbench_callback_pool" PROCESSING pgbcb
psql_bench -c "SET client_min_messages = error" -c "ANALYZE"

# ---------------------------------------------------------------------------------------------
# Measurements
record_memory() { # appends the peak resident memory so far of each app after a scenario
  local name
  for name in api ussd-channel admin-ui; do
    printf '%s\t%s\t%s\n' "$1" "$name" "$(rss_mb "${app_pid[$name]}" VmHWM)" >>"$work/memory.tsv"
  done
}
: >"$work/memory.tsv"

# CPU time, in clock ticks, of each app, of the whole machine (busy and idle), and of each
# PostgreSQL server process as pid:ticks pairs, as one line: api ussd-channel admin-ui busy idle
# pid:ticks,pid:ticks,... The report counts a PostgreSQL process only when it is alive at both ends
# of a run, so connections that open or close in between never give a negative or inflated figure.
cpu_ticks() {
  local name ticks=() pg='' pid value
  for name in api ussd-channel admin-ui; do
    ticks+=("$(awk '{ print $14 + $15 }' "/proc/${app_pid[$name]}/stat" 2>/dev/null || echo 0)")
  done
  for pid in $(pgrep -u postgres 2>/dev/null); do
    value=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && pg+="${pg:+,}$pid:$value"
  done
  awk -v apps="${ticks[*]}" -v pg="${pg:-none}" \
    '$1 == "cpu" { printf "%s %d %d %s\n", apps, $2 + $3 + $4 + $7 + $8 + $9, $5 + $6, pg; exit }' /proc/stat
}
# A load generator run's CPU is counted from its start until the background work it caused has
# drained: cpu_close runs in wait_idle, before pgbench and before the next run.
cpu_label='' cpu_start=''
cpu_close() {
  [[ -n $cpu_label ]] || return 0
  local ok
  ok=$(awk -F'\t' 'END { print $5 }' "$results")
  printf '%s\t%s\t%s\t%s\t%s\tgateway\n' "$cpu_label" "$ok" "$cpu_start" "$(cpu_ticks)" "$(getconf CLK_TCK)" \
    >>"$work/cpu.tsv"
  cpu_label=''
}
: >"$work/cpu.tsv"

loadgen_run() { # label target mode [options]
  local label=$1 target=$2 run_mode=$3
  shift 3
  cpu_close
  log "$label: $target $run_mode $*"
  cpu_label="$label, $run_mode" cpu_start=$(cpu_ticks)
  "${loadgen[@]}" run --label "$label" --target "$target" --mode "$run_mode" --warmup "$warmup" --out "$results" "$@" >&2
}

# Phone prefixes keep every push of every run on its own phone (2547{prefix}{6 digits}).
# next_phone_prefix sets prefix; it is not called in a subshell, so the counter advances.
prefix=9
next_phone_prefix() { prefix=$((prefix + 1)); }
# Every callback run gets its own pool of PROCESSING invoices.
callback_run=0
callback_pool() { # count -> sets pool_token
  callback_run=$((callback_run + 1))
  pool_token=cb$(printf '%02d' "$callback_run")x
  make_invoices MRC_DEMO "CB$(printf '%02d' "$callback_run")X" 1 "$1" PROCESSING "$pool_token"
}

pgbench_run() { # label script [pgbench options]
  local label=$1 script=$2
  shift 2
  cpu_close
  log "$label: pgbench -c $connections -T $pgbench_s bench/sql/$script"
  local output tps before
  before=$(cpu_ticks)
  output=$(PGPASSWORD=$DB_PASSWORD pgbench -n -M prepared -c "$connections" -j 2 -T "${pgbench_s%.*}" \
    -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@" -f "bench/sql/$script" "$bench_db" 2>&1) ||
    { echo "$output" >&2; log "pgbench failed"; exit 1; }
  echo "$output" >"$work/$label.pgbench.log"
  printf '%s, pgbench\t%s\t%s\t%s\t%s\tpgbench\n' "$label" \
    "$(echo "$output" | awk '/^number of transactions actually processed: / { print $6 }' | cut -d/ -f1)" \
    "$before" "$(cpu_ticks)" "$(getconf CLK_TCK)" >>"$work/cpu.tsv"
  tps=$(echo "$output" | awk '/^tps = / { print $3; exit }')
  local latency failed
  latency=$(echo "$output" | awk '/^latency average = / { print $4 }')
  failed=$(echo "$output" | awk '/^number of failed transactions: / { print $5 }')
  printf '%s\tpgbench\t%s connections\t%s\t-\t%s\t%s\t-\t-\t-\t-\taverage %s ms\n' \
    "$label" "$connections" "$pgbench_s" "${failed:-0}" "$tps" "$latency" >>"$results"
  # The scripts queue their push jobs and deliveries at 'infinity'. Closing them here keeps them out
  # of the workers' queue queries for the rest of the run.
  # Its invoices, and the prepared ones it did not use, are failed for the same reason: open
  # invoices older than 10 minutes are listed as open too long on every status poll.
  psql_bench -c "UPDATE push_jobs SET status = 'DONE' WHERE status = 'QUEUED' AND available_at = 'infinity'" \
    -c "UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now()
        WHERE status = 'PENDING' AND next_attempt_at = 'infinity'" \
    -c "UPDATE invoices SET state = 'FAILED', finished_at = now()
        WHERE merchant_id = 'MRC_PGBENCH' AND state IN ('PENDING', 'PROCESSING')" >/dev/null
}

# Fails the prepared callback invoices that a run did not use, so that they do not stay open.
close_callback_pool() {
  psql_bench -c "UPDATE invoices SET state = 'FAILED', finished_at = now()
    WHERE callback_token LIKE '${pool_token}%' AND state = 'PROCESSING'" >/dev/null
}

# Waits until the apps have no due push jobs, pending webhook deliveries or unapplied callbacks
# left from the scenario before, so that each scenario starts on an idle system. The time it took
# goes to the notes, because a long drain means the background work fell behind the load.
wait_idle() {
  local label=$1 started=$SECONDS backlog
  for _ in $(seq 1 "$drain_limit"); do
    backlog=$(psql_bench -t -A -c "SELECT
        (SELECT count(*) FROM push_jobs WHERE status = 'QUEUED' AND available_at <= now())
      + (SELECT count(*) FROM webhook_deliveries WHERE status IN ('PENDING', 'PROCESSING') AND next_attempt_at <= now())
      + (SELECT count(*) FROM daraja_callbacks WHERE outcome = 'RECEIVED')")
    ((backlog == 0)) && break
    sleep 1
  done
  echo "$label: background work drained in $((SECONDS - started)) s after the load stopped; $backlog items left after that" >>"$notes"
  cpu_close
}

# Scenario 1: STK push accepted
s1() {
  next_phone_prefix
  loadgen_run "1 push" push closed --base "$api_url" --secret "$secret" --phone-prefix "$prefix" \
    --connections "$connections" --seconds "$closed_s"
  wait_idle "1 push (closed loop)"
  pgbench_run "1 push" push.pgbench -D run=1 -D seq=0
  if [[ $mode == full ]]; then
    pgbench_run "1 push, SQL before the round-trip cut" push-before.pgbench -D run=2 -D seq=0
  fi
  next_phone_prefix
  loadgen_run "1 push" push open --base "$api_url" --secret "$secret" --phone-prefix "$prefix" \
    --rate "$push_rate" --seconds "$open_s"
  wait_idle "1 push"
  record_memory "1 push"
}

# Scenario 2: status reads of COMPLETE invoices
s2() {
  loadgen_run "2 status" status closed --base "$api_url" --public "$public" --id-prefix BST --count "$status_pool" \
    --connections "$connections" --seconds "$closed_s"
  pgbench_run "2 status" status.pgbench -D count="$status_pool"
  loadgen_run "2 status" status open --base "$api_url" --public "$public" --id-prefix BST --count "$status_pool" \
    --rate "$status_rate" --seconds "$open_s"
  wait_idle "2 status"
  record_memory "2 status"
}

# Scenario 3: Daraja success callbacks applied to PROCESSING invoices
s3() {
  callback_pool "$callback_pool"
  loadgen_run "3 callback" callback closed --base "$api_url" --token-prefix "$pool_token" --first 1 \
    --last "$callback_pool" --receipt-prefix "R${pool_token^^}" --connections "$connections" --seconds "$closed_s"
  wait_idle "3 callback (closed loop)"
  close_callback_pool
  pgbench_run "3 callback" callback.pgbench
  if [[ $mode == full ]]; then
    pgbench_run "3 callback, SQL before the round-trip cut" callback-before.pgbench
  fi
  callback_pool "$callback_pool"
  loadgen_run "3 callback" callback open --base "$api_url" --token-prefix "$pool_token" --first 1 \
    --last "$callback_pool" --receipt-prefix "R${pool_token^^}" --rate "$callback_rate" --seconds "$open_s"
  wait_idle "3 callback"
  close_callback_pool
  record_memory "3 callback"
}

# Scenario 4: push to COMPLETE webhook at the receiver, end to end
s4() {
  next_phone_prefix
  loadgen_run "4 push to webhook" e2e open --base "$api_url" --secret "$secret" --phone-prefix "$prefix" \
    --receiver "http://127.0.0.1:$receiver_port" --rate "$e2e_rate" --seconds "$open_s" --drain "$e2e_drain"
  if [[ $mode == full ]]; then
    # The same at a tenth of the rate, to show the latency when the pipeline keeps up.
    wait_idle "4 push to webhook at $e2e_rate/s"
    next_phone_prefix
    loadgen_run "4 push to webhook" e2e open --base "$api_url" --secret "$secret" --phone-prefix "$prefix" \
      --receiver "http://127.0.0.1:$receiver_port" --rate $((e2e_rate / 10)) --seconds "$open_s" --drain "$e2e_drain"
  fi
  wait_idle "4 push to webhook"
  record_memory "4 push to webhook"
}

# Scenario 5: USSD steps on the ussd-channel app
s5() {
  next_phone_prefix
  loadgen_run "5 ussd" ussd closed --base "http://127.0.0.1:$ussd_port" --business 7401 \
    --phone-prefix "$prefix" --run c --connections "$connections" --seconds "$closed_s"
  next_phone_prefix
  loadgen_run "5 ussd" ussd open --base "http://127.0.0.1:$ussd_port" --business 7401 \
    --phone-prefix "$prefix" --run o --rate "$ussd_rate" --seconds "$open_s"
  wait_idle "5 ussd"
  record_memory "5 ussd"
}

# Scenario 6: the admin-ui dashboard's invoice list and CSV export. bench/admin-lists.sh times them
# on a million invoices of its own, so this suite records that it did not run them.
s6() {
  printf '6 dashboard\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tnot run here: bash bench/admin-lists.sh times the dashboard and writes docs/admin-timings.md\n' >>"$results"
}

# Scenario 7: scenarios 1 to 3, and 5, in open loop with a given number of invoices in the tables.
# The filler invoices are COMPLETE, each with a timeline row, a webhook event and a delivered
# webhook, as a gateway that has run for a while has them.
growth_step() { # label target_invoice_count
  local label=$1 target=$2 have
  have=$(psql_bench -t -A -c "SELECT count(*) FROM invoices")
  if ((have < target)); then
    local started=$SECONDS
    make_invoices MRC_DEMO "G$(printf '%02d' "$callback_run")F" 1 $((target - have)) COMPLETE "gf$(printf '%02d' "$callback_run")x"
    psql_bench -c "SET client_min_messages = error" -c "VACUUM ANALYZE"
    echo "$label: added $((target - have)) COMPLETE invoices in $((SECONDS - started)) s" >>"$notes"
  fi
  have=$(psql_bench -t -A -c "SELECT count(*) FROM invoices")
  echo "$label: $have invoices before the runs" >>"$notes"
  local pool=$((callback_rate * ${growth_s%.*} + callback_rate * 4))
  callback_pool "$pool"
  next_phone_prefix
  loadgen_run "7 $label push" push open --base "$api_url" --secret "$secret" --phone-prefix "$prefix" \
    --rate "$push_rate" --seconds "$growth_s"
  wait_idle "7 $label push"
  loadgen_run "7 $label status" status open --base "$api_url" --public "$public" --id-prefix BST \
    --count "$status_pool" --rate "$status_rate" --seconds "$growth_s"
  loadgen_run "7 $label callback" callback open --base "$api_url" --token-prefix "$pool_token" --first 1 \
    --last "$pool" --receipt-prefix "R${pool_token^^}" --rate "$callback_rate" --seconds "$growth_s"
  wait_idle "7 $label callback"
  close_callback_pool
  next_phone_prefix
  loadgen_run "7 $label ussd" ussd open --base "http://127.0.0.1:$ussd_port" --business 7401 \
    --phone-prefix "$prefix" --run "g$prefix" --rate "$ussd_rate" --seconds "$growth_s"
  wait_idle "7 $label"
  record_memory "7 $label"
}
s7() {
  # The scenarios above leave hundreds of thousands of invoices, so the small step starts from
  # emptied invoice tables with status_growth COMPLETE invoices for the status reads. Merchants,
  # keys, wallets and endpoints stay. The notes give the count before each step.
  psql_bench -c "TRUNCATE invoices, customers, daraja_callbacks, attention_items, idempotency_keys CASCADE" \
    >/dev/null
  make_invoices MRC_DEMO BST 1 "$status_growth" COMPLETE bst
  status_pool=$status_growth
  growth_step "${growth_small} invoices" "$growth_small"
  if ((growth_large > 0)); then
    growth_step "${growth_large} invoices" "$growth_large"
  else
    echo "7: the 1-million-invoice step was skipped (--no-1m or --smoke)" >>"$notes"
  fi
}

# Warm-up: the JIT compiles the hot paths before the first measured run. Its results are not
# reported, and its pushes and callbacks are drained before scenario 1 starts.
warm_up() {
  [[ $mode == full ]] || return 0
  local started=$SECONDS
  callback_pool 4000
  next_phone_prefix
  "${loadgen[@]}" run --label warm-up --target push --mode closed --warmup 0 --out "$work/warmup.tsv" \
    --base "$api_url" --secret "$secret" --phone-prefix "$prefix" --connections "$connections" --seconds 15 >&2
  "${loadgen[@]}" run --label warm-up --target status --mode closed --warmup 0 --out "$work/warmup.tsv" \
    --base "$api_url" --public "$public" --id-prefix BST --count "$status_pool" --connections "$connections" \
    --seconds 10 >&2
  "${loadgen[@]}" run --label warm-up --target callback --mode closed --warmup 0 --out "$work/warmup.tsv" \
    --base "$api_url" --token-prefix "$pool_token" --first 1 --last 4000 --receipt-prefix "R${pool_token^^}" \
    --connections "$connections" --seconds 5 >&2
  close_callback_pool
  wait_idle "warm-up"
  echo "warm-up: 30 s of closed-loop pushes, status reads and callbacks, not reported, took $((SECONDS - started)) s with its drain" >>"$notes"
}

: >"$work/warmup.tsv"
warm_up
suite_started=$SECONDS
s1
s2
s3
s4
s5
s6
s7
cpu_close
suite_seconds=$((SECONDS - suite_started))
webhooks_received=$(curl -fsS "http://127.0.0.1:$receiver_port/count" || echo "?")

# ---------------------------------------------------------------------------------------------
# Report
final_memory=$(for name in api ussd-channel admin-ui; do
  printf '| %s | %s | %s |\n' "$name" "$(rss_mb "${app_pid[$name]}" VmHWM)" "$(rss_mb "${app_pid[$name]}" VmRSS)"
done)
stop_all
trap - EXIT

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
command_line="bash bench/run.sh${*:+ $*}"
mkdir -p "$(dirname "$report")"

ratio_rows() {
  awk -F'\t' '
    $2 == "pgbench" { limit[$1] = $7 }
    $2 == "closed" { gateway[$1] = $7 }
    END {
      for (s in limit) if (s in gateway && limit[s] > 0)
        printf "| %s | %.0f | %.0f | %.0f%% |\n", s, gateway[s], limit[s], 100 * gateway[s] / limit[s]
    }' "$results" | sort
}

{
  echo "# Benchmarks"
  echo
  if [[ $mode == smoke ]]; then
    echo "Smoke run: every scenario for a few seconds at low rates. The numbers only show that the"
    echo "suite works; they are not measurements."
    echo
  fi
  echo "| | |"
  echo "|---|---|"
  echo "| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| Commit | \`$commit\`$dirty |"
  echo "| Command | \`$command_line\` |"
  echo "| Machine | $(nproc) CPUs ($cpu), $mem memory, $(uname -sr) |"
  echo "| PostgreSQL | $(PGPASSWORD=$DB_PASSWORD psql -X -t -A -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$bench_db" -c 'SHOW server_version') on the same machine |"
  echo "| Java | $(java -version 2>&1 | head -n 1) |"
  echo "| JVM flags of each app | \`$jvm_opts\`, with MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX |"
  echo "| Closed-loop connections and pgbench clients | $connections |"
  echo "| Suite time | $suite_seconds s, $webhooks_received webhook deliveries received |"
  echo
  echo "## Gateway against the database limit (closed loop)"
  echo
  echo "The limit is pgbench running the SQL of the same operation (bench/sql/*.pgbench) with as many"
  echo "clients as the gateway had connections, against the same database in the same run."
  echo
  echo "| Scenario | Gateway per s | pgbench per s | Gateway / pgbench |"
  echo "|---|---|---|---|"
  ratio_rows
  echo
  echo "## All runs"
  echo
  echo "Closed-loop runs give throughput; open-loop runs send at a fixed rate and measure each latency"
  echo "from the request's intended send time. Latencies are in milliseconds. For scenario 4, latency"
  echo "runs from the push's intended send time to the arrival of its COMPLETE webhook."
  echo
  echo "| Scenario | Mode | Load | Seconds | OK | Errors | OK per s | p50 | p90 | p99 | max | Error kinds |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$results"
  echo
  echo "## CPU per request"
  echo
  echo "CPU time in milliseconds per successful request, from the start of each load generator run"
  echo "until the background work it caused had drained (pushes sent, callbacks applied, webhooks"
  echo "delivered). PostgreSQL counts the server processes alive at both ends of the run, of every"
  echo "database on the server. \"Rest\" is every other process on the machine: the load generator, the"
  echo "webhook receiver, connections opened and closed during the run, and the kernel's own work. The"
  echo "last column is the machine's idle share in that time."
  echo "pgbench rows give only the total: pgbench's server processes exit with the run, so their own"
  echo "time cannot be read afterwards, but the machine's busy time includes it."
  echo
  echo "| Run | OK | api | ussd-channel | admin-ui | PostgreSQL | Rest | Total | Idle |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{
      split($3, a, " "); split($4, b, " "); tick = 1000 / $5
      if ($2 + 0 == 0) { printf "| %s | 0 | - | - | - | - | - | - | - |\n", $1; next }
      n = $2
      for (i = 1; i <= 3; i++) d[i] = (b[i] - a[i]) * tick / n
      delete before
      k = split(a[6], pairs, ","); for (j = 1; j <= k; j++) { split(pairs[j], pt, ":"); before[pt[1]] = pt[2] }
      pg = 0; k = split(b[6], pairs, ",")
      for (j = 1; j <= k; j++) { split(pairs[j], pt, ":"); if (pt[1] in before) pg += pt[2] - before[pt[1]] }
      d[4] = pg * tick / n
      busy = (b[4] - a[4]) * tick / n; rest = busy - d[1] - d[2] - d[3] - d[4]
      idle = 100 * (b[5] - a[5]) / ((b[4] - a[4]) + (b[5] - a[5]))
      if ($6 == "pgbench") { printf "| %s | %d | - | - | - | - | - | %.2f | %.0f%% |\n", $1, n, busy, idle; next }
      printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f%% |\n", $1, n, d[1], d[2], d[3], d[4], rest < 0 ? 0 : rest, busy, idle
    }' "$work/cpu.tsv"
  echo
  echo "## Memory"
  echo
  echo "Peak resident memory (VmHWM in /proc/PID/status, MB) of each app after each scenario:"
  echo
  echo "| After | App | Peak MB |"
  echo "|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$work/memory.tsv"
  echo
  echo "At the end of the run:"
  echo
  echo "| App | Peak MB (VmHWM) | Resident MB now (VmRSS) |"
  echo "|---|---|---|"
  echo "$final_memory"
  echo
  echo "## Startup (scenario 8)"
  echo
  echo "Time from launching \`java -jar\` to the first 200 from \`/q/health/ready\`, the start time that"
  echo "Quarkus logs, and the resident memory 5 s after the app was ready, before any load:"
  echo
  echo "| App | Ready after ms | Quarkus \"started in\" s | Idle MB (VmRSS) |"
  echo "|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$work/startup.tsv"
  echo
  echo "## Notes from the run"
  echo
  sed 's/^/- /' "$notes"
  if [[ -f bench/analysis.md && $mode == full ]]; then
    echo
    cat bench/analysis.md
  fi
} >"$report"
log "report written to ${report#"$repo_root"/}"
