# shellcheck shell=bash
# What the bench scripts share; each sources it right after finding TOP.

# A TCP port nobody listens on at 127.0.0.1 (other than $1, one already picked).
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        [[ $port != "${1:-}" ]] || continue
        # shellcheck disable=SC2016 # the inner script expands its own argument
        timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$port" 2>/dev/null || { echo "$port"; return; }
    done
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# After `slipway down` of a platform this script started on an engine it shares: down leaves the
# platform's containers, images, volumes, networks and host firewall chain to a dockerd that keeps
# running (they guard dynos that may still run); a bench removes them, so that it can run again
# and leaves nothing behind. Reads the platform's id from $SLIPWAY_HOME/run/firewall.
forget_platform() {
    local chain interfaces id
    [[ -r $SLIPWAY_HOME/run/firewall ]] || return 0
    read -r chain interfaces <"$SLIPWAY_HOME/run/firewall" || true
    [[ $chain =~ ^SLIPWAY-([0-9a-f]{8})$ ]] || return 0
    id=${BASH_REMATCH[1]}
    [[ $interfaces =~ ^sw[0-9a-f]{5}\+$ ]] || return 0
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
        docker ps -aq --filter "label=io.slipway.platform=$id" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
        docker images -q --filter "label=io.slipway.platform=$id" | xargs -r docker rmi -f >/dev/null 2>&1 || true
        docker volume ls -q --filter "label=io.slipway.platform=$id" | xargs -r docker volume rm >/dev/null 2>&1 || true
        docker network ls -q --filter "label=io.slipway.platform=$id" | xargs -r docker network rm >/dev/null 2>&1 || true
    fi
    if command -v iptables >/dev/null; then
        while iptables -w -D INPUT -i "$interfaces" -j "$chain" 2>/dev/null; do :; done
        if iptables -w -F "$chain" 2>/dev/null; then iptables -w -X "$chain" 2>/dev/null || true; fi
    fi
}
