// The published site in a real browser (Debian's headless Chromium via playwright-core)
// served over HTTP with byte ranges: nothing media before a click, every source type
// plays, small screens take the light rung, the definition choice survives a reload,
// a hidden page switches to audio, captions load, the keyboard plays, the page budget
// holds, no external origin, hostile titles stay inert. Screenshots go to artifacts/.
// (Issue 16's checks — every page, axe-core, CLS, listen-only in the page, the figures —
// are in test_site_pages.mjs.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { HOSTILE, artifactsDir, isMedia, launch, makeSite, requireTools, serve, tempDir } from './helpers.mjs';

requireTools({ browser: true });

let work, site, server, browser;

before(async () => {
  work = tempDir('publish-web');
  ({ site } = makeSite(work, [
    { title: 'Premier épisode', description: 'Présentation du service.\nDeuxième ligne.', footprint: true },
    { title: HOSTILE, description: HOSTILE },
    { title: 'Troisième épisode', description: 'Questions et réponses.', footprint: true },
  ], ['--title', 'Vidéos du service', '--description', 'Trois épisodes de démonstration.']));
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function open(width = 1280, height = 900) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`${server.origin}/index.html`, { waitUntil: 'networkidle' });
  return { page, requests, problems };
}

// Starts a video with a real mouse click on the play button of Chromium's native
// controls (bottom left of the player) and waits until its time advances.
async function clickAndPlay(page, index = 0) {
  const video = page.locator('video').nth(index);
  await video.scrollIntoViewIfNeeded();
  const box = await video.boundingBox();
  await page.mouse.move(0, 0); // a fresh hover shows controls that auto-hid
  await video.hover();
  await video.click({ position: { x: 24, y: box.height - 48 } });
  await page.waitForFunction((i) => document.querySelectorAll('video')[i].currentTime > 0.3,
    index, { timeout: 15000 });
  return video.evaluate((v) => ({ src: v.currentSrc, t: v.currentTime, paused: v.paused }));
}

test('no media byte before a click, page budget, no external origin', async () => {
  const { page, requests, problems } = await open();
  const origin = server.origin;
  assert.deepEqual(requests.filter(isMedia), [], 'media requested before any click');
  assert.deepEqual(requests.filter((u) => u.endsWith('.vtt')), [], 'captions fetched before play');
  const external = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  assert.deepEqual(external, [], 'request to another origin');
  const served = server.log.filter((e) => e.status > 0);
  const bytes = served.reduce((s, e) => s + e.bytes, 0);
  const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
  console.log(`page budget: ${requests.length} requests, ${(bytes / 1000).toFixed(1)} kB, ${dom} elements`);
  assert.ok(requests.length <= 15, `${requests.length} requests`);
  assert.ok(bytes <= 150000, `${bytes} bytes`);
  assert.ok(dom <= 300, `${dom} DOM elements`);
  // every attribute that can carry a URL points inside the site
  const urls = await page.evaluate(() => [...document.querySelectorAll('[src],[href],[poster]')]
    .flatMap((e) => ['src', 'href', 'poster'].map((a) => e.getAttribute(a)).filter(Boolean)));
  for (const u of urls) assert.ok(!/^[a-z]+:\/\//i.test(u) && !u.startsWith('//'), `absolute URL ${u}`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('video[autoplay]').length), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile titles are inert', async () => {
  const { page, problems } = await open();
  assert.equal(await page.evaluate(() => document.scripts.length), 1, 'only sobre.js runs');
  const h2 = await page.locator('article h2').nth(1).textContent();
  assert.equal(h2, `2. ${HOSTILE}`); /* numbered in the series */
  const desc = await page.locator('article .desc').nth(1).textContent();
  assert.equal(desc, HOSTILE);
  assert.deepEqual(problems, []);
  await page.close();
});

test('1280 px: a click plays the standard rung, captions load', async () => {
  const { page, requests } = await open();
  const before = requests.length;
  const st = await clickAndPlay(page);
  assert.match(st.src, /vp9-480p\.webm$/);
  assert.ok(requests.slice(before).some(isMedia), 'media fetched after the click');
  const ranged = server.log.filter((e) => isMedia(e.url) && e.status === 206);
  assert.ok(ranged.length > 0, 'media are fetched with byte ranges');
  const cues = await page.evaluate(async () => {
    const v = document.querySelector('video');
    const tr = v.querySelector('track');
    v.textTracks[0].mode = 'showing';
    for (let i = 0; i < 100 && tr.readyState !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    return { state: tr.readyState, cues: v.textTracks[0].cues ? v.textTracks[0].cues.length : 0 };
  });
  assert.equal(cues.state, 2, 'track loaded');
  assert.ok(cues.cues >= 2, `${cues.cues} cues`);
  await page.close();
});

test('every source type plays after a click', async () => {
  const { page } = await open();
  const article = page.locator('article').first();
  const links = await article.locator('a[data-role]').evaluateAll((as) => as.map((a) => ({
    href: a.getAttribute('href'), type: a.type, role: a.dataset.role })));
  assert.deepEqual(links.map((l) => l.role).sort(), ['audio', 'fallback', 'sobre', 'standard']);
  for (const l of links) {
    if (l.role === 'audio') continue; // below: the "listen only" link itself
    const can = await page.evaluate((t) => document.createElement('video').canPlayType(t), l.type);
    assert.notEqual(can, '', `Chromium cannot play ${l.type}`);
    // keep only this file as the video's source, then a real click plays it
    await page.evaluate((href) => {
      const v = document.querySelector('video');
      v.pause();
      v.querySelectorAll('source').forEach((s) => s.remove());
      v.src = href;
      v.load();
    }, l.href);
    const st = await clickAndPlay(page).catch((e) => { throw new Error(`${l.role} (${l.href}): ${e.message}`); });
    assert.ok(st.src.endsWith(l.href), `${l.role}: ${st.src}`);
  }
  // "Écouter seulement" plays the audio file: in the page's own player with sobre.js
  // (test_site_pages.mjs checks the time, captions and the way back) ...
  const url = page.url();
  await page.locator('article').first().locator('a[data-role="audio"]').click();
  await page.waitForFunction(() => {
    const m = document.querySelector('video');
    return m.currentSrc.endsWith('/audio.webm') && m.currentTime > 0.3;
  }, null, { timeout: 15000 });
  assert.equal(page.url(), url);
  await page.close();
  // ... and opens the file, which the browser plays at once, without it
  const bare = await browser.context.newPage();
  await bare.route('**/sobre.js', (r) => r.abort());
  await bare.goto(`${server.origin}/index.html`, { waitUntil: 'networkidle' });
  await bare.locator('article').first().locator('a[data-role="audio"]').click();
  await bare.waitForURL(/audio\.webm$/);
  await bare.waitForFunction(() => {
    const m = document.querySelector('video, audio');
    return m && m.currentTime > 0.3;
  }, null, { timeout: 15000 });
  await bare.close();
});

test('400 px viewport picks the sobre rung; no horizontal scroll at 320 px', async () => {
  let { page } = await open(400, 800);
  const st = await clickAndPlay(page);
  assert.match(st.src, /vp9-360p\.webm$/);
  await page.close();
  ({ page } = await open(320, 640));
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 320, `page is ${w} px wide at 320`);
  await page.close();
});

test('the definition choice is remembered across a reload', async () => {
  const { page } = await open();
  try {
    assert.equal(await page.locator('p.def').isVisible(), true, 'sobre.js shows the menu');
    await page.selectOption('#def', 'sobre');
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    await page.reload({ waitUntil: 'networkidle' });
    assert.equal(await page.locator('#def').inputValue(), 'sobre');
    assert.deepEqual(seen.filter(isMedia), [], 'a remembered choice must not load media before a click');
    const st = await clickAndPlay(page);
    assert.match(st.src, /vp9-360p\.webm$/, 'sobre chosen at 1280 px');
    // changing the choice while playing keeps the position
    await page.selectOption('#def', 'standard');
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v.currentSrc.endsWith('vp9-480p.webm') && !v.paused && v.currentTime > 0.3;
    }, null, { timeout: 15000 });
  } finally {
    await page.evaluate(() => localStorage.removeItem('sobre-def'));
    await page.close();
  }
});

// Headless Chromium keeps every page "visible" (another tab in front, a minimised
// window: both tried), so the page is told it is hidden the way the browser would:
// document.hidden / visibilityState change, then a visibilitychange event.
test('hiding the page switches to the audio-only file', async () => {
  const { page } = await open();
  const st = await clickAndPlay(page);
  assert.match(st.src, /\.webm$/);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return v.currentSrc.endsWith('/audio.webm') && !v.paused && v.currentTime > 0.3;
  }, null, { timeout: 15000 });
  const t = await page.evaluate(() => document.querySelector('video').currentTime);
  assert.ok(t >= st.t - 0.5, `audio resumed at ${t}, video was at ${st.t}`);
  // and back to the video when the page shows again
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => document.querySelector('video').currentSrc.endsWith('vp9-480p.webm'),
    null, { timeout: 15000 });
  await page.close();
});

test('keyboard: Tab to the player, Space plays', async () => {
  const { page } = await open();
  let tag = '';
  for (let i = 0; i < 30 && tag !== 'VIDEO'; i++) {
    await page.keyboard.press('Tab');
    tag = await page.evaluate(() => document.activeElement && document.activeElement.tagName);
  }
  assert.equal(tag, 'VIDEO', 'the first player is reachable with Tab');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('video').currentTime > 0.3, null, { timeout: 15000 });
  await page.close();
});

test('11 episodes: 10 on the first page within budget, the 11th on page 2', async () => {
  const dir = tempDir('publish-web-11');
  try {
    const eps = Array.from({ length: 11 }, (_, i) => ({ title: `Épisode ${i + 1}`, description: 'Une minute sur un sujet.', footprint: true }));
    const { site: big } = makeSite(dir, eps);
    const srv = await serve(big);
    const page = await browser.context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${srv.origin}/index.html`, { waitUntil: 'networkidle' });
    const bytes = srv.log.reduce((s, e) => s + e.bytes, 0);
    const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
    console.log(`page budget (10 episodes): ${requests.length} requests, ${(bytes / 1000).toFixed(1)} kB, ${dom} elements`);
    assert.equal(await page.locator('article').count(), 10);
    assert.ok(requests.length <= 15, `${requests.length} requests`);
    assert.ok(bytes <= 150000, `${bytes} bytes`);
    assert.ok(dom <= 300, `${dom} DOM elements`);
    assert.deepEqual(requests.filter(isMedia), []);
    await page.click('a[rel="next"]');
    await page.waitForURL(/page-2\.html$/);
    assert.equal(await page.locator('article').count(), 1);
    assert.equal(await page.locator('article h2').textContent(), '11. Épisode 11');
    await page.close();
    await srv.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('screenshots at 320 px and 1280 px', async () => {
  const dir = artifactsDir();
  for (const width of [320, 1280]) {
    const { page } = await open(width, 900);
    const file = path.join(dir, `publish-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 5000, `${file} is empty`);
    console.log(`screenshot: ${file}`);
    await page.close();
  }
  const { page } = await open(1280, 900);
  await page.goto(`${server.origin}/ecoconception.html`, { waitUntil: 'networkidle' });
  await page.screenshot({ path: path.join(dir, 'publish-ecoconception-1280.png'), fullPage: true });
  await page.close();
});
