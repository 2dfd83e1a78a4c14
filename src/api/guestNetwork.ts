import * as z from 'zod/mini';
import { guestPath, type GuestRef } from './paths';
import type { Transport } from './transport';

/**
 * The addresses a guest reports (CONSOLE.md §4): QEMU through the guest agent
 * (`agent/network-get-interfaces`, the QGA answer inside `result`), LXC through `interfaces`
 * (PVE 8.1+; iproute2 families `inet`/`inet6`; `null` while the container is stopped).
 */
export interface GuestInterface {
  readonly name: string;
  /** Lower-case MAC, when reported. */
  readonly mac: string | undefined;
  readonly addresses: readonly { readonly address: string; readonly family: 'ipv4' | 'ipv6'; readonly prefix: number | undefined }[];
}

const addressSchema = z.object({
  'ip-address': z.string(),
  'ip-address-type': z.optional(z.string()),
  prefix: z.optional(z.union([z.number(), z.string()])),
});

// Only `name` is guaranteed by the QGA schema; everything else may be missing.
const interfaceSchema = z.object({
  name: z.string(),
  'hardware-address': z.optional(z.string()),
  hwaddr: z.optional(z.string()),
  'ip-addresses': z.optional(z.array(z.unknown())),
  inet: z.optional(z.string()),
  inet6: z.optional(z.string()),
});

function family(type: string | undefined, address: string): 'ipv4' | 'ipv6' {
  if (type === 'ipv4' || type === 'inet') return 'ipv4';
  if (type === 'ipv6' || type === 'inet6') return 'ipv6';
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

function parseInterface(raw: unknown): GuestInterface | undefined {
  const parsed = z.safeParse(interfaceSchema, raw);
  if (!parsed.success) return undefined;
  const i = parsed.data;
  const addresses: GuestInterface['addresses'][number][] = [];
  for (const a of i['ip-addresses'] ?? []) {
    const p = z.safeParse(addressSchema, a);
    if (!p.success) continue;
    const prefix = p.data.prefix === undefined ? undefined : Number(p.data.prefix);
    addresses.push({ address: p.data['ip-address'], family: family(p.data['ip-address-type'], p.data['ip-address']), prefix: Number.isFinite(prefix) ? prefix : undefined });
  }
  // pve-container before 5.2.6 (PVE 8.4) has only `inet`/`inet6`, one address each.
  if (i['ip-addresses'] === undefined) {
    for (const cidr of [i.inet, i.inet6]) {
      if (!cidr) continue;
      const [address = '', prefix] = cidr.split('/');
      addresses.push({ address, family: family(undefined, address), prefix: prefix === undefined ? undefined : Number(prefix) });
    }
  }
  const mac = (i['hardware-address'] ?? i.hwaddr)?.toLowerCase();
  return { name: i.name, mac, addresses };
}

/** Parses either answer leniently: a malformed entry drops that entry, not the list. */
export function parseInterfaces(data: unknown): GuestInterface[] | null {
  if (data === null || data === undefined) return null;
  const list = Array.isArray(data) ? data : typeof data === 'object' && Array.isArray((data as { result?: unknown }).result) ? ((data as { result: unknown[] }).result) : [];
  return list.map(parseInterface).filter((i): i is GuestInterface => i !== undefined);
}

/**
 * The guest's interfaces; `null` for a stopped container. QEMU errors come back as PveError with
 * the server's text ("No QEMU guest agent configured", "QEMU guest agent is not running").
 */
export async function guestInterfaces(transport: Transport, ref: GuestRef, signal?: AbortSignal): Promise<GuestInterface[] | null> {
  const path = ref.type === 'qemu' ? `${guestPath(ref)}/agent/network-get-interfaces` : `${guestPath(ref)}/interfaces`;
  const result = await transport.request({ method: 'GET', path, ...(signal ? { signal } : {}) });
  return parseInterfaces(result.data);
}
