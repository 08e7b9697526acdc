#!/usr/bin/env bash
# Makes sure PostgreSQL, RabbitMQ and Redis run on loopback with the development credentials.
# Installs them from the system's packages (apt) when missing. Idempotent: a running service
# is left alone. Used by `./build.sh run` and `./build.sh test`; see docs/operations.md.
#
# Usage: build/infra.sh up | down | status
set -euo pipefail

PG_USER=${TURUMBA_PG_USER:-turumba}
PG_PASSWORD=${TURUMBA_PG_PASSWORD:-turumba}
PG_DATABASE=${TURUMBA_PG_DATABASE:-turumba}
RABBIT_USER=${TURUMBA_RABBIT_USER:-turumba}
RABBIT_PASSWORD=${TURUMBA_RABBIT_PASSWORD:-turumba}
REDIS_PORT=${TURUMBA_REDIS_PORT:-6379}
STATE_DIR=${TURUMBA_INFRA_DIR:-/var/tmp/turumba-infra}

# RabbitMQ and its Erlang port mapper listen on loopback only.
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_SERVER_START_ARGS="-rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,15672}]"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -E "$@"
  else die "'$*' needs root and sudo is not available"
  fi
}

as_user() {
  local user=$1; shift
  if [ "$(id -un)" = "$user" ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"
  else sudo -E -u "$user" "$@"
  fi
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not become ready within ${seconds}s"
    sleep 0.5
  done
}

apt_updated=0
ensure_packages() {
  local missing=()
  for pair in "$@"; do
    local cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get: install them, or set the ConnectionStrings__* variables to running services"
  if [ $apt_updated -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

pg_cluster() {
  # Prints "<version> <name> <port> <status>" of the first cluster.
  pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1, $2, $3, $4}'
}

postgres_up() {
  ensure_packages pg_lsclusters:postgresql-common
  if [ -z "$(pg_cluster)" ]; then
    ensure_packages psql:postgresql
    if [ -z "$(pg_cluster)" ]; then
      local version
      version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
      [ -n "$version" ] || ensure_packages initdb:postgresql
      version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
      as_root pg_createcluster "$version" main >/dev/null
    fi
  fi
  read -r version name port status <<<"$(pg_cluster)"
  if [ "$status" != "online" ]; then
    log "starting PostgreSQL $version/$name on 127.0.0.1:$port"
    as_root pg_ctlcluster "$version" "$name" start
  fi
  wait_for "PostgreSQL" 60 as_user postgres psql -p "$port" -tAc 'select 1'
  local sql="do \$\$ begin
      if not exists (select from pg_roles where rolname = '$PG_USER') then
        create role $PG_USER login createdb password '$PG_PASSWORD';
      end if; end \$\$;"
  as_user postgres psql -p "$port" -q -v ON_ERROR_STOP=1 -c "$sql" >/dev/null
  # Tests drop their throwaway databases WITH (FORCE), which must be able to end an autovacuum worker.
  as_user postgres psql -p "$port" -q -c "grant pg_signal_backend to $PG_USER" >/dev/null 2>&1 || true
  if [ -z "$(as_user postgres psql -p "$port" -tAc "select 1 from pg_database where datname = '$PG_DATABASE'")" ]; then
    as_user postgres psql -p "$port" -q -c "create database $PG_DATABASE owner $PG_USER" >/dev/null
  fi
  echo "$port" >"$STATE_DIR/pg_port"
}

rabbit_up() {
  ensure_packages rabbitmq-server:rabbitmq-server curl:curl
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ on 127.0.0.1:5672"
    as_root rabbitmq-server -detached >/dev/null 2>&1 || true
    wait_for "RabbitMQ" 120 as_root rabbitmqctl -q await_startup --timeout 5
  fi
  # The management API (127.0.0.1:15672) lets tests create a virtual host per run and operators inspect queues.
  if ! as_root rabbitmq-plugins -q is_enabled rabbitmq_management >/dev/null 2>&1; then
    as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  fi
  wait_for "RabbitMQ management" 60 curl -sf -o /dev/null http://127.0.0.1:15672/
  if ! as_root rabbitmqctl -q list_users | grep -q "^$RABBIT_USER\b"; then
    as_root rabbitmqctl -q add_user "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null
    as_root rabbitmqctl -q set_user_tags "$RABBIT_USER" administrator >/dev/null
    as_root rabbitmqctl -q set_permissions -p / "$RABBIT_USER" '.*' '.*' '.*' >/dev/null
  fi
}

redis_up() {
  ensure_packages redis-server:redis-server
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    local owner=root
    id redis >/dev/null 2>&1 && owner=redis
    as_root chown "$owner" "$STATE_DIR"
    as_root runuser -u "$owner" -- redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
      --save '' --appendonly no --dir "$STATE_DIR" --logfile "$STATE_DIR/redis.log" \
      --pidfile "$STATE_DIR/redis.pid"
    wait_for "Redis" 30 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
  fi
}

print_env() {
  local pg_port
  pg_port=$(cat "$STATE_DIR/pg_port" 2>/dev/null || echo 5432)
  echo "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$pg_port;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DATABASE"
  echo "ConnectionStrings__RabbitMq=amqp://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:5672/"
  echo "ConnectionStrings__Redis=127.0.0.1:$REDIS_PORT"
}

case "${1:-up}" in
  up)
    as_root mkdir -p "$STATE_DIR"
    as_root chmod 0777 "$STATE_DIR"
    postgres_up
    rabbit_up
    redis_up
    print_env
    ;;
  env)
    print_env
    ;;
  down)
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave 2>/dev/null || true
    as_root rabbitmqctl -q stop 2>/dev/null || true
    read -r version name _ _ <<<"$(pg_cluster)"
    [ -z "${version:-}" ] || as_root pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    ;;
  status)
    pg_lsclusters 2>/dev/null || echo "PostgreSQL: not installed"
    as_root rabbitmqctl -q status >/dev/null 2>&1 && echo "RabbitMQ: running" || echo "RabbitMQ: stopped"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && echo "Redis: running" || echo "Redis: stopped"
    ;;
  *) die "usage: build/infra.sh up|down|status|env" ;;
esac
