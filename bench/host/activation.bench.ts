// Activation in the real extension host, the first thing this host run does (runBench.ts starts a
// fresh code-server for every sample). Measured by wrapping Node's CommonJS loader for the
// extension's main file only:
//   module load   = reading, compiling and evaluating dist/extension.js (what `require` costs);
//   activate()    = the extension's activate() call until it returns;
//   ext.activate  = what a caller of vscode.Extension.activate() waits, including the host's own
//                   work (ExtensionContext, storage, secrets setup) around the two above.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { extension, recorder } from './hostContext';

type Compile = (this: unknown, module: NodeJS.Module, filename: string) => void;
interface ExtensionExports {
  activate(context: unknown): unknown;
  deactivate?(): unknown;
}

const SCENARIO = 'activation (extension host, cold)';

suite('Activation', () => {
  test('module load + activate()', async () => {
    const ext = extension();
    if (ext.isActive) throw new Error('the extension was already active: activation cannot be measured in this run');
    const main = (ext.packageJSON as { main?: string }).main ?? 'dist/extension.js';
    const bundle = fs.realpathSync(path.resolve(ext.extensionPath, main));
    const loaders = (Module as unknown as { _extensions: Record<string, Compile> })._extensions;
    const original = loaders['.js'];
    if (!original) throw new Error('no CommonJS loader for .js');
    let loadMs: number | undefined;
    let activateMs: number | undefined;
    loaders['.js'] = function load(this: unknown, module, filename) {
      if (safeRealpath(filename) !== bundle) {
        original.call(this, module, filename);
        return;
      }
      const started = performance.now();
      original.call(this, module, filename);
      loadMs = performance.now() - started;
      const exported = module.exports as ExtensionExports;
      const wrapped: ExtensionExports = {
        activate(context) {
          const t = performance.now();
          try {
            return exported.activate(context);
          } finally {
            activateMs = performance.now() - t;
          }
        },
        deactivate: () => exported.deactivate?.(),
      };
      module.exports = wrapped;
    };
    let totalMs: number;
    try {
      const started = performance.now();
      await ext.activate();
      totalMs = performance.now() - started;
    } finally {
      loaders['.js'] = original;
    }
    if (loadMs === undefined || activateMs === undefined) {
      // The host loaded the file some other way: only the outside view is available.
      recorder.add({ scenario: SCENARIO, metric: 'ext.activate() as a caller sees it', unit: 'ms', samples: [totalMs], note: 'the CommonJS loader hook did not see the bundle' });
      return;
    }
    recorder.add({ scenario: SCENARIO, metric: 'module load (dist/extension.js)', unit: 'ms', samples: [loadMs] });
    recorder.add({ scenario: SCENARIO, metric: 'activate() call', unit: 'ms', samples: [activateMs] });
    recorder.add({ scenario: SCENARIO, metric: 'module load + activate()', unit: 'ms', samples: [loadMs + activateMs], goal: { op: '<', value: 30 } });
    recorder.add({ scenario: SCENARIO, metric: 'ext.activate() as a caller sees it', unit: 'ms', samples: [totalMs], note: 'includes the host creating the ExtensionContext' });
  });
});

function safeRealpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
