// Every implemented (method, path template). The conformance test checks that this table and the
// schema files (subset + extra) contain exactly the same endpoints.
import { endpointKey } from '../schema';
import { accessRoutes } from './access';
import { clusterRoutes } from './cluster';
import { consoleRoutes } from './console';
import { lxcRoutes } from './lxc';
import { nodeRoutes } from './nodes';
import { qemuRoutes } from './qemu';
import { snapshotRoutes } from './snapshot';
import { storageRoutes } from './storage';
import { taskRoutes } from './tasks';
import type { RouteEntry, RouteHandler } from './types';
import { versionRoutes } from './version';

export const allRoutes: readonly RouteEntry[] = [
  ...versionRoutes,
  ...nodeRoutes,
  ...clusterRoutes,
  ...taskRoutes,
  ...qemuRoutes,
  ...lxcRoutes,
  ...snapshotRoutes,
  ...accessRoutes,
  ...storageRoutes,
  ...consoleRoutes,
];

export function routeTable(): Map<string, RouteHandler> {
  const table = new Map<string, RouteHandler>();
  for (const [method, template, handler] of allRoutes) {
    const key = endpointKey(method, template);
    if (table.has(key)) throw new Error(`duplicate route ${key}`);
    table.set(key, handler);
  }
  return table;
}
