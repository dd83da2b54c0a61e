#!/usr/bin/env node
// Measures a published site as a first visit sees it, in Debian's Chromium (the web
// tests' helpers: playwright-core, a local server with byte ranges): requests and kB
// before any click, HTML elements, CLS with and without sobre.js, axe-core violations,
// where the first player sits at 320x640; and saves full-page screenshots of index.html
// at 1280 and 320 px (the README's docs/img/site-*.png).
// Usage: node scripts/site-shots.mjs SITE [OUT_DIR]   (after scripts/setup.sh)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { isMedia, launch, serve } from '../tests/web/helpers.mjs';

const site = path.resolve(process.argv[2] || 'out/demo/site');
const out = path.resolve(process.argv[3] || 'docs/img');
const require = createRequire(new URL('../tests/web/package.json', import.meta.url));
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CLS = () => {
  window.__cls = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
    .observe({ type: 'layout-shift', buffered: true });
};

const server = await serve(site);
const browser = await launch();
try {
  for (const width of [1280, 320]) {
    for (const script of [true, false]) {
      server.log.length = 0;
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: width === 320 ? 640 : 900 });
      await page.addInitScript(CLS);
      if (!script) await page.route('**/sobre.js', (r) => r.abort());
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${server.origin}/index.html`, { waitUntil: 'networkidle' });
      await page.waitForTimeout(500);
      const bytes = server.log.reduce((s, e) => s + e.bytes, 0);
      const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
      const cls = await page.evaluate(() => window.__cls);
      const box = await page.locator('video, audio').first().boundingBox();
      await page.evaluate(AXE);
      const axe = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
      console.log(`${width} px ${script ? 'with' : 'without'} sobre.js: ${requests.length} requests, ` +
        `${(bytes / 1000).toFixed(1)} kB before any click, ${requests.filter(isMedia).length} media, ` +
        `${dom} elements, CLS ${cls}, axe-core violations ${axe.violations.length}, ` +
        `first player y ${box.y.toFixed(0)}-${(box.y + box.height).toFixed(0)}`);
      if (script) {
        const file = path.join(out, `site-${width}.png`);
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: file, fullPage: true });
        console.log(`screenshot: ${file}`);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
