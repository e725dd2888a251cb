# Runs the suites of scripts/test: each one timed, the first failure ends the run, and the
# summary table prints on exit whatever happened.

SUITE_NAMES=()
SUITE_RESULTS=()
SUITE_SECONDS=()
SUITE_NOTES=()
RUN_STARTED=$SECONDS
# A suite runs in a subshell; it leaves a one-line note for the summary (counts, sizes) here.
SUITE_NOTE_FILE="$(mktemp)"
export SUITE_NOTE_FILE

note() { printf '%s' "$*" >"$SUITE_NOTE_FILE"; }

record_suite() {
    SUITE_NAMES+=("$1")
    SUITE_RESULTS+=("$2")
    SUITE_SECONDS+=("$3")
    SUITE_NOTES+=("$(cat "$SUITE_NOTE_FILE")")
    : >"$SUITE_NOTE_FILE"
}

# run_suite NAME COMMAND...: the command runs in a background subshell so that `set -e` holds
# inside it (a command on the left of `||` would run with errexit off).
run_suite() {
    local name=$1
    shift
    say "=== $name"
    : >"$SUITE_NOTE_FILE"
    local started=$SECONDS status=0
    ("$@") &
    wait $! || status=$?
    if ((status == 0)); then
        record_suite "$name" pass $((SECONDS - started))
    else
        record_suite "$name" "FAIL (exit $status)" $((SECONDS - started))
        die "suite '$name' failed (exit $status); its output is above"
    fi
}

# print_summary EXIT_STATUS
print_summary() {
    local status=$1
    rm -f "$SUITE_NOTE_FILE"
    ((${#SUITE_NAMES[@]} > 0)) || return "$status"
    printf '\n%-26s %-16s %8s  %s\n' suite result seconds notes
    printf '%-26s %-16s %8s  %s\n' -------------------------- ---------------- -------- -----
    local i
    for i in "${!SUITE_NAMES[@]}"; do
        printf '%-26s %-16s %8s  %s\n' "${SUITE_NAMES[$i]}" "${SUITE_RESULTS[$i]}" \
            "${SUITE_SECONDS[$i]}" "${SUITE_NOTES[$i]}"
    done
    local outcome="all suites passed"
    ((status == 0)) || outcome="FAILED, stopped at the first failing suite"
    printf '%s in %d s\n' "$outcome" $((SECONDS - RUN_STARTED))
    return "$status"
}

# bounded SECONDS COMMAND...: a hung test must fail the run, not hold CI until its own limit.
# timeout signals the command's whole process group, so the test binaries under cargo end too.
bounded() {
    local seconds=$1 status=0
    shift
    timeout --kill-after=15 "$seconds" "$@" || status=$?
    if ((status == 124 || status == 137)); then
        printf '[%s] ERROR: %s did not finish within %d s\n' "$SCRIPT_NAME" "$1" "$seconds" >&2
    fi
    return "$status"
}

# ---- the suites that need more than one command ----

lint_state_machine() {
    local wrapped="$LOG_DIR/state-machine.template.json"
    "$PY_VENV/bin/python" tests/template/wrap_state_machine.py statemachine/messages.asl.json >"$wrapped"
    cfn-lint "$wrapped"
}

sam_validate() {
    "$SAM_VENV/bin/sam" validate --lint --region us-east-1 --template-file template.yaml
}

cargo_test() {
    local log="$LOG_DIR/cargo-test.log"
    bounded 600 cargo test --workspace 2>&1 | tee "$log"
    local passed=0 failed=0 ignored=0 line p f i
    while read -r line; do
        [[ $line =~ ([0-9]+)\ passed\;\ ([0-9]+)\ failed\;\ ([0-9]+)\ ignored ]] || continue
        p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} i=${BASH_REMATCH[3]}
        passed=$((passed + p)) failed=$((failed + f)) ignored=$((ignored + i))
    done < <(grep -E '^test result:' "$log")
    say "cargo test summary lines:"
    grep -E '^test result:' "$log" | sort | uniq -c
    ((passed > 0)) || die "cargo test ran no test"
    # An ignored test is a skipped test: the project allows none.
    ((ignored == 0)) || die "cargo test ignored $ignored test(s); no test may be skipped"
    note "$passed passed, $failed failed"
    printf 'cargo-test: %d passed, %d failed\n' "$passed" "$failed"
}

asl_validate() {
    local asl="$ROOT/target/debug/asl"
    [[ -x $asl ]] || die "$asl is missing: the debug build should have built it"
    if ! "$asl" --help 2>&1 | grep -qw validate; then
        die "the engine CLI has no 'validate' subcommand yet (engine/cli/src/main.rs: asl validate FILE)"
    fi
    "$asl" validate statemachine/messages.asl.json
}

# All checks but use_after_free: DELETE cancels a job and the job stays readable (ABORTED), so
# a read after a DELETE is the contract, not a use after free. Long-polls rightly take up to
# 20 s, so no answer may take more than 25 s; four workers overlap those waits.
schemathesis_run() {
    # It leaves files in its working folder: keep them under target/.
    local workdir="$LOG_DIR/schemathesis"
    mkdir -p "$workdir"
    local log="$workdir/output.txt" status=0
    (cd "$workdir" && bounded 600 schemathesis --config-file "$ROOT/scripts/lib/schemathesis.toml" \
        run "$ROOT/openapi.yaml" --url "$BASE_URL" --checks all --no-color \
        --exclude-checks use_after_free --max-response-time 25 --request-timeout 30 --workers 4 \
        --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" --seed "${SCHEMATHESIS_SEED:-1}" \
        --report junit --report-junit-path "$workdir/junit.xml") 2>&1 | tee "$log" || status=$?
    ((status == 0)) || die "schemathesis found failures (server log: ${SERVER_LOG#"$ROOT"/})"
    note "$(grep -oE '[0-9]+ generated' "$log" | head -n 1) test cases, 0 failures"
}

# helper_script PATH: a suite owned by the frontend work, run against the server at BASE_URL.
helper_script() {
    local script=$1
    [[ -e $script ]] || die "$script is missing: it must exist (it runs its suite against BASE_URL)"
    [[ -x $script ]] || die "$script is not executable: chmod +x $script"
    BASE_URL="$BASE_URL" bounded 600 "$ROOT/$script" ||
        die "$script failed (server log: ${SERVER_LOG#"$ROOT"/})"
}

# The Lambda packages are the `Binary:` names in template.yaml, so the template and the build
# can't drift apart.
lambda_build() {
    local binaries packages=() name size sizes=()
    binaries=$(sed -n 's/^ *Binary: *\([A-Za-z0-9_-]*\) *$/\1/p' template.yaml)
    [[ -n $binaries ]] || die "template.yaml names no Binary: nothing to build"
    local known
    known=$(cargo metadata --no-deps --format-version 1 | "$PY_VENV/bin/python" -c \
        'import json, sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["packages"]))')
    for name in $binaries; do
        grep -qx "$name" <<<"$known" ||
            die "template.yaml builds '$name' but the workspace has no such package"
        packages+=(-p "$name")
    done
    # zig, which cargo-lambda links with, lives in the same venv. Build scripts run in their
    # crate's folder, so both paths must be absolute.
    PATH="$CARGO_LAMBDA_VENV/bin:$PATH" CARGO_ZIGBUILD_ZIG_PATH="$CARGO_LAMBDA_VENV/bin/python-zig" \
        cargo lambda build --release --x86-64 "${packages[@]}"
    for name in $binaries; do
        local bootstrap="target/lambda/$name/bootstrap"
        [[ -f $bootstrap ]] || die "cargo lambda built no $bootstrap"
        size=$(stat -c %s "$bootstrap")
        say "$bootstrap: $size bytes ($((size / 1024)) KiB), x86_64"
        sizes+=("$name $((size / 1024)) KiB")
    done
    say "arm64 is not built here: it needs the aarch64 standard library, which no reachable registry ships (see README)"
    note "x86_64: $(IFS=,; echo "${sizes[*]}" | sed 's/,/, /g')"
}
