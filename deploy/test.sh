#!/usr/bin/env bash
# Runs the whole test suite: sets up PostgreSQL (deploy/pg-setup.sh), installs
# the Node packages that IntaSendNodeSdkTest needs when node is present, then
# runs mvn verify. Extra arguments go to mvn, for example:
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

node_dir=api/src/test/node
if [[ -f $node_dir/package-lock.json ]]; then
  if command -v node >/dev/null; then
    echo "test: installing the Node packages in $node_dir (npm ci)"
    (cd "$node_dir" && npm ci --no-audit --no-fund)
  else
    echo "test: node was not found, so the Node packages in $node_dir were not installed and IntaSendNodeSdkTest will fail."
  fi
fi

mvn -B -ntp verify "$@"
