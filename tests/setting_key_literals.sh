#!/usr/bin/env bash
# One name per setting key (docs/architecture.md "Where to change what"): outside
# relaycore/routing/settingkeys.h, code in relaycore/, ui/ and app/ names a
# setting as SettingKey::limitsErrors(), never as the string "limits.errors".
# Fails on each key (as read from that header) spelt out as a whole string
# literal, with or without a u prefix, and on a settings table row that names
# its key by a literal (a setting added without its SettingKey name); prints
# the offending lines. Comments may quote keys; tests/ keeps the literals, as
# it checks the spelling an administrator types.
#
#   setting_key_literals.sh SOURCE_DIR
set -uo pipefail
root=${1:?source dir}
header=relaycore/routing/settingkeys.h
[ -s "$root/$header" ] || { echo "$header is missing" >&2; exit 1; }
keys=$(grep -oE 'QStringLiteral\("[a-z0-9_.]+"\)' "$root/$header" | sed -E 's/^QStringLiteral\("(.*)"\)$/\1/' | sort -u)
count=$(printf '%s\n' "$keys" | grep -c .)
[ "$count" -ge 40 ] || { echo "$header names only $count keys" >&2; exit 1; }
alternatives=$(printf '%s\n' "$keys" | sed 's/\./\\./g' | paste -sd'|')
pattern="(^|[^A-Za-z0-9_\"])(u8|u|U|L)?\"($alternatives)\""
table='(\bdef|\btlsPolicy)\(\s*"|SettingDef\{\s*(QStringLiteral|QLatin1String)\('
search() { # PATTERN: file:line:text for each match in the C++ sources
    if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$root" grep --untracked -nI -E "$1" -- 'relaycore/*.cpp' 'relaycore/*.h' 'ui/*.cpp' 'ui/*.h' \
            'app/*.cpp' 'app/*.h' ":!$header" 2>/dev/null
    else
        (cd "$root" && grep -rnI -E "$1" --include='*.cpp' --include='*.h' --exclude-dir='build*' \
            relaycore ui app 2>/dev/null | grep -v "^$header:")
    fi
}
# A hit counts when the key is still there once a trailing // comment is cut
# off, and the line is not itself part of a block comment.
found=$(search "$pattern" | while IFS= read -r hit; do
            code=${hit#*:*:}
            code=$(printf '%s\n' "$code" | sed -E 's#(^|[[:space:]])//.*$##')
            case $code in [[:space:]]\**|\**|/\**) continue ;; esac
            printf '%s\n' "$code" | grep -qE "$pattern" && printf '%s\n' "$hit"
        done)
rows=$(search "$table" | grep '^relaycore/config/settingsschema\.cpp:')
status=0
if [ -n "$found" ]; then
    echo "Setting keys spelt out (use their SettingKey name from $header):" >&2
    echo "$found" >&2
    status=1
fi
if [ -n "$rows" ]; then
    echo "Settings table rows that name their key by a literal (add the key to $header and use its name):" >&2
    echo "$rows" >&2
    status=1
fi
[ "$status" = 0 ] && echo "setting_key_literals: the $count setting keys are spelt only in $header"
exit $status
