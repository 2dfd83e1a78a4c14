import { execFile, type ExecFileException } from 'node:child_process';
import { classifyServerMessage } from './envelope';
import { PveError, cancelledError, parsePermissionMessage, type PveErrorReason } from './errors';
import type { ApiRequest, ApiResult, HttpMethod, ParamValue, Transport } from './transport';
import { tryParseUpid } from './upid';

/**
 * The local CLI as a transport: on a PVE node (for example over Remote-SSH) `pvesh` calls the same
 * API handlers in-process as root, with no token (NOTES.md §12). Arguments go to the child as a
 * list, never through a shell; the JSON output is the bare `data` value.
 */
export interface PveshOptions {
  /** The executable; `pvesh` from the PATH by default. */
  readonly command?: string;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
}

const VERBS: Readonly<Record<HttpMethod, string>> = { GET: 'get', POST: 'create', PUT: 'set', DELETE: 'delete' };

export class PveshTransport implements Transport {
  constructor(private readonly options: PveshOptions = {}) {}

  async request(request: ApiRequest): Promise<ApiResult> {
    const args = [VERBS[request.method], decodeURIComponentSafe(request.path), ...paramArgs(request.params), '--output-format', 'json'];
    const { stdout } = await this.exec(args, request.signal, request.maxResponseBytes);
    return { data: parseOutput(stdout, request.method) };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private exec(args: string[], signal: AbortSignal | undefined, maxBytes: number | undefined): Promise<{ stdout: string }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      execFile(
        this.options.command ?? 'pvesh',
        args,
        {
          encoding: 'utf8',
          timeout: this.options.timeoutMs ?? 60_000,
          maxBuffer: maxBytes ?? this.options.maxOutputBytes ?? 32 * 1024 * 1024,
          env: this.options.env ?? process.env,
          windowsHide: true,
          ...(signal ? { signal } : {}),
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ stdout });
            return;
          }
          reject(toPveError(error, stderr));
        },
      );
    });
  }
}

function decodeURIComponentSafe(path: string): string {
  // Paths arrive encoded for HTTP; pvesh takes the plain segments (UPIDs contain ':' and '@').
  try {
    return path.split('/').map((s) => decodeURIComponent(s)).join('/');
  } catch {
    return path;
  }
}

function paramArgs(params: Readonly<Record<string, ParamValue>> | undefined): string[] {
  if (!params) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out.push(`--${key}`, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return out;
}

/** `create …/status/start` prints the task's own output before the UPID; take the UPID line. */
function parseOutput(stdout: string, method: HttpMethod): unknown {
  const text = stdout.trim();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (method !== 'GET') {
      const upid = text.split('\n').map((l) => l.trim().replace(/^"|"$/g, '')).reverse().find((l) => tryParseUpid(l));
      if (upid) return upid;
    }
    throw new PveError('invalidResponse', 'pvesh printed something that is not JSON.');
  }
}

function toPveError(error: ExecFileException, stderr: string): PveError {
  if (error.name === 'AbortError') return cancelledError(error);
  if (error.code === 'ENOENT') return new PveError('network', 'pvesh is not installed or not on the PATH.', { cause: error });
  if (error.killed) return new PveError('timeout', 'pvesh did not finish in time.', { cause: error });
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return new PveError('invalidResponse', 'The answer is too large and was not read.', { cause: error });
  const text = stderr.trim() || error.message;
  // pvesh prints "<status> <message>" for HTTP-style exceptions and the bare die text otherwise.
  const match = /^(\d{3}) (.*)$/s.exec(text);
  const status = match ? Number(match[1]) : 500;
  const message = (match?.[2] ?? text).trim();
  const [first = message, ...rest] = message.split('\n');
  const reason: PveErrorReason = status === 400 ? 'badRequest' : status === 403 ? 'forbidden' : status === 501 ? 'notFound' : status === 401 ? 'unauthorized' : classifyServerMessage(first);
  const errors = status === 400 ? Object.fromEntries(rest.map((l) => /^([\w-]+): (.*)$/.exec(l.trim())).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1] ?? '', m[2] ?? ''])) : undefined;
  return new PveError(reason, first, {
    status,
    ...(errors && Object.keys(errors).length > 0 ? { errors } : {}),
    ...(status === 403 ? { permission: parsePermissionMessage(first) } : {}),
    cause: error,
  });
}
