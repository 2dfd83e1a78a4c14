import * as vscode from 'vscode';
import type { GuestType } from '../api/paths';
import type { ClusterSession } from '../clusters/clusterSession';
import type { CommandContext } from '../commands/commandContext';
import type { GuestEntry, NodeEntry } from '../model/clusterIndex';
import { sortedNodeNames } from '../model/clusterIndex';
import { typeLongLabel } from '../tree/labels';
import { targetName } from '../ui/actionText';
import { errorText } from '../ui/errorText';
import { bulletList, clusterLabel, guestLine } from './toolText';

/**
 * How the tools find what a request is about. The rule is the careful admin's: look it up, never
 * guess. A VMID on two clusters, a name shared by several guests, an unknown cluster or node, or a
 * node/type that does not match what the cluster says is answered with the facts and the
 * candidates, and nothing is done.
 */
export type Resolved<T> =
  | { readonly ok: true; readonly value: T; readonly notes: readonly string[] }
  | { readonly ok: false; readonly text: string };

export interface GuestTargetInput {
  readonly vmid?: number;
  readonly name?: string;
  readonly cluster?: string;
  readonly node?: string;
  readonly type?: GuestType;
}

export interface FoundGuest {
  readonly session: ClusterSession;
  readonly entry: GuestEntry;
}

function ok<T>(value: T, notes: readonly string[] = []): Resolved<T> {
  return { ok: true, value, notes };
}

function fail<T>(...lines: string[]): Resolved<T> {
  return { ok: false, text: lines.join('\n') };
}

export function noClustersText(): string {
  return vscode.l10n.t('No Proxmox VE cluster is configured in VS Code. Ask the user to add one with the command "Proxmox: Add Cluster…"; the tools never ask for or handle credentials.');
}

function clusterList(sessions: readonly ClusterSession[]): string[] {
  return bulletList(sessions.map((s) => clusterLabel(s)));
}

/** The clusters a request is about: the one named (by id or display name), or all of them. */
export function clustersFor(ctx: CommandContext, cluster: string | undefined): Resolved<ClusterSession[]> {
  const sessions = ctx.manager.sessions;
  if (sessions.length === 0) return fail(noClustersText());
  if (cluster === undefined) return ok(sessions);
  const wanted = cluster.trim().toLowerCase();
  const byId = sessions.filter((s) => s.config.id.toLowerCase() === wanted);
  const matches = byId.length > 0 ? byId : sessions.filter((s) => s.config.name.toLowerCase() === wanted);
  if (matches.length === 1) return ok(matches);
  if (matches.length === 0) return fail(vscode.l10n.t('No configured cluster is called "{0}". The configured clusters are:', cluster), ...clusterList(sessions));
  return fail(vscode.l10n.t('Several clusters are called "{0}"; give the cluster id instead:', cluster), ...clusterList(matches));
}

/** Exactly one cluster: the one named, or the only one configured. */
export function oneCluster(ctx: CommandContext, cluster: string | undefined): Resolved<ClusterSession> {
  const found = clustersFor(ctx, cluster);
  if (!found.ok) return found;
  const [only, ...rest] = found.value;
  if (only && rest.length === 0) return ok(only);
  return fail(vscode.l10n.t('Several clusters are configured; nothing was read. Say which one with the cluster parameter:'), ...clusterList(found.value));
}

/** Why a cluster's picture is not usable now, or undefined when it was just read. */
export function sessionReason(session: ClusterSession): string | undefined {
  const state = session.state;
  switch (state.kind) {
    case 'ready':
      return undefined;
    case 'needsSecret':
      return vscode.l10n.t('no API token secret is stored; the user must set it (Proxmox: Update API Token…).');
    case 'error':
      return vscode.l10n.t('could not be read: {0}', errorText(state.error));
    case 'idle':
      return vscode.l10n.t('not connected.');
  }
}

export function sessionProblem(session: ClusterSession): string | undefined {
  const reason = sessionReason(session);
  return reason === undefined ? undefined : vscode.l10n.t('cluster {0}: {1}', clusterLabel(session), reason);
}

/**
 * A fresh `/cluster/resources` of each cluster (the picture a decision is made on is never older
 * than the request). Returns why any of them could not be read. The abort signal is not passed on:
 * a refresh is shared with the tree, which must not lose it because one tool call was cancelled.
 */
export async function refreshClusters(sessions: readonly ClusterSession[]): Promise<string[]> {
  await Promise.all(sessions.map((s) => s.refresh()));
  return sessions.map(sessionProblem).filter((p): p is string => p !== undefined);
}

function readable(sessions: readonly ClusterSession[]): ClusterSession[] {
  return sessions.filter((s) => s.state.kind === 'ready' && s.index !== undefined);
}

export interface GuestSearch {
  readonly exact: FoundGuest[];
  /** Names containing the text, when nothing matched exactly (suggestions, never acted on). */
  readonly similar: FoundGuest[];
  readonly problems: string[];
  readonly searched: ClusterSession[];
}

/** Every guest with this VMID or this name (case-insensitive) on the given clusters, freshly read. */
export async function searchGuests(sessions: readonly ClusterSession[], vmid: number | undefined, name: string | undefined): Promise<GuestSearch> {
  const problems = await refreshClusters(sessions);
  const exact: FoundGuest[] = [];
  const similar: FoundGuest[] = [];
  const wanted = name?.trim().toLowerCase();
  for (const session of readable(sessions)) {
    for (const entry of session.index?.guests.values() ?? []) {
      if (vmid !== undefined && entry.vmid !== vmid) continue;
      const own = entry.name?.toLowerCase();
      if (wanted === undefined || own === wanted) exact.push({ session, entry });
      else if (vmid === undefined && own?.includes(wanted)) similar.push({ session, entry });
    }
  }
  const order = (a: FoundGuest, b: FoundGuest): number => a.entry.vmid - b.entry.vmid || a.session.config.id.localeCompare(b.session.config.id);
  return { exact: exact.sort(order), similar: similar.sort(order), problems, searched: readable(sessions) };
}

function describeRequest(input: GuestTargetInput): string {
  if (input.vmid !== undefined && input.name !== undefined) return vscode.l10n.t('VMID {0} named "{1}"', input.vmid, input.name);
  if (input.vmid !== undefined) return vscode.l10n.t('VMID {0}', input.vmid);
  return vscode.l10n.t('the name "{0}"', input.name ?? '');
}

export function notFoundText(input: GuestTargetInput, search: GuestSearch): string[] {
  if (search.searched.length === 0) return [vscode.l10n.t('No cluster could be read, so {0} could not be looked up:', describeRequest(input)), ...bulletList(search.problems)];
  const where = search.searched.map((s) => clusterLabel(s)).join(', ') || '-';
  const lines = [
    input.vmid !== undefined
      ? vscode.l10n.t('No guest with {0} on cluster {1}. It does not exist, or the API token cannot see it (VM.Audit on /vms/{2} is needed).', describeRequest(input), where, input.vmid)
      : vscode.l10n.t('No guest named "{0}" on cluster {1}. It does not exist, or the API token cannot see it.', input.name ?? '', where),
  ];
  if (search.similar.length > 0) lines.push(vscode.l10n.t('Guests whose name contains "{0}" (not acted on; ask the user if one of them is meant):', input.name ?? ''), ...bulletList(search.similar.slice(0, 20).map((f) => guestLine(f.session, f.entry))));
  if (search.problems.length > 0) lines.push(vscode.l10n.t('Not checked:'), ...bulletList(search.problems));
  return lines;
}

/**
 * One guest, or the reason there is not exactly one. In `act` mode a node or type that does not
 * match the cluster, or a cluster that could not be checked, stops the request; in `read` mode
 * the facts are returned with a note.
 */
export async function resolveGuest(ctx: CommandContext, input: GuestTargetInput, mode: 'read' | 'act'): Promise<Resolved<FoundGuest>> {
  if (input.vmid === undefined && (input.name === undefined || input.name.trim() === '')) {
    return fail(vscode.l10n.t('Say which guest: give vmid (preferred) or name. Use proxmox_find_guest or proxmox_list_guests to look it up.'));
  }
  const clusters = clustersFor(ctx, input.cluster);
  if (!clusters.ok) return clusters;
  const search = await searchGuests(clusters.value, input.vmid, input.name);
  if (input.vmid !== undefined && input.name !== undefined && search.exact.length === 0) {
    const byVmid = await searchGuests(clusters.value, input.vmid, undefined);
    if (byVmid.exact.length > 0) {
      return fail(vscode.l10n.t('VMID {0} is not named "{1}"; nothing was done. What has this VMID:', input.vmid, input.name), ...bulletList(byVmid.exact.map((f) => guestLine(f.session, f.entry))), vscode.l10n.t('Check with the user which guest is meant.'));
    }
  }
  const [match, ...others] = search.exact;
  if (!match) return fail(...notFoundText(input, search));
  if (others.length > 0) {
    return fail(
      vscode.l10n.t('{0} matches {1} guests, so nothing was done. Ask the user which one is meant, then call again with its cluster and vmid:', describeRequest(input), search.exact.length),
      ...bulletList(search.exact.map((f) => guestLine(f.session, f.entry))),
    );
  }
  const notes: string[] = [];
  if (search.problems.length > 0) {
    if (mode === 'act' && input.cluster === undefined && clusters.value.length > 1) {
      return fail(
        vscode.l10n.t('Found {0}, but not every cluster could be checked for the same {1}, so nothing was done. Call again with the cluster parameter to act on this one.', guestLine(match.session, match.entry), describeRequest(input)),
        ...bulletList(search.problems),
      );
    }
    notes.push(...search.problems);
  }
  const { session, entry } = match;
  if (input.node !== undefined) {
    const known = knownNode(session, input.node);
    if (!known.ok) return known;
    if (entry.node !== input.node) {
      const text = vscode.l10n.t('{0} is on node {1}, not {2} (it may have migrated).', targetName(entry), entry.node, input.node);
      if (mode === 'act') return fail(text, vscode.l10n.t('Nothing was done. Check the guest with proxmox_get_guest_status and confirm the target with the user.'));
      notes.push(text);
    }
  }
  if (input.type !== undefined && input.type !== entry.type) {
    const text = vscode.l10n.t('{0} is a {1} ({2}), not a {3} ({4}).', targetName(entry), typeLongLabel(entry.type), entry.type, typeLongLabel(input.type), input.type);
    if (mode === 'act') return fail(text, vscode.l10n.t('Nothing was done. Confirm the target with the user.'));
    notes.push(text);
  }
  return ok(match, notes);
}

/** A node the cluster lists, or the list of the nodes it has. */
export function knownNode(session: ClusterSession, node: string): Resolved<NodeEntry> {
  const index = session.index;
  const entry = index?.nodes.get(node);
  if (entry) return ok(entry);
  const names = index ? sortedNodeNames(index).map((n) => `${n} (${nodeState(index.nodes.get(n))})`) : [];
  return fail(vscode.l10n.t('Cluster {0} has no node called "{1}"; nothing was done. Its nodes are:', clusterLabel(session), node), ...bulletList(names));
}

export function nodeState(node: NodeEntry | undefined): string {
  if (!node) return vscode.l10n.t('unknown');
  return node.online ? vscode.l10n.t('online') : vscode.l10n.t('offline');
}
