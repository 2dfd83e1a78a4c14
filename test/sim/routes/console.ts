// Terminals, guest addresses and realms (CONSOLE.md; pve-manager Nodes.pm termproxy/vncwebsocket,
// qemu-server Qemu.pm termproxy/vncwebsocket and Qemu/Agent.pm, pve-container LXC.pm
// termproxy/vncwebsocket/interfaces, pve-access-control API2/Domains.pm). Privileges are checked by
// the pipeline from the schema (Sys.Console, VM.Console, VM.GuestAgent.*, VM.Audit) before these run.
import { die, PveError } from '../errors';
import { lxcInterfaces, qemuAgentInterfaces } from '../guestNetwork';
import type { GuestType } from '../model';
import { loadGuest } from '../snapshots';
import { intParam, strParam } from '../validate';
import { vmidOf } from './guestCommon';
import type { RouteEntry, RouteRequest } from './types';

function nodeTermproxy(req: RouteRequest): unknown {
  const { ctx, authid } = req;
  const node = strParam(req.params, 'node') ?? '';
  // pve-manager before 9.0.13 ran verify_username on the caller, which a token id fails.
  if (authid.includes('!') && !ctx.console.options.tokenNodeShell) throw die(`value '${authid}' does not look like a valid user name`);
  if (!ctx.state.node(node)) throw die(`Unable to get IP for node '${node}' - node offline?`);
  // cmd is honoured for root@pam only and silently ignored for everyone else.
  const cmd = authid === 'root@pam' ? strParam(req.params, 'cmd') : undefined;
  return ctx.console.create({ kind: 'node', node, ...(cmd !== undefined ? { cmd } : {}) }, authid, ctx.state.localNode);
}

function guestTermproxy(type: GuestType) {
  return (req: RouteRequest): unknown => {
    const { ctx, authid } = req;
    const node = strParam(req.params, 'node') ?? '';
    const vmid = vmidOf(req);
    loadGuest(ctx, node, type, vmid); // "Configuration file … does not exist"
    const serial = type === 'qemu' ? strParam(req.params, 'serial') : undefined;
    // The worker runs on the node that got the POST (it reaches the guest's node over ssh).
    return ctx.console.create({ kind: type, node, vmid, ...(serial !== undefined ? { serial } : {}) }, authid, ctx.state.localNode);
  };
}

/** verify_vnc_ticket; without an Upgrade header the answer is just `{port}`. */
function vncWebsocket(type: GuestType | 'node') {
  return (req: RouteRequest): unknown => {
    const node = strParam(req.params, 'node') ?? '';
    const port = intParam(req.params, 'port') ?? 0;
    const vmid = type === 'node' ? 0 : vmidOf(req);
    const path = type === 'node' ? `/nodes/${node}` : `/vms/${vmid}`;
    if (!req.tickets.verifyVnc(strParam(req.params, 'vncticket') ?? '', req.authid, path, port)) {
      throw new PveError(401, 'permission denied - invalid PVEVNC ticket\n');
    }
    if (type !== 'node') loadGuest(req.ctx, node, type, vmid);
    return { port: String(port) };
  };
}

function agentInterfaces(req: RouteRequest): unknown {
  return qemuAgentInterfaces(loadGuest(req.ctx, req.caller.node, 'qemu', vmidOf(req)));
}

function containerInterfaces(req: RouteRequest): unknown {
  return lxcInterfaces(loadGuest(req.ctx, req.caller.node, 'lxc', vmidOf(req)));
}

/** GET /access/domains: the realms of the login dialog (no authentication needed). */
function domains(): unknown {
  return [
    { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
    { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: 1 },
  ];
}

export const consoleRoutes: readonly RouteEntry[] = [
  ['POST', '/nodes/{node}/termproxy', nodeTermproxy],
  ['GET', '/nodes/{node}/vncwebsocket', vncWebsocket('node')],
  ['POST', '/nodes/{node}/qemu/{vmid}/termproxy', guestTermproxy('qemu')],
  ['GET', '/nodes/{node}/qemu/{vmid}/vncwebsocket', vncWebsocket('qemu')],
  ['POST', '/nodes/{node}/lxc/{vmid}/termproxy', guestTermproxy('lxc')],
  ['GET', '/nodes/{node}/lxc/{vmid}/vncwebsocket', vncWebsocket('lxc')],
  ['GET', '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', agentInterfaces],
  ['GET', '/nodes/{node}/lxc/{vmid}/interfaces', containerInterfaces],
  ['GET', '/access/domains', domains],
];
