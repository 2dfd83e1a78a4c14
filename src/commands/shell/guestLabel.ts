import type { GuestEntry } from '../../model/clusterIndex';
import { typeLabel } from '../../tree/labels';

/** "VM 100 web01" / "CT 101": how messages and terminal names call a guest. */
export function guestLabel(entry: Pick<GuestEntry, 'type' | 'vmid' | 'name'>): string {
  return `${typeLabel(entry.type)} ${entry.vmid}${entry.name ? ` ${entry.name}` : ''}`;
}
