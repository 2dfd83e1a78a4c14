// Bundles the extension for VS Code. `--production` minifies (what the .vsix ships),
// `--watch` rebuilds on change, and every build writes dist/meta.json so bundle size can be
// broken down by package (see bench/bundleSize.mjs).
import * as esbuild from 'esbuild';
import { writeFile, mkdir } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: { extension: 'src/extension.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'info',
  legalComments: 'linked',
};

const writeMeta = {
  name: 'write-metafile',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.metafile) {
        await mkdir('dist', { recursive: true });
        await writeFile('dist/meta.json', JSON.stringify(result.metafile));
      }
    });
  },
};

if (watch) {
  const ctx = await esbuild.context({ ...options, plugins: [writeMeta] });
  await ctx.watch();
  console.log('esbuild: watching src/ for changes');
} else {
  await esbuild.build({ ...options, plugins: [writeMeta] });
}
