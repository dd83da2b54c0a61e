// Oracle: `sobre footprint --method ademe` must reproduce ADEME's own model
// (@incubateur-ademe/publicodes-acv-numerique, evaluated with publicodes, "streaming"
// with `streaming . taille` = the real GB and `streaming . durée` = the duration) within
// 0.01 % (lib.mjs TOLERANCE) on a grid of sizes x durations x every device x every network, for the France
// default and for the EU override (grid and data centre region "Europe").
import { check, done, footprintJson, reportSizes, requireOrSkip, scratch, summary, agree, writeEpisode } from './lib.mjs';
import path from 'node:path';
import { createRequire } from 'node:module';

requireOrSkip(['publicodes', '@incubateur-ademe/publicodes-acv-numerique']);
const { default: Engine } = await import('publicodes');
// require() reads the JSON model on every Node version (import attributes vary).
const rules = createRequire(import.meta.url)(
  '@incubateur-ademe/publicodes-acv-numerique/publicodes-acv-numerique.model.json',
);

const engine = new Engine(rules, { logger: { log() {}, warn() {}, error() {} } });
const DEVICE = {
  smartphone: 'smartphone',
  tablet: 'tablette',
  laptop: 'ordinateur portable',
  desktop: 'ordinateur et écran',
  tv: 'TV',
};
// ADEME has no 5G network: sobre's 5G factor is its "mobile FR" one (flagged derived).
const NETWORK = {
  'fixed-fr': 'fixe FR',
  'mobile-4g-fr': 'mobile FR',
  '5g-fr': 'mobile FR',
  'fixed-eu': 'fixe EU',
  'mobile-eu': 'mobile EU',
};

// size: the rendition's bytes and duration from report.json (not the rounded row).
function ademe(row, size, region) {
  const situation = {
    'streaming . appareil': `'${DEVICE[row.device]}'`,
    'streaming . transmission . réseau': `'${NETWORK[row.network]}'`,
    'streaming . durée': size.duration_s / 60,
    'streaming . taille': size.bytes / 1e9,
  };
  if (region) {
    situation['usage réel . région'] = `'${region}'`;
    situation['usage data center . région'] = `'${region}'`;
  }
  engine.setSituation(situation);
  return {
    total: engine.evaluate('streaming').nodeValue,
    construction: engine.evaluate('streaming . terminaux . construction').nodeValue,
    usage: engine.evaluate('streaming . terminaux . usage').nodeValue,
    transmission: engine.evaluate('streaming . transmission').nodeValue,
  };
}

const sizes = [20000, 1400000, 350000000];
const durations = [7.5, 300, 3600];
const renditions = [];
for (const b of sizes) for (const d of durations) renditions.push({ id: `r${b}-${d}`, bytes: b, duration_s: d });
const dir = writeEpisode(path.join(scratch('oracle-ademe'), 'ep'), renditions);
const sizes_of = reportSizes(dir);

for (const [label, extra, region] of [
  ['ademe fr-2024', [], null],
  ['ademe eu-2024', ['--factors', 'eu-2024'], 'Europe'],
]) {
  const fp = footprintJson([dir, '--method', 'ademe', ...extra]);
  check(fp.method === 'ademe', `${label}: method is ${fp.method}`);
  check(fp.table.length === renditions.length * 25, `${label}: ${fp.table.length} rows, want ${renditions.length * 25}`);
  for (const row of fp.table) {
    const o = ademe(row, sizes_of.get(row.rendition), region);
    agree(`${label} total`, row.total_gco2e_per_view, o.total);
    agree(`${label} device construction`, row.embodied_gco2e_per_view, o.construction);
    agree(`${label} device use`, row.segments.gco2e.device, o.usage);
    agree(`${label} network`, row.segments.gco2e.network, o.transmission);
  }
}
summary();
done();
