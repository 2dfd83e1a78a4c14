import * as vscode from 'vscode';
import type { ClusterSession } from '../../clusters/clusterSession';
import { completePath, directoryEntries, type CompletionValues } from '../../model/apiPathCompletion';
import { parseUserApiPath } from '../../api/userPath';

interface PathItem extends vscode.QuickPickItem {
  readonly kind2: 'open' | 'step';
  readonly path: string;
}

/** Live values for `{node}`, `{vmid}`, `{storage}` from the session's latest picture. */
export function completionValues(session: ClusterSession): CompletionValues {
  const index = session.index;
  if (!index) return { nodes: [], guests: [], storages: [] };
  return {
    nodes: [...index.nodes.keys()],
    guests: [...index.guests.values()].map((g) => ({ node: g.node, type: g.type, vmid: g.vmid })),
    storages: [...index.storagesByNode.values()].flat().map((s) => ({ node: s.node, storage: s.storage })),
  };
}

/**
 * A quick pick that completes an API path segment by segment, like `pvesh ls`: templates from
 * the bundled index filled with live values, plus the server's own directory listing of the path
 * typed so far. Resolves to the path to GET, or undefined.
 */
export function pickApiPath(session: ClusterSession, initial = '/'): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<PathItem>();
  qp.title = vscode.l10n.t('Get API Path ({0})', session.config.name);
  qp.placeholder = vscode.l10n.t('Type a path like /cluster/resources; pick an entry to go one level deeper');
  qp.value = initial;
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = true;
  const liveCache = new Map<string, string[]>();
  let pending: NodeJS.Timeout | undefined;

  const update = (): void => {
    const typed = qp.value.trim() || '/';
    const values = completionValues(session);
    const candidates = completePath(typed, values);
    const parent = typed.endsWith('/') ? typed.replace(/\/+$/, '') || '/' : typed.slice(0, typed.lastIndexOf('/')) || '/';
    const live = liveCache.get(parent) ?? [];
    const items: PathItem[] = [];
    const parsed = parseUserApiPath(typed);
    const exact = typed.replace(/\/$/, '') || '/';
    let openItem: PathItem | undefined;
    if (parsed.ok) {
      openItem = { kind2: 'open', path: exact, label: `$(json) GET ${exact}`, description: vscode.l10n.t('open as read-only JSON'), alwaysShow: true };
      items.push(openItem);
    }
    const seen = new Set<string>([exact]);
    for (const c of candidates) {
      if (seen.has(c.path)) continue;
      seen.add(c.path);
      items.push({ kind2: 'step', path: c.path, label: c.path, description: c.description, alwaysShow: false });
    }
    for (const name of live) {
      const path = `${parent === '/' ? '' : parent}/${name}`;
      if (seen.has(path)) continue;
      items.push({ kind2: 'step', path, label: path, description: vscode.l10n.t('from the server'), alwaysShow: false });
    }
    qp.items = items;
    // A complete endpoint typed out: Enter opens it rather than stepping into a sub-path.
    if (openItem && candidates.some((c) => c.path === exact && c.isEndpoint)) qp.activeItems = [openItem];
    // The bundled index knows this level: no need to ask the server for its directory.
    if (candidates.length === 0 && !liveCache.has(parent)) {
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => { void loadLive(parent); }, 250);
    }
  };

  const loadLive = async (parent: string): Promise<void> => {
    if (liveCache.has(parent) || !parseUserApiPath(parent).ok) return;
    liveCache.set(parent, []);
    qp.busy = true;
    try {
      const client = await session.client();
      const { data } = await client.getUserPath(parent);
      liveCache.set(parent, directoryEntries(data));
      update();
    } catch {
      // Not a directory, or not allowed: the static index still completes.
    } finally {
      qp.busy = false;
    }
  };

  return new Promise((resolve) => {
    let result: string | undefined;
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const selected = qp.selectedItems[0];
      if (!selected || selected.kind2 === 'open') {
        const path = selected?.path ?? qp.value.trim();
        if (parseUserApiPath(path).ok) {
          result = path;
          qp.hide();
        }
        return;
      }
      qp.value = `${selected.path}/`;
      update();
    });
    qp.onDidHide(() => {
      if (pending) clearTimeout(pending);
      qp.dispose();
      resolve(result);
    });
    update();
    qp.show();
  });
}
