# run_gates "cmd" ...: runs each command at once in the background, waits for all, and fails (exit 1) if
# any failed, printing the failed ones' output (a passing one prints nothing).
run_gates() {
  local dir cmd pids=() failed=0 i
  dir=$(mktemp -d)
  i=0
  for cmd in "$@"; do
    bash -c "$cmd" >"$dir/$i.out" 2>&1 &
    pids+=($!)
    i=$((i + 1))
  done
  i=0
  for cmd in "$@"; do
    if ! wait "${pids[$i]}"; then
      say "failed: $cmd"
      cat "$dir/$i.out" >&2
      failed=1
    fi
    i=$((i + 1))
  done
  rm -rf "$dir"
  return $failed
}
