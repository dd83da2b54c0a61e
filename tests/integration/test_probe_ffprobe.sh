#!/usr/bin/env bash
# `sobre probe --json` against `ffprobe` on every generated clip and every file in
# $SOBRE_MEDIA (that part is skipped when the folder is absent): same verdict on
# readability, duration within 0.1 s, same streams with the same codec names, sizes,
# sample rates and channel counts. Every object is also checked against
# docs/probe.schema.json (a small validator for the keywords that schema uses).
set -uo pipefail
: "${SOBRE:?}" "${SOBRE_SRC:?}" "${SOBRE_TMP:?}"
export SOBRE_TMP
. "$SOBRE_SRC/tests/lib/need.sh"
need node ffprobe
work="$SOBRE_TMP/int-probe.$$"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

files=()
for c in basic.mp4 hd.mp4 odd.mkv odd721.mkv sar.mp4 rotated.mp4 vfr.mkv start.ts mono.mp4 \
  surround.mkv noaudio.mp4 audioonly.m4a interlaced.mkv subs.mkv random.bin empty.mp4 text.mp4 \
  truncated.mp4 truncated.mkv truncfast.mp4 cover.mp3 mjpeg.avi; do
  files+=("$("$SOBRE_SRC/tests/lib/clips.sh" "$c")") || exit 1
done
if [ -n "${SOBRE_MEDIA:-}" ] && [ -d "$SOBRE_MEDIA" ]; then
  for f in "$SOBRE_MEDIA"/*; do [ -f "$f" ] && files+=("$f"); done
else
  echo "SOBRE_MEDIA absent: generated clips only"
fi

# One ffprobe JSON per file ("null" when ffprobe refuses it), in the same order.
: >"$work/ffprobe.list"
i=0
for f in "${files[@]}"; do
  if ! ffprobe -v error -of json -show_format -show_streams -- "$f" >"$work/ff$i.json" 2>/dev/null; then
    echo null >"$work/ff$i.json"
  fi
  echo "$work/ff$i.json" >>"$work/ffprobe.list"
  i=$((i + 1))
done
"$SOBRE" probe --json "${files[@]}" >"$work/sobre.json" 2>"$work/sobre.err"
rc=$?
echo "sobre probe exit status: $rc"

node - "$work/sobre.json" "$work/ffprobe.list" "$SOBRE_SRC/docs/probe.schema.json" "$rc" <<'EOF'
const fs = require('fs');
const [sobreFile, listFile, schemaFile, rcText] = process.argv.slice(2);
const ours = JSON.parse(fs.readFileSync(sobreFile, 'utf8'));
const theirs = fs.readFileSync(listFile, 'utf8').trim().split('\n')
  .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
let pass = 0, fail = 0;
const want = (c, m) => { if (c) pass++; else { fail++; console.error('FAIL: ' + m); } return c; };

// Validator for the keywords docs/probe.schema.json uses.
function typeOk(v, t) {
  if (t === 'null') return v === null;
  if (t === 'integer') return Number.isInteger(v);
  if (t === 'array') return Array.isArray(v);
  if (t === 'object') return v !== null && typeof v === 'object' && !Array.isArray(v);
  return typeof v === t;
}
function check(v, s, path) {
  const errs = [];
  if (s.$ref) return check(v, s.$ref.split('/').slice(1).reduce((o, k) => o[k], schema), path);
  if (s.oneOf) {
    const each = s.oneOf.map((x) => check(v, x, path)).sort((a, b) => a.length - b.length);
    const n = each.filter((e) => e.length === 0).length;
    if (n > 1) errs.push(`${path}: matches ${n} of oneOf`);
    return n === 0 ? each[0] : errs; // the closest branch says what is wrong
  }
  if (s.type && ![].concat(s.type).some((t) => typeOk(v, t))) errs.push(`${path}: not ${s.type}`);
  if (s.enum && !s.enum.includes(v)) errs.push(`${path}: ${JSON.stringify(v)} not in enum`);
  if (s.const !== undefined && v !== s.const) errs.push(`${path}: not ${s.const}`);
  if (s.pattern && typeof v === 'string' && !new RegExp(s.pattern).test(v)) errs.push(`${path}: pattern`);
  if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum) errs.push(`${path}: < min`);
  if (Array.isArray(v) && s.items) v.forEach((x, i) => errs.push(...check(x, s.items, `${path}[${i}]`)));
  if (typeOk(v, 'object')) {
    for (const k of s.required || []) if (!(k in v)) errs.push(`${path}: lacks ${k}`);
    for (const [k, x] of Object.entries(v)) {
      if (s.properties && s.properties[k]) errs.push(...check(x, s.properties[k], `${path}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${path}: extra ${k}`);
      else if (s.properties) errs.push(`${path}: ${k} is not documented in the schema`);
    }
  }
  return errs;
}
const schemaErrs = check(ours, schema, '$');
want(schemaErrs.length === 0, 'schema:\n  ' + schemaErrs.join('\n  '));
want(ours.length === theirs.length, `one object per file (${ours.length} vs ${theirs.length})`);

const av = (ff) => (ff && ff.streams || []).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
let anyError = false;
ours.forEach((o, i) => {
  const ff = theirs[i], name = o.file.replace(/.*\//, '');
  if (o.error !== undefined) {
    anyError = true;
    // We refuse what ffprobe refuses, and files without audio/video (a subtitle file, text).
    want(ff === null || av(ff).length === 0, `${name}: sobre refuses (${o.error}) but ffprobe reads it`);
    return;
  }
  want(ff !== null, `${name}: sobre reads it but ffprobe refuses it`);
  if (!ff) return;
  const d = parseFloat(ff.format.duration);
  want(Math.abs(o.duration_s - d) <= 0.1, `${name}: duration ${o.duration_s} vs ffprobe ${d}`);
  want(o.bytes === parseInt(ff.format.size, 10), `${name}: bytes ${o.bytes} vs ${ff.format.size}`);
  want(o.streams.length === ff.streams.length, `${name}: ${o.streams.length} streams vs ${ff.streams.length}`);
  for (const f of ff.streams) {
    const s = o.streams.find((x) => x.index === f.index);
    if (!want(s, `${name}: stream ${f.index} missing`)) continue;
    want(s.type === f.codec_type, `${name}#${f.index}: type ${s.type} vs ${f.codec_type}`);
    want(s.codec === f.codec_name, `${name}#${f.index}: codec ${s.codec} vs ${f.codec_name}`);
    if (f.codec_type === 'video') {
      want(s.width === f.width && s.height === f.height,
        `${name}#${f.index}: ${s.width}x${s.height} vs ${f.width}x${f.height}`);
      if (f.pix_fmt) want(s.pix_fmt === f.pix_fmt, `${name}#${f.index}: pix_fmt ${s.pix_fmt} vs ${f.pix_fmt}`);
    }
    if (f.codec_type === 'audio') {
      want(s.sample_rate === parseInt(f.sample_rate, 10), `${name}#${f.index}: rate ${s.sample_rate} vs ${f.sample_rate}`);
      want(s.channels === f.channels, `${name}#${f.index}: channels ${s.channels} vs ${f.channels}`);
    }
    const lang = f.tags && f.tags.language;
    if (lang) want(s.language === lang, `${name}#${f.index}: language ${s.language} vs ${lang}`);
  }
});
want(String(anyError ? 1 : 0) === rcText, `exit status ${rcText} with errors=${anyError}`);
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
EOF
