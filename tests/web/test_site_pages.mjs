// Issue 16, seen in Debian's Chromium (playwright-core) on a byte-range server: every
// page at 320 and 1280 px with and without sobre.js (no horizontal overflow, axe-core
// finds nothing, CLS 0), the first player inside a 320x640 first screen, "Listen only"
// inside the page (same URL, same time within 0.5 s, captions and transcript kept, and
// back), the figures on the page equal `sobre footprint`'s for the format the page states,
// the line under the player follows the file played, the series reads as one, the admin
// kit is not served, and one episode weighs at most 5 requests and 20 kB before a click.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { HOSTILE, SRC, isMedia, launch, makeSite, requireTools, serve, tempDir } from './helpers.mjs';

requireTools({ browser: true });
const require = createRequire(path.join(SRC, 'tests/web/package.json'));
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let work, site, dirs, server, browser, manifest;

before(async () => {
  work = tempDir('site-pages');
  ({ site, dirs } = makeSite(work, [
    { title: 'Premier épisode', description: 'Présentation du service, en deux minutes.' },
    { title: HOSTILE, description: HOSTILE },
    { title: 'Troisième épisode', description: 'Questions et réponses.' },
  ], ['--title', 'Vidéos du service', '--description', 'Trois épisodes de démonstration.']));
  manifest = JSON.parse(fs.readFileSync(path.join(site, 'manifest.json'), 'utf8'));
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// Layout shifts not caused by an input, from the first paint on.
const CLS = () => {
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

async function open(url, { width = 1280, height = 900, script = true } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  await page.addInitScript(CLS);
  if (!script) await page.route('**/sobre.js', (r) => r.abort());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${server.origin}/${url}`, { waitUntil: 'networkidle' });
  await page.waitForTimeout(300);
  return { page, problems };
}

const PAGES = () => ['index.html', manifest.episodes[0].permalink, manifest.episodes[1].permalink,
  'ecoconception.html', 'empreinte.html'];

test('every page at 320 and 1280 px, with and without sobre.js: no overflow, no axe violation, CLS 0', async () => {
  const seen = [];
  for (const url of PAGES())
    for (const width of [320, 1280])
      for (const script of [true, false]) {
        const { page, problems } = await open(url, { width, script });
        const where = `${url} at ${width} px ${script ? 'with' : 'without'} sobre.js`;
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= width, `${where}: ${w} px wide`);
        await page.evaluate(AXE);
        const res = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
        const v = res.violations.map((x) => `${x.id} (${x.impact}): ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(v, [], `${where}: axe-core violations`);
        const cls = await page.evaluate(() => window.__cls);
        assert.equal(cls, 0, `${where}: CLS ${cls}`);
        assert.deepEqual(problems, [], where);
        seen.push(`${url}@${width}${script ? '' : '-nojs'}`);
        await page.close();
      }
  console.log(`pages checked (overflow, axe-core ${JSON.parse(fs.readFileSync(require.resolve('axe-core/package.json'))).version}, CLS): ${seen.length}`);
});

test('a remembered definition does not move the page either', async () => {
  const { page } = await open('index.html');
  await page.selectOption('#def', 'sobre');
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__cls), 0, 'CLS with a remembered choice');
  await page.evaluate(() => localStorage.removeItem('sobre-def'));
  await page.close();
});

test('at 320x640 the first player is inside the first screen', async () => {
  for (const script of [true, false]) {
    for (const url of ['index.html', manifest.episodes[0].permalink]) {
      const { page } = await open(url, { width: 320, height: 640, script });
      const box = await page.locator('video').first().boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 640,
        `${url} ${script ? 'with' : 'without'} sobre.js: player from y=${box?.y} to ${box && box.y + box.height}`);
      console.log(`320x640 ${url}${script ? '' : ' (no script)'}: player top ${box.y.toFixed(0)}, bottom ${(box.y + box.height).toFixed(0)}`);
      await page.close();
    }
  }
});

async function playFirst(page) {
  const video = page.locator('video').first();
  const box = await video.boundingBox();
  await page.mouse.move(0, 0);
  await video.hover();
  await video.click({ position: { x: 24, y: box.height - 48 } });
  await page.waitForFunction(() => document.querySelector('video').currentTime > 1.0, null, { timeout: 15000 });
}

test('"Listen only" switches inside the page at the same time, keeps captions and transcript, and back', async () => {
  const { page } = await open('index.html');
  const url = page.url();
  await playFirst(page);
  await page.evaluate(() => {
    const v = document.querySelector('video');
    v.textTracks[0].mode = 'showing';
  });
  // the position when the link is clicked, and where the audio file starts playing
  await page.evaluate(() => {
    const v = document.querySelector('video');
    window.__switch = {};
    window.addEventListener('click', () => { window.__switch.at = v.currentTime; }, { capture: true, once: true });
    v.addEventListener('playing', function on() {
      if (!v.currentSrc.endsWith('/audio.webm')) return;
      window.__switch.resumed = v.currentTime;
      v.removeEventListener('playing', on);
    });
  });
  const listen = page.locator('article').first().locator('a[data-role="audio"]');
  await listen.click();
  await page.waitForFunction(() => window.__switch.resumed !== undefined, null, { timeout: 15000 });
  const { at, resumed } = await page.evaluate(() => window.__switch);
  const error = resumed - at;
  console.log(`audio-only switch: video at ${at.toFixed(3)} s, audio resumed at ${resumed.toFixed(3)} s (${(error * 1000).toFixed(0)} ms)`);
  assert.ok(Math.abs(error) <= 0.5, `resumed ${error.toFixed(3)} s away`);
  assert.equal(page.url(), url, 'the URL stays');
  assert.equal(await listen.textContent(), 'Revenir à la vidéo');
  const tracks = await page.evaluate(async () => {
    const v = document.querySelector('video');
    const tr = v.querySelector('track');
    for (let i = 0; i < 50 && tr.readyState !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    return { n: v.querySelectorAll('track').length, cues: v.textTracks[0].cues?.length ?? 0, mode: v.textTracks[0].mode };
  });
  assert.deepEqual(tracks, { n: 1, cues: 2, mode: 'showing' }, 'captions kept');
  assert.equal(await page.locator('article').first().locator('details.tr').count(), 1, 'transcript kept');
  // the line under the player now says what is heard
  assert.match(await page.locator('article').first().locator('.w.l').textContent(), /: audio seul ≈ /);
  // and back to the video, at the same time
  const back = await page.evaluate(() => document.querySelector('video').currentTime);
  await listen.click();
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return v.currentSrc.endsWith('vp9-480p.webm') && v.readyState >= 2;
  }, null, { timeout: 15000 });
  const t = await page.evaluate(() => document.querySelector('video').currentTime);
  assert.ok(Math.abs(t - back) <= 0.5, `video back at ${t}, audio was at ${back}`);
  assert.match(await listen.textContent(), /^Écouter seulement — WebM Opus/);
  await page.close();
});

test('without sobre.js "Listen only" is a plain link to the audio file', async () => {
  const { page } = await open('index.html', { script: false });
  await page.locator('article').first().locator('a[data-role="audio"]').click();
  await page.waitForURL(/audio\.webm$/);
  await page.close();
});

// 2 significant digits with a decimal comma, as the pages write them (site_put_num).
const fr2 = (v) => {
  if (!(v > 0)) return '0';
  const dec = Math.min(9, Math.max(0, 1 - Math.floor(Math.log10(Number(v.toExponential(1))))));
  return v.toFixed(dec).replace('.', ',');
};
const footprint = (dir) => JSON.parse(execFileSync(process.env.SOBRE, ['footprint', dir, '--json'], { encoding: 'utf8' }));
const row = (fp, id, device, network) => fp.table.find((r) => r.rendition === id && r.device === device && r.network === network);

test('per-view figures on the page equal sobre footprint\'s for the format the page states', async () => {
  const fp = footprint(dirs[0]);
  const cmp = manifest.footprint.compare, large = manifest.footprint.large_screen;
  assert.deepEqual([cmp.device, cmp.network, large.device, large.network], ['smartphone', 'mobile-4g-fr', 'laptop', 'fixed-fr']);
  let { page } = await open('index.html');
  let art = page.locator('article').first();
  // the files, compared on one stated format
  const files = await art.locator('p.files').textContent();
  assert.ok(files.startsWith('Fichiers, par vue sur smartphone, réseau mobile 4G (France) :\n'), files);
  const ep = manifest.episodes[0];
  let n = 0;
  for (const r of ep.renditions) {
    const want = row(fp, r.id, cmp.device, cmp.network);
    const text = `≈ ${fr2(want.total_gco2e_per_view)} g CO₂e (usage seul : ${fr2(want.gco2e_per_view)} g)`;
    const link = await art.locator(`a[data-role="${r.role}"]`).evaluate((a) => a.nextSibling.textContent);
    assert.ok(link.includes(text), `${r.id}: "${link}" lacks "${text}"`);
    assert.equal(r.footprint.total_gco2e_per_view, want.total_gco2e_per_view, `${r.id}: manifest`);
    n++;
  }
  // what you are watching: the rendition each screen gets, on that screen's format
  for (const [cls, id, f, width] of [['l', 'vp9-480p', large, 1280], ['s', 'vp9-360p', cmp, 400]]) {
    const want = row(fp, id, f.device, f.network);
    await page.close();
    ({ page } = await open('index.html', { width }));
    art = page.locator('article').first();
    assert.ok(await art.locator(`.w.${cls}`).isVisible(), `.w.${cls} hidden at ${width} px`);
    const text = await art.locator(`.w.${cls}`).textContent();
    assert.ok(text.includes(`≈ ${fr2(want.total_gco2e_per_view)} g CO₂e par vue (fabrication de l'appareil comprise ; usage seul : ${fr2(want.gco2e_per_view)} g) · ${fr2(want.wh_per_view)} Wh`),
      `${cls}: ${text}`);
  }
  assert.match(await art.locator('.w.s').textContent(), /Sur smartphone, réseau mobile 4G \(France\) : 180p \(sobre\)/);
  console.log(`figures checked against sobre footprint: ${n} files + 2 lines`);
  await page.close();
});

test('the line under the player follows the file actually played', async () => {
  const fp = footprint(dirs[0]);
  const { page } = await open('index.html');
  const art = page.locator('article').first();
  // 1280 px, light definition chosen: the line names it, on the large screen's format
  await page.selectOption('#def', 'sobre');
  const want = row(fp, 'vp9-360p', 'laptop', 'fixed-fr');
  const line = await art.locator('.w.l').textContent();
  assert.ok(line.includes(`180p (sobre) ≈ 56 ko · ≈ ${fr2(want.total_gco2e_per_view)} g CO₂e par vue`), line);
  assert.ok(await art.locator('.w.l').isVisible());
  assert.ok(!(await art.locator('.w.s').isVisible()));
  // back to automatic: the static line again
  await page.selectOption('#def', '');
  assert.match(await art.locator('.w.l').textContent(), /240p \(standard\)/);
  await page.evaluate(() => localStorage.removeItem('sobre-def'));
  await page.close();
  // without the script, the line states its device and network
  const plain = await open('index.html', { script: false, width: 400 });
  const s = await plain.page.locator('article').first().locator('.w.s').textContent();
  assert.match(s, /^Durée 3 s · Sur smartphone, réseau mobile 4G \(France\) : 180p \(sobre\) ≈ 56 ko/);
  await plain.page.close();
});

test('the series: numbers, the list at the top, next episode, a permanent link per episode', async () => {
  const { page } = await open('index.html');
  const toc = await page.locator('nav.toc li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(toc, manifest.episodes.map((e) => `#${e.anchor}`));
  assert.equal(await page.locator('article h2').first().textContent(), '1. Premier épisode');
  await page.locator('article').first().locator('a.next').click();
  await page.waitForURL(new RegExp(`#${manifest.episodes[1].anchor}$`));
  await page.locator('article').first().locator('h2 a').click();
  await page.waitForURL(new RegExp(`${manifest.episodes[0].permalink}$`));
  assert.equal(await page.locator('h1').textContent(), '1. Premier épisode');
  const p = await page.evaluate(() => document.querySelector('video source').src);
  assert.match(p, new RegExp(`/episodes/${manifest.episodes[0].slug}/vp9-360p\\.webm$`));
  await page.locator('a.next').click();
  await page.waitForURL(new RegExp(`${manifest.episodes[1].permalink}$`));
  await page.close();
});

test('the admin kit is not served at the site root (404) and sits beside the site', async () => {
  for (const f of ['LISEZMOI-ADMIN.txt', 'README-ADMIN.txt', 'nginx-sobre.conf', 'web.config', '.htaccess', 'admin/LISEZMOI-ADMIN.txt']) {
    const res = await fetch(`${server.origin}/${f}`);
    assert.equal(res.status, 404, `${f}: ${res.status}`);
  }
  for (const f of ['LISEZMOI-ADMIN.txt', 'nginx-sobre.conf', 'web.config', '.htaccess'])
    assert.ok(fs.statSync(path.join(`${site}-admin`, f)).size > 100, f);
});

test('one episode: at most 5 requests and 20 kB before any click, at 320 and 1280 px', async () => {
  const dir = tempDir('site-one');
  try {
    const { site: one } = makeSite(dir, [{ title: 'Épisode unique', description: 'Une vidéo seule.' }]);
    const srv = await serve(one);
    for (const width of [320, 1280]) {
      srv.log.length = 0;
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 800 });
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${srv.origin}/index.html`, { waitUntil: 'networkidle' });
      const bytes = srv.log.reduce((s, e) => s + e.bytes, 0);
      console.log(`one episode at ${width} px: ${requests.length} requests, ${(bytes / 1000).toFixed(1)} kB`);
      assert.deepEqual(requests.filter(isMedia), []);
      assert.ok(requests.length <= 5, `${requests.length} requests`);
      assert.ok(bytes <= 20000, `${bytes} bytes`);
      await page.close();
    }
    await srv.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
