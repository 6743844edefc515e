#!/usr/bin/env bash
# Prints issue 16's Swarm figures: on a Swarm of three Docker engines made on this machine (the
# tests' harness: node containers on a network of their own, routers on node-1 and node-2 in the
# nodes' network namespaces, the platform's PostgreSQL on that network), with requests sent from
# the host only to the routers' ports published on 127.0.0.1, bounded in count and time:
#   - ps:scale web=1->30 until every dyno answers through a router   (goal < 15 s)
#   - 10 deploys while requests come at 100/s                          (goal: 0 failed)
#   - a leader controller killed with SIGKILL until the other leads and carries out a scale (< 10 s)
#   - a node killed under 100 requests/s: failed requests (< 1 %), until its dynos run elsewhere (< 20 s)
# The figures come from router/src/test/java/io/slipway/router/SwarmBench.java, which this runs
# through Maven (it is skipped in the normal test run); everything it makes is removed at the end.
# Usage: bench/swarm.sh   (needs what ./slipway test needs: Docker, a JDK 21+, Maven)
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
if [[ -z ${JAVA_HOME:-} ]]; then
    for jdk in /usr/lib/jvm/*; do
        [[ -x $jdk/bin/javac ]] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && export JAVA_HOME=$jdk
    done
fi
: "${JAVA_HOME:?bench/swarm.sh needs a JDK 21 or newer: set JAVA_HOME}"
echo "bench/swarm.sh: building (mvn install -DskipTests) ..." >&2
mvn -B -q -o install -DskipTests >&2 || mvn -B -q install -DskipTests >&2
echo "bench/swarm.sh: making a Swarm of 3 engines and running the figures (about 10 minutes) ..." >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! mvn -B -o test -pl router -Dtest=SwarmBench -Dslipway.bench=swarm -Dsurefire.failIfNoSpecifiedTests=false \
        -Dsurefire.printSummary=false >"$out" 2>&1; then
    grep -E "bench/swarm.sh|^  |ERROR|FAIL|Exception" "$out" | head -60 >&2
    echo "bench/swarm.sh: the run failed; the whole Maven output is in router/target/surefire-reports" >&2
    exit 1
fi
sed -n '/^bench\/swarm.sh: issue 16/,/^\[/p' "$out" | grep -v '^\['
