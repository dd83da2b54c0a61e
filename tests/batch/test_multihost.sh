#!/usr/bin/env bash
# scripts/series-parallel.sh on real separate hosts: two network namespaces, each with
# its own address and sshd, run the episodes of a small series over SSH (GNU Parallel),
# first on a shared folder, then with rsync transfers and a broken episode. Checks the
# episode folders, that both hosts worked, the published site and its order, resuming,
# the retry on the other host, the failure report and an interruption; then one episode
# cut into segments made on both hosts and joined, byte-identical to one host's. Skips (77)
# without root, except under CI=true where that is a failure.
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_SRC:?}" "${SOBRE_TMP:?}"
. "$SOBRE_SRC/tests/lib/need.sh"
need parallel rsync ffmpeg ssh ssh-keygen flock jq
SP="$SOBRE_SRC/scripts/series-parallel.sh"
mkdir -p "$SOBRE_TMP"
W=$(mktemp -d "$SOBRE_TMP/multihost.XXXXXX")
. "$SOBRE_SRC/tests/batch/sshhosts.sh"
# GNU Parallel's own cache stays in the test folder too (default ~/.parallel).
export PARALLEL_HOME="$W/parallel-home"
cleanup() {
  mh_down
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else ko "$2"; fi; }

# --- usage, before any host exists
out=$("$SP" --help); rc=$?
check '[ $rc -eq 0 ] && [[ $out == *"Usage: scripts/series-parallel.sh"* ]] && [[ $out == *"--transfer"* ]]' "--help rc=$rc"
"$SP" x.csv -S a 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q -- "-o OUT" "$W/err"' "no -o: rc=$rc $(cat "$W/err")"
"$SP" x.csv -o "$W/o" 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q -- "--sshlogin" "$W/err"' "no --sshlogin: rc=$rc"
"$SP" x.csv -o "$W/o" -S a --jobs 0 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q -- "--jobs" "$W/err"' "--jobs 0: rc=$rc"

# --- the series: three short clips (one with captions), titles that need CSV quoting
mkdir -p "$W/serie/masters" "$W/bin"
for c in basic.mp4 mono.mp4 sar.mp4; do
  p=$("$SOBRE_SRC/tests/lib/clips.sh" "$c") || { echo "cannot make $c"; exit 1; }
  cp "$p" "$W/serie/masters/$c"
done
cp "$SOBRE_SRC/tests/data/captions.vtt" "$W/serie/un.vtt"
cat >"$W/serie/serie.csv" <<'EOF'
file,title,description,captions,lang,id
masters/basic.mp4,"Épisode un, l’ouverture","Premier ""épisode""",un.vtt,fr,un
masters/mono.mp4,Épisode deux,,,fr,deux
masters/sar.mp4,Épisode trois,Le dernier,,fr,trois
EOF
titles=("Épisode un, l’ouverture" "Épisode deux" "Épisode trois")
ids=(un deux trois)

# The remote "sobre": notes the address of the host it runs on, then runs the real one.
cat >"$W/bin/sobre" <<EOF
#!/bin/sh
echo "\$(ip -o -4 addr show scope global | awk '{print \$4}' | head -n 1) \$*" >>"$W/calls.log"
exec "$SOBRE" "\$@"
EOF
chmod +x "$W/bin/sobre"
: >"$W/calls.log"

mh_up "$W/hosts" 2
rc=$?
# 77: no root or no namespaces. CI runs as root, so there that is a failure (need.sh).
[ $rc -eq 77 ] && missing "cannot make network namespaces with their own sshd (needs root)"
[ $rc -eq 0 ] || exit $rc
# Each run is bounded (sanitizer builds are several times slower).
RUN=(timeout 300 "$SP" --sshlogin "$MH_LOGINS" --ssh "$MH_SSH" --sobre "$W/bin/sobre"
  --local-sobre "$SOBRE" -p "$SOBRE_SRC/tests/data/fast.yaml")

# Every rendition named in report.json decodes to the end without an error.
renditions_ok() {
  local d=$1 f n=0
  [ -s "$d/report.json" ] || { echo "$d: no report.json"; return 1; }
  for f in "$d"/*.webm "$d"/*.mp4; do
    [ -e "$f" ] || continue
    grep -q "\"file\": \"$(basename "$f")\"" "$d/report.json" || { echo "$f not in report.json"; return 1; }
    ffmpeg -nostdin -v error -xerror -i "$f" -f null - 2>"$W/dec.err" && [ ! -s "$W/dec.err" ] ||
      { echo "$f: $(cat "$W/dec.err")"; return 1; }
    n=$((n + 1))
  done
  [ $n -eq 4 ] || { echo "$d: $n renditions, 4 expected"; return 1; }
}
# The titles appear in index.html in this order (byte offsets of first occurrences).
in_order() {
  local html=$1 t prev=-1 at
  shift
  for t in "$@"; do
    at=$(grep -b -o -F "$t" "$html" | head -n 1 | cut -d: -f1)
    [ -n "$at" ] && [ "$at" -gt "$prev" ] || { echo "'$t' missing or out of order"; return 1; }
    prev=$at
  done
}
hosts_of() { grep -F -e "--episode $1 " "$W/calls.log" | awk '{print $1}'; }

# --- 1. shared folder (the namespaces see the same files): every episode, then publish
"${RUN[@]}" "$W/serie/serie.csv" -o "$W/out" --publish "$W/site" >"$W/run1.out" 2>"$W/run1.err"
rc=$?
check '[ $rc -eq 0 ]' "shared run rc=$rc: $(cat "$W/run1.err")"
for id in "${ids[@]}"; do
  if msg=$(renditions_ok "$W/out/$id"); then ok; else ko "episode $id: $msg"; fi
done
check '[ -s "$W/out/un/captions.vtt" ] && grep -q -F "Premier \\\"épisode\\\"" "$W/out/un/report.json"' "captions and description of the CSV"
JL="$W/out/.series-parallel/joblog"
check '[ $(tail -n +2 "$JL" | wc -l) -eq 3 ] && [ $(tail -n +2 "$JL" | awk "\$7 == 0" | wc -l) -eq 3 ]' "joblog: 3 successful jobs: $(cat "$JL")"
check '[ $(tail -n +2 "$JL" | cut -f2 | sort -u | wc -l) -ge 2 ]' "joblog: jobs on one host only: $(cut -f2 "$JL" | tr '\n' ' ')"
check '[ $(awk "{print \$1}" "$W/calls.log" | sort -u | wc -l) -ge 2 ]' "episodes ran from one address only: $(cat "$W/calls.log")"
check 'grep -q "^10.77.1.2/" "$W/calls.log" && grep -q "^10.77.2.2/" "$W/calls.log"' "namespace addresses: $(cat "$W/calls.log")"
msg=$(in_order "$W/site/index.html" "${titles[@]}")
check '[ -z "$msg" ]' "site order: $msg"
check '[ $(ls "$W/site/episodes" | wc -l) -eq 3 ]' "site episodes: $(ls "$W/site/episodes")"

# --- 2. the same command again: nothing new runs, nothing changes
calls=$(wc -l <"$W/calls.log")
snap=$(cd "$W/out" && find un deux trois -type f -printf '%p %i %s %T@\n' | sort)
# (a dry run with other settings says what would happen and changes nothing)
"${RUN[@]}" "$W/serie/serie.csv" -o "$W/out" --quality off --dry-run >"$W/dry.out" 2>&1
rc=$?
check '[ $rc -eq 0 ] && grep -q "new joblog would start" "$W/dry.out" && grep -q "^parallel .*--episode {1} -q .*--quality" "$W/dry.out"' "dry run: rc=$rc $(cat "$W/dry.out")"
check '[ $(head -n 1 "$W/dry.out" | cut -f1) = un ] && [ -s "$JL" ] && [ ! -e "$JL.old" ]' "dry run changed the joblog"
"${RUN[@]}" "$W/serie/serie.csv" -o "$W/out" --publish "$W/site" >"$W/run2.out" 2>"$W/run2.err"
rc=$?
check '[ $rc -eq 0 ]' "rerun rc=$rc: $(cat "$W/run2.err")"
check '[ "$(wc -l <"$W/calls.log")" -eq "$calls" ]' "rerun ran episodes again: $(tail -n +$((calls + 1)) "$W/calls.log")"
check '[ $(tail -n +2 "$JL" | wc -l) -eq 3 ]' "rerun: joblog grew"
check '[ "$snap" = "$(cd "$W/out" && find un deux trois -type f -printf "%p %i %s %T@\n" | sort)" ]' "rerun changed episode files"
msg=$(in_order "$W/site/index.html" "${titles[@]}")
check '[ -z "$msg" ]' "site order after rerun: $msg"

# --- 3. nothing shared: rsync copies, a broken "video" among the episodes
mkdir -p "$W/serie2"
cp -r "$W/serie/masters" "$W/serie/un.vtt" "$W/serie2/"
cp "$("$SOBRE_SRC/tests/lib/clips.sh" random.bin)" "$W/serie2/masters/casse.mp4"
{ head -n 2 "$W/serie/serie.csv"; echo 'masters/casse.mp4,Épisode cassé,,,fr,casse'; tail -n 2 "$W/serie/serie.csv"; } >"$W/serie2/serie.csv"
: >"$W/calls.log"
"${RUN[@]}" "$W/serie2/serie.csv" -o "$W/out2" --transfer --publish "$W/site2" >"$W/run3.out" 2>"$W/run3.err"
rc=$?
check '[ $rc -eq 1 ]' "broken episode: rc=$rc"
check 'grep -q "episode failed: casse" "$W/run3.err"' "failure not named: $(cat "$W/run3.err")"
check '[ $(grep -c "episode failed" "$W/run3.err") -eq 1 ]' "other episodes reported failed: $(grep 'episode failed' "$W/run3.err")"
check 'grep -q "casse.mp4" "$W/run3.err"' "sobre's message about the file is not shown"
for id in "${ids[@]}"; do
  if msg=$(renditions_ok "$W/out2/$id"); then ok; else ko "transfer episode $id: $msg"; fi
done
check '[ ! -e "$W/out2/casse/report.json" ]' "broken episode has a report"
check '[ "$(hosts_of casse | sort -u | wc -l)" -eq 2 ]' "broken episode not retried on the other host: $(hosts_of casse | tr '\n' ' ')"
check 'grep -q "batch ./serie.csv -o . --episode" "$W/calls.log"' "transfer jobs ran on their own copies: $(head -n 1 "$W/calls.log")"
msg=$(in_order "$W/site2/index.html" "${titles[@]}")
check '[ -z "$msg" ]' "site2 order: $msg"
check '! grep -q "cassé" "$W/site2/index.html"' "broken episode published"
left=$(find "$W/hosts"/h*/home -mindepth 1 2>/dev/null | head -n 5)
check '[ -z "$left" ]' "remote copies left after --cleanup: $left"

# --- 4. rerun: only the broken episode runs again (twice, both hosts), still named
: >"$W/calls.log"
"${RUN[@]}" "$W/serie2/serie.csv" -o "$W/out2" --transfer --publish "$W/site2" >"$W/run4.out" 2>"$W/run4.err"
rc=$?
check '[ $rc -eq 1 ] && grep -q "episode failed: casse" "$W/run4.err"' "rerun of broken: rc=$rc"
check '[ "$(grep -c -v -e "--episode casse" "$W/calls.log")" -eq 0 ] && [ "$(wc -l <"$W/calls.log")" -eq 2 ]' "rerun ran: $(cat "$W/calls.log")"

# --- 5. interrupted mid-series (SIGTERM): no job lives on, here or on the hosts; the
# same command then finishes the series
: >"$W/calls.log"
"${RUN[@]:2}" "$W/serie/serie.csv" -o "$W/out3" >"$W/run5.out" 2>"$W/run5.err" &
spid=$!
for _ in $(seq 1 600); do
  grep -q -e "out3 --episode" "$W/calls.log" && break
  sleep 0.1
done
sleep 0.5
kill -TERM $spid
wait $spid
rc=$?
check '[ $rc -eq 130 ] && grep -q "interrupted" "$W/run5.err"' "interrupted run: rc=$rc $(cat "$W/run5.err")"
check '[ ! -e "$W/out3/un/report.json" ] || [ ! -e "$W/out3/trois/report.json" ]' "the series was done before the interruption"
# The remote side notices that its ssh is gone and stops the job: give it a moment.
for _ in $(seq 1 50); do
  left=$(pgrep -a -f -- "$W/out3") || break
  sleep 0.2
done
check '[ -z "$left" ]' "processes left after the interruption: $left"
# ... even with a third host whose sshd is down (connection refused): its jobs fail with
# ssh's 255 and go to the other hosts.
printf 'Host mhdown\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n' >>"$MH_DIR/ssh_config"
"${RUN[@]}" "$W/serie/serie.csv" -o "$W/out3" -S mhdown >"$W/run6.out" 2>"$W/run6.err"
rc=$?
check '[ $rc -eq 0 ]' "run after the interruption, a host down: rc=$rc $(cat "$W/run6.err")"
check '! cut -f2,7 "$W/out3/.series-parallel/joblog" | grep -q "^mhdown	0"' "a job succeeded on the host that is down"
for id in "${ids[@]}"; do
  if msg=$(renditions_ok "$W/out3/$id"); then ok; else ko "episode $id after the interruption: $msg"; fi
done

# --- 6. one episode in segments over both hosts (issue 18): segment jobs on both hosts,
# then the episode's job joins them; the joined files are byte-identical to a one-host
# segment encode here (a segment's bytes do not depend on the host that made it), with
# shared folders and with --transfer (segments copied back, joined here)
mkdir -p "$W/serie3/masters"
cp "$("$SOBRE_SRC/tests/lib/clips.sh" hd.mp4)" "$W/serie3/masters/hd.mp4"
printf 'file,title,id\nmasters/hd.mp4,Épisode en segments,long\n' >"$W/serie3/serie.csv"
"$SOBRE" encode -q -p "$SOBRE_SRC/tests/data/fast.yaml" --segments on "$W/serie3/masters/hd.mp4" -o "$W/onehost"
for how in shared transfer; do
  : >"$W/calls.log"
  "${RUN[@]}" "$W/serie3/serie.csv" -o "$W/seg-$how" --$how --segments on >"$W/seg-$how.out" 2>"$W/seg-$how.err"
  rc=$?
  check '[ $rc -eq 0 ]' "segments, $how: rc=$rc $(cat "$W/seg-$how.err")"
  segs=$(grep -F -e "--segment " "$W/calls.log")
  check '[ "$(grep -c . <<<"$segs")" -ge 3 ] && [ "$(awk "{print \$1}" <<<"$segs" | sort -u | wc -l)" -eq 2 ]' \
    "segments, $how: three segment jobs on both hosts: $segs"
  if msg=$(renditions_ok "$W/seg-$how/long"); then ok; else ko "segments, $how: $msg"; fi
  check '[ "$(jq -r .plan.mode "$W/seg-$how/long/report.json")" = segments ]' "segments, $how: not joined from segments"
  for f in vp9-low.webm vp9-sobre.webm h264.mp4 audio.webm; do
    check 'cmp -s "$W/seg-$how/long/$f" "$W/onehost/$f"' "segments, $how: $f differs from the one-host encode"
  done
done
check '[ -z "$(ls "$W/seg-transfer/long/.sobre/seg" 2>/dev/null)" ]' "segments left after the join"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
