// Bundles the extension for VS Code. `--production` minifies (what the .vsix ships),
// `--watch` rebuilds on change, and every build writes dist/meta.json so bundle size can be
// broken down by package (see bench/bundleSize.mjs).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { writeFile, mkdir } from 'node:fs/promises';

const require = createRequire(import.meta.url);

// Packages built into their own file and required at run time only from lazily loaded modules:
// undici is needed for the first request, not for activation (docs/benchmarks.md).
const VENDORED = ['undici'];

/** Resolves a vendored package to `./vendor/<name>.js` next to dist/extension.js, kept external. */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${VENDORED.join('|')})$`) }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

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

const vendorOptions = {
  ...options,
  entryPoints: Object.fromEntries(VENDORED.map((name) => [`vendor/${name}`, require.resolve(name)])),
  metafile: false,
};

if (watch) {
  await esbuild.build(vendorOptions);
  const ctx = await esbuild.context({ ...options, plugins: [writeMeta, vendorExternal] });
  await ctx.watch();
  console.log('esbuild: watching src/ for changes');
} else {
  await esbuild.build(vendorOptions);
  await esbuild.build({ ...options, plugins: [writeMeta, vendorExternal] });
}
