// Oracle: `sobre footprint --method swd4` and `--method onebyte` must reproduce CO2.js
// (@tgwf/co2) perByte within 0.01 % (lib.mjs TOLERANCE), fed the report's byte counts, on a grid of byte sizes x durations x devices x networks.
// swd4 passes the factors' grid as CO2.js's gridIntensity option (EU networks: the EU
// grid for the network segment); with every grid set to 494 g/kWh it is CO2.js's plain
// perByte(bytes). onebyte has no grid option in CO2.js: always plain perByte(bytes).
import fs from 'node:fs';
import path from 'node:path';
import { agree, check, done, footprintJson, reportSizes, requireOrSkip, scratch, summary, writeEpisode } from './lib.mjs';

requireOrSkip(['@tgwf/co2']);
const { co2 } = await import('@tgwf/co2');
const swd = new co2({ model: 'swd', version: 4 });
const onebyte = new co2({ model: '1byte' });

const sizes = [1000, 123457, 1400000, 29000000, 350000000, 2100000000];
const durations = [10, 30, 600, 5400];
const renditions = [];
for (const b of sizes) for (const d of durations) renditions.push({ id: `r${b}-${d}`, bytes: b, duration_s: d });
const work = scratch('oracle-co2js');
const dir = writeEpisode(path.join(work, 'ep'), renditions);
const sizes_of = reportSizes(dir);

const eu = (n) => n === 'fixed-eu' || n === 'mobile-eu';
const grid = (fp, id) => fp.factors_used.find((f) => f.id === id)?.central;

{
  const fp = footprintJson([dir, '--method', 'swd4']);
  const g = grid(fp, 'grid');
  const geu = grid(fp, 'grid_eu');
  check(g > 0 && geu > 0, `swd4 lists its grids in factors_used (${g}, ${geu})`);
  check(fp.table.length === renditions.length * 25, `swd4: ${fp.table.length} rows`);
  for (const row of fp.table) {
    const { bytes } = sizes_of.get(row.rendition);
    const opts = { gridIntensity: { device: g, dataCenter: g, network: eu(row.network) ? geu : g } };
    agree('swd4 (factors grid) perByteTrace', row.total_gco2e_per_view, swd.perByteTrace(bytes, false, opts).co2);
  }
}

{
  // Every grid at the SWD global 494 g/kWh: CO2.js's default perByte.
  const f = path.join(work, 'global-grid.yaml');
  fs.writeFileSync(
    f,
    [
      'name: global-grid',
      'factors:',
      '  grid: {unit: gCO2e/kWh, central: 494, source: "SWD v4 global grid (test)"}',
      '  grid_eu: {unit: gCO2e/kWh, central: 494, source: "SWD v4 global grid (test)"}',
      '',
    ].join('\n'),
  );
  const fp = footprintJson([dir, '--method', 'swd4', '--factors', f]);
  for (const row of fp.table) {
    const { bytes } = sizes_of.get(row.rendition);
    agree('swd4 (global grid) perByte', row.total_gco2e_per_view, swd.perByte(bytes));
  }
}

{
  const fp = footprintJson([dir, '--method', 'onebyte']);
  for (const row of fp.table) {
    const { bytes } = sizes_of.get(row.rendition);
    agree('onebyte perByte', row.total_gco2e_per_view, onebyte.perByte(bytes));
    check(row.embodied_gco2e_per_view === 0, 'onebyte has no embodied line');
  }
}
summary();
done();
