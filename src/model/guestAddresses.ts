import { isIP } from 'node:net';
import type { GuestInterface } from '../api/guestNetwork';

/**
 * Which reported addresses are worth connecting to (CONSOLE.md §4): loopback, link-local,
 * APIPA and container/VM bridges are dropped; addresses on the NIC whose MAC is in the guest's
 * config come first, then IPv4 before IPv6. Everything is checked with `isIP`: the guest (and its
 * agent) is not trusted, and the address later becomes a command-line argument.
 */
export interface AddressCandidate {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly interfaceName: string;
  /** The interface's MAC matches a `netN` of the guest's config. */
  readonly configured: boolean;
}

const BRIDGE_NAMES = /^(lo|docker\d*|br-.*|veth.*|virbr.*|cni.*|flannel.*|cali.*|kube-.*|podman.*|lxcbr.*|tailscale.*|zt.*)$/;

/** The MACs in `net0`…`net31` (`virtio=BC:24:…`, `e1000=…`, LXC `hwaddr=…`), lower case. */
export function configuredMacs(config: Readonly<Record<string, unknown>>): Set<string> {
  const macs = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key) || typeof value !== 'string') continue;
    for (const m of value.matchAll(/(?:^|,)[a-z0-9_]+=((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})(?=,|$)/g)) {
      if (m[1]) macs.add(m[1].toLowerCase());
    }
  }
  return macs;
}

function isUsable(address: string, family: 'ipv4' | 'ipv6'): boolean {
  const kind = isIP(address);
  if ((family === 'ipv4' && kind !== 4) || (family === 'ipv6' && kind !== 6)) return false;
  const lower = address.toLowerCase();
  if (family === 'ipv4') return !/^(127\.|169\.254\.|0\.)/.test(lower);
  if (lower === '::1' || lower === '::') return false;
  // fe80::/10 (link-local) needs a zone id that means nothing outside the guest.
  return !/^fe[89ab][0-9a-f]?:/.test(lower);
}

export function candidateAddresses(interfaces: readonly GuestInterface[], macs: ReadonlySet<string>): AddressCandidate[] {
  const out: AddressCandidate[] = [];
  const seen = new Set<string>();
  for (const nic of interfaces) {
    if (BRIDGE_NAMES.test(nic.name)) continue;
    const configured = nic.mac !== undefined && macs.has(nic.mac.toLowerCase());
    for (const a of nic.addresses) {
      if (!isUsable(a.address, a.family) || seen.has(a.address)) continue;
      seen.add(a.address);
      out.push({ address: a.address, family: a.family, interfaceName: nic.name, configured });
    }
  }
  const rank = (c: AddressCandidate): number => (c.configured ? 0 : 2) + (c.family === 'ipv4' ? 0 : 1);
  return out.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
}

/** A user name for ssh: what OpenSSH and useradd accept, and never something that looks like an option. */
export function isValidSshUser(user: string): boolean {
  return /^[a-z_][a-z0-9_.-]{0,31}$/i.test(user);
}

/**
 * Remote-SSH's authority: `ssh-remote+user@host` for names and IPv4; IPv6 literals go in the
 * hex-encoded JSON form Remote-SSH also accepts, since `:` would end the authority.
 */
export function remoteSshAuthority(user: string | undefined, address: string): string {
  if (isIP(address) === 6) {
    const json = JSON.stringify(user ? { hostName: address, user } : { hostName: address });
    return `ssh-remote+${Buffer.from(json, 'utf8').toString('hex')}`;
  }
  return `ssh-remote+${user ? `${user}@` : ''}${address}`;
}

/** Arguments for `ssh`: `--` ends the options, so a hostile name can never become one. */
export function sshArguments(user: string | undefined, address: string): string[] {
  return ['--', user ? `${user}@${address}` : address];
}
