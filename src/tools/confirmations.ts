import type { ClusterSession } from '../clusters/clusterSession';
import type { GuestEntry } from '../model/clusterIndex';
import { stableStringify } from '../ui/documents/proxmoxDocumentProvider';

/** What the user saw in a chat confirmation: the guest as it was when `prepareInvocation` read it. */
export interface ShownTarget {
  readonly clusterId: string;
  readonly entry: GuestEntry;
}

const LIMIT = 64;

/**
 * Links a tool's `prepareInvocation` to the `invoke` that follows it. VS Code passes only the
 * input to both, so the input (with the tool name) is the key. A record is consumed by the first
 * invoke, and every prepare first drops the old one: a confirmation never outlives its request,
 * and a request whose prepare showed no confirmation (ambiguous, refused) finds none.
 */
export class ConfirmationStore {
  private readonly records = new Map<string, ShownTarget>();

  static key(tool: string, input: unknown): string {
    return `${tool} ${stableStringify(input)}`;
  }

  forget(key: string): void {
    this.records.delete(key);
  }

  remember(key: string, session: ClusterSession, entry: GuestEntry): void {
    this.records.delete(key);
    this.records.set(key, { clusterId: session.config.id, entry });
    // Prepared but never invoked (the user declined in chat): keep only the newest few.
    for (const oldest of this.records.keys()) {
      if (this.records.size <= LIMIT) break;
      this.records.delete(oldest);
    }
  }

  /** The record for this request, if the user was shown exactly this guest; removed on reading. */
  take(key: string, session: ClusterSession, vmid: number): ShownTarget | undefined {
    const record = this.records.get(key);
    this.records.delete(key);
    return record && record.clusterId === session.config.id && record.entry.vmid === vmid ? record : undefined;
  }
}
