# Sourced by bench/run.sh and bench/stress.sh: times one command as a whole process.
# Needs: $out (work folder), $results (the TSV appended to), $peer_timeout (seconds).
# $ONLY, when set, is a regular expression: operations whose names do not match are skipped.
# measure SIZE OP TOOL RUNS CMD...: one warm-up, then RUNS timed runs; "{i}" in the
# command is replaced by the run number. $PREP, if set, runs (untimed) before each run.
# Wall time from bash's $EPOCHREALTIME around timeout and /usr/bin/time (their fork/exec is
# measured as "process start floor (/bin/true)");
# peak RSS is the largest of the runs' maximum resident set sizes.
measure() {
  local size=$1 op=$2 tool=$3 n=$4; shift 4
  if [ -n "${ONLY:-}" ] && ! [[ "$op" =~ $ONLY ]]; then return 0; fi
  local i t0 t1 rss maxrss=0 times=() args a total=$n
  ((n > 1)) && total=$((n + 1))
  for ((i = 0; i < total; i++)); do
    args=(); for a in "$@"; do args+=("${a//\{i\}/$i}"); done
    if [ -n "${PREP:-}" ] && ! bash -c "$PREP" >/dev/null 2>"$out/err"; then
      echo "  $op ($tool): preparation failed: $(head -c 300 "$out/err")" >&2
      printf '%s\t%s\t%s\tNA\tNA\tNA\t0\t%s\n' "$size" "$op" "$tool" "preparation failed" >>"$results"
      return 0
    fi
    t0=$EPOCHREALTIME
    local rc=0
    timeout "$peer_timeout" /usr/bin/time -f %M -o "$out/rss" "${args[@]}" >/dev/null 2>"$out/err" || rc=$?
    # duban: 1 is a finding (e.g. remind "sent"), 2-4 are errors; 124 is the timeout.
    # A peer's non-zero exit is a failure too (tj3 exits 1 on a scheduling error),
    # except a Taskwarrior query that matched nothing (1).
    [ "$tool" = taskjuggler ] && [ $rc = 1 ] && rc=2
    # duban exits 1 for a finding only in remind ("sent"); elsewhere 1 is a refusal.
    [ "$tool" = duban ] && [ $rc = 1 ] && [[ "$op" != remind* ]] && rc=2
    case $rc in 2|3|4|124|125|126|127|137)
      echo "  $op ($tool): exit $rc: $(grep -v 'Command exited' "$out/err" | head -c 300)" >&2
      printf '%s\t%s\t%s\tNA\tNA\tNA\t0\t%s\n' "$size" "$op" "$tool" "$([ $rc = 124 ] && echo "timed out after ${peer_timeout} s" || echo "failed, exit $rc")" >>"$results"
      return 0;;
    esac
    t1=$EPOCHREALTIME
    rss=$(grep -E '^[0-9]+$' "$out/rss" | tail -1); rss=${rss:-0}
    ((rss > maxrss)) && maxrss=$rss
    ((i == 0 && n > 1)) && continue   # warm-up
    times+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
  done
  local stats
  stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.1f\t%.1f", m, a[1]}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$size" "$op" "$tool" "$stats" "$maxrss" "${#times[@]}" >>"$results"
  echo "  $op ($tool): median $(cut -f1 <<<"$stats") ms, peak $((maxrss / 1024)) MB" >&2
}
