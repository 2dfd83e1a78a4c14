// Bundle size, broken down by package, from esbuild's metafile (dist/meta.json, written by every
// build of esbuild.config.mjs), and what a .vsix ships. Used by scripts/bench.mjs; also runnable
// on its own for a quick look at the current build:
//   node bench/bundleSize.mjs [dist/meta.json]
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = 'dist/extension.js';

/** `zod`, `@scope/name`, or `extension` for the project's own sources. */
export function packageOf(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return 'extension';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '?');
}

/**
 * Everything esbuild will evaluate when the bundle is loaded: the inputs reachable from the entry
 * point without crossing a dynamic `import()`. CommonJS packages are wrapped in lazy closures by
 * esbuild, and a module only reached through `import()` is initialised on first use, so whatever
 * is not in this set stays off the activation path.
 */
export function activationPath(meta, entry) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length > 0) {
    const current = stack.pop();
    if (seen.has(current)) continue;
    seen.add(current);
    for (const edge of meta.inputs[current]?.imports ?? []) {
      if (edge.external || edge.kind === 'dynamic-import') continue;
      stack.push(edge.path);
    }
  }
  return seen;
}

export function analyzeMetafile(metaPath) {
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  const output = meta.outputs[OUTPUT];
  if (!output) throw new Error(`${metaPath} has no ${OUTPUT}`);
  const byPackage = {};
  for (const [input, info] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    byPackage[name] = (byPackage[name] ?? 0) + info.bytesInOutput;
  }
  const eager = activationPath(meta, output.entryPoint);
  const eagerPackages = {};
  let eagerBytes = 0;
  for (const input of eager) {
    const bytes = output.inputs[input]?.bytesInOutput ?? 0;
    eagerBytes += bytes;
    const name = packageOf(input);
    eagerPackages[name] = (eagerPackages[name] ?? 0) + bytes;
  }
  const deferred = Object.keys(output.inputs).filter((input) => !eager.has(input));
  return {
    outputBytes: output.bytes,
    byPackage,
    eagerBytes,
    eagerPackages,
    /** Inputs only reached through import(): initialised on the first request. */
    deferredPackages: [...new Set(deferred.map(packageOf))].sort(),
    undiciEagerInputs: [...eager].filter((input) => packageOf(input) === 'undici').length,
  };
}

/** Files a .vsix needs at run time; everything else in it is dead weight. */
export function isRuntimeFile(file) {
  return (
    file === 'package.json' ||
    /^package\.nls(\.[\w-]+)?\.json$/.test(file) ||
    /^(readme|changelog|license|security)(\.md|\.txt)?$/i.test(file) ||
    file.startsWith('l10n/') ||
    file.startsWith('media/') ||
    file === 'dist/extension.js' ||
    file.endsWith('.LEGAL.txt')
  );
}

/** Sizes of the files `vsce ls` lists, grouped by top-level folder. */
export function vsixContents(root, files) {
  const byFolder = {};
  let total = 0;
  let notNeeded = 0;
  for (const file of files) {
    const size = statSync(join(root, file)).size;
    total += size;
    if (!isRuntimeFile(file)) notNeeded += size;
    const folder = file.includes('/') ? `${file.split('/')[0]}/` : '(top level)';
    byFolder[folder] = (byFolder[folder] ?? 0) + size;
  }
  return { files: files.length, total, notNeeded, byFolder };
}

const kb = (bytes) => bytes / 1024;

/** Rows for the results table (the shape of bench/lib/measure.ts Measurement). */
export function bundleMeasurements(label, analysis, { goals = false } = {}) {
  const scenario = `bundle (${label})`;
  const pkg = (name) => analysis.byPackage[name] ?? 0;
  const rows = [
    { scenario, metric: 'dist/extension.js', unit: 'KB', samples: [kb(analysis.outputBytes)] },
    ...Object.entries(analysis.byPackage)
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => ({ scenario, metric: `  of which ${name}`, unit: 'KB', samples: [kb(bytes)] })),
    {
      scenario,
      metric: 'extension code + zod',
      unit: 'KB',
      samples: [kb(pkg('extension') + pkg('zod'))],
      ...(goals ? { goal: { op: '<', value: 150 } } : {}),
    },
    {
      scenario,
      metric: 'evaluated at load (static import graph)',
      unit: 'KB',
      samples: [kb(analysis.eagerBytes)],
      note: Object.entries(analysis.eagerPackages).map(([name, bytes]) => `${name} ${kb(bytes).toFixed(1)} KB`).join(', '),
    },
    {
      scenario,
      metric: 'undici modules on the activation path',
      unit: 'files',
      samples: [analysis.undiciEagerInputs],
      ...(goals ? { goal: { op: '==', value: 0 } } : {}),
      note: `deferred until first request: ${analysis.deferredPackages.join(', ')}`,
    },
  ];
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const analysis = analyzeMetafile(process.argv[2] ?? 'dist/meta.json');
  console.log(JSON.stringify(analysis, null, 2));
}
