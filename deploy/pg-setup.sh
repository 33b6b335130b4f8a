#!/usr/bin/env bash
# Makes sure a PostgreSQL server is running with the Malipo role and its two
# databases: DB_NAME (default malipo) for the demo and DB_TEST_NAME (default
# malipo_test) for the tests. It is safe to run again, and it finishes after
# one login check when everything is already set up.
#
# Where the server comes from:
#   - DB_HOST set to a non-loopback host, or MALIPO_EXTERNAL_DB=1: the server
#     is managed elsewhere. The script only waits until it accepts connections
#     and creates nothing.
#   - root on Debian or Ubuntu: the newest cluster under /etc/postgresql,
#     started with pg_ctlcluster if it is down.
#   - any other user: a project-local cluster in .build/pgdata, created with
#     initdb and started with pg_ctl. It uses trust authentication and listens
#     only on 127.0.0.1.
#
# Environment: DB_HOST (default 127.0.0.1), DB_PORT (default 5432), DB_USER
# and DB_PASSWORD (default malipo and malipo), DB_NAME, DB_TEST_NAME, and
# DB_WAIT_SECONDS (default 30), the time allowed for the server to accept
# connections.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-malipo}
DB_PASSWORD=${DB_PASSWORD:-malipo}
DB_NAME=${DB_NAME:-malipo}
DB_TEST_NAME=${DB_TEST_NAME:-malipo_test}
DB_WAIT_SECONDS=${DB_WAIT_SECONDS:-30}

fail() {
  echo "pg-setup: $*" >&2
  exit 1
}

is_loopback() {
  case "$1" in
    localhost | 127.* | ::1 | '[::1]') return 0 ;;
    *) return 1 ;;
  esac
}

# Prints the bin directory of the newest PostgreSQL server install, or nothing.
find_server_bindir() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1) || true
  if [[ -n $dir && -x $dir/initdb ]]; then
    echo "$dir"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

server_bindir=$(find_server_bindir)
if [[ -n $server_bindir && -x $server_bindir/psql ]]; then
  psql_bin=$server_bindir/psql
  pg_isready_bin=$server_bindir/pg_isready
else
  psql_bin=$(command -v psql || true)
  pg_isready_bin=$(command -v pg_isready || true)
fi
[[ -n $pg_isready_bin ]] ||
  fail "pg_isready was not found. Install the PostgreSQL client (Debian package postgresql-client)."

# Waits until the server at DB_HOST:DB_PORT accepts connections.
wait_until_ready() {
  local deadline=$((SECONDS + DB_WAIT_SECONDS))
  until "$pg_isready_bin" -q -h "$DB_HOST" -p "$DB_PORT" -t 2; do
    if ((SECONDS >= deadline)); then
      fail "PostgreSQL at $DB_HOST:$DB_PORT did not accept connections within $DB_WAIT_SECONDS s (DB_WAIT_SECONDS)."
    fi
    sleep 0.2
  done
}

# Succeeds when DB_USER can log in with DB_PASSWORD and owns both databases.
databases_ready() {
  local expected=2 found
  [[ $DB_NAME == "$DB_TEST_NAME" ]] && expected=1
  found=$(PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=3 "$psql_bin" -X -q -A -t \
    -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_TEST_NAME" \
    -v db_name="$DB_NAME" -v db_test_name="$DB_TEST_NAME" 2>/dev/null <<'SQL'
SELECT count(DISTINCT datname) FROM pg_database
WHERE datname IN (:'db_name', :'db_test_name')
  AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user);
SQL
  ) || return 1
  [[ $found == "$expected" ]]
}

# Creates the role and both databases unless they exist, and sets the role's
# password to DB_PASSWORD. The arguments are a psql command line that logs in
# as a superuser. Existing databases owned by another role are reported, not
# taken over.
create_role_and_databases() {
  local foreign_owners
  foreign_owners=$("$@" -X -q -A -t -v ON_ERROR_STOP=1 \
    -v db_user="$DB_USER" -v db_password="$DB_PASSWORD" \
    -v db_name="$DB_NAME" -v db_test_name="$DB_TEST_NAME" <<'SQL'
SELECT format('CREATE ROLE %I', :'db_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'db_user')\gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'db_user', :'db_password')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'db_user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db_name')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db_test_name', :'db_user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db_test_name')\gexec
SELECT format('database %s is owned by role %s', d.datname, r.rolname)
FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
WHERE d.datname IN (:'db_name', :'db_test_name') AND r.rolname <> :'db_user';
SQL
  )
  if [[ -n $foreign_owners ]]; then
    fail "$(echo "$foreign_owners" | paste -sd ';' -), not by $DB_USER. Change the owner (ALTER DATABASE <name> OWNER TO $DB_USER) or choose another DB_NAME or DB_TEST_NAME."
  fi
}

as_postgres() {
  (cd / && runuser -u postgres -- "$@")
}

# Starts the newest Debian cluster if it is down and sets it up through the
# postgres superuser's Unix socket.
use_debian_cluster() {
  local version cluster port='' status=''
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)
  [[ -n $version ]] ||
    fail "/etc/postgresql contains no PostgreSQL version. Install the Debian package postgresql."
  if [[ -d /etc/postgresql/$version/main ]]; then
    cluster=main
  else
    cluster=$(find "/etc/postgresql/$version" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | head -n 1)
  fi
  [[ -n $cluster ]] ||
    fail "/etc/postgresql/$version contains no cluster. Create one with: pg_createcluster $version main"

  read -r port status < <(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3, $4 }') || true
  [[ -n $port ]] || fail "pg_lsclusters does not list cluster $version/$cluster."
  if [[ $port != "$DB_PORT" ]]; then
    fail "cluster $version/$cluster listens on port $port, but DB_PORT is $DB_PORT. Run again with DB_PORT=$port."
  fi
  if [[ $status != online* ]]; then
    pg_ctlcluster "$version" "$cluster" start ||
      fail "pg_ctlcluster $version $cluster start failed. See /var/log/postgresql/postgresql-$version-$cluster.log."
  fi
  wait_until_ready
  create_role_and_databases as_postgres "$psql_bin" -p "$port" -d postgres
  databases_ready ||
    fail "role $DB_USER still cannot log in to $DB_TEST_NAME at $DB_HOST:$DB_PORT with DB_PASSWORD. Check /etc/postgresql/$version/$cluster/pg_hba.conf."
  echo "pg-setup: using Debian cluster $version/$cluster at $DB_HOST:$DB_PORT (role $DB_USER, databases $DB_NAME and $DB_TEST_NAME)"
}

# Creates and starts a cluster under .build/pgdata that belongs to the current
# user, for machines where the script cannot act as the postgres user.
use_project_cluster() {
  local pgdata=$repo_root/.build/pgdata
  local log_file=$repo_root/.build/postgres.log
  local running_port

  [[ -n $server_bindir ]] ||
    fail "PostgreSQL server programs (initdb, pg_ctl) were not found. Install the Debian package postgresql, or point DB_HOST at an existing server."

  if "$server_bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    running_port=$(sed -n 4p "$pgdata/postmaster.pid")
    if [[ $running_port != "$DB_PORT" ]]; then
      fail "the project cluster in $pgdata is running on port $running_port, but DB_PORT is $DB_PORT. Run again with DB_PORT=$running_port, or stop it with: $server_bindir/pg_ctl -D $pgdata stop"
    fi
  else
    # pg_isready exits with 0 or 1 when a PostgreSQL server responds on the port.
    local answer=0
    "$pg_isready_bin" -q -h 127.0.0.1 -p "$DB_PORT" -t 2 || answer=$?
    if ((answer <= 1)); then
      fail "port $DB_PORT on 127.0.0.1 belongs to another PostgreSQL server, where role $DB_USER cannot log in to $DB_NAME and $DB_TEST_NAME, and only root can set that up. Run as root, create the role and databases there, or set DB_PORT to a free port (for example 5433) for a project-local cluster."
    fi

    if [[ ! -f $pgdata/PG_VERSION ]]; then
      mkdir -p "$repo_root/.build"
      "$server_bindir/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --no-locale >"$repo_root/.build/initdb.log" 2>&1 ||
        fail "initdb failed for $pgdata. See $repo_root/.build/initdb.log."
      # No Unix socket, because a socket path inside a deep checkout can exceed
      # the 107-byte sun_path limit on Linux. Every client connects over TCP.
      cat >>"$pgdata/postgresql.conf" <<'CONF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
CONF
    fi
    "$server_bindir/pg_ctl" -D "$pgdata" -l "$log_file" -o "-p $DB_PORT" -w -t "$DB_WAIT_SECONDS" start >/dev/null ||
      fail "pg_ctl could not start the project cluster in $pgdata. See $log_file."
  fi

  wait_until_ready
  create_role_and_databases "$psql_bin" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres
  echo "pg-setup: using project cluster .build/pgdata at 127.0.0.1:$DB_PORT (role $DB_USER, databases $DB_NAME and $DB_TEST_NAME)"
}

if [[ ${MALIPO_EXTERNAL_DB:-0} == 1 ]] || ! is_loopback "$DB_HOST"; then
  wait_until_ready
  echo "pg-setup: using external PostgreSQL at $DB_HOST:$DB_PORT (database $DB_NAME, role $DB_USER); nothing was created"
  exit 0
fi

[[ -n $psql_bin ]] ||
  fail "psql was not found. Install the PostgreSQL client (Debian package postgresql-client)."

if databases_ready; then
  echo "pg-setup: using PostgreSQL at $DB_HOST:$DB_PORT (role $DB_USER, databases $DB_NAME and $DB_TEST_NAME), already set up"
  exit 0
fi

if [[ $(id -u) == 0 && -d /etc/postgresql ]] && command -v pg_ctlcluster >/dev/null; then
  use_debian_cluster
elif [[ $(id -u) == 0 ]]; then
  fail "running as root, but no Debian cluster was found under /etc/postgresql. Install the Debian package postgresql, or run as a normal user to get a project-local cluster."
else
  use_project_cluster
fi
