# JDBC settings derived from DATABASE_URL at dyno start, as Heroku's JVM buildpacks do
# (heroku/java-getting-started and Spring Boot apps read them). The Java buildpack copies this
# file to .profile.d/jdbc.sh; every dyno and one-off process sources it before its command, so
# it only defines and exports: no exit, no set -e, and it leaves no functions behind.
#
#   DATABASE_URL=postgres://user:pass@host:5432/db?sslmode=require     (or postgresql://, mysql://)
#   JDBC_DATABASE_URL=jdbc:postgresql://host:5432/db?user=user&password=pass&sslmode=require
#   JDBC_DATABASE_USERNAME=user   JDBC_DATABASE_PASSWORD=pass   (percent-decoded)
#   SPRING_DATASOURCE_URL, _USERNAME, _PASSWORD: the same, unless DISABLE_SPRING_DATASOURCE_URL=true
#
# A variable that is already set (a config var) is left as it is. Unlike Heroku, no
# sslmode=require is added: Slipway's database add-ons listen on the app's own network without
# TLS. A URL that asks for it (?sslmode=require) keeps it.

# The value of a percent-encoded URL part, for the variables that carry the user and password alone.
__slipway_jdbc_decode() {
    local s=$1 out="" c
    while [ -n "$s" ]; do
        c=${s:0:1}
        if [ "$c" = % ] && [[ ${s:1:2} =~ ^[0-9A-Fa-f]{2}$ ]]; then
            printf -v c '%b' "\\x${s:1:2}"
            s=${s:3}
        else
            s=${s:1}
        fi
        out+=$c
    done
    printf '%s' "$out"
}

# __slipway_jdbc_set URL PREFIX: exports PREFIX_URL, PREFIX_USERNAME and PREFIX_PASSWORD.
__slipway_jdbc_set() {
    local url=$1 prefix=$2 scheme rest query="" path="" userinfo="" user="" pass="" params jdbc
    case "$url" in
        postgres://*|postgresql://*) scheme=postgresql ;;
        mysql://*) scheme=mysql ;;
        *) return 0 ;;
    esac
    rest=${url#*://}
    rest=${rest%%#*}
    if [[ $rest == *\?* ]]; then query=${rest#*\?}; rest=${rest%%\?*}; fi
    if [[ $rest == */* ]]; then path=${rest#*/}; rest=${rest%%/*}; fi
    if [[ $rest == *@* ]]; then userinfo=${rest%@*}; rest=${rest##*@}; fi
    user=${userinfo%%:*}
    [[ $userinfo == *:* ]] && pass=${userinfo#*:}
    # The user and password stay percent-encoded inside the URL, where the driver decodes them.
    params=""
    [ -n "$user" ] && params="user=$user"
    [ -n "$pass" ] && params="${params:+$params&}password=$pass"
    [ -n "$query" ] && params="${params:+$params&}$query"
    jdbc="jdbc:$scheme://$rest/$path${params:+?$params}"
    export "${prefix}_URL=$jdbc"
    export "${prefix}_USERNAME=$(__slipway_jdbc_decode "$user")"
    export "${prefix}_PASSWORD=$(__slipway_jdbc_decode "$pass")"
}

if [ -n "${DATABASE_URL:-}" ] && [ -z "${JDBC_DATABASE_URL:-}" ]; then
    __slipway_jdbc_set "$DATABASE_URL" JDBC_DATABASE
fi
if [ -n "${JDBC_DATABASE_URL:-}" ] && [ -z "${SPRING_DATASOURCE_URL:-}" ] \
        && [ "${DISABLE_SPRING_DATASOURCE_URL:-}" != true ]; then
    export SPRING_DATASOURCE_URL="$JDBC_DATABASE_URL"
    export SPRING_DATASOURCE_USERNAME="${JDBC_DATABASE_USERNAME:-}"
    export SPRING_DATASOURCE_PASSWORD="${JDBC_DATABASE_PASSWORD:-}"
fi
unset -f __slipway_jdbc_decode __slipway_jdbc_set
