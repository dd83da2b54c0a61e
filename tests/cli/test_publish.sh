#!/usr/bin/env bash
# sobre publish as a user runs it: the site's files (the admin kit beside it, never in
# it), republishing (unchanged media are linked, never copied again), pagination, the
# footprint options, report.json only read (a size that differs is said), and every bad
# input refused with a message naming the file, exit 1, and the previous site untouched.
set -uo pipefail
. "$SOBRE_SRC/tests/lib/need.sh"
need ffmpeg
: "${SOBRE:?}" "${SOBRE_SRC:?}" "${SOBRE_TMP:?}"
mkdir -p "$SOBRE_TMP"
W=$(mktemp -d "$SOBRE_TMP/publish-cli.XXXXXX")
trap 'rm -rf "$W"' EXIT
FAKE="$SOBRE_SRC/tests/lib/fake-episode.sh"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else ko "$2"; fi; }
# A listing of the site with inodes and sizes: any change to it shows.
snap() { (cd "$1" && find . -printf '%p %i %s %T@\n' | sort); }

"$FAKE" "$W/ep1" "Premier épisode" "Une description." --footprint || exit 1
"$FAKE" "$W/ep2" '<script>alert("x")</script> "q" ../../etc ✨ עברית' || exit 1
"$FAKE" "$W/ep3" "Troisième" || exit 1

# --- usage
out=$("$SOBRE" publish --help); rc=$?
check '[ $rc -eq 0 ] && [[ $out == *"Usage: sobre publish"* ]]' "--help: rc=$rc"
"$SOBRE" publish "$W/ep1" 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q -- "-o SITE" "$W/err"' "no -o: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --lang de 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q "de" "$W/err"' "--lang de: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --bogus 2>/dev/null; rc=$?
check '[ $rc -eq 2 ]' "unknown option: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --base-url 'javascript:alert(1)' 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "base URL" "$W/err" && [ ! -e "$W/x" ]' "bad base url: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --title $'Latin-1 \xe9t\xe9' 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "not UTF-8" "$W/err" && [ ! -e "$W/x" ]' "non-UTF-8 title: rc=$rc"

# --- first publish
S="$W/site"
"$SOBRE" publish "$W/ep1" "$W/ep2" -o "$S" --title 'Série <b>"test"</b>' --json >"$W/out.json"; rc=$?
check '[ $rc -eq 0 ]' "publish rc=$rc"
for f in index.html style.css sobre.js serie.m3u serie-audio.m3u podcast.xml manifest.json \
  ecoconception.html empreinte.html empreinte.svg episodes/premier-episode/index.html; do
  check '[ -s "$S/$f" ]' "missing $f"
done
# the admin kit: beside the site, never in the published tree
for f in .htaccess web.config nginx-sobre.conf LISEZMOI-ADMIN.txt; do
  check '[ -s "$S-admin/$f" ] && [ ! -e "$S/$f" ]' "admin file $f: in $S or missing from $S-admin"
done
check 'grep -q "\"files_linked\": 12" "$W/out.json"' "12 media linked: $(cat "$W/out.json")"
check '[ $(ls "$S/episodes" | wc -l) -eq 2 ]' "two episode folders"
check 'grep -q "<title>Série &lt;b&gt;&quot;test&quot;&lt;/b&gt;</title>" "$S/index.html"' "site title escaped"
check '! grep -q "<script>alert" "$S/index.html" "$S/podcast.xml" "$S/ecoconception.html"' "raw script tag"
check '! grep -rqE "https?://" "$S"/*.html "$S"/*.css "$S"/*.js "$S"/*.m3u "$S"/*.xml "$S"/*.json' "external URL in the site"
check '[ -z "$(find "$S" -name "*..*" -o -name "*script*" -path "*/../*")" ]' "path escape"
check '[ "$(stat -c %i "$W/ep1/audio.webm")" = "$(stat -c %i "$S/episodes/premier-episode/audio.webm")" ]' "media hard-linked"
check '[ "$(stat -c %a "$S")" = 755 ]' "site folder mode $(stat -c %a "$S")"
check '[ -z "$(ls -A "$W" | grep sobre-tmp)" ]' "temporary folder left"
check 'grep -q "^#EXTM3U" "$S/serie.m3u" && [ $(grep -c "^#EXTINF:3," "$S/serie.m3u") -eq 2 ]' "m3u"
check '! grep -q "^\.\./" "$S/serie.m3u"' "m3u path"

# --- republish with one more episode: unchanged media come from the old site
before=$(stat -c %i "$S/episodes/premier-episode/vp9-480p.webm")
"$SOBRE" publish "$W/ep1" "$W/ep2" "$W/ep3" -o "$S" --json >"$W/out2.json"; rc=$?
check '[ $rc -eq 0 ]' "republish rc=$rc"
check 'grep -q "\"files_reused\": 12" "$W/out2.json" && grep -q "\"files_linked\": 6" "$W/out2.json" && grep -q "\"files_copied\": 0" "$W/out2.json"' "reuse counts: $(cat "$W/out2.json")"
check '[ "$before" = "$(stat -c %i "$S/episodes/premier-episode/vp9-480p.webm")" ]' "same inode after republish"
check '[ $(grep -c "<article" "$S/index.html") -eq 3 ]' "three articles"

# --- a re-encoded file (new file, same size, other mtime) is taken again
cp "$W/ep3/audio.webm" "$W/new.webm" && touch -d "2020-01-01" "$W/new.webm" && mv "$W/new.webm" "$W/ep3/audio.webm"
"$SOBRE" publish "$W/ep1" "$W/ep2" "$W/ep3" -o "$S" --json >"$W/out3.json"; rc=$?
check '[ $rc -eq 0 ] && grep -q "\"files_reused\": 17" "$W/out3.json" && grep -q "\"files_linked\": 1" "$W/out3.json"' "changed file relinked: $(cat "$W/out3.json")"

# --- another file system: media are copied once (mtime kept), then reused
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$W")" ]; then
  X=$(mktemp -d /dev/shm/sobre-publish.XXXXXX)
  "$SOBRE" publish "$W/ep1" -o "$X/site" --json >"$W/out4.json"; rc=$?
  check '[ $rc -eq 0 ] && grep -q "\"files_copied\": 6" "$W/out4.json"' "cross-device copy: $(cat "$W/out4.json")"
  check '[ "$(stat -c %Y "$W/ep1/vp9-480p.webm")" = "$(stat -c %Y "$X/site/episodes/premier-episode/vp9-480p.webm")" ]' "copy keeps mtime"
  "$SOBRE" publish "$W/ep1" -o "$X/site" --json >"$W/out5.json"; rc=$?
  check '[ $rc -eq 0 ] && grep -q "\"files_reused\": 6" "$W/out5.json" && grep -q "\"files_copied\": 0" "$W/out5.json"' "no second copy: $(cat "$W/out5.json")"
  rm -rf "$X"
fi

# --- pagination
"$SOBRE" publish "$W/ep1" "$W/ep2" "$W/ep3" -o "$W/paged" --per-page 2 -q; rc=$?
check '[ $rc -eq 0 ] && [ -s "$W/paged/page-2.html" ] && [ ! -e "$W/paged/page-3.html" ]' "pagination"
check 'grep -q "rel=\"next\" *>\|rel=\"next\">" "$W/paged/index.html" && grep -q "rel=\"prev\"" "$W/paged/page-2.html"' "pager links"
check '[ $(grep -c "<article" "$W/paged/page-2.html") -eq 1 ]' "one article on page 2"
"$SOBRE" publish "$W/ep1" -o "$W/en" --lang en -q; rc=$?
check '[ $rc -eq 0 ] && grep -q "Listen only" "$W/en/index.html" && [ -s "$W/en-admin/README-ADMIN.txt" ] && [ ! -e "$W/en/README-ADMIN.txt" ]' "english site"

# --- the footprint is computed by publish itself, the same as sobre footprint's
fp_total() { # site episode-slug rendition-id -> total gCO2e per view on the compared format
  jq -r --arg s "$2" --arg r "$3" '.episodes[] | select(.slug == $s) | .renditions[] | select(.id == $r) | .footprint.total_gco2e_per_view' "$1/manifest.json"
}
if command -v jq >/dev/null; then
  want=$("$SOBRE" footprint "$W/ep1" --json --device smartphone --network mobile-4g-fr |
    jq -r '.table[] | select(.rendition == "vp9-360p") | .total_gco2e_per_view')
  check '[ -n "$want" ] && [ "$(fp_total "$S" premier-episode vp9-360p)" = "$want" ]' "publish's footprint $(fp_total "$S" premier-episode vp9-360p) != sobre footprint's $want"
  check '[ "$(jq -r .footprint.method "$S/manifest.json")" = ademe ]' "default method"
  "$SOBRE" publish "$W/ep1" -o "$W/eu" --factors eu-2024 --method swd4 --views 250 -q; rc=$?
  check '[ $rc -eq 0 ] && [ "$(jq -r .footprint.factors "$W/eu/manifest.json")" = "fr-2024 + eu-2024" ]' "--factors eu-2024: rc=$rc"
  check '[ "$(jq -r .footprint.method "$W/eu/manifest.json")" = swd4 ] && [ "$(jq -r .footprint.views "$W/eu/manifest.json")" = 250 ]' "--method/--views"
  check '[ "$(jq -r .footprint.compare.network "$W/eu/manifest.json")" = mobile-eu ]' "eu typical network"
  check 'grep -q "pour 250 vues" "$W/eu/empreinte.html"' "views on the footprint page"
else
  need jq
fi
"$SOBRE" publish "$W/ep1" -o "$W/x" --method co2 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q "unknown method" "$W/err" && [ ! -e "$W/x" ]' "--method co2: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --views 0 2>"$W/err"; rc=$?
check '[ $rc -eq 2 ] && grep -q -- "--views" "$W/err"' "--views 0: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/x" --factors "$W/none.yaml" 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "none.yaml" "$W/err" && [ ! -e "$W/x" ]' "missing factors file: rc=$rc"

# --- report.json is only read: a file whose size differs is said, and the site shows it
cp -r "$W/ep3" "$W/grown" && head -c 1000 /dev/zero >>"$W/grown/vp9-480p.webm"
sum=$(md5sum <"$W/grown/report.json")
"$SOBRE" publish "$W/grown" -o "$W/grownsite" >/dev/null 2>"$W/err"; rc=$?
real=$(stat -c %s "$W/grown/vp9-480p.webm")
check '[ $rc -eq 0 ] && grep -q "grown/vp9-480p.webm: $real bytes on disk, report.json says $((real - 1000))" "$W/err"' "size warning: rc=$rc $(cat "$W/err")"
check '[ "$(md5sum <"$W/grown/report.json")" = "$sum" ]' "report.json changed by publish"
check 'grep -q "\"bytes\": $real," "$W/grownsite/manifest.json"' "the site shows the size on disk"

# --- bad inputs: exit 1, the message names the file, the site is untouched
good=$(snap "$S")
expect_fail() { # description, expected text in the message, args...
  local what=$1 text=$2
  shift 2
  "$SOBRE" publish "$@" -o "$S" 2>"$W/err"; local rc=$?
  check '[ $rc -eq 1 ]' "$what: rc=$rc"
  check 'grep -qF -- "$text" "$W/err"' "$what: message '$(cat "$W/err")' lacks '$text'"
  check '[ "$(snap "$S")" = "$good" ]' "$what: site changed"
  check '[ -z "$(ls -A "$W" | grep sobre-tmp)" ]' "$what: temporary folder left"
}
expect_fail "missing folder" "$W/nope" "$W/ep1" "$W/nope"
cp -r "$W/ep1" "$W/broken" && echo '{"schema": "sobre.report/1", "title": ' >"$W/broken/report.json"
expect_fail "broken report" "$W/broken/report.json" "$W/ep1" "$W/broken"
cp -r "$W/ep1" "$W/norend" && rm "$W/norend/vp9-480p.webm"
expect_fail "missing rendition" "$W/norend/vp9-480p.webm" "$W/ep1" "$W/norend"
cp -r "$W/ep1" "$W/badvtt" && echo "1
00:00:00,000 --> 00:00:01,000
srt, not vtt" >"$W/badvtt/captions.vtt"
expect_fail "captions not WebVTT" "$W/badvtt/captions.vtt" "$W/badvtt"
# the one WebVTT checker (encode's): every cue timing, not only the signature
cp -r "$W/ep1" "$W/badcue" && printf 'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nback\n' >"$W/badcue/captions.vtt"
expect_fail "cue ending before it starts" "$W/badcue/captions.vtt:3: cue ends before it starts" "$W/badcue"
cp -r "$W/ep1" "$W/escape" && sed -i 's/"file": "audio.webm"/"file": "..\/..\/etc\/passwd"/' "$W/escape/report.json"
expect_fail "path escape in report" "$W/escape/report.json" "$W/escape"
expect_fail "no report" "no report.json" "$W"
# a failure while building (assets missing) also leaves the site as it was
mkdir -p "$W/data/presets/site" && cp "$SOBRE_SRC/presets/site/style.css" "$W/data/presets/site/"
SOBRE_DATADIR="$W/data" "$SOBRE" publish "$W/ep1" -o "$S" 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "sobre.js" "$W/err" && [ "$(snap "$S")" = "$good" ]' "failed build: rc=$rc $(cat "$W/err")"
check '[ -z "$(ls -A "$W" | grep sobre-tmp)" ]' "failed build: temporary folder left"

# --- never replace a folder that is not a sobre site
mkdir -p "$W/precious" && echo keep >"$W/precious/file.txt"
"$SOBRE" publish "$W/ep1" -o "$W/precious" 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "not a site made by" "$W/err" && [ "$(cat "$W/precious/file.txt")" = keep ]' "non-site folder: rc=$rc"
"$SOBRE" publish "$W/ep1" -o "$W/ep1" 2>/dev/null; rc=$?
check '[ $rc -eq 1 ] && [ -s "$W/ep1/report.json" ]' "episode folder as target: rc=$rc"
mkdir -p "$W/nested" && "$SOBRE" publish "$W/ep1" -o "$W/nested/x" -q
cp "$W/ep1/report.json" "$W/nested/x/episodes/premier-episode/"
"$SOBRE" publish "$W/nested/x/episodes/premier-episode" -o "$W/nested/x" 2>"$W/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "inside the site folder" "$W/err"' "episode inside the site: rc=$rc"

# --- the contract with the real encoder: publish what `sobre encode` makes
clip=$(bash "$SOBRE_SRC/tests/lib/clips.sh" basic.mp4 2>/dev/null) || clip=""
if [ -n "$clip" ] && "$SOBRE" encode "$clip" -o "$W/real" -q -t "Encodé <pour de vrai>" 2>"$W/err"; then
  "$SOBRE" publish "$W/real" "$W/ep1" -o "$W/realsite" -q; rc=$?
  check '[ $rc -eq 0 ]' "publish of a real encode: rc=$rc"
  check 'grep -q "<h2 dir=\"auto\"><a href=\"episodes/encode-pour-de-vrai/index.html\">1. Encodé &lt;pour de vrai&gt;</a></h2>" "$W/realsite/index.html"' "real episode title"
  check '[ $(grep -c "<source src=\"episodes/encode-pour-de-vrai/" "$W/realsite/index.html") -ge 2 ]' "real episode sources"
  check 'grep -q "data-role=\"audio\">" "$W/realsite/index.html"' "real episode listen link"
else
  echo "note: sobre encode unavailable ($(head -c 200 "$W/err")); real-encode section skipped"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
