// The site's data files read by real parsers from the npm registry: the M3U playlists
// (m3u8-parser), the podcast (rss-parser), the captions (webvtt-parser) and the
// manifest (ajv, against docs/manifest.schema.json). Hostile titles must survive as
// text in every format and never add an entry, a tag or a path; numbers must match
// the published files (sizes, bitrates in the eco-design statement) and the per-view
// footprint publish computes must be `sobre footprint`'s.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { HOSTILE, SRC, makeSite, requireTools, tempDir } from './helpers.mjs';

requireTools();
const require = createRequire(import.meta.url);
const { Parser: M3uParser } = await import('m3u8-parser');
const RssParser = (await import('rss-parser')).default;
const { WebVTTParser } = require('webvtt-parser');
const Ajv2020 = (await import('ajv/dist/2020.js')).default;

// A newline in a title must not forge a playlist entry.
const EVIL = `${HOSTILE}\n#EXTINF:1,evil\nhttp://evil.example/x.webm`;
let work, site, dirs, manifest;
const read = (f) => fs.readFileSync(path.join(site, f), 'utf8');

before(() => {
  work = tempDir('publish-formats');
  ({ site, dirs } = makeSite(work, [
    { title: 'Premier épisode', description: 'Présentation.', footprint: true },
    { title: EVIL, description: EVIL },
    { title: 'Troisième', description: '' },
  ], ['--title', HOSTILE, '--base-url', 'https://intranet.test/videos/']));
  manifest = JSON.parse(read('manifest.json'));
});

after(() => { if (work) fs.rmSync(work, { recursive: true, force: true }); });

test('manifest.json validates against docs/manifest.schema.json and matches the files', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(SRC, 'docs/manifest.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 1));
  assert.equal(manifest.title, HOSTILE);
  assert.equal(manifest.episodes[1].title, EVIL);
  assert.equal(manifest.episodes.length, 3);
  for (const ep of manifest.episodes) {
    for (const r of ep.renditions) {
      const file = path.join(site, r.url);
      assert.ok(path.resolve(file).startsWith(site + path.sep), `url escapes: ${r.url}`);
      assert.equal(fs.statSync(file).size, r.bytes, r.url);
      assert.equal(r.bitrate_bps, Math.round(r.bytes * 8 / r.duration_s), r.url);
    }
    assert.deepEqual(ep.source_order, ['vp9-360p', 'vp9-480p', 'h264-480p']);
  }
  // publish computes the footprint itself (the second episode has no footprint section
  // in its report.json: it gets one all the same), and it is `sobre footprint`'s
  for (const [i, ep] of manifest.episodes.entries()) {
    const fp = JSON.parse(execFileSync(process.env.SOBRE, ['footprint', dirs[i], '--json'], { encoding: 'utf8' }));
    for (const r of ep.renditions) {
      for (const [view, f] of [[r.footprint, manifest.footprint.compare], [r.footprint.large_screen, manifest.footprint.large_screen]]) {
        const row = fp.table.find((x) => x.rendition === r.id && x.device === f.device && x.network === f.network);
        for (const k of ['wh_per_view', 'gco2e_per_view', 'embodied_gco2e_per_view', 'total_gco2e_per_view', 'total_low', 'total_high'])
          assert.equal(view[k], row[k], `${ep.slug}/${r.id} ${f.device}/${f.network}: ${k}`);
      }
    }
  }
  assert.deepEqual(manifest.footprint.compare, { device: 'smartphone', network: 'mobile-4g-fr' });
  assert.equal(manifest.footprint.method, 'ademe');
  assert.equal(manifest.footprint.factors, 'fr-2024');
});

test('sobre footprint --write: footprint.json validates against docs/footprint.schema.json, report.json untouched', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(SRC, 'docs/footprint.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  const report = fs.readFileSync(path.join(dirs[0], 'report.json'));
  execFileSync(process.env.SOBRE, ['footprint', dirs[0], '--write', '--views', '100'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const fp = JSON.parse(fs.readFileSync(path.join(dirs[0], 'footprint.json'), 'utf8'));
  assert.ok(validate(fp), JSON.stringify(validate.errors, null, 1));
  assert.equal(fp.table.length, 4 * 25);
  assert.deepEqual(fs.readFileSync(path.join(dirs[0], 'report.json')), report, 'report.json changed');
  for (const r of manifest.episodes[0].renditions)
    assert.equal(fp.report.bytes[r.id], r.bytes, `${r.id}: costed size`);
});

test('the files are what they claim (ffprobe)', () => {
  for (const r of manifest.episodes[0].renditions) {
    const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,channels',
      '-of', 'json', path.join(site, r.url)], { encoding: 'utf8' });
    const streams = JSON.parse(out).streams;
    const v = streams.find((s) => s.codec_type === 'video');
    const a = streams.find((s) => s.codec_type === 'audio');
    if (r.kind === 'video') {
      assert.equal(v.codec_name, r.video_codec, r.url);
      assert.equal(v.width, r.width);
      assert.equal(v.height, r.height);
    } else assert.equal(v, undefined, `${r.url} has video`);
    assert.equal(a.codec_name, r.audio_codec, r.url);
    assert.equal(a.channels, r.audio_channels, r.url);
  }
});

test('serie.m3u and serie-audio.m3u parse with m3u8-parser, one entry per episode', () => {
  for (const [file, re] of [['serie.m3u', /^episodes\/[a-z0-9-]+\/vp9-480p\.webm$/], ['serie-audio.m3u', /^episodes\/[a-z0-9-]+\/audio\.webm$/]]) {
    const text = read(file);
    assert.ok(text.startsWith('#EXTM3U\n'));
    const p = new M3uParser();
    p.push(text);
    p.end();
    const segs = p.manifest.segments;
    assert.equal(segs.length, 3, `${file}: ${segs.length} entries`);
    for (const s of segs) {
      assert.match(s.uri, re);
      assert.equal(s.duration, 3);
      assert.ok(fs.existsSync(path.join(site, s.uri)), s.uri);
    }
    assert.equal(segs[0].title, 'Premier épisode');
    assert.ok(segs[1].title.startsWith('<script>alert("x")</script>'), segs[1].title);
    const lines = text.split('\n');
    assert.ok(!lines.some((l) => /^(https?:|#EXTINF:1,)/.test(l)), 'title forged a playlist line');
  }
});

test('podcast.xml parses with rss-parser; enclosures are the audio files', async () => {
  const xml = read('podcast.xml');
  assert.ok(!xml.includes('<script>'), 'raw markup in the feed');
  const feed = await new RssParser().parseString(xml);
  assert.equal(feed.title, HOSTILE);
  assert.equal(feed.items.length, 3);
  assert.equal(feed.items[1].title, EVIL);
  for (const [i, item] of feed.items.entries()) {
    const ep = manifest.episodes[i];
    const audio = ep.renditions.find((r) => r.role === 'audio');
    assert.equal(item.enclosure.url, `https://intranet.test/videos/${audio.url}`);
    assert.equal(Number(item.enclosure.length), fs.statSync(path.join(site, audio.url)).size);
    assert.equal(item.enclosure.type, 'audio/webm');
    assert.equal(item.guid, ep.slug);
  }
});

test('captions parse with webvtt-parser; the transcript matches the cues', () => {
  const ep = manifest.episodes[0];
  const vtt = read(ep.captions[0].url);
  const tree = new WebVTTParser().parse(vtt, 'metadata');
  assert.deepEqual(tree.errors, []);
  assert.equal(tree.cues.length, 2);
  const html = read('index.html');
  const tr = html.match(/<details class="tr"><summary>Transcription<\/summary>([^<]*)<\/details>/)[1];
  assert.equal(tr, 'Bonjour et bienvenue.\nUn épisode sobre &amp; léger.');
});

test('hostile text is inert in every HTML file; no external origin', () => {
  const episodePages = manifest.episodes.map((e) => e.permalink);
  for (const f of ['index.html', 'ecoconception.html', 'empreinte.html', 'empreinte.svg', ...episodePages]) {
    const html = read(f);
    const scripts = f === 'index.html' || episodePages.includes(f) ? 1 : 0;
    assert.equal((html.match(/<script\b/g) || []).length, scripts, `${f}: script tags`);
    // titles may mention an address as text; no attribute may point outside the site
    const refs = [...html.matchAll(/\s(?:src|href|poster|action|srcset|data)="([^"]*)"/g)].map((m) => m[1]);
    for (const u of refs) assert.ok(u === 'data:,' || !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(u), `${f}: external reference ${u}`);
    assert.ok(!/\son[a-z]+=/i.test(html), `${f}: event handler attribute`);
  }
  assert.ok(read('index.html').includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;quote&quot; &#39;apos&#39;'));
  for (const f of ['style.css', 'sobre.js'])
    assert.ok(!/https?:\/\//.test(read(f)), `${f}: absolute URL`);
  for (const f of ['serie.m3u', 'serie-audio.m3u'])
    for (const l of read(f).split('\n').filter((x) => x && !x.startsWith('#')))
      assert.match(l, /^episodes\/[a-z0-9-]+\/[a-z0-9.-]+$/, `${f}: entry ${l}`);
  const dirs = fs.readdirSync(path.join(site, 'episodes'));
  for (const d of dirs) assert.match(d, /^[a-z0-9]+(-[a-z0-9]+)*$/);
});

test('ecoconception.html numbers come from the files', () => {
  const html = read('ecoconception.html');
  const ep = manifest.episodes[0];
  for (const r of ep.renditions) {
    const kbps = Math.round(r.bitrate_bps / 1000);
    assert.ok(html.includes(`<td>${kbps} kbit/s</td>`), `${r.id}: ${kbps} kbit/s missing`);
  }
  const b = manifest.budget[0];
  assert.equal(b.html_bytes, fs.statSync(path.join(site, 'index.html')).size);
  assert.equal(b.css_js_bytes, fs.statSync(path.join(site, 'style.css')).size + fs.statSync(path.join(site, 'sobre.js')).size);
  assert.equal(b.requests, 3 + 3);
  assert.equal(b.elements, (read('index.html').match(/<[a-z]/gi) || []).length);
  assert.ok(b.elements <= manifest.budget_limit.elements);
  // every episode's own page is measured too
  assert.deepEqual(manifest.budget.map((x) => x.page).slice(1), manifest.episodes.map((e) => e.permalink));
  // the declaration: each criterion with a status, the date and the version
  assert.ok(html.includes(`le ${manifest.published}`) || html.includes(`on ${manifest.published}`));
  assert.match(html, new RegExp(`sobre ${manifest.generator.slice(6).replace(/\./g, '\\.')}`));
  const statuses = [...html.matchAll(/<td class="(ok|ko|na)">/g)].length;
  assert.ok(statuses >= 17, `${statuses} criteria with a status`);
  assert.ok(html.includes(`<td>${b.requests}</td>`));
  assert.ok(html.includes('VP9 + Opus mono, WebM'));
});
