#!/usr/bin/env bash
# sobre batch end to end: a CSV series with a hostile title and a broken master is
# encoded (the broken one fails alone, exit 1), published in CSV order with the title
# escaped, resumed (nothing re-encoded), selected with --episode, listed for scripts;
# a failed re-encode keeps the earlier files and publish keeps the earlier encode;
# bad CSVs and options (encode's too) are refused before anything runs; --lang and the
# CSV's lang column; SIGTERM stops cleanly.
set -u
. "$SOBRE_SRC/tests/lib/assert.sh"
T=$(mktemp -d "${SOBRE_TMP:-/tmp}/cli-batch.XXXXXX")
trap 'rm -rf "$T"' EXIT
need ffprobe jq
clips="$SOBRE_SRC/tests/lib/clips.sh"
fast="$SOBRE_SRC/tests/data/fast.yaml"
cd "$T" || exit 1
mkdir -p src
cp "$($clips basic.mp4)" src/one.mp4
cp "$($clips mono.mp4)" src/two.mp4
cp "$($clips random.bin)" src/broken.mp4
cp "$SOBRE_SRC/tests/data/captions.vtt" src/one.vtt
cat >series.csv <<'EOF'
file,title,description,captions,id
src/one.mp4,"Épisode 1 <script>alert(1)</script> & ""quotes""","Ligne 1
Ligne 2",src/one.vtt,un
src/broken.mp4,Cassé,,,casse
src/two.mp4,Épisode 2,,,deux
EOF

# help and usage errors
run "$SOBRE" batch --help
expect_status 0
expect_out "Usage: sobre batch SERIES.csv|SOURCE_DIR -o OUT_DIR"
run "$SOBRE" batch series.csv
expect_status 2
expect_err "missing -o OUT_DIR"
run "$SOBRE" batch series.csv -o out --jobs 0
expect_status 2
run "$SOBRE" batch series.csv -o out --episode nope
expect_status 2
expect_err "no episode with id 'nope'"
expect_no_file out/un

# --list: ids, files and captions in CSV order, for scripts (GNU Parallel, job arrays)
run "$SOBRE" batch series.csv --list
expect_status 0
check "--list is three TSV lines in order ($_out)" test "$_out" = "$(printf 'un\tsrc/one.mp4\tsrc/one.vtt\ncasse\tsrc/broken.mp4\t\ndeux\tsrc/two.mp4\t')"
run "$SOBRE" batch series.csv --list --json
check "--list --json has the title" test "$(jq -r '.[0].title' <<<"$_out")" = 'Épisode 1 <script>alert(1)</script> & "quotes"'

# the run: one episode fails, the others are encoded and published in CSV order
run "$SOBRE" batch series.csv -o out -p "$fast" --quality off --publish site --site-title "Série" --json --progress none
expect_status 1
expect_err "casse: failed: src/broken.mp4: not a readable media file"
check "JSON summary: statuses $(jq -c '[.episodes[].status]' <<<"$_out")" \
  test "$(jq -c '[.episodes[].status]' <<<"$_out")" = '["encoded","failed","encoded"]'
check "JSON summary: ok 2, failed 1, published 2" \
  test "$(jq -c '[.ok,.failed,.published.episodes,.published.exit_code]' <<<"$_out")" = '[2,1,2,0]'
check "failed episode has its message" jq -e '.episodes[1].message | test("broken.mp4")' <<<"$_out" >/dev/null
for id in un deux; do
  expect_file "out/$id/report.json"
  check "$id: renditions decode" bash -c "for f in out/$id/*.webm; do ffprobe -v error \"\$f\" >/dev/null || exit 1; done"
done
expect_no_file out/casse/report.json
check "episode 1 title kept" test "$(jq -r .title out/un/report.json)" = 'Épisode 1 <script>alert(1)</script> & "quotes"'
check "episode 1 description kept" test "$(jq -r .description out/un/report.json)" = $'Ligne 1\nLigne 2'
expect_file out/un/captions.vtt
expect_file site/index.html
check "no raw <script> from the title in the site" bash -c "! grep -q '<script>alert' site/index.html"
expect_file_contains site/index.html "&lt;script&gt;alert(1)&lt;/script&gt;"
check "site lists episode 1 before episode 2" bash -c \
  "grep -o 'Épisode [12]' site/index.html | uniq | tr '\n' ' ' | grep -q '^Épisode 1 Épisode 2'"
check "manifest has two episodes" test "$(jq '.episodes | length' site/manifest.json)" -eq 2

# rerun: nothing re-encoded (resume), same outcome
stamp=$(stat -c %Y out/un/report.json)
run "$SOBRE" batch series.csv -o out -p "$fast" --quality off --json --progress none
expect_status 1
check "rerun: up to date" test "$(jq -c '[.episodes[0].status,.episodes[2].status]' <<<"$_out")" = '["up_to_date","up_to_date"]'
check "rerun did not rewrite report.json" test "$(stat -c %Y out/un/report.json)" = "$stamp"

# --episode: only that one runs; progress as JSON events
run "$SOBRE" batch series.csv -o out -p "$fast" --quality off --episode deux --progress json --json
expect_status 0
check "--episode runs one episode" test "$(jq '.episodes | length' <<<"$_out")" -eq 1
check "JSON progress events on stderr" bash -c "grep '^{' <<<'$(grep '^{' <<<"$_err" | head -50)' | jq -e 'select(.event==\"done\" and .episode==\"deux\")' >/dev/null"

# a master replaced by garbage: the episode fails, its earlier files stay, and the
# site is published from the earlier encode
before=$(cd out/un && sha256sum -- *.webm | sha256sum)
cp src/broken.mp4 src/one.mp4
run "$SOBRE" batch series.csv -o out -p "$fast" --quality off --force --publish site --progress none
expect_status 1
expect_err "un: failed"
expect_err "un: publishing its earlier encode"
check "earlier renditions of un intact" test "$(cd out/un && sha256sum -- *.webm | sha256sum)" = "$before"
check "site still has episode 1" grep -q "Épisode 1" site/index.html

# bad CSVs: refused at once with file and row, nothing created
printf 'file,titel\nsrc/two.mp4,X\n' >typo.csv
run "$SOBRE" batch typo.csv -o out-typo
expect_status 1
expect_err "typo.csv: unknown column 'titel'"
expect_no_file out-typo
printf 'file,id\nsrc/two.mp4,a\nsrc/one.mp4,a\n' >dup.csv
run "$SOBRE" batch dup.csv -o out-dup
expect_status 1
expect_err "dup.csv: row 3: episode id 'a' is used twice"
run "$SOBRE" batch missing.csv -o out-missing
expect_status 1
expect_err "missing.csv: cannot open"

# encode's options are checked before anything runs: one message, no output folder
run "$SOBRE" batch series.csv -o out-opt --target-ssim 2
expect_status 2
expect_err "sobre batch: --target-ssim takes a number from 0.5 to 0.999"
expect_no_file out-opt
run "$SOBRE" batch series.csv -o out-opt -p nosuchpreset
expect_status 1
expect_err "sobre batch: no preset named 'nosuchpreset'"
expect_lines_err 1
expect_no_file out-opt
run "$SOBRE" batch series.csv -o out-opt -p "$fast" --enable nosuchrung
expect_status 1
expect_err "no rung 'nosuchrung'"
expect_no_file out-opt
run "$SOBRE" batch series.csv -o out-opt --title X
expect_status 2
expect_err "unknown option '--title'"
expect_no_file out-opt

# --lang is every episode's language unless the CSV's lang column gives one
printf 'file,lang,id\nsrc/two.mp4,en,anglais\nsrc/two.mp4,,defaut\n' >lang.csv
run "$SOBRE" batch lang.csv -o out-lang -p "$fast" --only audio --quality off --lang de -q
expect_status 0
check "CSV lang wins" test "$(jq -r .language out-lang/anglais/report.json)" = en
check "--lang for the others" test "$(jq -r .language out-lang/defaut/report.json)" = de

# a folder of masters with sidecars
mkdir -p dir
cp "$($clips mono.mp4)" dir/ep2.mp4
cp "$($clips mono.mp4)" dir/ep10.mp4
printf 'Deuxième\n\nSa description.\n' >dir/ep2.txt
run "$SOBRE" batch dir -o out-dir -p "$fast" --quality off --jobs 2 --publish site-dir -q
expect_status 0
check "quiet: no output ($_err)" test -z "$_err"
check "sidecar title" test "$(jq -r .title out-dir/ep2/report.json)" = "Deuxième"
check "sidecar description" test "$(jq -r .description out-dir/ep2/report.json)" = "Sa description."
check "name order ep2 before ep10" bash -c \
  "grep -o 'Deuxième\|ep10' site-dir/index.html | uniq | tr '\n' ' ' | grep -q '^Deuxième ep10'"

# SIGTERM: exit 130, children gone, nothing partial
mkdir -p long
cp "$($clips long.mp4)" long/a.mp4
cp "$($clips long.mp4)" long/b.mp4
"$SOBRE" batch long -o out-long -p "$fast" --jobs 2 --progress none 2>long.err &
pid=$!
for _ in $(seq 50); do
  [ -n "$(find out-long -name '*.part' 2>/dev/null)" ] && break
  sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM: exit 130 (got $rc: $(cat long.err))" test $rc -eq 130
check "SIGTERM: no encode left running" bash -c "! pgrep -f 'encode -o out-long/[ab]' >/dev/null"
check "SIGTERM: nothing partial" test -z "$(find out-long -name '*.part' -o -name '*.webm' 2>/dev/null)"
finish
