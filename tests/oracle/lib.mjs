// Helpers shared by the oracle tests: a scratch folder, a synthetic episode report
// (docs/report.schema.json) with chosen sizes and durations, and running the shipped CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const SOBRE = process.env.SOBRE;
const here = path.dirname(new URL(import.meta.url).pathname);

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

export function requireOrSkip(names) {
  if (!SOBRE || !fs.existsSync(SOBRE)) skip('SOBRE (the built CLI) is not set');
  const req = createRequire(path.join(here, 'package.json'));
  for (const n of names) {
    try {
      req.resolve(n);
    } catch {
      skip(`npm package ${n} is not installed (run scripts/setup.sh)`);
    }
  }
}

export function scratch(name) {
  const base = process.env.SOBRE_TMP || '/tmp/sobre-test';
  const dir = path.join(base, `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// renditions: [{id, bytes, duration_s, role?, label?, cpu_s?}]
// Returns dir; bytesOf(dir-less rendition id) gives the exact bytes and duration written,
// so oracles are fed the report's own byte counts, never the rounded mb_per_view.
export function writeEpisode(dir, renditions, extra = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const report = {
    schema: 'sobre.report/1',
    sobre_version: '0.1.0',
    created: '2026-11-28T21:40:00Z',
    title: extra.title ?? 'Oracle episode',
    description: '',
    language: 'fr',
    source: { file: 'master.mp4', bytes: 1000000, duration_s: 60 },
    encode: { wall_s: 10, cpu_s: 20, energy_uj: null, cores: 2 },
    renditions: renditions.map((r) => ({
      id: r.id,
      label: r.label ?? r.id,
      kind: r.role === 'audio' ? 'audio' : 'video',
      role: r.role ?? 'standard',
      file: `${r.id}.webm`,
      container: 'webm',
      mime: 'video/webm; codecs="vp09.00.30.08, opus"',
      bytes: r.bytes,
      duration_s: r.duration_s,
      bitrate_bps: Math.round((r.bytes * 8) / r.duration_s),
      cpu_s: r.cpu_s ?? 1,
      wall_s: 1,
    })),
    notes: [],
  };
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
  return dir;
}

// id -> {bytes, duration_s} as written in an episode's report.json.
export function reportSizes(dir) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  return new Map(report.renditions.map((r) => [r.id, { bytes: r.bytes, duration_s: r.duration_s }]));
}

export function footprintJson(args) {
  const out = execFileSync(SOBRE, ['footprint', ...args, '--format', 'json'], {
    encoding: 'utf8',
    env: process.env,
  });
  return JSON.parse(out);
}

export function run(args) {
  return spawnSync(SOBRE, args, { encoding: 'utf8', env: process.env });
}

let failures = 0;
let checks = 0;
export function check(cond, msg) {
  checks++;
  if (!cond) {
    failures++;
    console.error(`FAIL: ${msg}`);
  }
}
export function done() {
  console.log(`${checks - failures} passed, ${failures} failed`);
  process.exit(failures || !checks ? 1 : 0);
}

// Relative difference, and a record of the worst one per label for the summary line.
// 0.01 %: the README claims agreement to a few ten-thousandths of a percent, and
// sobre's JSON carries 6 significant digits (at most 0.00005 % of rounding), so a
// real divergence in a factor or a formula shows up far above this.
export const TOLERANCE = 1e-4;
const worst = {};
console.log(`tolerance ${TOLERANCE * 100} %`);
export function agree(label, ours, theirs, tol = TOLERANCE) {
  const rel = Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-300);
  if (!(label in worst) || rel > worst[label]) worst[label] = rel;
  check(rel <= tol, `${label}: sobre ${ours} vs oracle ${theirs} (${(rel * 100).toFixed(3)} %)`);
}
export function summary() {
  for (const [k, v] of Object.entries(worst))
    console.log(`worst relative difference ${k}: ${(v * 100).toFixed(4)} %`);
}
