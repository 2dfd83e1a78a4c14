import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gcFunction: (() => void) | undefined;

/**
 * A full garbage collection, also where the process was not started with --expose-gc (the
 * extension host): the flag can be set at run time, and a new context then sees `gc`.
 */
export function collectGarbage(): void {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  // Twice: the first pass can leave objects that only become unreachable after finalizers.
  gcFunction();
  gcFunction();
}

/** Heap in use after a full collection, in MB. */
export function retainedHeapMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export function heapUsedMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
