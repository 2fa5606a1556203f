#!/usr/bin/env bash
# A WebLab cluster on one machine, for trying the scale-out out and for measuring it (issue 31). Everything on loopback,
# each service with a data folder of its own under $CLUSTER_DIR (default /tmp/weblab-cluster), stopped on exit.
#
#   bench/cluster.sh up [--workers N]   PostgreSQL 15 and Redis (Debian's packages, installed with apt-get when missing),
#                                       one web host with no worker of its own (WebLab:Workers:Local=false) on
#                                       http://127.0.0.1:5080, and N `queue-worker` hosts serving cpu (default 2), each
#                                       with a worker token it gets from the web host. Ctrl+C stops all.
#   bench/cluster.sh bench [--runs N]   the latency benchmark (bench/WebLab.Bench -- latency), side by side in one run:
#                                       the default single host on SQLite, then the web host + one worker process on
#                                       PostgreSQL + Redis. Prints the Markdown table (written to bench/cluster-latency.txt).
#
# Both use the Release build of src/WebLab.Web (built first). Sign-in is off (WebLab:Auth:Mode=None), which the lab
# allows on loopback only; a real cluster keeps it on and gives each host the same settings.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-up}; shift || true
workers=2 runs=20
while [[ $# -gt 0 ]]; do
    case $1 in --workers) workers=$2; shift 2;; --runs) runs=$2; shift 2;; *) echo "unknown argument $1" >&2; exit 2;; esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dir=${CLUSTER_DIR:-/tmp/weblab-cluster}
rm -rf "$dir"; mkdir -p "$dir"
pids=()
stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n ${pg_ctl:-} ]] && eval "$pg_ctl -D $dir/pg/data -m fast stop" >/dev/null 2>&1 || true
    [[ -f $dir/redis/pid ]] && kill "$(cat "$dir/redis/pid")" 2>/dev/null || true
}
trap stop EXIT
install() { [[ $(id -u) == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }

echo "building the lab (Release)…" >&2
dotnet build -c Release -v q -nologo src/WebLab.Web/WebLab.Web.csproj >/dev/null
[[ $mode == bench ]] && dotnet build -c Release -v q -nologo bench/WebLab.Bench/WebLab.Bench.csproj >/dev/null
web_dll=$PWD/src/WebLab.Web/bin/Release/net10.0/WebLab.Web.dll

start_services() {
    local bin=/usr/lib/postgresql/15/bin
    [[ -x $bin/initdb ]] || install postgresql-15
    [[ -x /usr/bin/redis-server ]] || install redis-server
    mkdir -p "$dir/pg" "$dir/redis"
    local as_pg=""
    if [[ $(id -u) == 0 ]]; then chown postgres: "$dir/pg"; as_pg="runuser -u postgres --"; fi
    $as_pg "$bin/initdb" -D "$dir/pg/data" -A trust -U weblab --no-sync >/dev/null
    pg_ctl="$as_pg $bin/pg_ctl"
    $pg_ctl -D "$dir/pg/data" -l "$dir/pg/log" -w -o "-p 15432 -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    redis-server --port 16379 --bind 127.0.0.1 --dir "$dir/redis" --save '' --appendonly no --daemonize yes \
        --pidfile "$dir/redis/pid" --logfile "$dir/redis/log"
    cluster_settings=(--WebLab:Database=Postgres "--WebLab:PostgresConnectionString=Host=127.0.0.1;Port=15432;Username=weblab;Database=postgres"
        --WebLab:Redis=127.0.0.1:16379 "--WebLab:Artifacts:Root=$dir/artifacts")
}

# web host on $1 (port) with its data folder $2 and more settings; waits until it answers
start_web() {
    local port=$1 data=$2; shift 2
    dotnet "$web_dll" --urls "http://127.0.0.1:$port" --WebLab:DataDirectory="$data" --WebLab:Auth:Mode=None \
        --WebLab:EnableDiagnosticMethods=true "$@" >"$data.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/api/methods" >/dev/null && return 0; sleep 0.5; done
    echo "the web host on $port did not answer; its log: $data.log" >&2; exit 1
}

# worker host $1 of the web host on port $2: a worker token from the web host (its Admin: sign-in is off), then the worker
start_worker() {
    local n=$1 port=$2 token
    token=$(curl -fs -X POST "http://127.0.0.1:$port/api/workers/tokens" -H 'content-type: application/json' -d "{\"name\":\"worker $n\"}" \
        | sed -E 's/.*"secret":"([^"]+)".*/\1/')
    WebLab__Workers__Token=$token dotnet "$web_dll" queue-worker --queues cpu --data "$dir/worker$n" --lab "http://127.0.0.1:$port" \
        --WebLab:EnableDiagnosticMethods=true "${cluster_settings[@]}" >"$dir/worker$n.log" 2>&1 &
    pids+=($!)
}

case $mode in
up)
    start_services
    start_web 5080 "$dir/web" --WebLab:Workers:Local=false "${cluster_settings[@]}"
    for n in $(seq 1 "$workers"); do start_worker "$n" 5080; done
    echo "WebLab cluster: http://127.0.0.1:5080 (Workers page: /workers), $workers worker host(s); logs in $dir. Ctrl+C stops it." >&2
    wait
    ;;
bench)
    out=bench/cluster-latency.txt
    bench=(dotnet bench/WebLab.Bench/bin/Release/net10.0/WebLab.Bench.dll latency --runs "$runs")
    {
        echo "# bench/cluster.sh bench --runs $runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD)"
        echo
        echo "| setup | measure | median | p95 | n |"
        echo "|---|---|---:|---:|---:|"
        start_web 5081 "$dir/single"      # the default: SQLite, the web host's own worker processes
        "${bench[@]}" --url http://127.0.0.1:5081 --label "single host, SQLite"
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
        start_services
        start_web 5082 "$dir/web" --WebLab:Workers:Local=false "${cluster_settings[@]}"
        start_worker 1 5082
        "${bench[@]}" --url http://127.0.0.1:5082 --label "PostgreSQL + Redis, 1 worker host"
    } >"$out"            # not a pipe: the services must start in this shell, whose exit stops them
    cat "$out"
    ;;
*) echo "usage: bench/cluster.sh up [--workers N] | bench [--runs N]" >&2; exit 2;;
esac
