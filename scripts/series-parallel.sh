#!/usr/bin/env bash
# Encodes a whole series on many machines with GNU Parallel over SSH: one
# `sobre batch SERIES --episode ID` job per episode, a failed episode retried on another
# host, a joblog so that a rerun resumes, then one `sobre publish` here, in series order.
# A long episode is spread too: one `--segment K` job per segment on the hosts first,
# then its episode job joins them. No scheduler of our own: each job is independent and
# idempotent.
set -uo pipefail

me="series-parallel"
usage() {
  cat <<'EOF'
Usage: scripts/series-parallel.sh SERIES.csv|SOURCE_DIR -o OUT --sshlogin LOGINS [options]
                                  [sobre batch options] [-- more sobre batch options]

Encodes every episode of a series on several machines with GNU Parallel over SSH:
one 'sobre batch SERIES --episode ID' per episode (episode folders OUT/ID), at most
JOBS episodes at a time on each host, a failed episode tried once more on another
host, then 'sobre publish OUT/ID... -o SITE' once, here, in the series' order.
Long episodes are cut into segments first: one 'sobre batch SERIES --episode ID
--segment K' job per segment over the hosts, then the episode's own job joins them
(with --transfer the joins run here, where the segments come back).
Rerunning the same command resumes: episodes that succeeded are not run again.

Options:
  -o, --output OUT       folder of the episode folders (OUT/ID) (required)
  -S, --sshlogin LOGINS  hosts, GNU Parallel syntax: comma-separated
                         [user@]host, 'N/host' for N jobs there, ':' for this
                         machine (required unless --sshloginfile)
      --sshloginfile F   hosts, one login per line (GNU Parallel's file format)
      --shared           (default) SERIES, OUT and the media have the same paths
                         on every host (NFS, CephFS, a cluster's home...)
      --transfer         the hosts share nothing: each job copies SERIES.csv, its
                         master and captions with rsync, and copies OUT/ID back;
                         remote copies are removed when done (--cleanup)
      --publish SITE     publish the episodes that succeeded into SITE when done
      --site-title T     site title for --publish
      --site-description D  text under the site title
      --base-url URL     absolute address of the site (podcast.xml)
      --publish-arg ARG  pass ARG to 'sobre publish' as is (repeat as needed)
  -j, --jobs N           jobs at once on each host (default 1: one encode
                         already uses every core of its host)
      --segments MODE    auto: episodes of 10 minutes or more are spread over the
                         hosts as segments; on: every episode of more than one
                         segment; off: whole episodes only (default: auto)
      --retries N        tries per episode, each on a host where it has not failed
                         yet (default 2)
      --sobre CMD        sobre on the remote hosts (default: sobre, from PATH)
      --local-sobre CMD  sobre on this machine, for --list and publish
                         (default: --sobre if it is a path here, else sobre)
      --ssh CMD          ssh command (default: $PARALLEL_SSH or ssh), e.g.
                         --ssh 'ssh -F cluster.conf'
      --joblog FILE      GNU Parallel's joblog (default OUT/.series-parallel/joblog)
      --parallel-arg ARG pass ARG to GNU Parallel as is (repeat as needed), e.g.
                         --parallel-arg --delay=2 (not --controlmaster with
                         --transfer: GNU Parallel 20221122 then runs a job twice)
      --fresh            start a new joblog: every episode runs again (complete
                         renditions are still kept by sobre)
      --dry-run          print the episodes and the GNU Parallel command, run nothing
  -q, --quiet            no per-episode output, only the summary and errors
  -h, --help             this help

sobre batch options, passed to every episode's job (see 'sobre batch --help'):
-p/--preset NAME|FILE, --enable IDS, --only IDS, --quality full|off,
--target-ssim X, --lang CODE, -f/--force, --no-verify, --threads N, and anything
after '--'.
A preset FILE is made absolute (--shared) or copied with each job (--transfer).

Remote hosts need: an SSH login without a password prompt (keys or an agent),
sobre in PATH (or --sobre /path/to/sobre) with its data files, and with --transfer
rsync. GNU Parallel is needed here only.

Exit status: 0 every episode encoded (and published), 1 an episode or the publish
failed (the failed episodes are named on stderr; the others are still published),
2 usage error, 130 interrupted (running jobs are stopped; rerun to resume).

Example:
  scripts/series-parallel.sh serie/serie.csv -o /nfs/serie-out -S enc1,enc2,enc3 \
      --publish /srv/www/serie -p default
EOF
}

die_usage() {
  echo "$me: $*" >&2
  echo "Try '$me --help'." >&2
  exit 2
}
die() {
  echo "$me: $*" >&2
  exit 1
}
say() { [ "$quiet" -eq 1 ] || echo "$me: $*" >&2; }
# Single-quoted for any POSIX shell: the job lines run in the remote login shell.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
absdir() { (cd "$1" 2>/dev/null && pwd -P); }
abspath() {
  local d
  d=$(absdir "$(dirname "$1")") || return 1
  printf '%s/%s' "$d" "$(basename "$1")"
}

series="" out="" site="" mode=shared jobs=1 retries=2 sobre_remote=sobre sobre_local=""
ssh_cmd="${PARALLEL_SSH:-}" joblog="" fresh=0 dry=0 quiet=0 segments=auto
logins=() loginfiles=() extra_popts=() batch_args=() publish_args=() preset=""
need() { [ $# -ge 2 ] || die_usage "$1 needs a value"; }
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    -o | --output) need "$@"; out=$2; shift 2 ;;
    -S | --sshlogin) need "$@"; logins+=("$2"); shift 2 ;;
    --sshloginfile) need "$@"; loginfiles+=("$2"); shift 2 ;;
    --shared) mode=shared; shift ;;
    --transfer) mode=transfer; shift ;;
    --publish) need "$@"; site=$2; shift 2 ;;
    --publish-arg) need "$@"; publish_args+=("$2"); shift 2 ;;
    -j | --jobs) need "$@"; jobs=$2; shift 2 ;;
    --retries) need "$@"; retries=$2; shift 2 ;;
    --sobre) need "$@"; sobre_remote=$2; shift 2 ;;
    --local-sobre) need "$@"; sobre_local=$2; shift 2 ;;
    --ssh) need "$@"; ssh_cmd=$2; shift 2 ;;
    --joblog) need "$@"; joblog=$2; shift 2 ;;
    --parallel-arg) need "$@"; extra_popts+=("$2"); shift 2 ;;
    --fresh) fresh=1; shift ;;
    --dry-run) dry=1; shift ;;
    -q | --quiet) quiet=1; shift ;;
    -p | --preset) need "$@"; preset=$2; shift 2 ;;
    --quality | --enable | --only | --target-ssim | --lang | --threads)
      need "$@"; batch_args+=("$1" "$2"); shift 2 ;;
    --segments) need "$@"; segments=$2; shift 2 ;;
    -f | --force | --no-verify) batch_args+=("$1"); shift ;;
    --site-title) need "$@"; publish_args+=(--title "$2"); shift 2 ;;
    --site-description) need "$@"; publish_args+=(--description "$2"); shift 2 ;;
    --base-url) need "$@"; publish_args+=(--base-url "$2"); shift 2 ;;
    --) shift; batch_args+=("$@"); break ;;
    -*) die_usage "unknown option '$1' (sobre batch options go after '--')" ;;
    *)
      [ -z "$series" ] || die_usage "one series only ('$series', then '$1')"
      series=$1; shift ;;
  esac
done
[ -n "$series" ] || die_usage "missing SERIES.csv or SOURCE_DIR"
[ -n "$out" ] || die_usage "missing -o OUT"
[ ${#logins[@]} -gt 0 ] || [ ${#loginfiles[@]} -gt 0 ] || die_usage "missing --sshlogin LOGINS"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die_usage "--jobs: '$jobs' is not a positive number"
[[ $retries =~ ^[1-9][0-9]*$ ]] || die_usage "--retries: '$retries' is not a positive number"
[[ $segments =~ ^(auto|on|off)$ ]] || die_usage "--segments takes auto, on or off"
command -v parallel >/dev/null || die "GNU Parallel is missing (Debian package 'parallel')"
[ -e "$series" ] || die "$series: no such file or folder"
if [ -z "$sobre_local" ]; then
  sobre_local=sobre
  [[ $sobre_remote == */* && -x $sobre_remote ]] && sobre_local=$sobre_remote
fi
command -v "$sobre_local" >/dev/null || die "sobre not found here ('$sobre_local'); use --local-sobre PATH"

# --- the episodes, in series order, as sobre batch reads them
if [ -d "$series" ]; then
  [ "$mode" = shared ] || die "$series: --transfer needs a SERIES.csv (a folder's sidecar files are not copied); use --shared"
  series_abs=$(absdir "$series") || die "$series: cannot open"
  series_dir=$series_abs
else
  series_abs=$(abspath "$series") || die "$series: cannot open"
  series_dir=$(dirname "$series_abs")
fi
mkdir -p "$out" || die "$out: cannot create the folder"
out_abs=$(absdir "$out") || die "$out: cannot open"
state="$out_abs/.series-parallel"
mkdir -p "$state" || die "$state: cannot create the folder"
[ -n "$joblog" ] || joblog="$state/joblog"

"$sobre_local" batch "$series_abs" --list >"$state/list.new" 2>"$state/list.err"
rc=$?
if [ $rc -ne 0 ]; then
  cat "$state/list.err" >&2
  rm -f "$state/list.new"
  die "$series: sobre batch --list failed (exit $rc)"
fi
mapfile -t ids < <(cut -f1 "$state/list.new")
[ ${#ids[@]} -gt 0 ] || die "$series: no episode"
dups=$(printf '%s\n' "${ids[@]}" | sort | uniq -d | tr '\n' ' ')
[ -z "$dups" ] || die "$series: episode ids used twice: $dups"

# A preset file travels with the jobs: an absolute path on a shared folder, a copy otherwise.
local_argv=("${batch_args[@]}") # what a job run here gets
transfer_opts=() preset_abs=""
if [ -n "$preset" ]; then
  if [ -f "$preset" ]; then
    preset_abs=$(abspath "$preset")
    local_argv=(-p "$preset_abs" "${local_argv[@]}")
    if [ "$mode" = shared ]; then
      batch_args=(-p "$preset_abs" "${batch_args[@]}")
    else
      transfer_opts+=(--transferfile "$(dirname "$preset_abs")/./$(basename "$preset_abs")")
      batch_args=(-p "./$(basename "$preset_abs")" "${batch_args[@]}")
    fi
  else
    batch_args=(-p "$preset" "${batch_args[@]}")
    local_argv=(-p "$preset" "${local_argv[@]}")
  fi
fi
local_args=""
for a in "${local_argv[@]}"; do local_args+=" $(q "$a")"; done

# Jobs input: ID, the master, the captions (the master again when there are none, so
# that an empty name never means "transfer the whole folder").
awk -F'\t' -v OFS='\t' '{ print $1, $2, ($3 == "" ? $2 : $3) }' "$state/list.new" >"$state/all.tsv"
if [ "$mode" = transfer ]; then
  bad=$(awk -F'\t' '{ for (i = 2; i <= 3; i++) {
      n = split($i, p, "/"); if ($i ~ /^\// || $i ~ /(^|\/)\.\.(\/|$)/) print $1 ": " $i;
      else if (p[1] == $1) print $1 ": " $i " (its folder has the episode id)" } }' "$state/all.tsv")
  [ -z "$bad" ] || die "--transfer copies files below the CSV's folder under the same relative name; these cannot be copied: $bad (use --shared)"
fi

# --- long episodes in segments: how many each has, asked here of 'sobre encode --plan'
# (the cut depends only on the master's duration and the ladder's keyframe interval, so
# every host cuts it the same way). An episode whose plan fails is left to its own job,
# which says why.
plan_args=()
[ -z "$preset" ] || plan_args=(-p "${preset_abs:-$preset}")
for ((i = 0; i < ${#batch_args[@]}; i++)); do
  case ${batch_args[$i]} in
    --enable | --only) plan_args+=("${batch_args[$i]}" "${batch_args[$((i + 1))]}") ;;
  esac
done
declare -A nseg
: >"$state/segjobs.tsv"
if [ "$segments" != off ]; then
  while IFS=$'\t' read -r id master caps; do
    m=$master
    [[ $m == /* ]] || m="$series_dir/$m"
    p=$("$sobre_local" encode "$m" -o "$state/plan/$id" "${plan_args[@]}" --segments on --plan 2>/dev/null)
    rm -rf "$state/plan"
    n=$(awk '$1 == "segments" { print $2; exit }' <<<"$p")
    d=$(awk '$1 == "duration" { print $2; exit }' <<<"$p")
    awk '$1 == "mode" && $2 == "segments:" { f = 1 } END { exit !f }' <<<"$p" || continue
    [ "${n:-1}" -gt 1 ] || continue
    [ "$segments" = on ] || awk -v d="${d:-0}" 'BEGIN { exit !(d >= 600) }' || continue
    nseg[$id]=$n
    for ((k = 1; k <= n; k++)); do printf '%s\t%s\t%s\t%s\n' "$id" "$k" "$master" "$caps"; done >>"$state/segjobs.tsv"
  done <"$state/all.tsv"
fi
# The episodes' jobs (column 4: their --segments). With --transfer, an episode made of
# segments is joined here, where its segments came back, not on a host.
: >"$state/jobs.tsv"
local_joins=()
while IFS=$'\t' read -r id master caps; do
  if [ -n "${nseg[$id]:-}" ] && [ "$mode" = transfer ]; then
    local_joins+=("$id")
  else
    printf '%s\t%s\t%s\t%s\n' "$id" "$master" "$caps" "$([ -n "${nseg[$id]:-}" ] && echo on || echo "$segments")"
  fi
done <"$state/all.tsv" >>"$state/jobs.tsv"

# The joblog knows episodes by job number (= line of jobs.tsv): it is kept only when the
# settings are the same and the old list is the start of the new one (episodes added at
# the end). Otherwise a new joblog starts; sobre still keeps complete renditions. The
# segments' joblog is kept while their list is the same.
sig=$({
  printf '%s\n' "$mode" "$sobre_remote" "$segments" "${batch_args[@]}" "${local_joins[@]}"
  [ -z "${preset_abs:-}" ] || sha256sum <"$preset_abs"
} | sha256sum | cut -d' ' -f1)
resume=(--resume-failed)
keep=0
if [ $fresh -eq 0 ] && [ -f "$state/signature" ] && [ -f "$state/list" ] &&
  [ "$(cat "$state/signature")" = "$sig" ] &&
  [ "$(head -n "$(wc -l <"$state/list")" "$state/list.new")" = "$(cat "$state/list")" ]; then
  keep=1
fi
seglog="$state/joblog-segments"
keepseg=0
if [ $keep -eq 1 ] && [ -f "$state/segjobs.last" ] && cmp -s "$state/segjobs.last" "$state/segjobs.tsv"; then
  keepseg=1
fi
rm -f "$state/list.err"

# --- the GNU Parallel commands: segments, then episodes
cmd_args=""
for a in "${batch_args[@]}"; do cmd_args+=" $(q "$a")"; done
base_popts=(--colsep '\t' --jobs "$jobs" --retries "$retries" "${resume[@]}")
[ ${#logins[@]} -eq 0 ] || base_popts+=(--sshlogin "$(IFS=,; echo "${logins[*]}")")
for f in "${loginfiles[@]}"; do base_popts+=(--sshloginfile "$f"); done
[ -z "$ssh_cmd" ] || base_popts+=(--ssh "$ssh_cmd")
base_popts+=("${extra_popts[@]}")
popts=("${base_popts[@]}" --joblog "$joblog" --tagstring '{1}')
spopts=("${base_popts[@]}" --joblog "$seglog" --tagstring '{1}/{2}')
if [ "$mode" = shared ]; then
  job="$(q "$sobre_remote") batch $(q "$series_abs") -o $(q "$out_abs") --episode {1} -q$cmd_args --segments {4}"
  segjob="$(q "$sobre_remote") batch $(q "$series_abs") -o $(q "$out_abs") --episode {1} --segment {2} -q$cmd_args"
else
  # '...': a new folder per job under the remote ~/.parallel/tmp, removed by --cleanup.
  tf=(--workdir ... --cleanup --transferfile "$series_dir/./$(basename "$series_abs")")
  popts+=("${tf[@]}" --transferfile "$series_dir/./{2}" --transferfile "$series_dir/./{3}"
    "${transfer_opts[@]}" --return "$out_abs/./{1}")
  spopts+=("${tf[@]}" --transferfile "$series_dir/./{3}" --transferfile "$series_dir/./{4}"
    "${transfer_opts[@]}" --return "$out_abs/./{1}")
  job="$(q "$sobre_remote") batch ./$(q "$(basename "$series_abs")") -o . --episode {1} -q$cmd_args --segments {4}"
  segjob="$(q "$sobre_remote") batch ./$(q "$(basename "$series_abs")") -o . --episode {1} --segment {2} -q$cmd_args"
fi
if [ $dry -eq 1 ]; then
  cat "$state/list.new"
  rm -f "$state/list.new"
  [ $keep -eq 1 ] || [ ! -s "$joblog" ] || echo "(series or settings changed: a new joblog would start)"
  if [ -s "$state/segjobs.tsv" ]; then
    printf 'parallel'
    for a in "${spopts[@]}"; do printf ' %s' "$(q "$a")"; done
    printf ' %s :::: %s\n' "$(q "$segjob")" "$(q "$state/segjobs.tsv")"
  fi
  printf 'parallel'
  for a in "${popts[@]}"; do printf ' %s' "$(q "$a")"; done
  printf ' %s :::: %s\n' "$(q "$job")" "$(q "$state/jobs.tsv")"
  for id in "${local_joins[@]}"; do
    printf '%s batch %s -o %s --episode %s --segments on -q%s\n' "$(q "$sobre_local")" \
      "$(q "$series_abs")" "$(q "$out_abs")" "$(q "$id")" "$local_args"
  done
  exit 0
fi
if [ $keep -eq 0 ] && [ -s "$joblog" ]; then
  mv -f "$joblog" "$joblog.old"
  say "series order or settings changed since the last run: every episode runs again, complete renditions are kept (previous joblog: $joblog.old)"
fi
[ $keepseg -eq 1 ] || [ ! -s "$seglog" ] || mv -f "$seglog" "$seglog.old"
cp "$state/segjobs.tsv" "$state/segjobs.last"
mv -f "$state/list.new" "$state/list"
echo "$sig" >"$state/signature"
nsegjobs=$(wc -l <"$state/segjobs.tsv")
say "${#ids[@]} episodes, $mode folders, hosts: ${logins[*]}${loginfiles[*]}"
[ "$nsegjobs" -eq 0 ] || say "${#nseg[@]} episode(s) in segments first: $nsegjobs segment jobs"
# In the background so that a signal here reaches GNU Parallel, which then stops its
# jobs (local ssh and the remote commands with them) instead of living on.
ppid="" interrupted=0
trap 'interrupted=1; [ -z "$ppid" ] || kill -TERM "$ppid" 2>/dev/null' INT TERM HUP
run_parallel() { # OPTS_ARRAY_NAME JOB JOBSFILE: sets prc
  local -n o=$1
  if [ $quiet -eq 1 ]; then
    parallel "${o[@]}" "$2" :::: "$3" >/dev/null &
  else
    parallel "${o[@]}" "$2" :::: "$3" >&2 &
  fi
  ppid=$!
  [ $interrupted -eq 0 ] || kill -TERM "$ppid" 2>/dev/null
  prc=0
  while :; do
    wait "$ppid"
    prc=$?
    kill -0 "$ppid" 2>/dev/null || break
  done
  ppid=""
}
interrupted_exit() {
  trap - INT TERM HUP
  echo "$me: interrupted; run the same command again to resume (joblog $joblog)" >&2
  exit 130
}
sprc=0
if [ "$nsegjobs" -gt 0 ]; then
  run_parallel spopts "$segjob" "$state/segjobs.tsv"
  sprc=$prc
  [ $interrupted -eq 0 ] || interrupted_exit
  # a failed segment is not lost: the episode's own job makes what is missing
  while IFS=$'\t' read -r seq h _ _ _ _ exitval signal _ cmd; do
    [[ $seq =~ ^[0-9]+$ ]] || continue
    [ "$exitval" = 0 ] && [ "$signal" = 0 ] && continue
    echo "$me: segment job $seq failed on $h (exit $exitval, signal $signal): its episode's job makes it" >&2
  done < <(cat "$seglog" 2>/dev/null)
fi
run_parallel popts "$job" "$state/jobs.tsv"
[ $interrupted -eq 0 ] || interrupted_exit
declare -A local_status
for id in "${local_joins[@]}"; do
  if "$sobre_local" batch "$series_abs" -o "$out_abs" --episode "$id" --segments on -q "${local_argv[@]}"; then
    local_status[$id]=ok
  else
    local_status[$id]="exit $? here"
  fi
  [ $interrupted -eq 0 ] || interrupted_exit
done
trap - INT TERM HUP

# --- which episodes are done: the last joblog line of each job number (seq = list line)
declare -A status host
while IFS=$'\t' read -r seq h _ _ _ _ exitval signal _; do
  [[ $seq =~ ^[0-9]+$ ]] || continue
  if [ "$signal" != 0 ]; then
    status[$seq]="signal $signal"
  elif [ "$exitval" != 0 ]; then
    status[$seq]="exit $exitval"
  else
    status[$seq]=ok
  fi
  host[$seq]=$h
done < <(cat "$joblog" 2>/dev/null)
declare -A seq_of
n=0
while IFS=$'\t' read -r id _; do n=$((n + 1)); seq_of[$id]=$n; done <"$state/jobs.tsv"
done_dirs=() failed=()
for i in "${!ids[@]}"; do
  id=${ids[$i]} seq=${seq_of[${ids[$i]}]:-none}
  st=${status[$seq]:-${local_status[$id]:-not run}}
  if [ "$st" = ok ] && [ -f "$out_abs/$id/report.json" ]; then
    done_dirs+=("$out_abs/$id")
  elif [ "$st" = ok ]; then
    failed+=("$id (no report.json in $out_abs/$id)")
  else
    failed+=("$id ($st${host[$seq]:+ on ${host[$seq]}})")
  fi
done
say "${#done_dirs[@]} of ${#ids[@]} episodes encoded in $out_abs (joblog $joblog)"

rc=0
# Above 100, GNU Parallel itself failed (options, ssh setup), whatever the joblog says.
if [ $prc -gt 100 ] || [ $sprc -gt 100 ]; then
  echo "$me: GNU Parallel failed (exit $prc)" >&2
  rc=1
fi
if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do echo "$me: episode failed: $f" >&2; done
  rc=1
fi
if [ -n "$site" ] && [ ${#done_dirs[@]} -gt 0 ]; then
  qa=()
  [ $quiet -eq 0 ] || qa=(-q)
  if "$sobre_local" publish "${done_dirs[@]}" -o "$site" "${qa[@]}" "${publish_args[@]}"; then
    say "published ${#done_dirs[@]} episodes into $site"
  else
    echo "$me: sobre publish into $site failed" >&2
    rc=1
  fi
fi
exit $rc
