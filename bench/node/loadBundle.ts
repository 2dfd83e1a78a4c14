// Child process of moduleLoad.ts: `node loadBundle.js <bundle>` requires the bundle once, with a
// stand-in for the `vscode` module, and prints {"loadMs": n}. A fresh process per sample, so every
// sample reads, compiles and evaluates the file from scratch, as the extension host does once.
import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Anything: callable, constructible, every property is itself. Enough for a module's top level. */
function anything(): unknown {
  const target = function stub(): void {
    // nothing
  };
  const proxy: object = new Proxy(target, {
    get: (_target, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : proxy),
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}

const bundle = process.argv[2];
if (bundle === undefined) throw new Error('usage: node loadBundle.js <bundle.js>');
const loader = Module as unknown as { _load: Load };
const original = loader._load;
const vscode = anything();
loader._load = function load(this: unknown, request, parent, isMain) {
  return request === 'vscode' ? vscode : original.call(this, request, parent, isMain);
};
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is timing a CommonJS require
const loaded = require(bundle) as { activate?: unknown };
const loadMs = performance.now() - started;
if (typeof loaded.activate !== 'function') throw new Error(`${bundle} exports no activate()`);
process.stdout.write(`${JSON.stringify({ loadMs })}\n`);
