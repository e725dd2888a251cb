# Starts the debug server binary on a free 127.0.0.1 port for the HTTP suites, and stops it by
# its pid.

SERVER_PID=""
SERVER_LOG=""

free_port() {
    "$PY_VENV/bin/python" -c \
        'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {
    local bin="$ROOT/target/debug/server" started=$SECONDS
    say "=== server"
    [[ -x $bin ]] || die "$bin is missing: the debug build should have built it"
    local port
    port=$(free_port)
    BASE_URL="http://127.0.0.1:$port"
    export BASE_URL
    SERVER_LOG="$LOG_DIR/server.log"
    HOST=127.0.0.1 "$bin" --port "$port" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null "$BASE_URL/healthz" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            SERVER_PID=""
            tail -n 30 "$SERVER_LOG" >&2
            record_suite server "FAIL (exited)" $((SECONDS - started))
            die "the server exited before answering /healthz (log: ${SERVER_LOG#"$ROOT"/})"
        fi
        if ((SECONDS > deadline)); then
            record_suite server "FAIL (timeout)" $((SECONDS - started))
            die "the server did not answer $BASE_URL/healthz within 60 s (log: ${SERVER_LOG#"$ROOT"/})"
        fi
        sleep 0.2
    done
    note "$BASE_URL"
    record_suite server pass $((SECONDS - started))
    say "server ready at $BASE_URL (pid $SERVER_PID)"
}

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
