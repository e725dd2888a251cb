# Logging for the scripts: every line names the script that printed it, so a long CI log
# still says who failed.

say() { printf '[%s] %s\n' "${SCRIPT_NAME:-script}" "$*"; }

die() {
    printf '[%s] ERROR: %s\n' "${SCRIPT_NAME:-script}" "$*" >&2
    exit 1
}
