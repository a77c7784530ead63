#!/usr/bin/env bash
# The repository documents itself (docs/architecture.md "Files, names and
# comments"): no tracked file may send its reader to a file outside the
# repository. Fails on the product spec and the code conventions cited by
# their old names (the upper-case words, with or without ".md" or a section
# sign), on paths into a shared or notes folder of the machine the code was
# written on, and prints each offending line. Comments point at a section
# of docs/behaviour.md or docs/architecture.md instead, by its title in
# double quotes after the file name.
# The patterns are spelt with brackets so that this file does not match them.
#
#   docs_references.sh SOURCE_DIR
set -uo pipefail
root=${1:?source dir}
pattern='(^|[^A-Za-z_])(S[P]EC|CONVENTION[S])([^A-Za-z_]|$)|\.\./[s]hared/|/work/([s]hared|[n]otes)([/ ]|$)'
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    found=$(git -C "$root" grep -nI -E "$pattern" -- . 2>/dev/null)
else
    # A source tree without git (a tarball): the same over every text file.
    found=$(cd "$root" && grep -rnI -E "$pattern" --exclude-dir=.git --exclude-dir='build*' . 2>/dev/null)
fi
if [ -n "$found" ]; then
    echo "References to files outside the repository (point them at docs/behaviour.md or docs/architecture.md):" >&2
    echo "$found" >&2
    exit 1
fi
# The documents the comments point at exist.
for doc in docs/behaviour.md docs/architecture.md; do
    [ -s "$root/$doc" ] || { echo "$doc is missing" >&2; exit 1; }
done
# Every section a comment names (the file name, then the title in quotes) exists.
missing=0
refs=$(if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
           git -C "$root" grep -hoI -E "docs/(behaviour|architecture)\.md,? \"[^\"]+\"" -- . ':!docs'
       else
           cd "$root" && grep -rhoI -E "docs/(behaviour|architecture)\.md,? \"[^\"]+\"" --exclude-dir=.git \
               --exclude-dir='build*' --exclude-dir=docs .
       fi | sort -u)
while IFS= read -r ref; do
    [ -n "$ref" ] || continue
    doc=${ref%%.md*}.md
    title=${ref#*\"}
    title=${title%\"}
    grep -qxF -e "## $title" -e "### $title" "$root/$doc" ||
        { echo "$doc has no section \"$title\" (cited as: $ref)" >&2; missing=$((missing + 1)); }
done <<<"$refs"
[ "$missing" = 0 ] || exit 1
echo "docs_references: no reference to a file outside the repository; every cited section exists"
