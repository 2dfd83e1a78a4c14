/**
 * Why a Proxmox call failed, as a closed set the UI can turn into words and next steps.
 * Callers branch on `reason`, never on `message`: message texts come from the server and vary
 * between PVE versions.
 */
export type PveErrorReason =
  | 'unauthorized' // 401: bad/revoked token, lapsed ticket, bad CSRF
  | 'forbidden' // 403: a privilege is missing (see `permission`)
  | 'notFound' // the guest/snapshot/task does not exist (PVE says so with a 500) or a 501 path
  | 'conflict' // the guest is locked or in the wrong state for the request
  | 'badRequest' // 400: parameter verification failed (see `errors`)
  | 'serverError' // any other 5xx from PVE
  | 'nodeUnreachable' // 595/596: the cluster could not proxy to the node
  | 'network' // connection refused/reset, DNS failure
  | 'timeout' // connect, headers or body took too long, or a task exceeded its cap
  | 'tls' // certificate untrusted, changed, or TLS handshake failed
  | 'invalidResponse' // not JSON, not PVE's envelope, too large, or a schema mismatch
  | 'taskFailed' // the task ran and ended with an error exit status
  | 'cancelled' // the caller aborted
  | 'invalidInput'; // refused before sending: a bad node, VMID, snapshot name, UPID or path

/** Details for TLS failures: enough to show both fingerprints when a pinned certificate changed. */
export interface TlsDetail {
  readonly kind: 'fingerprintMismatch' | 'untrusted' | 'noCertificate' | 'handshake' | 'hostnameMismatch';
  readonly expected?: string;
  readonly actual?: string;
}

/** `Permission check failed (/vms/100, VM.PowerMgmt)` split into its parts. */
export interface PermissionDetail {
  readonly path: string;
  readonly privileges: readonly string[];
}

export interface PveErrorInit {
  readonly status?: number;
  readonly errors?: Readonly<Record<string, string>>;
  readonly permission?: PermissionDetail;
  readonly tls?: TlsDetail;
  /** For writes: whether the request may have reached the server (the outcome is then unknown). */
  readonly requestMayHaveBeenApplied?: boolean;
  readonly exitStatus?: string;
  readonly upid?: string;
  readonly cause?: unknown;
}

/** The one error type of the API layer. Its message never contains a secret (see redact.ts). */
export class PveError extends Error {
  override readonly name = 'PveError';
  readonly status: number | undefined;
  readonly errors: Readonly<Record<string, string>> | undefined;
  readonly permission: PermissionDetail | undefined;
  readonly tls: TlsDetail | undefined;
  readonly requestMayHaveBeenApplied: boolean;
  readonly exitStatus: string | undefined;
  readonly upid: string | undefined;

  constructor(
    readonly reason: PveErrorReason,
    message: string,
    init: PveErrorInit = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.errors = init.errors;
    this.permission = init.permission;
    this.tls = init.tls;
    this.requestMayHaveBeenApplied = init.requestMayHaveBeenApplied ?? false;
    this.exitStatus = init.exitStatus;
    this.upid = init.upid;
  }

  static is(error: unknown, reason?: PveErrorReason): error is PveError {
    return error instanceof PveError && (reason === undefined || error.reason === reason);
  }
}

/** True for AbortSignal aborts, whichever shape they take (DOMException, undici, our own). */
export function isAbortError(error: unknown): boolean {
  if (PveError.is(error, 'cancelled')) return true;
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  const code = (error as { code?: unknown }).code;
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED';
}

export function cancelledError(cause?: unknown): PveError {
  return new PveError('cancelled', 'The request was cancelled.', { cause });
}

const PERMISSION_PATTERN = /^Permission check failed \(([^,()]+), ([^()]+)\)/;

/** Parses PVE's 403 text; `Priv1|Priv2` means any of them would do. */
export function parsePermissionMessage(message: string): PermissionDetail | undefined {
  const match = PERMISSION_PATTERN.exec(message.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { path: match[1].trim(), privileges: match[2].split('|').map((p) => p.trim()) };
}
