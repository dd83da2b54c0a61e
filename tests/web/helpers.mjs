// Shared by the web tests: builds a published site from fake episodes (real media made
// by tests/lib/fake-episode.sh), serves it on 127.0.0.1 with a tiny static server that
// answers Range requests (206) like a real one, and starts Debian's Chromium through
// playwright-core with a fresh profile. Exits 77 (skip) when a client is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const SRC = process.env.SOBRE_SRC || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BUILD = process.env.SOBRE_BUILD || path.join(SRC, 'build');
export const TMP = process.env.SOBRE_TMP || os.tmpdir();
export const CHROMIUM = '/usr/bin/chromium';
export const HOSTILE = '<script>alert("x")</script> "quote" \'apos\' ../../etc/passwd 🎬 \u202Eעברית';

// A missing client skips (77) on a developer's machine, but fails under CI=true, where
// scripts/setup.sh has installed it: there a skip would hide a broken install step
// (the same rule as tests/lib/need.sh).
export function skip(why) {
  if (process.env.CI === 'true') {
    console.error(`FAIL: ${why} (scripts/setup.sh provides it: under CI=true this is an install failure, not a skip)`);
    process.exit(1);
  }
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

export function requireTools({ browser = false } = {}) {
  if (!process.env.SOBRE || !fs.existsSync(process.env.SOBRE)) skip('SOBRE (the built CLI) not set');
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  } catch {
    skip('ffmpeg missing');
  }
  if (browser && !fs.existsSync(CHROMIUM)) skip(`${CHROMIUM} missing (apt-get install chromium)`);
  // Every npm package of tests/web/package.json (installed by scripts/setup.sh).
  const req = createRequire(path.join(SRC, 'tests/web/package.json'));
  const pkg = JSON.parse(fs.readFileSync(path.join(SRC, 'tests/web/package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    try {
      req.resolve(name);
    } catch {
      skip(`npm package ${name} is not installed (tests/web)`);
    }
  }
}

export function tempDir(name) {
  fs.mkdirSync(TMP, { recursive: true });
  return fs.mkdtempSync(path.join(TMP, `${name}.`));
}

// Makes episodes then publishes them; returns the site folder and the episode folders.
export function makeSite(dir, episodes, extraArgs = []) {
  const fake = path.join(SRC, 'tests/lib/fake-episode.sh');
  const dirs = episodes.map((ep, i) => {
    const d = path.join(dir, `ep${i + 1}`);
    const args = [d, ep.title];
    if (ep.description !== undefined) args.push(ep.description);
    if (ep.footprint) args.push('--footprint');
    execFileSync('bash', [fake, ...args], { stdio: 'inherit', env: { ...process.env, SOBRE_TMP: TMP } });
    return d;
  });
  const site = path.join(dir, 'site');
  execFileSync(process.env.SOBRE, ['publish', ...dirs, '-o', site, '-q', ...extraArgs], { stdio: 'inherit' });
  return { site, dirs };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/rss+xml', '.m3u': 'audio/mpegurl', '.vtt': 'text/vtt; charset=utf-8',
  '.webp': 'image/webp', '.svg': 'image/svg+xml', '.webm': 'video/webm', '.mp4': 'video/mp4', '.m4a': 'audio/mp4',
  '.txt': 'text/plain; charset=utf-8',
};

// A static file server as the admin notes ask for: right MIME types, byte ranges, no
// directory listing. Every request is logged (url, status, bytes sent) for the budget.
export function serve(root) {
  const log = [];
  const server = http.createServer((req, res) => {
    const entry = { url: req.url, status: 0, bytes: 0, range: req.headers.range || null };
    log.push(entry);
    const send = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (body && req.method !== 'HEAD') {
        entry.bytes = body.length;
        res.end(body);
      } else res.end();
    };
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, {}, null);
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return send(404, { 'Content-Type': 'text/plain' }, Buffer.from('not found'));
    const data = fs.readFileSync(file);
    const headers = { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Accept-Ranges': 'bytes' };
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
    if (m) {
      let start = m[1] === '' ? data.length - Number(m[2]) : Number(m[1]);
      let end = m[1] === '' || m[2] === '' ? data.length - 1 : Math.min(Number(m[2]), data.length - 1);
      if (start < 0) start = 0;
      if (start > end || start >= data.length)
        return send(416, { 'Content-Range': `bytes */${data.length}` }, null);
      headers['Content-Range'] = `bytes ${start}-${end}/${data.length}`;
      headers['Content-Length'] = end - start + 1;
      return send(206, headers, data.subarray(start, end + 1));
    }
    headers['Content-Length'] = data.length;
    return send(200, headers, data);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Debian's Chromium, headless, fresh profile, nothing phoning home.
export async function launch() {
  const { chromium } = await import('playwright-core');
  const profile = tempDir('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactsDir() {
  const d = path.join(BUILD, 'artifacts');
  fs.mkdirSync(d, { recursive: true });
  return d;
}

export const isMedia = (url) => /\.(webm|mp4|m4a|weba|ogg|opus)(\?|$)/.test(url);
