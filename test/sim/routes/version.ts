// GET /version (NOTES.md §11). `console` is only present when datacenter.cfg sets it.
import type { RouteEntry } from './types';

export const versionRoutes: readonly RouteEntry[] = [
  [
    'GET',
    '/version',
    ({ ctx }) => {
      const v = ctx.state.version;
      return { version: v.version, release: v.release, repoid: v.repoid };
    },
  ],
];
