#!/usr/bin/env bash
# Damaged inputs: the generated clips cut at several lengths and with bytes overwritten
# (fixed seed). `sobre probe --json` must never crash (the sanitizer build runs this too),
# must give one valid object per file, and every MP4/MKV cut to at most 60 % must be
# refused or flagged "truncated" (both declare their duration, so a cut is detectable).
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_SRC:?}" "${SOBRE_TMP:?}"
export SOBRE_TMP
. "$SOBRE_SRC/tests/lib/need.sh"
need node
work="$SOBRE_TMP/int-probe-damaged.$$"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

srcs=()
for c in basic.mp4 hd.mp4 subs.mkv interlaced.mkv start.ts cover.mp3 mjpeg.avi truncfast.mp4; do
  srcs+=("$("$SOBRE_SRC/tests/lib/clips.sh" "$c")") || exit 1
done
# Cuts at 1..95 % and 3 variants with 32 bytes overwritten each (xorshift, seed per file).
node - "$work" "${srcs[@]}" <<'EOF' || exit 1
const fs = require('fs'), path = require('path');
const [dir, ...srcs] = process.argv.slice(2);
srcs.forEach((src, k) => {
  const data = fs.readFileSync(src), ext = path.extname(src), base = path.basename(src, ext);
  for (const pct of [1, 5, 20, 40, 60, 95])
    fs.writeFileSync(path.join(dir, `cut${pct}-${base}${ext}`), data.subarray(0, Math.floor(data.length * pct / 100)));
  let x = 2463534242 + k;
  const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  for (let v = 0; v < 3; v++) {
    const b = Buffer.from(data);
    for (let i = 0; i < 32; i++) b[rnd() % b.length] = rnd() & 255;
    fs.writeFileSync(path.join(dir, `flip${v}-${base}${ext}`), b);
  }
});
EOF

files=("$work"/*)
"$SOBRE" probe --json "${files[@]}" >"$work.json" 2>"$work.err"
rc=$?
echo "sobre probe: exit status $rc on ${#files[@]} damaged files"
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
  echo "FAIL: exit status $rc (crash?)"
  tail -20 "$work.err"
  rm -f "$work.json" "$work.err"
  exit 1
fi
node - "$work.json" "$work.err" "${#files[@]}" <<'EOF'
const fs = require('fs');
const [jsonFile, errFile, count] = process.argv.slice(2);
let pass = 0, fail = 0;
const want = (c, m) => { if (c) pass++; else { fail++; console.error('FAIL: ' + m); } };
const a = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
const errLines = fs.readFileSync(errFile, 'utf8').split('\n').filter(Boolean);
want(a.length === Number(count), `${a.length} objects for ${count} files`);
want(errLines.length === a.filter((o) => o.error).length, 'one stderr line per refused file');
for (const line of errLines) want(/^sobre probe: \S+: \S/.test(line), `stderr line: ${line}`);
for (const o of a) {
  const name = o.file.replace(/.*\//, '');
  const m = /^cut(\d+)-.*\.(mp4|mkv)$/.exec(name);
  if (m && Number(m[1]) <= 60)
    want(o.error || o.problems.some((p) => p.id === 'truncated'), `${name}: cut but neither refused nor flagged`);
  if (!o.error) want(Array.isArray(o.streams) && o.streams.length > 0, `${name}: no streams`);
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
EOF
status=$?
rm -f "$work.json" "$work.err"
exit $status
