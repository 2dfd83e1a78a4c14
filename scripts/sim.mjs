// `npm run sim -- [args]`: bundles test/sim/cli.ts with esbuild (about 0.1 s, no tsc needed) and
// runs it in this process. The bundle lives in out/sim/ so the simulator finds
// test/sim/schema-subset.json by walking up. See test/sim/README.md for the arguments.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'out', 'sim', 'cli.cjs');

await esbuild.build({
  entryPoints: [join(root, 'test', 'sim', 'cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  sourcemap: 'inline',
  logLevel: 'warning',
});

process.env.PVE_SIM_CLI = '1';
createRequire(import.meta.url)(outfile);
