import * as vscode from 'vscode';
import type { ClusterSession } from '../clusters/clusterSession';
import type { ClusterIndex } from '../model/clusterIndex';
import { sortedNodeNames } from '../model/clusterIndex';
import { formatBytes, formatDuration, formatPercent, formatUsage } from '../model/format';
import type { PowerState } from '../model/guestState';
import { powerLabel } from '../tree/labels';
import { readTool, type ToolDeps } from './toolBase';
import { ReadTools } from './toolNames';
import { clustersFor, knownNode, nodeState, oneCluster, refreshClusters, sessionReason } from './targets';
import { bulletList, clusterLabel } from './toolText';

/** "12 guests (8 running, 3 stopped, 1 paused), templates: 2": from one fresh index. */
export function guestCounts(index: ClusterIndex, node?: string): string {
  const guests = [...index.guests.values()].filter((g) => node === undefined || g.node === node);
  const templates = guests.filter((g) => g.resource.template).length;
  const counts = new Map<PowerState, number>();
  for (const g of guests) if (!g.resource.template) counts.set(g.power, (counts.get(g.power) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([state, n]) => `${n} ${powerLabel(state)}`);
  const text = vscode.l10n.t('{0} guests ({1})', guests.length - templates, parts.join(', ') || '-');
  return templates > 0 ? vscode.l10n.t('{0}, templates: {1}', text, templates) : text;
}

function clusterSummary(session: ClusterSession): string[] {
  const head = vscode.l10n.t('Cluster {0} at {1}', clusterLabel(session), session.config.url);
  const problem = sessionReason(session);
  const index = session.index;
  if (problem || !index) return [`${head}: ${problem ?? vscode.l10n.t('not read yet')}`];
  const nodes = sortedNodeNames(index).map((n) => `${n} (${nodeState(index.nodes.get(n))})`);
  return [`${head}: ${vscode.l10n.t('connected')}, ${guestCounts(index)}.`, `  ${vscode.l10n.t('Nodes: {0}', nodes.join(', '))}`];
}

export function listClustersTool(deps: ToolDeps): vscode.LanguageModelTool<Record<string, never>> {
  return readTool(deps, ReadTools.listClusters, vscode.l10n.t('Reading the configured Proxmox clusters…'), async () => {
    const sessions = deps.ctx.manager.sessions;
    if (sessions.length === 0) return [vscode.l10n.t('No Proxmox VE cluster is configured in VS Code. Ask the user to add one with the command "Proxmox: Add Cluster…".')];
    await refreshClusters(sessions);
    return [vscode.l10n.t('{0} cluster(s) configured:', sessions.length), ...sessions.flatMap(clusterSummary)];
  });
}

export function clusterStatusTool(deps: ToolDeps): vscode.LanguageModelTool<{ cluster?: string }> {
  return readTool(deps, ReadTools.clusterStatus, vscode.l10n.t('Reading the Proxmox cluster status…'), async (input, signal) => {
    const found = oneCluster(deps.ctx, input.cluster);
    if (!found.ok) return [found.text];
    const session = found.value;
    const client = await session.client();
    const [status] = await Promise.all([client.clusterStatus(signal), refreshClusters([session])]);
    const cluster = status.find((item) => item.type === 'cluster');
    const nodes = status.filter((item) => item.type === 'node').sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const online = nodes.filter((n) => n.online).length;
    const lines = [
      cluster
        ? vscode.l10n.t('Cluster {0} (Proxmox VE cluster "{1}"): {2}, {3} nodes, {4} online.', clusterLabel(session), cluster.name, cluster.quorate ? vscode.l10n.t('quorate') : vscode.l10n.t('NOT quorate'), cluster.nodes ?? nodes.length, online)
        : vscode.l10n.t('Cluster {0}: a single node, not part of a Proxmox VE cluster.', clusterLabel(session)),
      vscode.l10n.t('Nodes:'),
      ...bulletList(nodes.map((n) => `${n.name}: ${n.online ? vscode.l10n.t('online') : vscode.l10n.t('offline')}${n.ip ? `, IP ${n.ip}` : ''}${n.local ? `, ${vscode.l10n.t('answers the API')}` : ''}`)),
    ];
    if (session.index) lines.push(vscode.l10n.t('Guests: {0}.', guestCounts(session.index)));
    return lines;
  });
}

export function nodeStatusTool(deps: ToolDeps): vscode.LanguageModelTool<{ cluster?: string; node: string }> {
  return readTool(deps, ReadTools.nodeStatus, vscode.l10n.t('Reading the Proxmox node status…'), async (input, signal) => {
    const clusters = clustersFor(deps.ctx, input.cluster);
    if (!clusters.ok) return [clusters.text];
    const problems = await refreshClusters(clusters.value);
    // A node name can exist on more than one cluster: never pick one for the user.
    const holders = clusters.value.filter((s) => s.index?.nodes.has(input.node));
    const [session, ...others] = holders;
    if (!session) {
      const [only] = clusters.value;
      const known = only && clusters.value.length === 1 ? knownNode(only, input.node) : undefined;
      if (known && !known.ok) return [known.text, ...problems];
      return [vscode.l10n.t('No configured cluster has a node called "{0}". Use proxmox_list_clusters to see the nodes.', input.node), ...problems];
    }
    if (others.length > 0) return [vscode.l10n.t('Several clusters have a node called "{0}"; say which with the cluster parameter:', input.node), ...bulletList(holders.map((s) => clusterLabel(s)))];
    const node = session.index?.nodes.get(input.node);
    const head = vscode.l10n.t('Node {0} of cluster {1}', input.node, clusterLabel(session));
    if (node && !node.online) return [vscode.l10n.t('{0} is offline; its status cannot be read. Its guests show as unknown and cannot be acted on.', head)];
    const client = await session.client();
    const s = await client.nodeStatus(input.node, signal);
    const lines = [
      `${head}: ${vscode.l10n.t('online')}`,
      vscode.l10n.t('uptime {0}; CPU {1} of {2} CPUs{3}; load average {4}; IO wait {5}', formatDuration(s.uptime), formatPercent(s.cpu), s.cpuinfo?.cpus ?? '?', s.cpuinfo?.model ? ` (${s.cpuinfo.model})` : '', s.loadavg?.join(', ') ?? '?', formatPercent(s.wait)),
      vscode.l10n.t('memory {0}; swap {1}; root file system {2}', formatUsage(s.memory?.used, s.memory?.total), formatUsage(s.swap?.used, s.swap?.total), formatUsage(s.rootfs?.used, s.rootfs?.total)),
      vscode.l10n.t('version {0}; kernel {1}', s.pveversion ?? '?', s.kversion ?? '?'),
    ];
    if (session.index) lines.push(vscode.l10n.t('On this node: {0}.', guestCounts(session.index, input.node)));
    if (s.memory?.total) lines.push(vscode.l10n.t('free memory: {0}', formatBytes(s.memory.free ?? s.memory.total - (s.memory.used ?? 0))));
    return lines;
  });
}
