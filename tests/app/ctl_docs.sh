#!/usr/bin/env bash
# mailroute(1), mailroutectl(1) and the bash completion (issue 12, "Conventions"):
#  1. --help and --version of both programs work without a display and
#     touch nothing (HOME and XDG folders stay empty);
#  2. the completion script (`mailroutectl completion bash`, the file the build
#     installs) parses, and bash with it loaded and COMP_WORDS set offers the
#     commands, sub-commands, options, areas, setting keys and values;
#     every command and setting key it offers is one mailroutectl accepts;
#  3. the generated man pages name the programs and their commands.
#
#   ctl_docs.sh MAILROUTECTL MAILROUTE BUILD_DIR
set -uo pipefail
ctl=${1:?mailroutectl}
console=${2:?mailroute}
build=${3:?build dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# --- 1. Help and version: no display, no side effects.
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/runtime"
chmod 700 "$tmp/runtime"
quiet_env=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u MAILROUTE_DB HOME="$tmp/home"
           XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime")
for prog in "$ctl" "$console"; do
    name=$(basename "$prog")
    out=$("${quiet_env[@]}" "$prog" --help 2>&1) || fail "$name --help exits $?: $out"
    grep -q '^Usage: ' <<<"$out" || fail "$name --help has no Usage line: $out"
    out=$("${quiet_env[@]}" "$prog" --version 2>&1) || fail "$name --version exits $?: $out"
    grep -Eq "^$name [0-9]+\.[0-9]+" <<<"$out" || grep -Eq "^MailRoute [0-9]+\.[0-9]+" <<<"$out" ||
        fail "$name --version: $out"
done
left=$(find "$tmp/home" "$tmp/config" "$tmp/data" -mindepth 1 | head -5)
[ -z "$left" ] || fail "--help/--version wrote files: $left"

# --- 2. Completion.
script=$tmp/mailroutectl.bash
"$ctl" completion bash >"$script" || fail "mailroutectl completion bash exits $?"
bash -n "$script" || fail "the completion script does not parse"
built=$build/generated/bash-completion/mailroutectl
if [ -f "$built" ]; then
    cmp -s "$script" "$built" || fail "$built differs from mailroutectl completion bash"
fi
# Completes the last word of the arguments, as bash does at a TAB.
complete_words() {
    bash -c 'source "$1" || exit 3; shift
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
             _mailroutectl; printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@" | sort
}
expect_has() { # expect_has "WORDS..." -- offered...
    local words=() offered
    while [ "$1" != -- ]; do words+=("$1"); shift; done
    shift
    offered=$(complete_words "${words[@]}")
    for want in "$@"; do
        grep -qx -- "$want" <<<"$offered" || fail "'${words[*]}' does not offer $want (got: $(tr '\n' ' ' <<<"$offered"))"
    done
}
expect_exactly() { # expect_exactly "WORDS..." -- offered...
    local words=() offered want
    while [ "$1" != -- ]; do words+=("$1"); shift; done
    shift
    offered=$(complete_words "${words[@]}" | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$offered" = "$want" ] || fail "'${words[*]}' offers '$offered', expected '$want'"
}
expect_has mailroutectl '' -- domains users settings push diff serve completion help
expect_exactly mailroutectl dom -- domains
expect_exactly mailroutectl --db /tmp/x.db se -- secret serve settings
expect_exactly mailroutectl domains '' -- add list remove
expect_exactly mailroutectl domains list --area '' -- inbound outbound relay
expect_exactly mailroutectl routes set example.com mx.example.com --tls '' -- encrypt may verify
expect_exactly mailroutectl users import --a -- --allow-empty --area
expect_has mailroutectl settings get relay. -- relay.hostname relay.listen
expect_exactly mailroutectl settings set delivery.tls_policy '' -- encrypt may verify
expect_exactly mailroutectl secret set '' -- smarthost.password tls.key_passphrase
expect_exactly mailroutectl dkim generate example.com --algorithm '' -- ed25519 rsa-2048 rsa-3072
expect_has mailroutectl - -- --db --help --version
# Issue 14: status, serve's metrics options, --json of the listings.
expect_exactly mailroutectl sta -- status
expect_exactly mailroutectl serve --metrics- -- --metrics-file --metrics-interval
expect_has mailroutectl queue list - -- --json --spool
expect_has mailroutectl users export --area inbound - -- --json

# What it offers is what the parser takes (no drift).
for cmd in $(complete_words mailroutectl ''); do
    [ "$cmd" = help ] && continue # "help COMMAND" itself
    "$ctl" help "$cmd" | grep -q "^Usage: mailroutectl $cmd" || fail "completion offers '$cmd', mailroutectl has no such command"
done
for verb in $(complete_words mailroutectl domains ''); do
    "$ctl" domains "$verb" 2>&1 | grep -q "unknown domains command" && fail "completion offers 'domains $verb'"
done
db=$tmp/keys.db
for key in $(complete_words mailroutectl settings get ''); do
    "$ctl" --db "$db" settings get "$key" >/dev/null 2>&1 || fail "completion offers setting '$key', settings get refuses it"
done
nkeys=$(complete_words mailroutectl settings get '' | wc -l)
nlist=$("$ctl" --db "$db" settings list | awk 'NF' | wc -l)
[ "$nkeys" -ge 20 ] || fail "only $nkeys setting keys offered"
[ "$nkeys" -le "$nlist" ] || fail "$nkeys keys offered, settings list shows $nlist lines"

# --- 3. Man pages (built with help2man by the default target).
for prog in mailroute mailroutectl; do
    page=$build/generated/man/$prog.1
    if [ ! -f "$page" ]; then
        if command -v help2man >/dev/null; then fail "$page was not generated (build the default target)"; fi
        continue
    fi
    upper=$(tr '[:lower:]' '[:upper:]' <<<"$prog")
    grep -q "^\.TH $upper \"1\"" "$page" || fail "$page: no .TH $upper 1"
    grep -q '^\.SH NAME' "$page" || fail "$page: no NAME section"
    grep -q '^\.SH "SEE ALSO"' "$page" || fail "$page: no SEE ALSO section"
done
if [ -f "$build/generated/man/mailroutectl.1" ]; then
    for word in domains settings serve completion MAILROUTE_DB; do
        grep -q "$word" "$build/generated/man/mailroutectl.1" || fail "mailroutectl.1 does not mention $word"
    done
    # Every command's own help, as a subsection of COMMANDS.
    for cmd in domains users settings serve status dkim completion; do
        grep -qx "\.SS $cmd" "$build/generated/man/mailroutectl.1" || fail "mailroutectl.1 has no COMMANDS entry for $cmd"
    done
fi

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "ctl_docs: all checks passed"
