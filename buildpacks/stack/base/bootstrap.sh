#!/usr/bin/env bash
# Makes Slipway's Debian base image when it is missing, for hosts that cannot pull one:
# debootstrap bookworm (minbase) from the host's own configured Debian mirror, then
# `docker import`. The image's apt sources point at that same mirror, so the stack
# Dockerfiles built FROM it install packages the way the host does.
#
# usage: bootstrap.sh IMAGE_TAG
# env:   SLIPWAY_DEBIAN_SUITE (default bookworm)
#        SLIPWAY_DEBIAN_MIRROR (default: parsed from the host's apt sources)
set -euo pipefail

say() { echo "bootstrap: $*"; }
die() { echo "bootstrap: error: $*" >&2; exit 1; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: bootstrap.sh IMAGE_TAG"
tag=$1
suite=${SLIPWAY_DEBIAN_SUITE:-bookworm}

command -v docker >/dev/null || die "docker client not found"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (docker info failed)"

if docker image inspect "$tag" >/dev/null 2>&1; then
    say "image $tag already exists"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "debootstrap needs root (running as uid $(id -u))"

# Prints "URI SUITES..." per enabled deb source of the host, from deb822 .sources files
# and one-line sources.list files alike.
host_sources() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: stanzas separated by blank lines; keep Types: deb stanzas that are enabled.
        awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "")
                    { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i], suites }
                types = ""; uris = ""; suites = ""; enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            { key = tolower($1); sub(/^[^:]*:[ \t]*/, "") }
            key == "types:"   { types = $0 }
            key == "uris:"    { uris = $0 }
            key == "suites:"  { suites = $0 }
            key == "enabled:" { enabled = tolower($0) }
            END { flush() }
        ' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [options] URI SUITE COMPONENTS...
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
    done
}

# The mirror is the source that carries the release suite itself (not -security, not -updates).
find_mirror() {
    host_sources | awk -v s="$suite" '{ for (i = 2; i <= NF; i++) if ($i == s) { print $1; exit } }'
}
# The security archive, if the host has one, so the image gets the same fixes as the host.
find_security() {
    host_sources | awk -v s="$suite-security" '{ for (i = 2; i <= NF; i++) if ($i == s) { print $1; exit } }'
}

mirror=${SLIPWAY_DEBIAN_MIRROR:-$(find_mirror)}
[ -n "$mirror" ] || die "no Debian mirror for '$suite' in the host's apt sources (/etc/apt/sources.list*); set SLIPWAY_DEBIAN_MIRROR"
mirror=${mirror%/}
security=$(find_security); security=${security%/}

if ! command -v debootstrap >/dev/null; then
    say "debootstrap is not installed; installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends debootstrap >/dev/null 2>&1; then
        apt-get update -q >/dev/null 2>&1 || true
        apt-get install -y -q --no-install-recommends debootstrap >/dev/null \
            || die "could not install debootstrap with apt-get"
    fi
fi

work=$(mktemp -d /tmp/slipway-base.XXXXXX)
cleanup() {
    # debootstrap mounts proc and sys inside the chroot; never delete through a mount left behind.
    local m
    for m in $(awk -v r="$work/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
root=$work/rootfs
log=$work/debootstrap.log

include=""
case "$mirror" in https:*) include="--include=ca-certificates" ;; esac

say "debootstrapping $suite (minbase) from the host's Debian mirror into $root"
start=$SECONDS
# shellcheck disable=SC2086
if ! debootstrap --variant=minbase $include "$suite" "$root" "$mirror" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "debootstrap of $suite from $mirror failed (log above)"
fi

# The image's own apt sources: the host's mirror (and security archive), nothing else.
rm -f "$root/etc/apt/sources.list"
{
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" "$suite" "$suite"
    if [ -n "$security" ]; then
        printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$security" "$suite"
    fi
} >"$root/etc/apt/sources.list.d/debian.sources"

# Container-friendly apt: no recommends by default, no translations, no kept .debs.
cat >"$root/etc/apt/apt.conf.d/90slipway" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
EOF
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log "$root"/tmp/*
# Containers get their own resolv.conf and hostname from the engine.
: >"$root/etc/resolv.conf"
: >"$root/etc/hostname"

say "importing the root filesystem as $tag"
tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --change "LABEL org.slipway.stack=base org.slipway.suite=$suite" \
    - "$tag" >/dev/null || die "docker import of $tag failed"

say "built $tag in $((SECONDS - start)) s"
