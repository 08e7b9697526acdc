#!/usr/bin/env bash
# A second PostgreSQL cluster, RabbitMQ node and Redis, on their own ports, for the chaos run
# (docs/benchmarks.md): it restarts them, and nothing else on the machine (a running system, a test
# run) should feel it. Needs the packages build/infra.sh installs; run as root or with sudo.
#
# Usage: build/chaos-infra.sh up | down | env | restart-rabbitmq | restart-postgres
#        build/chaos-infra.sh stop-rabbitmq | start-rabbitmq | stop-redis | start-redis
set -euo pipefail

DIR=${TURUMBA_CHAOS_DIR:-/var/tmp/turumba-chaos}
PG_PORT=${TURUMBA_CHAOS_PG_PORT:-5441}
RABBIT_PORT=${TURUMBA_CHAOS_RABBIT_PORT:-5673}
REDIS_PORT=${TURUMBA_CHAOS_REDIS_PORT:-6391}
NODE="turumba-chaos@$(hostname -s)"
PG_CLUSTER=turumba_chaos

log() { printf '[chaos-infra] %s\n' "$*" >&2; }
die() { printf '[chaos-infra] error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not become ready within ${seconds}s"
    sleep 0.2
  done
}

rabbit_env() {
  export RABBITMQ_NODENAME=$NODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$RABBIT_PORT \
    RABBITMQ_DIST_PORT=$((RABBIT_PORT + 20000)) RABBITMQ_MNESIA_BASE=$DIR/rabbit/mnesia \
    RABBITMQ_LOG_BASE=$DIR/rabbit/log RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/rabbit/enabled_plugins \
    RABBITMQ_PID_FILE=$DIR/rabbit/pid ERL_EPMD_ADDRESS=127.0.0.1
  unset RABBITMQ_SERVER_START_ARGS
}

pg_version() { ls /usr/lib/postgresql | sort -V | tail -n 1; }

postgres_up() {
  local version; version=$(pg_version)
  if ! pg_lsclusters --no-header | awk '{print $2}' | grep -qx "$PG_CLUSTER"; then
    as_root pg_createcluster "$version" "$PG_CLUSTER" -p "$PG_PORT" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  fi
  as_root pg_ctlcluster "$version" "$PG_CLUSTER" start >/dev/null 2>&1 || true
  wait_for "PostgreSQL (chaos)" 60 as_postgres psql -p "$PG_PORT" -tAc 'select 1'
  as_postgres psql -p "$PG_PORT" -q -c "do \$\$ begin if not exists (select from pg_roles where rolname = 'turumba') then
    create role turumba login createdb password 'turumba'; end if; end \$\$;" >/dev/null
}

rabbit_start() {
  rabbit_env
  mkdir -p "$DIR/rabbit/log"
  [ -f "$DIR/rabbit/enabled_plugins" ] || echo "[]." >"$DIR/rabbit/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$DIR/rabbit" 2>/dev/null || true
  if ! as_root rabbitmqctl -n "$NODE" -q status >/dev/null 2>&1; then
    as_root env RABBITMQ_NODENAME="$RABBITMQ_NODENAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBIT_PORT" \
      RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT" RABBITMQ_MNESIA_BASE="$RABBITMQ_MNESIA_BASE" RABBITMQ_LOG_BASE="$RABBITMQ_LOG_BASE" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_ENABLED_PLUGINS_FILE" RABBITMQ_PID_FILE="$RABBITMQ_PID_FILE" \
      setsid rabbitmq-server >"$DIR/rabbit/log/stdout.log" 2>&1 < /dev/null &
    wait_for "RabbitMQ (chaos)" 120 as_root rabbitmqctl -n "$NODE" -q await_startup --timeout 5
  fi
}

redis_start() {
  mkdir -p "$DIR"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    # No persistence: a restart loses every key, as the chaos run wants.
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null
    wait_for "Redis (chaos)" 30 redis-cli -p "$REDIS_PORT" ping
  fi
}

case "${1:-}" in
  up)
    mkdir -p "$DIR"
    postgres_up; rabbit_start; redis_start
    # Each run starts from empty queues (its database is new too) and an empty Redis.
    rabbit_env
    as_root rabbitmqctl -n "$NODE" -q delete_vhost / >/dev/null 2>&1 || true
    as_root rabbitmqctl -n "$NODE" -q add_vhost / >/dev/null
    as_root rabbitmqctl -n "$NODE" -q set_permissions -p / guest '.*' '.*' '.*' >/dev/null
    redis-cli -p "$REDIS_PORT" flushall >/dev/null
    log "PostgreSQL :$PG_PORT, RabbitMQ :$RABBIT_PORT ($NODE), Redis :$REDIS_PORT"
    ;;
  env)
    echo "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=turumba;Password=turumba;Database=postgres"
    echo "ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
    echo "ConnectionStrings__Redis=127.0.0.1:$REDIS_PORT"
    ;;
  stop-rabbitmq) rabbit_env; as_root rabbitmqctl -n "$NODE" -q stop_app ;;
  start-rabbitmq) rabbit_env; as_root rabbitmqctl -n "$NODE" -q start_app ;;
  restart-rabbitmq) rabbit_env; as_root rabbitmqctl -n "$NODE" -q stop_app; as_root rabbitmqctl -n "$NODE" -q start_app ;;
  restart-postgres)
    as_root pg_ctlcluster "$(pg_version)" "$PG_CLUSTER" restart -m fast
    wait_for "PostgreSQL (chaos)" 60 as_postgres psql -p "$PG_PORT" -tAc 'select 1'
    ;;
  stop-redis)
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    wait_for "Redis (chaos) to stop" 30 bash -c "! redis-cli -p $REDIS_PORT ping"
    ;;
  start-redis) redis_start ;;
  down)
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    rabbit_env; as_root rabbitmqctl -n "$NODE" -q stop >/dev/null 2>&1 || true
    as_root pg_ctlcluster "$(pg_version)" "$PG_CLUSTER" stop >/dev/null 2>&1 || true
    ;;
  *) die "usage: $0 up | down | env | restart-rabbitmq | stop-rabbitmq | start-rabbitmq | restart-postgres | stop-redis | start-redis" ;;
esac
