# Sourced by the shell test scripts: the shell form of tests/skiporfail.h.
#   skip_or_fail WHAT   the machine lacks WHAT (Postfix, root, a session bus,
#                       swaks, a Python module ...): exit 77 (ctest's SKIP_RETURN_CODE)
#                       with "SKIP: WHAT", or under CI=true exit 1 with
#                       "FAIL: CI=true: required service missing: WHAT", so CI never
#                       passes while testing less.
skip_or_fail() {
    case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
    true | 1 | yes)
        echo "FAIL: CI=true: required service missing: $*"
        exit 1
        ;;
    esac
    echo "SKIP: $*"
    exit 77
}
