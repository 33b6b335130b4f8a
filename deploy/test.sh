#!/usr/bin/env bash
# Runs the whole test suite: sets up PostgreSQL (deploy/pg-setup.sh), installs
# Debian's chromium package when it is missing and the user is root, installs
# the Node packages that IntaSendNodeSdkTest, PhonePageTest and DashboardBrowserTest need
# when node is present, then runs mvn verify and the benchmark smoke run (bench/run.sh --smoke,
# about a minute and a half; MALIPO_BENCH_SMOKE=0 skips it). Extra arguments go to mvn, for example:
#   deploy/test.sh -pl core
#
# The tests use DB_NAME, which defaults to DB_TEST_NAME (default malipo_test).
# The script rejects DB_NAME=malipo, the demo database, to keep test data out
# of the demo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
  echo "test: $*" >&2
  exit 1
}

export DB_HOST=${DB_HOST:-127.0.0.1}
export DB_PORT=${DB_PORT:-5432}
export DB_USER=${DB_USER:-malipo}
export DB_PASSWORD=${DB_PASSWORD:-malipo}
export DB_TEST_NAME=${DB_TEST_NAME:-malipo_test}

# pg-setup.sh reads DB_NAME as the demo database, so it runs before DB_NAME
# is pointed at the test database.
bash deploy/pg-setup.sh

export DB_NAME=${DB_NAME:-$DB_TEST_NAME}
if [[ $DB_NAME == malipo ]]; then
  fail "DB_NAME=malipo is the demo database, so the tests would write into it. Unset DB_NAME to use $DB_TEST_NAME."
fi
echo "test: tests use database $DB_NAME at $DB_HOST:$DB_PORT"

# PhonePageTest and DashboardBrowserTest drive pages with Debian's chromium package.
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "test: /usr/bin/chromium is missing, so installing Debian's chromium package (apt-get update -qq && apt-get install -y -qq chromium)"
    apt-get update -qq
    apt-get install -y -qq chromium
  else
    echo "test: /usr/bin/chromium is missing and this is not root with apt-get, so PhonePageTest will fail. Install the chromium package."
  fi
fi

install_node_packages() {
  local node_dir=$1 test_name=$2
  if [[ ! -f $node_dir/package-lock.json ]]; then
    return
  fi
  if command -v node >/dev/null; then
    echo "test: installing the Node packages in $node_dir (npm ci)"
    (cd "$node_dir" && npm ci --no-audit --no-fund)
  else
    echo "test: node was not found, so the Node packages in $node_dir were not installed and $test_name will fail."
  fi
}
install_node_packages api/src/test/node IntaSendNodeSdkTest
install_node_packages ussd-channel/src/test/node PhonePageTest
install_node_packages admin-ui/src/test/node DashboardBrowserTest

mvn -B -ntp verify "$@"

# A short run of every benchmark scenario, so that the suite cannot rot. It checks that each
# scenario runs, not how fast: bench/README.md describes it and the full run.
if [[ ${MALIPO_BENCH_SMOKE:-1} == 1 ]]; then
  echo "test: running the benchmark smoke run (bash bench/run.sh --smoke); set MALIPO_BENCH_SMOKE=0 to skip it"
  bash bench/run.sh --smoke
fi
