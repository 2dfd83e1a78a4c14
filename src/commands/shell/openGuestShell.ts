import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { guestLabel } from './guestLabel';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';
import { startShell } from './startShell';

const SERIALS = ['serial0', 'serial1', 'serial2', 'serial3'];

/**
 * "Open Shell" on a guest: the container's console (`lxc-console` through dtach) or the VM's
 * serial terminal (`qm terminal`). What PVE would only print into the stream (a stopped guest, a
 * VM without a serial socket) is checked first, the way the web UI does.
 */
export async function openGuestShell(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const [target] = await resolveGuestTargets(ctx, args);
  if (!target) return false;
  const fresh = await target.session.reread(target.vmid);
  if (!fresh) {
    void ctx.prompter.notify('warning', vscode.l10n.t('Guest {0} no longer exists.', target.vmid));
    return false;
  }
  const { entry, status } = fresh;
  const label = guestLabel(entry);
  const browser = { command: Commands.openGuestConsoleInBrowser, args: [{ clusterId: target.session.config.id, vmid: entry.vmid }] };
  if (status.status !== 'running') {
    void ctx.prompter.notify('warning', vscode.l10n.t('{0} on {1} is {2}: start it first.', label, entry.node, status.status));
    return false;
  }
  let serial: string | undefined;
  if (entry.type === 'qemu') {
    const config = await (await target.session.client()).guestConfig({ node: entry.node, type: 'qemu', vmid: entry.vmid });
    serial = SERIALS.find((key) => config[key] === 'socket');
    if (!serial) {
      const openInBrowser = vscode.l10n.t('Open Console in Browser');
      void ctx.prompter
        .notify(
          'warning',
          vscode.l10n.t('{0} has no serial port, so there is no text console to open here. Add one (Hardware → Add → Serial Port, or `qm set {1} -serial0 socket`) and let the guest run a login on ttyS0, or use the graphical console in the browser.', label, entry.vmid),
          openInBrowser,
        )
        .then((choice) => {
          if (choice === openInBrowser) void vscode.commands.executeCommand(browser.command, ...browser.args);
        });
      return false;
    }
  }
  const name = entry.type === 'lxc' ? vscode.l10n.t('Console: {0}', label) : vscode.l10n.t('Serial: {0}', label);
  const shell = await startShell(ctx, target.session, { type: entry.type, node: entry.node, vmid: entry.vmid }, name, browser);
  return shell !== undefined;
}
