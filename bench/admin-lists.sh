#!/usr/bin/env bash
# Times the admin-ui dashboard's list pages and CSV export on a million invoices and writes
# docs/admin-timings.md (or, with --smoke, a short run on 10,000 invoices whose report goes to
# .build/bench/admin-smoke.md and whose timings are not checked against the target).
#
#   bash bench/admin-lists.sh           1,000,000 invoices, 100 timed requests per page
#   bash bench/admin-lists.sh --smoke   10,000 invoices, 5 timed requests per page
#
# It builds admin-ui when its jar is missing and sets up PostgreSQL with deploy/pg-setup.sh. Then it
# starts admin-ui from its jar in the prod profile against ADMIN_BENCH_DB_NAME (default
# malipo_bench_admin), and the app migrates the schema. The script fills the invoices once, because
# a later run with as many invoices or more keeps them. Last, it signs in with curl, times each page
# and stops the app. All traffic stays on 127.0.0.1.
#
# Environment: ADMIN_BENCH_DB_NAME, ADMIN_BENCH_PORT (default 8801), BENCH_JVM_OPTS (the app's JVM
# flags, default as in bench/run.sh), and DB_HOST, DB_PORT, DB_USER, DB_PASSWORD as for
# deploy/pg-setup.sh.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

mode=full
for arg in "$@"; do
  case $arg in
    --smoke) mode=smoke ;;
    *) echo "admin-lists: unknown option $arg; use --smoke or nothing" >&2; exit 2 ;;
  esac
done

export DB_HOST=${DB_HOST:-127.0.0.1}
export DB_PORT=${DB_PORT:-5432}
export DB_USER=${DB_USER:-malipo}
export DB_PASSWORD=${DB_PASSWORD:-malipo}
bench_db=${ADMIN_BENCH_DB_NAME:-malipo_bench_admin}
if [[ $bench_db == malipo || $bench_db == malipo_test ]]; then
  echo "admin-lists: ADMIN_BENCH_DB_NAME=$bench_db is a demo or test database; choose another name" >&2
  exit 2
fi
port=${ADMIN_BENCH_PORT:-8801}
base_url=http://127.0.0.1:$port
jvm_opts=${BENCH_JVM_OPTS:--Xmx160m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -XX:+UseSerialGC}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
target_ms=200

if [[ $mode == smoke ]]; then
  invoices=10000 requests=5 warmups=2
  report=$repo_root/.build/bench/admin-smoke.md
else
  invoices=1000000 requests=100 warmups=10
  report=$repo_root/docs/admin-timings.md
fi

work=$repo_root/.build/bench/admin
mkdir -p "$work"
: >"$work/timings.tsv"
: >"$work/notes.txt"
jar=admin-ui/target/quarkus-app/quarkus-run.jar
app_pid=''

log() { echo "admin-lists: $*" >&2; }
note() { echo "$*" >>"$work/notes.txt"; log "$*"; }

stop_app() {
  if [[ -n $app_pid ]]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=''
  fi
}
trap stop_app EXIT

psql_bench() {
  PGPASSWORD=$DB_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$bench_db" "$@"
}

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Build, database and app
if [[ ! -f $jar ]]; then
  log "building admin-ui (mvn package -DskipTests)"
  mvn -B -ntp -q package -DskipTests -pl admin-ui -am
fi
DB_NAME=malipo DB_TEST_NAME=$bench_db bash deploy/pg-setup.sh >&2

# A new password for each run's admin user, which only this script uses.
admin_user=bench-admin
admin_password=bench-admin-$(date +%s)-$RANDOM
if psql_bench -t -A -c "SELECT 1 FROM pg_tables WHERE tablename = 'admin_users'" | grep -q 1; then
  # The app creates the bootstrap user only when admin_users is empty. Deleting this script's
  # earlier user and its sessions lets the app create it again with this run's password.
  if [[ $(psql_bench -t -A -c "SELECT count(*) FROM admin_users WHERE username <> '$admin_user'") != 0 ]]; then
    log "the database has admin users other than $admin_user; use a database of its own"
    exit 1
  fi
  psql_bench -c "DELETE FROM admin_sessions" -c "DELETE FROM admin_users" >/dev/null
fi

log "starting admin-ui on $base_url against $bench_db"
# shellcheck disable=SC2086 # the JVM flags are words
DB_NAME=$bench_db MALIPO_ADMIN_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 \
  MALIPO_ADMIN_USERNAME=$admin_user MALIPO_ADMIN_PASSWORD=$admin_password MALIPO_ADMIN_SECURE_COOKIE=false \
  java $jvm_opts -jar "$jar" >"$work/admin-ui.log" 2>&1 &
app_pid=$!
ready=0
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "$base_url/q/health/ready" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$app_pid" 2>/dev/null || { log "admin-ui exited at start; see $work/admin-ui.log"; exit 1; }
  sleep 0.1
done
((ready)) || { log "admin-ui was not ready within 60 s; see $work/admin-ui.log"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Invoices
psql_bench -f bench/sql/admin-fixtures.sql >/dev/null
have=$(psql_bench -t -A -c "SELECT count(*) FROM invoices WHERE id LIKE 'ADMB%'")
if ((have >= invoices)); then
  note "The database already had $have bench invoices (at least $invoices), so the fill was skipped."
else
  # Earlier fills were single statements, so the rows present are ADMB0000001 to ADMB{have}.
  log "adding invoices $((have + 1)) to $invoices (under a minute for a million on 2 cores)"
  fill_started=$SECONDS
  psql_bench -c "SELECT bench.make_admin_invoices($((have + 1)), $invoices, $invoices, now())" >/dev/null
  psql_bench -c "SET client_min_messages = error" -c "VACUUM ANALYZE invoices" -c "VACUUM ANALYZE attention_items"
  note "Added $((invoices - have)) invoices in $((SECONDS - fill_started)) s, then ran VACUUM ANALYZE."
fi
total=$(psql_bench -t -A -c "SELECT count(*) FROM invoices")
attention_open=$(psql_bench -t -A -c "SELECT count(*) FROM attention_items WHERE resolved_at IS NULL")
table_size=$(psql_bench -t -A -c "SELECT pg_size_pretty(pg_total_relation_size('invoices'))")

# ---------------------------------------------------------------------------------------------
# Sign-in: the form's CSRF token goes back with the cookie that carries its pair.
jar_file=$work/cookies.txt
rm -f "$jar_file"
login_form=$(curl -fsS -c "$jar_file" -b "$jar_file" "$base_url/login")
csrf_name=$(sed -n 's/.*<input type="hidden" name="\([^"]*\)" value="\([^"]*\)".*/\1/p' <<<"$login_form" | head -n 1)
csrf_value=$(sed -n 's/.*<input type="hidden" name="\([^"]*\)" value="\([^"]*\)".*/\2/p' <<<"$login_form" | head -n 1)
[[ -n $csrf_name && -n $csrf_value ]] || { log "no CSRF token in the sign-in form"; exit 1; }
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar_file" -b "$jar_file" \
  --data-urlencode "$csrf_name=$csrf_value" --data-urlencode "username=$admin_user" \
  --data-urlencode "password=$admin_password" "$base_url/login")
[[ $status == 303 || $status == 302 ]] || { log "sign-in answered $status instead of a redirect"; exit 1; }
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar_file" "$base_url/invoices")
[[ $status == 200 ]] || { log "/invoices answered $status after sign-in"; exit 1; }
log "signed in as $admin_user"

# ---------------------------------------------------------------------------------------------
# Timings. One curl process sends the warm-up and timed requests over one kept-alive connection
# and prints each transfer's status and time_total.
time_page() { # label path
  local label=$1 path=$2 config=$work/curl.cfg i
  : >"$config"
  for ((i = 0; i < warmups + requests; i++)); do
    printf 'url = "%s%s"\noutput = "/dev/null"\n' "$base_url" "$path" >>"$config"
  done
  local out
  out=$(curl -sS -b "$jar_file" -K "$config" -w '%{http_code} %{time_total}\n')
  if grep -qv '^200 ' <<<"$out"; then
    log "$label ($path) answered: $(grep -v '^200 ' <<<"$out" | head -n 1)"
    exit 1
  fi
  # Invoice lists also record how many invoices the page showed, so that an empty filter is visible.
  local shown=-
  if [[ $path == /invoices* ]]; then
    shown=$(curl -fsS -b "$jar_file" "$base_url$path" | grep -c 'href="/invoices/[A-Z]' || true)
  fi
  tail -n "$requests" <<<"$out" | awk '{ printf "%.2f\n", $2 * 1000 }' | sort -n | awk -v label="$label" \
    -v path="$path" -v shown="$shown" -v target="$target_ms" -v smoke="$([[ $mode == smoke ]] && echo 1 || echo 0)" '
      { ms[NR] = $1 }
      END {
        p50 = ms[int(NR * 0.50 + 0.999)]; p95 = ms[int(NR * 0.95 + 0.999)]; max = ms[NR]
        verdict = smoke ? "not checked" : (p95 <= target ? "yes" : "no")
        printf "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", label, path, shown, NR, p50, p95, max, verdict
      }' >>"$work/timings.tsv"
  log "$(tail -n 1 "$work/timings.tsv" | cut -f1,3,5-8)"
}

# The date filters are EAT days counted back from the newest bench invoice.
newest_day=$(psql_bench -t -A -c "SELECT (max(created_at) AT TIME ZONE 'Africa/Nairobi')::DATE FROM invoices WHERE id LIKE 'ADMB%'")
week_from=$(date -d "$newest_day - 27 days" +%F)
week_to=$(date -d "$newest_day - 21 days" +%F)
month_from=$(date -d "$newest_day - 29 days" +%F)
month_to=$newest_day

# A keyset page 20 pages deep: follow the "Older invoices" link.
after_path=/invoices
for _ in $(seq 1 20); do
  next=$(curl -fsS -b "$jar_file" "$base_url$after_path" | sed -n 's/.*id="next-page" href="\([^"]*\)".*/\1/p')
  [[ -n $next ]] || break
  after_path=${next//&amp;/&}
done
[[ $after_path != /invoices ]] || { log "the first page has no link to older invoices"; exit 1; }

receipt=$(psql_bench -t -A -c "SELECT mpesa_reference FROM invoices WHERE id LIKE 'ADMB%' AND mpesa_reference IS NOT NULL ORDER BY id DESC OFFSET 37 LIMIT 1")
invoice_id=$(psql_bench -t -A -c "SELECT id FROM invoices WHERE id LIKE 'ADMB%' ORDER BY id DESC OFFSET 41 LIMIT 1")

time_page "Invoices, first page" "/invoices"
time_page "Invoices, 21st keyset page" "$after_path"
time_page "State FAILED" "/invoices?state=FAILED"
time_page "State PENDING" "/invoices?state=PENDING"
time_page "Merchant (3 % of invoices)" "/invoices?merchant=MRC_ADMB6"
time_page "Environment TEST" "/invoices?environment=TEST"
time_page "Channel SMS" "/invoices?channel=SMS"
time_page "Date range, 7 EAT days" "/invoices?from=$week_from&to=$week_to"
time_page "Phone prefix 07123" "/invoices?phone=07123"
time_page "api_ref prefix ORD-00123" "/invoices?api_ref=ORD-00123"
time_page "Receipt" "/invoices?receipt=$receipt"
time_page "Invoice id" "/invoices?invoice=$invoice_id"
time_page "Merchant, state and channel" "/invoices?merchant=MRC_ADMB4&state=COMPLETE&channel=USSD"
time_page "Overview" "/"
time_page "Needs attention" "/attention"
# These lists read tables that this data set leaves small (merchants, failed webhook deliveries,
# the audit log), so they show the page's own cost rather than a million rows.
time_page "Merchants" "/merchants"
time_page "Webhooks, failed deliveries" "/webhooks"
time_page "Audit log" "/audit"

# The export of about a month, with the app's peak resident memory before and after.
hwm_kb() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$app_pid/status"; }
hwm_before=$(hwm_kb)
export_query="from=$month_from&to=$month_to"
export_out=$(curl -sS -b "$jar_file" -o "$work/export.csv" -w '%{http_code} %{time_total} %{size_download}' \
  "$base_url/invoices/export.csv?$export_query")
read -r export_status export_s export_bytes <<<"$export_out"
[[ $export_status == 200 ]] || { log "the export answered $export_status"; exit 1; }
hwm_after=$(hwm_kb)
export_rows=$(($(wc -l <"$work/export.csv") - 1))
expected_rows=$(psql_bench -t -A -c "SELECT count(*) FROM invoices
  WHERE created_at >= ('$month_from'::DATE)::TIMESTAMP AT TIME ZONE 'Africa/Nairobi'
    AND created_at < ('$month_to'::DATE + 1)::TIMESTAMP AT TIME ZONE 'Africa/Nairobi'")
rm -f "$work/export.csv"
log "export: $export_rows rows, $export_bytes bytes in $export_s s; peak RSS $((hwm_before / 1024)) MB before, $((hwm_after / 1024)) MB after"
((export_rows == expected_rows)) || note "The export had $export_rows rows; the database has $expected_rows in that range."

rss_now_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$app_pid/status")
stop_app
trap - EXIT

# ---------------------------------------------------------------------------------------------
# Report
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
command_line="bash bench/admin-lists.sh${*:+ $*}"
misses=$(awk -F'\t' '$8 == "no"' "$work/timings.tsv" | wc -l)
mkdir -p "$(dirname "$report")"
{
  echo "# Dashboard list timings"
  echo
  if [[ $mode == smoke ]]; then
    echo "Smoke run: at least $invoices invoices and $requests timed requests per page. It shows that the"
    echo "script works; the numbers are not measurements and are not checked against the target."
    echo
  fi
  echo "| | |"
  echo "|---|---|"
  echo "| Date | $started_at |"
  echo "| Commit | \`$commit\`$dirty |"
  echo "| Command | \`$command_line\` |"
  echo "| Machine | $(nproc) CPUs ($cpu), $mem memory, $(uname -sr) |"
  echo "| Load average at start (1, 5, 15 min) | $load_at_start |"
  echo "| PostgreSQL | $(psql_bench -t -A -c 'SHOW server_version') on the same machine, database \`$bench_db\` |"
  echo "| Java | $(java -version 2>&1 | head -n 1), flags \`$jvm_opts\` |"
  echo "| Invoices | $total in the table ($table_size with its indexes), $attention_open open needs-attention items |"
  echo
  echo "admin-ui runs from its jar in the prod profile on 127.0.0.1:$port, signed in as an ADMIN through"
  echo "the sign-in form. Each page got $warmups warm-up requests, then $requests timed requests one after"
  echo "the other on one kept-alive connection. The times are curl's \`time_total\` in milliseconds: the"
  echo "server's time plus the transfer of the page over loopback. The target is a p95 of $target_ms ms."
  echo
  echo "## Pages"
  echo
  echo "Invoices shown is the number of invoices on the page, at most one page (50 by default)."
  echo
  echo "| Page | Query | Invoices shown | Requests | p50 | p95 | max | p95 within $target_ms ms |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$work/timings.tsv"
  echo
  echo "## CSV export"
  echo
  echo "| Query | Rows | Bytes | Seconds | Peak RSS before (VmHWM) | Peak RSS after | RSS at the end |"
  echo "|---|---|---|---|---|---|---|"
  echo "| \`/invoices/export.csv?$export_query\` | $export_rows | $export_bytes | $export_s | $((hwm_before / 1024)) MB | $((hwm_after / 1024)) MB | $((rss_now_kb / 1024)) MB |"
  echo
  echo "The export reads through a PostgreSQL cursor, 1,000 rows at a time, and writes each row to the"
  echo "response as it comes, so the peak resident memory stays near what the list pages needed."
  echo
  echo "## Data"
  echo
  echo "\`bench/sql/admin-fixtures.sql\` makes invoices \`ADMB0000001\` onwards for six merchants over 60"
  echo "days, newest first: 70 % COMPLETE and 30 % FAILED (a few of the newest are PENDING or"
  echo "PROCESSING), 60 % API, 25 % USSD and 15 % SMS, every tenth in TEST, 300,000 phones, api_refs"
  echo "\`ORD-{n}\`, and an open needs-attention item for each FAILED invoice whose number is a multiple"
  echo "of 500. A later run with as many invoices or more keeps them."
  echo
  echo "## Screenshots"
  echo
  echo "\`DashboardBrowserTest\` (headless Chromium, JavaScript off, run by \`deploy/test.sh\`) writes a"
  echo "screenshot of each page to \`admin-ui/target/screenshots/\`."
  echo
  echo "## Notes from the run"
  echo
  if [[ $mode == full ]]; then
    echo "- Pages over the target: $misses."
  fi
  sed 's/^/- /' "$work/notes.txt"
  if [[ -f bench/admin-analysis.md && $mode == full ]]; then
    echo
    cat bench/admin-analysis.md
  fi
} >"$report"
log "report written to ${report#"$repo_root"/}"
