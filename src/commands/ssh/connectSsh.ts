import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import type { GuestInterface } from '../../api/guestNetwork';
import { Settings } from '../../constants';
import { candidateAddresses, configuredMacs, isValidSshUser, remoteSshAuthority, sshArguments, type AddressCandidate } from '../../model/guestAddresses';
import { guestLabel } from '../shell/guestLabel';
import { errorText } from '../../ui/errorText';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';

export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';

export interface SshConnection {
  readonly address: string;
  readonly user: string | undefined;
  readonly via: 'remote-ssh' | 'terminal';
}

/**
 * "Connect via SSH…": the guest's own addresses (QEMU guest agent, LXC interfaces), a pick when
 * there are several, then Remote-SSH when it is installed, else `ssh` in a terminal. Addresses come
 * from inside the guest and are checked to be IP addresses; they reach `ssh` as arguments, never
 * through a shell.
 */
export async function connectSsh(ctx: CommandContext, ...args: unknown[]): Promise<SshConnection | undefined> {
  const [target] = await resolveGuestTargets(ctx, args);
  if (!target) return undefined;
  const fresh = await target.session.reread(target.vmid);
  if (!fresh) {
    void ctx.prompter.notify('warning', vscode.l10n.t('Guest {0} no longer exists.', target.vmid));
    return undefined;
  }
  const { entry, status } = fresh;
  const label = guestLabel(entry);
  if (status.status !== 'running') {
    void ctx.prompter.notify('warning', vscode.l10n.t('{0} is {1}: start it first; its addresses are known only while it runs.', label, status.status));
    return undefined;
  }
  const ref = { node: entry.node, type: entry.type, vmid: entry.vmid };
  const config = await (await target.session.client()).guestConfig(ref);
  if (entry.type === 'qemu' && !agentEnabled(config.agent)) {
    void ctx.prompter.notify('warning', vscode.l10n.t('The QEMU guest agent is not enabled for {0}, so its addresses are unknown. Enable it (Options → QEMU Guest Agent), install qemu-guest-agent in the guest, and restart the VM.', label));
    return undefined;
  }
  let interfaces: GuestInterface[] | null;
  try {
    const { transport } = await target.session.access();
    const { guestInterfaces } = await import('../../api/guestNetwork');
    interfaces = await guestInterfaces(transport, ref);
  } catch (error) {
    if (!PveError.is(error) || !(error.reason === 'conflict' || error.reason === 'serverError' || error.reason === 'notFound' || error.reason === 'forbidden')) throw error;
    const text =
      error.reason === 'forbidden'
        ? errorText(error)
        : entry.type === 'qemu'
          ? vscode.l10n.t('The guest agent of {0} did not answer ({1}). Is qemu-guest-agent installed and running in the guest?', label, error.message)
          : vscode.l10n.t('The addresses of {0} cannot be read ({1}); Proxmox VE 8.1 or newer reports container addresses.', label, error.message);
    void ctx.prompter.notify('warning', ctx.redactor.redact(text));
    return undefined;
  }
  // A container's static `ip=` in netN is known even when the API has nothing to report.
  const reported = interfaces ?? [];
  const candidates = candidateAddresses(reported.length > 0 ? reported : staticInterfaces(config), configuredMacs(config));
  if (candidates.length === 0) {
    void ctx.prompter.notify('warning', vscode.l10n.t('{0} reports no address to connect to (only loopback or link-local addresses).', label));
    return undefined;
  }
  const chosen = candidates.length === 1 ? candidates[0] : await pickAddress(ctx, label, candidates);
  if (!chosen) return undefined;
  const userInput = await ctx.prompter.input({
    title: vscode.l10n.t('SSH to {0}', chosen.address),
    prompt: vscode.l10n.t('User name on {0} (empty: your SSH configuration decides).', label),
    value: 'root',
    validate: (text) => (text.trim() === '' || isValidSshUser(text.trim()) ? undefined : vscode.l10n.t('Not a valid user name.')),
  });
  if (userInput === undefined) return undefined;
  const user = userInput.trim() === '' ? undefined : userInput.trim();
  if (vscode.extensions.getExtension(REMOTE_SSH_EXTENSION)) {
    ctx.log.info(`SSH to ${chosen.address} (${label}) with Remote-SSH`);
    await vscode.commands.executeCommand('vscode.newWindow', { remoteAuthority: remoteSshAuthority(user, chosen.address), reuseWindow: false });
    return { address: chosen.address, user, via: 'remote-ssh' };
  }
  const sshPath = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.sshPath)?.trim() || 'ssh';
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('SSH: {0}', `${user ? `${user}@` : ''}${chosen.address}`), shellPath: sshPath, shellArgs: sshArguments(user, chosen.address), iconPath: new vscode.ThemeIcon('remote') });
  terminal.show();
  ctx.log.info(`SSH to ${chosen.address} (${label}) in a terminal: ${sshPath} ${sshArguments(user, chosen.address).join(' ')}`);
  return { address: chosen.address, user, via: 'terminal' };
}

function agentEnabled(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value);
  return /(?:^|,)(?:enabled=)?([01])(?:,|$)/.exec(text)?.[1] !== '0';
}

/** `ip=10.0.0.5/24` / `ip6=…` of a container's netN entries, as if reported. */
function staticInterfaces(config: Readonly<Record<string, unknown>>): GuestInterface[] {
  const out: GuestInterface[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key) || typeof value !== 'string') continue;
    const field = (name: string): string | undefined => new RegExp(`(?:^|,)${name}=([^,]+)`).exec(value)?.[1];
    const addresses: GuestInterface['addresses'][number][] = [];
    for (const [name, family] of [['ip', 'ipv4'], ['ip6', 'ipv6']] as const) {
      const cidr = field(name);
      if (!cidr || cidr === 'dhcp' || cidr === 'auto' || cidr === 'manual') continue;
      const [address = '', prefix] = cidr.split('/');
      addresses.push({ address, family, prefix: prefix === undefined ? undefined : Number(prefix) });
    }
    out.push({ name: field('name') ?? key, mac: (field('hwaddr') ?? field('virtio'))?.toLowerCase(), addresses });
  }
  return out;
}

async function pickAddress(ctx: CommandContext, label: string, candidates: readonly AddressCandidate[]): Promise<AddressCandidate | undefined> {
  return ctx.prompter.pick({
    title: vscode.l10n.t('Connect to {0} via SSH', label),
    placeHolder: vscode.l10n.t('Address'),
    items: candidates.map((c) => ({
      label: c.address,
      description: `${c.interfaceName} · ${c.family === 'ipv4' ? 'IPv4' : 'IPv6'}`,
      ...(c.configured ? { detail: vscode.l10n.t('on the network card configured for this guest') } : {}),
      value: c,
    })),
  });
}
