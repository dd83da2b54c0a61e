// The footprint SVG chart renders in Chromium (playwright-core driving /usr/bin/chromium,
// never a downloaded browser): one bar group per row shown, hostile labels shown as text
// and never run, non-empty bars, embeddable as <img>; a screenshot is kept in SOBRE_TMP.
import fs from 'node:fs';
import path from 'node:path';
import { check, done, requireOrSkip, run, scratch, skip, writeEpisode } from './lib.mjs';

requireOrSkip(['playwright-core']);
const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) skip(`${CHROMIUM} is not installed (scripts/deps/web.apt)`);
const { chromium } = await import('playwright-core');

const work = scratch('oracle-svg');
const hostile = '<script>window.__pwned=1</script> & "quoted" \u00e9';
const dir = writeEpisode(
  path.join(work, 'ep'),
  [
    { id: 'audio', role: 'audio', bytes: 121000, duration_s: 30, label: 'audio seul' },
    { id: 'vp9-480p', role: 'sobre', bytes: 1400000, duration_s: 30, label: hostile },
    { id: 'vp9-720p', role: 'standard', bytes: 2900000, duration_s: 30, label: '720p' },
  ],
  { title: 'Épisode <img src=x onerror="window.__pwned=2">' },
);
const svgPath = path.join(work, 'chart.svg');
const r = run(['footprint', dir, '--device', 'smartphone', '--network', 'fixed-fr,5g-fr', '--svg', svgPath]);
check(r.status === 0, `sobre footprint --svg exits 0 (got ${r.status}: ${r.stderr})`);
const svg = fs.readFileSync(svgPath, 'utf8');
check(!svg.includes('<script'), 'no <script> element in the SVG source');
check(svg.includes('&lt;script&gt;'), 'the hostile label is escaped');

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage();
  await page.goto(`file://${svgPath}`);
  const info = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('g.row')];
    return {
      pwned: window.__pwned ?? null,
      rows: rows.length,
      labels: rows.map((g) => g.querySelector('text.label').textContent),
      tips: rows.map((g) => g.querySelector('title').textContent),
      widths: [...document.querySelectorAll('rect.op, rect.emb')].map((r) => r.getBBox().width),
      title: document.querySelector('title').textContent,
      root: (({ width, height }) => ({ width, height }))(document.documentElement.getBBox()),
    };
  });
  check(info.pwned === null, `no script ran (window.__pwned = ${info.pwned})`);
  check(info.rows === 3 * 2, `6 rows drawn (3 renditions x smartphone x 2 networks), got ${info.rows}`);
  check(info.tips.some((l) => l.includes(hostile)), 'hostile label shown whole as text in the tooltip');
  check(info.labels.some((l) => l.startsWith('<script>window.__pwn\u2026 \u00b7 smartphone')), `hostile label shortened as text: ${info.labels}`);
  check(info.title.includes('<img src=x'), 'hostile title shown as text');
  check(info.widths.length === 12 && info.widths.every((w) => w > 0), `every bar has a width: ${info.widths}`);
  check(info.root.width > 300 && info.root.height > 100, `chart has a size: ${JSON.stringify(info.root)}`);
  // As the published page embeds it.
  const html = path.join(work, 'embed.html');
  fs.writeFileSync(html, `<!doctype html><meta charset="utf-8"><img id="c" src="chart.svg" alt="chart">`);
  await page.goto(`file://${html}`);
  const natural = await page.evaluate(async () => {
    const img = document.getElementById('c');
    await img.decode();
    return img.naturalWidth;
  });
  check(natural === 760, `embedded as <img>, natural width ${natural}`);
  // A screenshot of the page as a reader sees it (Chromium does not screenshot a bare
  // SVG document reliably, so through the <img>).
  const shot = path.join(work, 'footprint-svg.png');
  await page.setViewportSize({ width: 800, height: 400 });
  await page.screenshot({ path: shot, fullPage: true });
  const png = fs.readFileSync(shot);
  check(png.length > 5000, `screenshot ${shot} is not blank (${png.length} bytes)`);
  check(png.readUInt32BE(16) >= 760, `screenshot is as wide as the chart (${png.readUInt32BE(16)} px)`);
  console.log(`screenshot: ${shot}`);
} finally {
  await browser.close();
}
done();
