#!/usr/bin/env bash
# A local fleet to try on one machine, every process on 127.0.0.1 (README "A local fleet"):
#   PostgreSQL   127.0.0.1:15432  Debian's binaries (apt-get install postgresql), a throwaway cluster
#   Kafka        127.0.0.1:19092  one KRaft node (controller on 19093), Kafka's jars from Maven Central
#   provinces    127.0.0.1:18480 (HTTP) and :18481 (gRPC), the simulated systems of the demo
#   hub-1..3     gRPC 9090/9190/9290, operations 9091/9191/9291; one database, one change topic
# The replicas run the hub's exec jar in demo mode (the simulators' jar beside it carries the demo
# configuration), so each is its own development identity: a token for hub-N comes from its
# operations port, http://127.0.0.1:<ops>/dev-identity/token. Logs: target/local-fleet/.
#
# Usage: deploy/local-fleet.sh start | stop | status
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="$ROOT/target/local-fleet"
PG_PORT=15432
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
SIM_HTTP_PORT=18480
SIM_GRPC_PORT=18481
GRPC_PORTS=(9090 9190 9290)
OPS_PORTS=(9091 9191 9291)

say() { printf '%s local-fleet: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { say "$*" >&2; exit 1; }

java_bin() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; return; fi
    # The build's toolchain JDK (Temurin 25) when present; the hub needs Java 21 or later.
    local jdk
    jdk=$(ls -d /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*-2[1-9]-*/bin/java 2>/dev/null | head -1 || true)
    echo "${jdk:-java}"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds what
    local deadline=$((SECONDS + $2))
    until port_open "$1"; do
        ((SECONDS < deadline)) || die "$3 did not open 127.0.0.1:$1 in $2 s (see $RUN)"
        sleep 0.5
    done
}

as_postgres() {
    # PostgreSQL refuses to run as root: then it runs as the postgres user the Debian package creates.
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

hub_jar() { ls "$ROOT"/hub/target/tongxing-hub-*-exec.jar 2>/dev/null | head -1; }
simulators_jar() { ls "$ROOT"/simulators/target/tongxing-simulators-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1; }

build() {
    if [[ -z "$(hub_jar)" || -z "$(simulators_jar)" ]]; then
        say "building the hub (mvn -q -pl hub -am package -DskipTests)"
        (cd "$ROOT" && mvn -q -pl hub -am package -DskipTests)
    fi
    if [[ ! -s "$RUN/kafka.classpath" ]]; then
        say "resolving Kafka's jars (deploy/local-fleet/kafka-pom.xml; ~/.m2 first, then Maven Central)"
        mvn -q -o -f "$ROOT/deploy/local-fleet/kafka-pom.xml" dependency:build-classpath -Dmdep.outputFile="$RUN/kafka.classpath" >/dev/null 2>&1 \
            || mvn -q -f "$ROOT/deploy/local-fleet/kafka-pom.xml" dependency:build-classpath -Dmdep.outputFile="$RUN/kafka.classpath"
    fi
}

start_postgres() {
    local bin dir
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n "$bin" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
    # A temporary directory the postgres user can reach (the work tree may not be).
    dir=$(mktemp -d /tmp/tongxing-fleet-pg.XXXXXX)
    chmod 755 "$dir"
    echo "$dir" > "$RUN/postgres.dir"
    echo "$bin" > "$RUN/postgres.bin"
    mkdir -p "$dir/socket"
    [[ $(id -u) -ne 0 ]] || chown -R postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U tongxing -A trust -E UTF8 --no-sync --locale=C >"$RUN/postgres-initdb.log"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $dir/socket -c max_connections=100" start >/dev/null
    ln -sf "$dir/server.log" "$RUN/postgres.log"
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U tongxing tongxing
}

start_kafka() {
    local java=$1 cp id dir="$RUN/kafka"
    cp=$(cat "$RUN/kafka.classpath")
    rm -rf "$dir/data"          # a fresh cluster every start, like the database
    mkdir -p "$dir"
    cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    id=$("$java" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    "$java" -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >"$RUN/kafka-format.log" 2>&1
    nohup "$java" -Xms128m -Xmx384m -cp "$cp" kafka.Kafka "$dir/server.properties" >"$RUN/kafka.log" 2>&1 &
    echo $! >"$RUN/kafka.pid"
}

# The hub's exec jar with the simulators' jar on its loader path: PropertiesLauncher adds it, and
# with it the demo configuration (tongxing-demo.yml) and demo mode, which the hub's jar alone refuses.
launch() { # java main-class log pid-file args...
    local java=$1 main=$2 log=$3 pidfile=$4
    shift 4
    nohup "$java" --enable-native-access=ALL-UNNAMED -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 -XX:JavaPriority6_To_OSPriority=0 -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0 -Xmx384m -cp "$(hub_jar)" -Dloader.path="$(simulators_jar)" \
        -Dloader.main="$main" org.springframework.boot.loader.launch.PropertiesLauncher "$@" >"$log" 2>&1 &
    echo $! >"$pidfile"
}

start_replica() { # java n
    local java=$1 n=$2 grpc=${GRPC_PORTS[$(($2 - 1))]} ops=${OPS_PORTS[$(($2 - 1))]}
    mkdir -p "$RUN/hub-$n"
    launch "$java" dev.tongxing.hub.TongxingHub "$RUN/hub-$n.log" "$RUN/hub-$n.pid" \
        --spring.config.import=classpath:tongxing-demo.yml \
        --tongxing.grpc.port="$grpc" --server.port="$ops" \
        --tongxing.audit.replica-id="hub-$n" --tongxing.exchange.store-dir="$RUN/hub-$n" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/tongxing" \
        --spring.datasource.username=tongxing --spring.datasource.password= \
        --spring.datasource.hikari.data-source-properties.reWriteBatchedInserts=true \
        --spring.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" \
        --tongxing.fleet.kafka.enabled=true --tongxing.fleet.kafka.create-topic=true \
        --tongxing.fleet.kafka.replication-factor=1 --tongxing.fleet.kafka.partitions=3 \
        --tongxing.fleet.leases.enabled=true
}

start() {
    local java started=$SECONDS
    [[ ! -e "$RUN/postgres.dir" ]] || die "already started (deploy/local-fleet.sh stop first)"
    for port in $PG_PORT $KAFKA_PORT $KAFKA_CONTROLLER_PORT $SIM_HTTP_PORT $SIM_GRPC_PORT "${GRPC_PORTS[@]}" "${OPS_PORTS[@]}"; do
        ! port_open "$port" || die "127.0.0.1:$port is in use"
    done
    mkdir -p "$RUN"
    build
    java=$(java_bin)
    say "PostgreSQL on 127.0.0.1:$PG_PORT"
    start_postgres
    say "Kafka (KRaft) on 127.0.0.1:$KAFKA_PORT"
    start_kafka "$java"
    say "simulated provinces on 127.0.0.1:$SIM_HTTP_PORT (HTTP) and :$SIM_GRPC_PORT (gRPC)"
    launch "$java" dev.tongxing.simulators.StandaloneSimulators "$RUN/simulators.log" "$RUN/simulators.pid" \
        "$SIM_HTTP_PORT" "$SIM_GRPC_PORT"
    wait_port "$KAFKA_PORT" 60 "Kafka"
    wait_port "$SIM_GRPC_PORT" 60 "the simulators"
    for n in 1 2 3; do
        say "hub-$n: gRPC 127.0.0.1:${GRPC_PORTS[$((n - 1))]}, operations 127.0.0.1:${OPS_PORTS[$((n - 1))]}"
        start_replica "$java" "$n"
    done
    for n in 1 2 3; do
        wait_port "${GRPC_PORTS[$((n - 1))]}" 240 "hub-$n"
    done
    say "fleet up in $((SECONDS - started)) s; logs in $RUN; stop with deploy/local-fleet.sh stop"
}

stop_pid() { # name
    local file="$RUN/$1.pid" pid
    [[ -f "$file" ]] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        ! kill -0 "$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop() {
    # The hubs drain in parallel (each takes its not-serving delay and grace period).
    for n in 1 2 3; do stop_pid "hub-$n" & done
    wait
    stop_pid simulators
    stop_pid kafka
    if [[ -f "$RUN/postgres.dir" ]]; then
        local dir bin
        dir=$(cat "$RUN/postgres.dir")
        bin=$(cat "$RUN/postgres.bin")
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
        cp "$dir/server.log" "$RUN/postgres.log.saved" 2>/dev/null || true
        rm -rf "$dir" "$RUN/postgres.dir" "$RUN/postgres.bin" "$RUN/postgres.log"
        mv "$RUN/postgres.log.saved" "$RUN/postgres.log" 2>/dev/null || true
    fi
    rm -rf "$RUN/kafka/data"
    say "stopped"
}

status() {
    for name in kafka simulators hub-1 hub-2 hub-3; do
        if [[ -f "$RUN/$name.pid" ]] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
            say "$name running (pid $(cat "$RUN/$name.pid"))"
        else
            say "$name not running"
        fi
    done
    if port_open "$PG_PORT"; then say "PostgreSQL running on 127.0.0.1:$PG_PORT"; else say "PostgreSQL not running"; fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
esac
