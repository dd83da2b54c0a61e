// The site's data files read by real parsers from the npm registry: the M3U playlists
// (m3u8-parser), the podcast (rss-parser), the captions (webvtt-parser) and the
// manifest (ajv, against docs/manifest.schema.json). Hostile titles must survive as
// text in every format and never add an entry, a tag or a path; numbers must match
// the published files (sizes, bitrates in the eco-design statement).
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
let work, site, manifest;
const read = (f) => fs.readFileSync(path.join(site, f), 'utf8');

before(() => {
  work = tempDir('publish-formats');
  ({ site } = makeSite(work, [
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
  const fp = manifest.episodes[0].renditions.find((r) => r.id === 'vp9-360p').footprint;
  assert.deepEqual(fp, { wh_per_view: 0.0049, gco2e_per_view: 0.25, gco2e_low: 0.2, gco2e_high: 0.4,
    embodied_gco2e_per_view: 0.2, device: 'smartphone', network: 'mobile-4g-fr', method: 'ademe', factors: 'fr-2024' });
  assert.equal(manifest.episodes[1].renditions[0].footprint, null);
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
  const tr = html.match(/<p class="tr">([^<]*)<\/p>/)[1];
  assert.equal(tr, 'Bonjour et bienvenue.\nUn épisode sobre &amp; léger.');
});

test('hostile text is inert in every HTML file; no external origin', () => {
  for (const f of ['index.html', 'ecoconception.html']) {
    const html = read(f);
    assert.equal((html.match(/<script\b/g) || []).length, f === 'index.html' ? 1 : 0, `${f}: script tags`);
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
  assert.ok(html.includes(`<td>${b.requests}</td>`));
  assert.ok(html.includes('VP9 + Opus mono, WebM'));
});
