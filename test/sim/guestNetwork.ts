// Addresses inside guests (CONSOLE.md §4): the QEMU guest agent's network-get-interfaces answer
// (wrapped in `result`, after assert_agent_available's three checks in their order) and
// pve-container's `interfaces` (iproute2 families `inet`/`inet6`, `inet`/`inet6` keeping only the
// last address per family, `null` for a stopped container).
import { isIPv4 } from 'node:net';
import { die } from './errors';
import type { GuestNicSpec, SimGuest } from './model';

/** net0's MAC (`virtio=BC:24:…` for QEMU, `hwaddr=BC:24:…` for LXC). */
function net0Mac(guest: SimGuest): string | undefined {
  const net0 = guest.config.net0;
  if (typeof net0 !== 'string') return undefined;
  return /(?:^|,)(?:virtio|e1000e?|rtl8139|vmxnet3|hwaddr)=([0-9A-Fa-f:]{17})/.exec(net0)?.[1];
}

/** EUI-64 link-local address for a MAC. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const eui = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((eui[i] ?? 0) << 8) | (eui[i + 1] ?? 0)).toString(16));
  return `fe80::${groups.join(':')}`;
}

/** The configured interfaces, or lo + eth0 with 10.0.0.<vmid % 250>/24 and a link-local address. */
export function guestNics(guest: SimGuest): GuestNicSpec[] {
  if (guest.network) return guest.network;
  const mac = (net0Mac(guest) ?? '02:00:00:00:00:01').toLowerCase();
  return [
    { name: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1/8', '::1/128'] },
    { name: 'eth0', mac, addresses: [`10.0.0.${guest.vmid % 250}/24`, `${linkLocal(mac)}/64`] },
  ];
}

function split(cidr: string): { address: string; prefix: number; v4: boolean } {
  const [address = '', prefix = '0'] = cidr.split('/');
  return { address, prefix: Number(prefix), v4: isIPv4(address) };
}

function agentEnabled(value: string | number | undefined): boolean {
  if (value === undefined) return false;
  const text = String(value);
  const enabled = /(?:^|,)(?:enabled=)?([01])(?:,|$)/.exec(text)?.[1];
  return enabled !== '0';
}

/** GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces (`data`). */
export function qemuAgentInterfaces(guest: SimGuest): unknown {
  if (guest.config.agent === undefined) throw die('No QEMU guest agent configured');
  if (!guest.running) throw die(`VM ${guest.vmid} is not running`);
  // guest-ping fails: agent disabled in the config, the service not running, or the VM paused.
  if (!agentEnabled(guest.config.agent) || guest.behaviour.agentRunning === false || guest.qmpstatus !== 'running') {
    throw die('QEMU guest agent is not running');
  }
  const result = guestNics(guest).map((nic, i) => ({
    name: nic.name,
    ...(nic.mac !== undefined ? { 'hardware-address': nic.mac.toLowerCase() } : {}),
    'ip-addresses': nic.addresses.map((cidr) => {
      const a = split(cidr);
      return { 'ip-address': a.address, 'ip-address-type': a.v4 ? 'ipv4' : 'ipv6', prefix: a.prefix };
    }),
    statistics: { 'rx-bytes': 1000 * (i + 1), 'rx-dropped': 0, 'rx-errs': 0, 'rx-packets': 10 * (i + 1), 'tx-bytes': 900 * (i + 1), 'tx-dropped': 0, 'tx-errs': 0, 'tx-packets': 9 * (i + 1) },
  }));
  return { result };
}

/** GET /nodes/{node}/lxc/{vmid}/interfaces (`data`; null while the container is stopped). */
export function lxcInterfaces(guest: SimGuest): unknown {
  if (!guest.running) return null;
  return guestNics(guest).map((nic) => {
    const addrs = nic.addresses.map(split);
    const last = (v4: boolean): string | undefined => {
      const a = addrs.filter((x) => x.v4 === v4).at(-1);
      return a ? `${a.address}/${a.prefix}` : undefined;
    };
    const inet = last(true);
    const inet6 = last(false);
    return {
      name: nic.name,
      ...(nic.mac !== undefined ? { hwaddr: nic.mac.toLowerCase(), 'hardware-address': nic.mac.toLowerCase() } : {}),
      ...(inet !== undefined ? { inet } : {}),
      ...(inet6 !== undefined ? { inet6 } : {}),
      'ip-addresses': addrs.map((a) => ({ 'ip-address': a.address, 'ip-address-type': a.v4 ? 'inet' : 'inet6', prefix: a.prefix })),
    };
  });
}
