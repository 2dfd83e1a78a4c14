// Fault injection per route for the reliability scenarios of SECURITY.md: latency, connection
// resets before or after the request is applied, a server that never answers, 5xx answers, broken
// or non-JSON bodies, a huge body, a keep-alive socket closed right after the answer; plus
// seeded random faults for soak tests.
import { createRng, type Rng } from './rng';

export type FaultAction =
  /** Wait before handling (adds up with other matching latency rules). */
  | { readonly kind: 'latency'; readonly ms: number }
  /** TCP RST once the request is read; nothing is applied. */
  | { readonly kind: 'resetBefore' }
  /** The request is fully applied (e.g. a stop task starts), then TCP RST instead of the answer. */
  | { readonly kind: 'resetAfter' }
  /** Never answer; the socket stays open until the client gives up or the simulator closes. */
  | { readonly kind: 'hang' }
  /** Answer with this status and reason phrase (body optional, JSON envelope by default). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly reason: string;
      readonly body?: string;
      readonly contentType?: string;
      readonly applyRequest?: boolean;
    }
  /** 200 with a truncated JSON body. */
  | { readonly kind: 'malformedJson'; readonly applyRequest?: boolean }
  /** An HTML page (a captive portal or reverse proxy), 200 by default. */
  | { readonly kind: 'html'; readonly status?: number; readonly applyRequest?: boolean }
  /** A huge JSON body streamed (default 50 MiB); `declareLength: false` closes instead of Content-Length. */
  | { readonly kind: 'oversized'; readonly bytes?: number; readonly declareLength?: boolean }
  /** Normal answer with `Connection: Keep-Alive`, then the server closes the idle socket. */
  | { readonly kind: 'closeAfterResponse'; readonly delayMs?: number };

export interface FaultRuleInput {
  /** HTTP method; any when absent. */
  readonly method?: string;
  /**
   * Matched against the API path relative to /api2/json (e.g. "/cluster/resources"), or the full
   * path for requests outside /api2/json. A string must match exactly, a RegExp is tested.
   */
  readonly path?: string | RegExp;
  /** Only the Nth matching request (1-based), counted from when the rule was added. */
  readonly nth?: number;
  /** How many matching requests get the fault (default: all, or 1 with `nth`). */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface FaultHandle {
  /** How many requests this rule has affected. */
  readonly hits: number;
  remove(): void;
}

interface Rule {
  readonly input: FaultRuleInput;
  seen: number;
  hits: number;
  readonly random?: { readonly rng: Rng; readonly probability: number; readonly actions: readonly FaultAction[] };
}

export interface RandomFaultOptions {
  readonly probability: number;
  readonly seed: number;
  readonly actions: readonly FaultAction[];
  readonly method?: string;
  readonly path?: string | RegExp;
}

export class FaultInjector {
  private rules: Rule[] = [];

  add(input: FaultRuleInput): FaultHandle {
    return this.push({ input, seen: 0, hits: 0 });
  }

  /** Each matching request gets one of `actions` with the given probability (seeded, reproducible). */
  random(opts: RandomFaultOptions): FaultHandle {
    const input: FaultRuleInput = { method: opts.method, path: opts.path, action: { kind: 'hang' } };
    return this.push({ input, seen: 0, hits: 0, random: { rng: createRng(opts.seed), probability: opts.probability, actions: opts.actions } });
  }

  private push(rule: Rule): FaultHandle {
    this.rules.push(rule);
    return {
      get hits() {
        return rule.hits;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Picks the faults for one request: the total latency and the first other action. */
  pick(method: string, path: string): { latencyMs: number; action?: FaultAction; label?: string } {
    let latencyMs = 0;
    let action: FaultAction | undefined;
    const labels: string[] = [];
    for (const rule of [...this.rules]) {
      const { input } = rule;
      if (input.method !== undefined && input.method.toUpperCase() !== method) continue;
      if (input.path !== undefined && (typeof input.path === 'string' ? input.path !== path : !input.path.test(path))) continue;
      rule.seen++;
      let chosen: FaultAction | undefined;
      if (rule.random) {
        if (rule.random.rng() >= rule.random.probability) continue;
        chosen = rule.random.actions[Math.floor(rule.random.rng() * rule.random.actions.length)];
      } else {
        const first = input.nth ?? 1;
        const times = input.times ?? (input.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
        if (rule.seen < first || rule.seen >= first + times) continue;
        chosen = input.action;
      }
      if (!chosen) continue;
      if (chosen.kind === 'latency') {
        rule.hits++;
        latencyMs += chosen.ms;
        labels.push(`latency:${chosen.ms}`);
      } else if (!action) {
        rule.hits++;
        action = chosen;
        labels.push(chosen.kind);
      }
    }
    return { latencyMs, action, label: labels.length > 0 ? labels.join(',') : undefined };
  }
}
