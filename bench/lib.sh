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
