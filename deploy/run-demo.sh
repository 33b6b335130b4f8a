#!/usr/bin/env bash
# Builds Malipo and runs the API with a demo merchant, for a first look.
#
# Steps: set up PostgreSQL (deploy/pg-setup.sh), build all modules with tests
# skipped, start the API in the background with its log in .build/api.log,
# wait until it is ready, then print the demo keys and example requests.
# Ctrl-C stops the API.
#
# Environment: DB_HOST, DB_PORT, DB_NAME (default malipo), DB_USER,
# DB_PASSWORD, MALIPO_HTTP_PORT (default 8080), MALIPO_DEMO_TEST_PUBLIC_KEY
# and MALIPO_DEMO_TEST_SECRET_KEY.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DB_HOST=${DB_HOST:-127.0.0.1}
export DB_PORT=${DB_PORT:-5432}
export DB_NAME=${DB_NAME:-malipo}
export DB_USER=${DB_USER:-malipo}
export DB_PASSWORD=${DB_PASSWORD:-malipo}

http_port=${MALIPO_HTTP_PORT:-8080}
base_url=http://127.0.0.1:$http_port
export QUARKUS_HTTP_PORT=$http_port
# The demo serves the simulator and documented test keys, so it listens on loopback only.
export QUARKUS_HTTP_HOST=${QUARKUS_HTTP_HOST:-127.0.0.1}
export MALIPO_CALLBACK_SIMULATOR_BASE_URL=$base_url
export MALIPO_API_HOST=$base_url

# The seed creates a demo merchant with these keys. They are documented
# test-only values, so never give them to a live merchant.
export MALIPO_DEMO_SEED=true
export MALIPO_DEMO_TEST_PUBLIC_KEY=${MALIPO_DEMO_TEST_PUBLIC_KEY:-ISPubKey_test_DemoShopPublicKey00000000000000000}
export MALIPO_DEMO_TEST_SECRET_KEY=${MALIPO_DEMO_TEST_SECRET_KEY:-ISSecretKey_test_DemoShopSecretKey0000000000000000}

startup_timeout_seconds=90
app_jar=api/target/quarkus-app/quarkus-run.jar
app_log=.build/api.log

fail() {
  echo "run-demo: $*" >&2
  exit 1
}

for tool in java mvn curl; do
  command -v "$tool" >/dev/null || fail "$tool was not found on PATH. Install it and run again."
done

# The check runs before the build, so a busy port fails fast. A server already
# on the port would also respond to the readiness check below in place of the API.
if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
  fail "port $http_port on 127.0.0.1 is already in use. Stop that server or set MALIPO_HTTP_PORT to a free port."
fi

bash deploy/pg-setup.sh

echo "run-demo: building all modules with Maven, tests skipped for speed (deploy/test.sh runs them)."
echo "run-demo: the first build downloads dependencies and can take several minutes."
mvn -B -q -Dstyle.color=never package -DskipTests
[[ -f $app_jar ]] || fail "the build finished without $app_jar."

mkdir -p .build
java -jar "$app_jar" >"$app_log" 2>&1 &
app_pid=$!

stop_app() {
  if kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
}
trap stop_app EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

print_log_tail() {
  echo "run-demo: last 40 lines of $app_log:" >&2
  tail -n 40 "$app_log" >&2
}

echo "run-demo: started the API (pid $app_pid), waiting up to $startup_timeout_seconds s for $base_url/q/health/ready"
deadline=$((SECONDS + startup_timeout_seconds))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/q/health/ready" || true) == 200 ]]; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    print_log_tail
    fail "the API exited during startup."
  fi
  if ((SECONDS >= deadline)); then
    print_log_tail
    fail "the API was not ready within $startup_timeout_seconds s."
  fi
  sleep 1
done

cat <<INFO

Malipo is running at $base_url (log: $app_log)

Demo merchant test keys:
  public key: $MALIPO_DEMO_TEST_PUBLIC_KEY
  secret key: $MALIPO_DEMO_TEST_SECRET_KEY

Start an STK push:
  curl -s -X POST $base_url/api/v1/payment/mpesa-stk-push/ -H "Authorization: Bearer $MALIPO_DEMO_TEST_SECRET_KEY" -H "Content-Type: application/json" -d '{"phone_number":"0712345678","amount":"100"}'

Check its status, with the invoice_id from the push response:
  curl -s -X POST $base_url/api/v1/payment/status/ -H "X-KULMI-PUBLIC-API-KEY: $MALIPO_DEMO_TEST_PUBLIC_KEY" -H "Content-Type: application/json" -d '{"invoice_id":"<invoice_id from the push>"}'

Press Ctrl-C to stop.
INFO

app_status=0
wait "$app_pid" || app_status=$?
trap - EXIT
if ((app_status != 0)); then
  print_log_tail
  fail "the API stopped with exit status $app_status."
fi
echo "run-demo: the API stopped."
