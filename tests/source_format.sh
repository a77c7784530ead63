#!/usr/bin/env bash
# The code's shape (docs/architecture.md "Files, names and comments"): every
# C++ source and header under relaycore/, ui/, app/, tests/ and bench/ is
# formatted as .clang-format says (clang-format 14, Debian 12's), and none is
# longer than 1,000 lines: a class that outgrows that is split along its
# seams (see how relaycore/store/configstore_*.cpp or
# relaycore/smtp/smtpsession*.cpp do it). Prints every offending file and,
# for formatting, the command that fixes it.
#
#   source_format.sh SOURCE_DIR [CLANG_FORMAT]
set -uo pipefail
root=${1:?source dir}
cf=${2:-}
if [ -z "$cf" ]; then
    for c in clang-format-14 clang-format; do
        command -v "$c" >/dev/null 2>&1 && { cf=$c; break; }
    done
fi
[ -n "$cf" ] || { echo "clang-format is not installed (apt-get install clang-format-14)" >&2; exit 1; }
cd "$root" || exit 1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files -- 'relaycore/*.cpp' 'relaycore/*.h' 'ui/*.cpp' 'ui/*.h' 'app/*.cpp' 'app/*.h' \
                                         'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
else
    mapfile -t files < <(find relaycore ui app tests bench -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
fi
[ "${#files[@]}" -gt 0 ] || { echo "no source files found under $root" >&2; exit 1; }
status=0
long=()
for f in "${files[@]}"; do
    n=$(wc -l < "$f")
    [ "$n" -le 1000 ] || long+=("$f ($n lines)")
done
if [ "${#long[@]}" -gt 0 ]; then
    echo "Source files above 1,000 lines (split them along their seams):" >&2
    printf '  %s\n' "${long[@]}" >&2
    status=1
fi
unformatted=()
for f in "${files[@]}"; do
    "$cf" --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ "${#unformatted[@]}" -gt 0 ]; then
    echo "Files that differ from .clang-format; fix with: $cf -i FILE" >&2
    printf '  %s\n' "${unformatted[@]}" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "${#files[@]} source files formatted, none above 1,000 lines"
exit "$status"
