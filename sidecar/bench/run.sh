#!/usr/bin/env bash
# The benchmark in one command (see docs/benchmark.md): the same chat request straight to an
# upstream emulator, through nginx and through the sidecar; prints added latency, throughput,
# CPU per request and RSS against DESIGN.md section 10's targets.
#   sidecar/bench/run.sh [--option value]...     (--help lists the options)
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

jar=sidecar/target/tollgate-sidecar.jar
classes=sidecar/target/test-classes
# Build when the jar or the harness is missing, or older than a source: never measure stale code.
if [[ ! -f $jar || ! -f $classes/dev/tollgate/bench/BenchMain.class ]] \
    || [[ -n $(find sidecar/src sidecar/pom.xml pom.xml -newer "$jar" -type f -print -quit) ]]; then
  echo "building the sidecar" >&2
  ./mvnw -B -q -DskipTests -pl sidecar package
fi

# The harness's own libraries beyond the jar: the upstream clients the candidates phase compares
# (Apache HttpClient 5 is a test dependency only; the sidecar calls providers with Undertow's client).
deps=sidecar/target/bench-classpath.txt
if [[ ! -f $deps || sidecar/pom.xml -nt $deps || pom.xml -nt $deps ]]; then
  ./mvnw -B -q -pl sidecar dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi

# The load generator's JVM: one GC thread and a fixed heap, so it takes little from the 2 cores.
exec java -XX:+UseSerialGC -Xms256m -Xmx256m -cp "$jar:$classes:$(cat "$deps")" dev.tollgate.bench.BenchMain "$@"
