#!/usr/bin/env bash
# What one hop through the Iron router costs, next to the cheapest possible hop (nginx) on the same machine.
#
# Starts the mock provider, an nginx reverse proxy in front of it and the router (the integration-tests app) in
# front of it, drives all three with wrk, prints one table plus PASS/FAIL per target and writes the table to
# bench/results/latest.txt. Always exits 0 once the measurements ran: it is a report, not a gate.
# With BENCH_TRANSLATED=1 (the default) it also measures the translated path: an OpenAI request for a Claude model
# through the router, against the mock's own Anthropic endpoint as the baseline.
# With BENCH_GOVERNED=1 (the default) it also starts a second router with a budget (a limit too high to ever refuse),
# so every call reserves its worst case and settles, and streams are metered: what governance costs on top of the hop.
#
# With BENCH_LONG=1 (the default) it also measures a request with a 25 KB prompt (prose with numbers) at c=16 on every
# target: what the router costs per byte of what agents send (reading, routing, the PII scan of every text).
#
# Knobs (environment): BENCH_DURATION (s per run, 10), BENCH_WARMUP (s, 10), BENCH_STREAM (1 = also the SSE rows),
# BENCH_LONG (1 = also the long-prompt rows),
# BENCH_TRANSLATED (1 = also the translated rows), BENCH_GOVERNED (1 = also the governed rows),
# BENCH_ROUNDS (1; more = every row repeated, medians reported),
# BENCH_CONCURRENCY ("1 16 64"), BENCH_TARGETS ("direct nginx vertx netty router"), BENCH_CPUS (unpinned),
# BENCH_NGINX_WORKERS (one per usable core),
# BENCH_MOCK_PORT / BENCH_NGINX_PORT / BENCH_ROUTER_PORT / BENCH_GOVERNED_PORT / BENCH_VERTX_PORT /
# BENCH_NETTY_PORT (18181-18186),
# BENCH_JAVA_OPTS,
# BENCH_ROUTER_JAVA_OPTS (added for the routers only, e.g. a flight recording),
# BENCH_BUILD (auto, 1, 0).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-10}
ROUNDS=${BENCH_ROUNDS:-1}
STREAM=${BENCH_STREAM:-1}
LONG=${BENCH_LONG:-1}
LONG_CONCURRENCY=16
TRANSLATED=${BENCH_TRANSLATED:-1}
GOVERNED=${BENCH_GOVERNED:-1}
CONCURRENCY=${BENCH_CONCURRENCY:-1 16 64}
STREAM_CONCURRENCY=16
TARGETS=${BENCH_TARGETS:-direct nginx vertx netty router}
# The logic-free proxies, yardsticks for the router: its own stack (Vert.x) and the transport under it (Netty).
FLOORS="vertx netty"
# The translated scenario's two targets: "anthropic" = wrk -> the mock's own Anthropic endpoint (its baseline),
# "translated" = wrk -> router, OpenAI request for a Claude model, which the router sends to that endpoint.
TRANSLATED_TARGETS="anthropic translated"
# Its plain rows run at these concurrencies when BENCH_CONCURRENCY has them; its stream rows at STREAM_CONCURRENCY.
TRANSLATED_CONCURRENCY="1 16"
# The governed scenario: a second router, the same jar, with a budget limit so high it never refuses (USD), so every
# call goes through reservation and settlement and every stream is metered. Its plain rows run at these concurrencies
# when BENCH_CONCURRENCY has them, its stream rows at STREAM_CONCURRENCY, each right after the router's same row.
GOVERNED_LIMIT_USD=1000000
GOVERNED_CONCURRENCY="1 16"
CPUS=${BENCH_CPUS:-}
MOCK_PORT=${BENCH_MOCK_PORT:-18181}
NGINX_PORT=${BENCH_NGINX_PORT:-18182}
ROUTER_PORT=${BENCH_ROUTER_PORT:-18183}
GOVERNED_PORT=${BENCH_GOVERNED_PORT:-18184}
VERTX_PORT=${BENCH_VERTX_PORT:-18185}
NETTY_PORT=${BENCH_NETTY_PORT:-18186}
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
ROUTER_JAVA_OPTS=${BENCH_ROUTER_JAVA_OPTS:-}

# BENCH_CPUS pins every process started here, wrk included, to those CPUs (taskset list, e.g. "0" or "0-3").
PIN=()
[[ -n $CPUS ]] && PIN=(taskset -c "$CPUS")
# One nginx worker per core we may use: what "auto" means, but this nginx's auto counts all online CPUs and ignores
# the pinning, so count them ourselves (nproc honours the affinity).
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-$("${PIN[@]}" nproc)}
TOKEN=bench-token
CHAT_PATH=/v1/chat/completions

# The targets: the router adds at most 2x nginx's added p50, and keeps at least 80% of nginx's throughput.
MAX_ADDED_P50_RATIO=2
MIN_RPS_SHARE=80
# Translating may add at most 1.5x the pass-through router's added p50 (both against their own direct baseline).
MAX_TRANSLATED_P50_RATIO=1.5
# Governance may add at most 20% to the pass-through router's added p50 (both over direct, same mode and c).
MAX_GOVERNED_P50_RATIO=1.2

JAR=$ROOT/integration-tests/target/quarkus-app/quarkus-run.jar
MOCK_CLASSES=$ROOT/runtime/target/classes
MOCK_CLASS=io.ironcage.runtime.mock.MockProvider
RESULTS_DIR=$BENCH_DIR/results
LOGS=$RESULTS_DIR/logs

WORK=$(mktemp -d /tmp/iron-bench.XXXXXX)
PIDS=()
# Results per "target mode concurrency" key.
declare -A RPS P50 P99 ERRORS CPU
# The process of each started service (mock, nginx's master, vertx, netty, router, router-governed), for their CPU
# time.
declare -A PID_OF
CLOCK_TICKS=$(getconf CLK_TCK)

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
has_target() { [[ " $TARGETS " == *" $1 "* ]]; }
is_floor() { [[ " $FLOORS " == *" $1 "* ]]; }
# The translated rows need the router (the mock always runs).
translated_on() { [[ $TRANSLATED == 1 ]] && has_target router; }
# The concurrencies of the translated plain rows: those of TRANSLATED_CONCURRENCY that BENCH_CONCURRENCY has.
translated_concurrency() {
    local conns
    for conns in $CONCURRENCY; do
        [[ " $TRANSLATED_CONCURRENCY " == *" $conns "* ]] && printf '%s ' "$conns"
    done
    return 0
}
# The governed rows need the router too (they are compared with its rows).
governed_on() { [[ $GOVERNED == 1 ]] && has_target router; }
# The concurrencies of the governed plain rows: those of GOVERNED_CONCURRENCY that BENCH_CONCURRENCY has.
governed_concurrency() {
    local conns
    for conns in $CONCURRENCY; do
        [[ " $GOVERNED_CONCURRENCY " == *" $conns "* ]] && printf '%s ' "$conns"
    done
    return 0
}
# Whether the governed row of a mode and concurrency is measured: plain at governed_concurrency, stream at
# STREAM_CONCURRENCY (with BENCH_STREAM=1).
governed_row() {
    governed_on || return 1
    if [[ $1 == stream ]]; then
        [[ $STREAM == 1 && $2 == "$STREAM_CONCURRENCY" ]]
    else
        [[ " $(governed_concurrency) " == *" $2 "* ]]
    fi
}

# Stop only what this script started, by PID; runs on every exit, including Ctrl-C and failures.
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # Give each process up to 5 s to exit cleanly before forcing it.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- setup -----------------------------------------------------------------------------------------------------

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    ((${#missing[@]} == 0)) && return
    log "installing ${missing[*]} from Debian"
    # The package lists may be missing or stale in a fresh container; refresh only when the install fails.
    apt-get install -y "${missing[@]}" >"$LOGS/apt.log" 2>&1 ||
        { apt-get update >>"$LOGS/apt.log" 2>&1 && apt-get install -y "${missing[@]}" >>"$LOGS/apt.log" 2>&1; } ||
        { cat "$LOGS/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# True when a built artifact is missing or older than any source or pom it comes from (BENCH_BUILD=auto, the
# default); BENCH_BUILD=1 always builds, BENCH_BUILD=0 never does (measure what is there, e.g. while others edit).
build_needed() {
    case ${BENCH_BUILD:-auto} in
        1) return 0 ;;
        0) return 1 ;;
    esac
    [[ -f $MOCK_CLASSES/${MOCK_CLASS//.//}.class && -f $JAR ]] || return 0
    [[ -n $(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src -newer "$JAR" -type f -print -quit 2>/dev/null) ]]
}

ensure_build() {
    if ! build_needed; then
        [[ -f $JAR && -d $MOCK_CLASSES ]] || die "nothing built to measure; run without BENCH_BUILD=0"
        log "not building"
        return
    fi
    log "building (./mvnw -B -q install -DskipTests)"
    if ! (cd "$ROOT" && ./mvnw -B -q install -DskipTests) >"$LOGS/build.log" 2>&1; then
        tail -40 "$LOGS/build.log" >&2
        # Others may be mid-edit; an older build is still worth measuring, but say so loudly.
        [[ -f $JAR && -d $MOCK_CLASSES ]] || die "build failed and there is nothing built to measure"
        log "WARNING: build failed; measuring the previous build"
    fi
}

mock_classpath() {
    (cd "$ROOT" && ./mvnw -B -q -pl runtime dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt") \
        >"$LOGS/classpath.log" 2>&1 || { cat "$LOGS/classpath.log" >&2; die "could not resolve the runtime classpath"; }
    printf '%s:%s' "$MOCK_CLASSES" "$(cat "$WORK/classpath.txt")"
}

# Fixed ports make the runs reproducible, so refuse to start if something else already listens there.
require_free_port() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        die "port $1 is already in use (set BENCH_*_PORT)"
    fi
}

# Waits until a POST to the chat path answers 200, failing early if the process died (its log is shown).
wait_ready() {
    local name=$1 port=$2 pid=$3 logfile=$4
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "$name exited during startup"; }
        if [[ $(probe "$port" json -o /dev/null -w '%{http_code}') == 200 ]]; then
            return
        fi
        sleep 0.1
    done
    cat "$logfile" >&2
    die "$name did not answer on port $port within 60 s"
}

# One request like wrk's (chat.lua), with curl; extra arguments go to curl.
probe() {
    local port=$1 mode=$2
    shift 2
    probe_as openai "$port" "$mode" "$@"
}

# probe_as openai|anthropic|translated PORT json|stream [curl arguments]: the flavors of chat.lua.
probe_as() {
    local flavor=$1 port=$2 mode=$3
    shift 3
    local path=$CHAT_PATH body auth=(-H "Authorization: Bearer $TOKEN")
    case $flavor in
        openai) body='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}]}' ;;
        translated) body='{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hello there"}]}' ;;
        anthropic)
            path=/v1/messages
            auth=(-H "x-api-key: $TOKEN" -H 'anthropic-version: 2023-06-01')
            body='{"model":"claude-haiku-4-5","max_tokens":4096,"messages":[{"role":"user","content":"Hello there"}]}'
            ;;
    esac
    [[ $mode == stream ]] && body=${body/\"messages\"/\"stream\":true,\"messages\"}
    curl -s --max-time 5 -X POST "http://127.0.0.1:$port$path" -H 'Content-Type: application/json' \
        "${auth[@]}" -d "$body" "$@" || true
}

start_mock() {
    require_free_port "$MOCK_PORT"
    RUNTIME_CP=$(mock_classpath)
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    "${PIN[@]}" java $JAVA_OPTS -cp "$RUNTIME_CP" "$MOCK_CLASS" "$MOCK_PORT" >"$LOGS/mock.log" 2>&1 &
    PIDS+=($!)
    PID_OF[mock]=$!
    wait_ready mock "$MOCK_PORT" $! "$LOGS/mock.log"
    log "mock on 127.0.0.1:$MOCK_PORT"
}

start_nginx() {
    require_free_port "$NGINX_PORT"
    # The master runs as root here and its workers as "nobody", who must be able to enter the prefix directory.
    chmod 755 "$WORK"
    sed -e "s|@WORKERS@|$NGINX_WORKERS|g" -e "s|@PREFIX@|$WORK|g" -e "s|@LOGS@|$LOGS|g" \
        -e "s|@MOCK_PORT@|$MOCK_PORT|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
        "$BENCH_DIR/nginx.conf.template" >"$WORK/nginx.conf"
    # -e: nginx otherwise opens the system error log before reading the config; daemon off keeps $! the master.
    "${PIN[@]}" nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$LOGS/nginx-error.log" -g 'daemon off;' \
        >"$LOGS/nginx.log" 2>&1 &
    PIDS+=($!)
    PID_OF[nginx]=$!
    wait_ready nginx "$NGINX_PORT" $! "$LOGS/nginx-error.log"
    log "nginx on 127.0.0.1:$NGINX_PORT ($NGINX_WORKERS workers)"
}

# The floors (no logic): a Vert.x server and client (VertxProxy.java), the router's own stack, and plain Netty
# (NettyProxy.java), the transport under it; each run from source on the runtime's classpath (the same Vert.x and
# Netty the router runs on). start_floor vertx|netty
start_floor() {
    local name=$1 port source
    port=$(port_of "$name")
    case $name in
        vertx) source=$BENCH_DIR/VertxProxy.java ;;
        netty) source=$BENCH_DIR/NettyProxy.java ;;
    esac
    require_free_port "$port"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    "${PIN[@]}" java $JAVA_OPTS -cp "$RUNTIME_CP" "$source" "$port" "$MOCK_PORT" >"$LOGS/$name.log" 2>&1 &
    PIDS+=($!)
    PID_OF[$name]=$!
    wait_ready "$name" "$port" $! "$LOGS/$name.log"
    log "$name proxy on 127.0.0.1:$port"
}

# start_router [NAME PORT [extra JVM options]]: the router (the default) or another instance of the same jar.
start_router() {
    local name=${1:-router} port=${2:-$ROUTER_PORT}
    shift $(($# < 2 ? $# : 2))
    require_free_port "$port"
    [[ -f $JAR ]] || die "$JAR is missing"
    # quarkus.http.port=0: the app's own HTTP server is not measured and must not clash with anything.
    # Each router its own ledger file (an embedded ledger file is for one process), fresh for every run.
    # shellcheck disable=SC2086
    "${PIN[@]}" java $JAVA_OPTS $ROUTER_JAVA_OPTS "$@" \
        -Dquarkus.iron.token=$TOKEN \
        -Dquarkus.iron.router.port="$port" \
        -Dquarkus.iron.providers.openai.base-url="http://127.0.0.1:$MOCK_PORT" \
        -Dquarkus.iron.providers.openai.api-key=sk-bench \
        -Dquarkus.iron.providers.anthropic.base-url="http://127.0.0.1:$MOCK_PORT" \
        -Dquarkus.iron.providers.anthropic.api-key=sk-ant-bench \
        -Dquarkus.http.port=0 \
        -Dquarkus.iron.ledger.path="$WORK/ledger-$name" \
        -Dquarkus.log.level=WARN \
        -jar "$JAR" >"$LOGS/$name.log" 2>&1 &
    PIDS+=($!)
    PID_OF[$name]=$!
    wait_ready "$name" "$port" $! "$LOGS/$name.log"
    log "$name on 127.0.0.1:$port"
}

# The governed router: the same jar with a budget limit, so the budget policy reserves and settles every call.
start_governed() {
    start_router router-governed "$GOVERNED_PORT" -Dquarkus.iron.budget.limit-usd=$GOVERNED_LIMIT_USD
}

# A measurement of garbage is worse than none: check every target answers like the mock, in both modes.
check_answers() {
    local target port answer
    for target in $TARGETS; do
        port=$(port_of "$target")
        answer=$(probe "$port" json)
        [[ $answer == *'"choices"'* ]] || die "$target: unexpected answer: $answer"
        if [[ $STREAM == 1 ]]; then
            answer=$(probe "$port" stream)
            [[ $answer == *'data: [DONE]'* ]] || die "$target: unexpected stream: $answer"
        fi
    done
    translated_on && check_translated_answers
    governed_on && check_governed_answers
    return 0
}

# The governed router must answer like the pass-through one (200, a chat.completion; 200, a stream ending in [DONE])
# and, when the provider fails, pass on the provider's error untouched: the mock's 500 (x-mock-status), not a 402 or
# a 502 of its own.
check_governed_answers() {
    local answer status
    answer=$(probe "$GOVERNED_PORT" json -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 200 && $answer =~ \"object\":\ ?\"chat\.completion\" && $answer == *'"choices"'* ]] ||
        die "router governed json: unexpected answer: $answer"
    if [[ $STREAM == 1 ]]; then
        answer=$(probe "$GOVERNED_PORT" stream -w '\n%{http_code}')
        status=${answer##*$'\n'}
        [[ $status == 200 && $answer =~ \"object\":\ ?\"chat\.completion\.chunk\" && $answer == *'data: [DONE]'* ]] ||
            die "router governed stream: unexpected stream: $answer"
    fi
    answer=$(probe "$GOVERNED_PORT" json -H 'x-mock-status: 500' -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 500 && $answer == *'Mock failure 500'* && $answer != *iron_cage* ]] ||
        die "router governed, provider failing with 500: unexpected answer: $answer"
}

# The translated scenario: the router must answer the OpenAI request for a Claude model with 200 and OpenAI's format
# (a chat.completion; chat.completion.chunk events ending in [DONE]), and the mock's Anthropic endpoint (the
# baseline) must answer the Anthropic request with 200 and an Anthropic message (message_start ... message_stop).
check_translated_answers() {
    local answer status
    answer=$(probe_as translated "$ROUTER_PORT" json -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 200 && $answer =~ \"object\":\ ?\"chat\.completion\" && $answer == *'"choices"'* ]] ||
        die "router translated json: unexpected answer: $answer"
    answer=$(probe_as anthropic "$MOCK_PORT" json -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 200 && $answer =~ \"type\":\ ?\"message\" && $answer == *'"content"'* ]] ||
        die "direct anthropic json: unexpected answer: $answer"
    [[ $STREAM == 1 ]] || return 0
    answer=$(probe_as translated "$ROUTER_PORT" stream -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 200 && $answer =~ \"object\":\ ?\"chat\.completion\.chunk\" && $answer == *'data: [DONE]'* &&
        $answer != *'event: message_'* ]] || die "router translated stream: unexpected stream: $answer"
    answer=$(probe_as anthropic "$MOCK_PORT" stream -w '\n%{http_code}')
    status=${answer##*$'\n'}
    [[ $status == 200 && $answer == *'event: message_start'* && $answer == *'event: message_stop'* ]] ||
        die "direct anthropic stream: unexpected stream: $answer"
}

# The service that serves a target (as start_* names it): the mock for the direct rows, else the hop measured.
service_of() {
    case $1 in
        direct | anthropic) echo mock ;;
        nginx) echo nginx ;;
        vertx | netty) echo "$1" ;;
        router | translated) echo router ;;
        governed) echo router-governed ;;
    esac
}

port_of() {
    case $(service_of "$1") in
        mock) echo "$MOCK_PORT" ;;
        nginx) echo "$NGINX_PORT" ;;
        vertx) echo "$VERTX_PORT" ;;
        netty) echo "$NETTY_PORT" ;;
        router) echo "$ROUTER_PORT" ;;
        router-governed) echo "$GOVERNED_PORT" ;;
    esac
}

# The request flavor chat.lua sends to a target.
flavor_of() {
    case $1 in
        anthropic | translated) echo "$1" ;;
        *) echo openai ;;
    esac
}

# How the report names a target.
label_of() {
    case $1 in
        anthropic) echo 'direct anthropic' ;;
        translated) echo 'router translated' ;;
        governed) echo 'router governed' ;;
        *) echo "$1" ;;
    esac
}

# --- measuring -------------------------------------------------------------------------------------------------

# Runs wrk once and prints its "BENCH ..." line; the full output is kept in results/raw/ for a closer look.
run_wrk() {
    local target=$1 mode=$2 conns=$3 seconds=$4 tag=$5
    local threads=$((conns < 2 ? conns : 2))
    local out=$RESULTS_DIR/raw/$tag-$target-$mode-c$conns.txt
    "${PIN[@]}" wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$BENCH_DIR/chat.lua" \
        "http://127.0.0.1:$(port_of "$target")" -- "$TOKEN" "$mode" "$(flavor_of "$target")" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed against $target"; }
    grep '^BENCH ' "$out" || die "no result line from wrk against $target (see $out)"
    grep -q '^BENCH .* requests=0 ' "$out" && die "no request completed against $target (see $out)"
    return 0
}

# Field value from a "BENCH key=value ..." line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# CPU time (clock ticks, user + system, all threads) of a process and its children (nginx's workers) so far.
cpu_ticks() {
    local pid total=0
    for pid in "$1" $(pgrep -P "$1"); do
        # the name in parentheses may hold spaces: count fields after it (utime and stime are the 12th and 13th)
        total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    done
    echo "$total"
}

# One row's run; with several rounds the values pile up space-separated and summarize() takes their medians.
# Besides wrk's figures: the CPU time the serving process spent per request during the run, in microseconds
# (on a machine whose cores load, mock and proxy share, this is what decides throughput).
measure() {
    local target=$1 mode=$2 conns=$3 round=$4 line key pid ticks
    log "round $round/$ROUNDS: $target $mode c=$conns for ${DURATION}s"
    pid=${PID_OF[$(service_of "$target")]}
    ticks=$(cpu_ticks "$pid")
    line=$(run_wrk "$target" "$mode" "$conns" "$DURATION" "run$round")
    ticks=$(($(cpu_ticks "$pid") - ticks))
    key="$target $mode $conns"
    CPU[$key]+="$(calc '%.1f' "$ticks * 1000000 / $CLOCK_TICKS / ($(field "$line" rps) * $DURATION)") "
    RPS[$key]+="$(field "$line" rps) "
    P50[$key]+="$(field "$line" p50_ms) "
    P99[$key]+="$(field "$line" p99_ms) "
    ERRORS[$key]=$((${ERRORS[$key]:-0} + $(field "$line" non2xx) + $(field "$line" socket_errors)))
}

# median FORMAT "v1 v2 ..."
median() {
    tr ' ' '\n' <<<"$2" | grep . | sort -g |
        awk -v fmt="$1" '{ v[NR] = $1 } END { printf fmt, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

summarize() {
    local key
    for key in "${!RPS[@]}"; do
        RPS[$key]=$(median '%.0f' "${RPS[$key]}")
        P50[$key]=$(median '%.3f' "${P50[$key]}")
        P99[$key]=$(median '%.3f' "${P99[$key]}")
        CPU[$key]=$(median '%.1f' "${CPU[$key]}")
    done
}

# The JVMs (router and mock) run interpreted at first; let the JIT compile the hot paths before anything counts.
warm_up() {
    local half=$(((WARMUP + 1) / 2)) has_nginx=0 floor
    has_target nginx && has_nginx=1
    local seconds=$((WARMUP + (STREAM == 1 ? half : 0) + half + (has_nginx ? half : 0)))
    for floor in $FLOORS; do
        has_target "$floor" && seconds=$((seconds + half + (STREAM == 1 ? half : 0)))
    done
    translated_on && seconds=$((seconds + half + (STREAM == 1 ? half : 0)))
    governed_on && seconds=$((seconds + WARMUP + (STREAM == 1 ? half : 0)))
    [[ $LONG == 1 ]] && seconds=$((seconds + half))
    log "warming up for about $seconds s (not recorded)"
    if has_target router; then
        run_wrk router json 16 "$WARMUP" warmup >/dev/null
        [[ $STREAM == 1 ]] && run_wrk router stream 16 "$half" warmup >/dev/null
    else
        run_wrk direct json 16 "$WARMUP" warmup >/dev/null
        [[ $STREAM == 1 ]] && run_wrk direct stream 16 "$half" warmup >/dev/null
    fi
    # The mock's own path and nginx's connection pool.
    run_wrk direct json 16 "$half" warmup >/dev/null
    has_target nginx && run_wrk nginx json 16 "$half" warmup >/dev/null
    # The floor proxies are JVMs too.
    for floor in $FLOORS; do
        has_target "$floor" || continue
        run_wrk "$floor" json 16 "$half" warmup >/dev/null
        [[ $STREAM == 1 ]] && run_wrk "$floor" stream 16 "$half" warmup >/dev/null
    done
    # The router's translation code (and, through it, the mock's Anthropic path).
    if translated_on; then
        run_wrk translated json 16 "$half" warmup >/dev/null
        [[ $STREAM == 1 ]] && run_wrk translated stream 16 "$half" warmup >/dev/null
    fi
    # The governed router is a JVM of its own: the same warm-up as the router, so the two are compared at par.
    if governed_on; then
        run_wrk governed json 16 "$WARMUP" warmup >/dev/null
        [[ $STREAM == 1 ]] && run_wrk governed stream 16 "$half" warmup >/dev/null
    fi
    # Long prompts take other paths of the router (bodies in many chunks, long texts for the PII scan).
    if [[ $LONG == 1 ]] && has_target router; then
        run_wrk router long "$LONG_CONCURRENCY" "$half" warmup >/dev/null
    fi
    return 0
}

# Targets back to back per concurrency, so the rows being compared ran under the same machine conditions; whole
# rounds repeated (BENCH_ROUNDS) so a burst of outside load spoils one sample of each row, not one row. The
# translated rows follow the pass-through rows of the same mode and concurrency, which they are compared with; the
# governed row runs right after the router's row of the same mode and concurrency.
measure_all() {
    local round conns target
    for round in $(seq "$ROUNDS"); do
        for conns in $CONCURRENCY; do
            for target in $TARGETS; do measure_with_governed "$target" json "$conns" "$round"; done
            if translated_on && [[ " $(translated_concurrency) " == *" $conns "* ]]; then
                for target in $TRANSLATED_TARGETS; do measure "$target" json "$conns" "$round"; done
            fi
        done
        if [[ $LONG == 1 ]]; then
            for target in $TARGETS; do measure "$target" long "$LONG_CONCURRENCY" "$round"; done
        fi
        if [[ $STREAM == 1 ]]; then
            for target in $TARGETS; do measure_with_governed "$target" stream "$STREAM_CONCURRENCY" "$round"; done
            if translated_on; then
                for target in $TRANSLATED_TARGETS; do measure "$target" stream "$STREAM_CONCURRENCY" "$round"; done
            fi
        fi
    done
    summarize
}

# measure, and after the router's row the governed router's of the same mode and concurrency (when it has one).
measure_with_governed() {
    measure "$@"
    [[ $1 == router ]] && governed_row "$2" "$3" && measure governed "${@:2}"
    return 0
}

# --- reporting -------------------------------------------------------------------------------------------------

calc() { awk "BEGIN { printf \"$1\", ($2) }"; }

# One line of the table: target mode c RPS p50 p99 +p50 RPS/dir +p50/nginx RPS%nginx +p50/pass errors cpu. The
# +p50/pass column (and the wider target column) only exist when the translated or governed rows are measured.
table_line() {
    if translated_on || governed_on; then
        printf '%-17s %-6s %4s %10s %8s %8s %10s %9s %12s %10s %10s %7s %9s\n' "$@"
    else
        printf '%-7s %-6s %4s %10s %8s %8s %10s %9s %12s %10s %7s %9s\n' "${@:1:10}" "${12}" "${13}"
    fi
}

# table_row, and after the router's row the governed router's of the same mode and c (table_row skips it if absent).
table_row_with_governed() {
    table_row "$@"
    [[ $1 == router ]] && governed_on && table_row governed "$2" "$3"
    return 0
}

table_row() {
    local target=$1 mode=$2 conns=$3 key="$1 $2 $3" direct="direct $2 $3" nginx="nginx $2 $3"
    local added='-' ratio='-' vs_nginx_p50='-' vs_nginx_rps='-' vs_pass='-'
    [[ -n ${RPS[$key]:-} ]] || return 0
    # The translated row's "direct" is the mock's own Anthropic endpoint.
    [[ $target == translated ]] && direct="anthropic $2 $3"
    if [[ $target != direct && $target != anthropic && -n ${RPS[$direct]:-} ]]; then
        added=$(calc '%.3f' "${P50[$key]} - ${P50[$direct]}")
        ratio=$(calc '%.2f' "${RPS[$key]} / ${RPS[$direct]}")
    fi
    if { [[ $target == router ]] || is_floor "$target"; } && [[ -n ${RPS[$nginx]:-} && -n ${RPS[$direct]:-} ]]; then
        # long rows: nginx adds next to nothing to the upload that dominates them, so no latency ratio
        [[ $mode != long ]] && vs_nginx_p50=$(added_ratio "$target" "$mode $conns")
        vs_nginx_rps=$(calc '%.0f%%' "100 * ${RPS[$key]} / ${RPS[$nginx]}")
    fi
    if [[ $target == translated ]] && has_translated_ratio "$mode $conns"; then
        vs_pass=$(translated_ratio "$mode $conns")
    fi
    if [[ $target == governed ]] && has_governed_ratio "$mode $conns"; then
        vs_pass=$(governed_ratio "$mode $conns")
    fi
    table_line "$(label_of "$target")" "$mode" "$conns" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$added" \
        "$ratio" "$vs_nginx_p50" "$vs_nginx_rps" "$vs_pass" "${ERRORS[$key]}" "${CPU[$key]:--}"
}

# added_ratio TARGET "MODE C": the target's added p50 over nginx's; nginx's is floored at 1 us (wrk's resolution) so
# noise near 0 cannot divide by 0.
added_ratio() {
    local target=$1 mc=$2
    calc '%.2f' "(${P50[$target $mc]} - ${P50[direct $mc]}) / \
        ((${P50[nginx $mc]} - ${P50[direct $mc]}) > 0.001 ? (${P50[nginx $mc]} - ${P50[direct $mc]}) : 0.001)"
}

# Translated's added p50 (over the mock's Anthropic endpoint) over the pass-through router's (over the mock's OpenAI
# endpoint), same mode and c; the latter is floored at 1 us like nginx's above.
translated_ratio() {
    local mc=$1
    calc '%.2f' "(${P50[translated $mc]} - ${P50[anthropic $mc]}) / \
        ((${P50[router $mc]} - ${P50[direct $mc]}) > 0.001 ? (${P50[router $mc]} - ${P50[direct $mc]}) : 0.001)"
}

has_translated_ratio() {
    [[ -n ${P50[translated $1]:-} && -n ${P50[anthropic $1]:-} && -n ${P50[router $1]:-} && -n ${P50[direct $1]:-} ]]
}

# Governed's added p50 over the pass-through router's, both over direct, same mode and c; the latter floored at 1 us.
governed_ratio() {
    local mc=$1
    calc '%.2f' "(${P50[governed $mc]} - ${P50[direct $mc]}) / \
        ((${P50[router $mc]} - ${P50[direct $mc]}) > 0.001 ? (${P50[router $mc]} - ${P50[direct $mc]}) : 0.001)"
}

has_governed_ratio() {
    [[ -n ${P50[governed $1]:-} && -n ${P50[router $1]:-} && -n ${P50[direct $1]:-} ]]
}

check_line() {
    local ok=$1
    shift
    if [[ $ok == 1 ]]; then printf 'PASS  %s\n' "$*"; else printf 'FAIL  %s\n' "$*"; fi
}

check_latency() {
    local mc="$1 $2" ratio
    [[ -n ${P50[router $mc]:-} && -n ${P50[nginx $mc]:-} ]] || return 0
    ratio=$(added_ratio router "$mc")
    check_line "$(calc '%d' "$ratio <= $MAX_ADDED_P50_RATIO")" \
        "latency    $1 c=$2: router adds $(calc '%.3f' "${P50[router $mc]} - ${P50[direct $mc]}") ms p50," \
        "nginx adds $(calc '%.3f' "${P50[nginx $mc]} - ${P50[direct $mc]}") ms: ${ratio}x (target <= ${MAX_ADDED_P50_RATIO}x)"
}

check_throughput() {
    local mc="$1 $2" share
    [[ -n ${RPS[router $mc]:-} && -n ${RPS[nginx $mc]:-} ]] || return 0
    share=$(calc '%.0f' "100 * ${RPS[router $mc]} / ${RPS[nginx $mc]}")
    check_line "$(calc '%d' "$share >= $MIN_RPS_SHARE")" \
        "throughput $1 c=$2: router ${RPS[router $mc]} rps = ${share}% of nginx's ${RPS[nginx $mc]} rps" \
        "(target >= ${MIN_RPS_SHARE}%)"
}

check_translated() {
    local mc="$1 $2" ratio
    has_translated_ratio "$mc" || return 0
    ratio=$(translated_ratio "$mc")
    check_line "$(calc '%d' "$ratio <= $MAX_TRANSLATED_P50_RATIO")" \
        "translated $1 c=$2: router translated adds $(calc '%.3f' "${P50[translated $mc]} - ${P50[anthropic $mc]}")" \
        "ms p50 over direct anthropic, pass-through router adds $(calc '%.3f' "${P50[router $mc]} - ${P50[direct $mc]}")" \
        "ms over direct: ${ratio}x (target <= ${MAX_TRANSLATED_P50_RATIO}x)"
}

check_governed() {
    local mc="$1 $2" ratio
    has_governed_ratio "$mc" || return 0
    ratio=$(governed_ratio "$mc")
    check_line "$(calc '%d' "$ratio <= $MAX_GOVERNED_P50_RATIO")" \
        "governed   $1 c=$2: router governed adds $(calc '%.3f' "${P50[governed $mc]} - ${P50[direct $mc]}") ms p50," \
        "pass-through router adds $(calc '%.3f' "${P50[router $mc]} - ${P50[direct $mc]}") ms (both over direct):" \
        "${ratio}x (target <= ${MAX_GOVERNED_P50_RATIO}x)"
}

# Not a target, a yardstick: what each floor keeps of nginx's throughput, and the router of each floor's.
note_floor() {
    local mc="$1 $2" floor cpus
    cpus="nginx ${CPU[nginx $mc]:--}"
    [[ -n ${RPS[nginx $mc]:-} && -n ${RPS[router $mc]:-} ]] || return 0
    for floor in $FLOORS; do
        [[ -n ${RPS[$floor $mc]:-} ]] || continue
        printf 'INFO  floor      %s c=%s: %s (no logic) %s rps = %s of nginx'"'"'s; router = %s of %s'"'"'s\n' \
            "$1" "$2" "$floor" "${RPS[$floor $mc]}" "$(calc '%.0f%%' "100 * ${RPS[$floor $mc]} / ${RPS[nginx $mc]}")" \
            "$(calc '%.0f%%' "100 * ${RPS[router $mc]} / ${RPS[$floor $mc]}")" "$floor"
        cpus+=", $floor ${CPU[$floor $mc]:--}"
    done
    printf 'INFO  cpu        %s c=%s: us per request %s, router %s\n' "$1" "$2" "$cpus" "${CPU[router $mc]}"
}

report() {
    local conns target
    local commit
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
    git -C "$ROOT" diff --quiet 2>/dev/null || commit+='+dirty'
    # The commit alone can mislead when the build was skipped or failed, so also say when the jar was built.
    printf 'Iron router benchmark, %s, commit %s, router jar built %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
        "$commit" "$(date -u -r "$JAR" '+%H:%M UTC' 2>/dev/null || echo '-')"
    printf 'machine: %s cores (%s), pinned to CPUs: %s; %s; nginx %s, %s worker(s)\n' "$(nproc)" \
        "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" "${CPUS:-no}" \
        "$(java -version 2>&1 | head -1)" "$(nginx -v 2>&1 | sed 's|.*/||')" "$NGINX_WORKERS"
    printf 'load average (1 min) at start: %s (anything else running skews every row)\n' "$LOAD_BEFORE"
    printf 'wrk: %ss per row x %s round(s) (median shown), threads = min(2, c), warm-up %ss; request: OpenAI chat\n' \
        "$DURATION" "$ROUNDS" "$WARMUP"
    translated_on &&
        echo 'translated: router gets OpenAI chat for claude-haiku-4-5; direct anthropic: the same as Anthropic messages'
    governed_on && echo "governed: a second router (same jar), quarkus.iron.budget.limit-usd=$GOVERNED_LIMIT_USD:" \
        'every call reserved and settled, streams metered'
    echo
    table_line target mode c RPS 'p50 ms' 'p99 ms' '+p50 ms' 'RPS/dir' '+p50/nginx' 'RPS%nginx' '+p50/pass' errors \
        'cpu us/rq'
    for conns in $CONCURRENCY; do
        for target in $TARGETS; do table_row_with_governed "$target" json "$conns"; done
        if translated_on; then
            for target in $TRANSLATED_TARGETS; do table_row "$target" json "$conns"; done
        fi
    done
    if [[ $LONG == 1 ]]; then
        for target in $TARGETS; do table_row "$target" long "$LONG_CONCURRENCY"; done
    fi
    if [[ $STREAM == 1 ]]; then
        for target in $TARGETS; do table_row_with_governed "$target" stream "$STREAM_CONCURRENCY"; done
        if translated_on; then
            for target in $TRANSLATED_TARGETS; do table_row "$target" stream "$STREAM_CONCURRENCY"; done
        fi
    fi
    echo
    echo '+p50 ms: p50 minus direct p50 at the same c; +p50/nginx: its +p50 over nginx +p50; errors: non-2xx + socket'
    echo 'cpu us/rq: CPU time (user + system) of the serving process (nginx with its workers; the mock for direct) per request'
    has_target vertx && echo 'vertx: a Vert.x server + client proxy with no logic (bench/VertxProxy.java), the floor of the router'"'"'s stack'
    has_target netty && echo 'netty: the same proxy on plain Netty (bench/NettyProxy.java), the floor of the transport under Vert.x'
    [[ $LONG == 1 ]] && echo 'long: the chat request with a 25 KB prompt (prose with numbers); no target, a per-byte yardstick'
    translated_on && echo 'router translated: its "direct" is direct anthropic;' \
        '+p50/pass: its +p50 over the pass-through router +p50 (same mode and c)'
    governed_on && echo 'router governed: +p50/pass: its +p50 over the pass-through router +p50 (same mode and c)'
    echo
    for conns in $CONCURRENCY; do
        [[ $conns == 1 || $conns == 16 ]] && check_latency json "$conns"
    done
    # At c=1 RPS is just 1 / latency, already judged above; throughput means capacity under concurrent load.
    for conns in $CONCURRENCY; do
        ((conns > 1)) && check_throughput json "$conns"
    done
    if [[ $STREAM == 1 ]]; then
        check_latency stream "$STREAM_CONCURRENCY"
        check_throughput stream "$STREAM_CONCURRENCY"
    fi
    if translated_on; then
        for conns in $(translated_concurrency); do check_translated json "$conns"; done
        [[ $STREAM == 1 ]] && check_translated stream "$STREAM_CONCURRENCY"
    fi
    if governed_on; then
        for conns in $(governed_concurrency); do check_governed json "$conns"; done
        [[ $STREAM == 1 ]] && check_governed stream "$STREAM_CONCURRENCY"
    fi
    for conns in $CONCURRENCY; do
        ((conns > 1)) && note_floor json "$conns"
    done
    [[ $LONG == 1 ]] && note_floor long "$LONG_CONCURRENCY"
    [[ $STREAM == 1 ]] && note_floor stream "$STREAM_CONCURRENCY"
    return 0
}

load_average() { cut -d' ' -f1 /proc/loadavg; }

main() {
    local floor
    LOAD_BEFORE=$(load_average)
    # Every process here shares the same cores; a busy machine (a build, tests) makes the numbers meaningless.
    [[ $(calc '%d' "$LOAD_BEFORE >= 1") == 1 ]] && log "WARNING: load average is $LOAD_BEFORE; results will be noisy"
    # Fresh raw wrk outputs and logs (mock, nginx, router, build) each run, kept after it for a closer look.
    rm -rf "$RESULTS_DIR/raw" "$LOGS"
    mkdir -p "$RESULTS_DIR/raw" "$LOGS"
    ensure_tools
    ensure_build
    start_mock
    has_target nginx && start_nginx
    for floor in $FLOORS; do
        has_target "$floor" && start_floor "$floor"
    done
    has_target router && start_router
    governed_on && start_governed
    [[ $TRANSLATED == 1 ]] && ! has_target router && log "BENCH_TARGETS has no router: no translated rows"
    [[ $GOVERNED == 1 ]] && ! has_target router && log "BENCH_TARGETS has no router: no governed rows"
    check_answers
    warm_up
    measure_all
    report | tee "$RESULTS_DIR/latest.txt"
    log "table written to ${RESULTS_DIR#"$ROOT"/}/latest.txt; wrk output and logs in raw/ and logs/ next to it"
}

main "$@"
