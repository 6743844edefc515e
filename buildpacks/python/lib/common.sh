# Output in Heroku's shape, and the classic way of reading config from ENV_DIR.
# Each buildpack carries its own copy so it can be used on its own.

topic() { echo "-----> $*"; }
# Detail lines are indented seven spaces, under the arrow's text; blank lines are dropped.
indent() { sed -u -e '/^[[:space:]]*$/d' -e 's/^/       /'; }
warn() { echo " !     Warning: $*"; }
fail() { echo " !     $*" >&2; exit 1; }

# Exports every config var in ENV_DIR (one file per variable, its content the value), except
# those that would break the build environment itself.
export_env_dir() {
    local env_dir=${1:-} deny='^(PATH|GIT_DIR|CPATH|CPPATH|LD_PRELOAD|LIBRARY_PATH|LD_LIBRARY_PATH|HOME|PWD|SHLVL|IFS)$'
    local f name
    [ -n "$env_dir" ] && [ -d "$env_dir" ] || return 0
    for f in "$env_dir"/*; do
        [ -f "$f" ] || continue
        name=${f##*/}
        [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
        [[ $name =~ $deny ]] && continue
        export "$name=$(cat "$f")"
    done
}

# A script that stops on an unexpected error says where, rather than ending silently.
trap 'rc=$?; echo " !     ${0##*/} stopped: line $LINENO exited with status $rc" >&2' ERR
