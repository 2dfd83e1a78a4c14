// Command line front end: serves the demo (or a generated big) cluster and prints one JSON line
// with the URL, the admin token and every other token, then runs until SIGINT/SIGTERM.
// Request lines go to stderr with --verbose. Run it with `npm run sim -- --port 8006`.
import { bigCluster } from './bigCluster';
import { demoCluster } from './demoCluster';
import { startSimulator, type SimulatorOptions } from './simulator';

interface CliArgs {
  port: number;
  host: string;
  offline: string[];
  big?: { nodes: number; guests: number };
  taskMs?: number;
  latencyMs?: number;
  unauthorizedDelayMs: number;
  verbose: boolean;
  ca: boolean;
  messageInBody: boolean;
  noMarkup: boolean;
}

const USAGE = `usage: npm run sim -- [--port N] [--host 127.0.0.1] [--offline-node NAME]... [--big NODESxGUESTS]
       [--task-ms N] [--latency-ms N] [--unauthorized-delay-ms N] [--ca] [--old-errors] [--no-markup] [--verbose]`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { port: 8006, host: '127.0.0.1', offline: [], unauthorizedDelayMs: 3000, verbose: false, ca: false, messageInBody: true, noMarkup: false };
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${name} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case '--port':
        args.port = num(a, next());
        break;
      case '--host':
        args.host = next() ?? args.host;
        break;
      case '--offline-node':
        args.offline.push(next() ?? '');
        break;
      case '--big': {
        const m = /^(\d+)x(\d+)$/.exec(next() ?? '');
        if (!m) throw new Error('--big needs NODESxGUESTS, e.g. 100x10000');
        args.big = { nodes: Number(m[1]), guests: Number(m[2]) };
        break;
      }
      case '--task-ms':
        args.taskMs = num(a, next());
        break;
      case '--latency-ms':
        args.latencyMs = num(a, next());
        break;
      case '--unauthorized-delay-ms':
        args.unauthorizedDelayMs = num(a, next());
        break;
      case '--ca':
        args.ca = true;
        break;
      case '--old-errors':
        args.messageInBody = false;
        break;
      case '--no-markup':
        args.noMarkup = true;
        break;
      case '--verbose':
        args.verbose = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument '${a ?? ''}'\n${USAGE}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const cluster = args.big
    ? bigCluster({ nodes: args.big.nodes, guests: args.big.guests, offlineNodes: args.offline })
    : demoCluster({ offlineNodes: args.offline, markup: !args.noMarkup });
  const options: SimulatorOptions = {
    cluster,
    offlineNodes: args.offline,
    host: args.host,
    port: args.port,
    taskDurationMs: args.taskMs,
    latencyMs: args.latencyMs,
    unauthorizedDelayMs: args.unauthorizedDelayMs,
    messageInBody: args.messageInBody,
    certificate: args.ca ? { mode: 'ca' } : undefined,
    log: args.verbose ? (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) : undefined,
  };
  const sim = await startSimulator(options);
  const tokens: Record<string, { tokenId: string; secret: string; privsep: boolean }> = {};
  for (const [key, t] of Object.entries(sim.tokens)) if (!key.includes('!')) tokens[key] = t;
  process.stdout.write(
    `${JSON.stringify({ url: sim.url, tokenId: sim.tokens.admin.tokenId, secret: sim.tokens.admin.secret, fingerprint: sim.fingerprint, tokens, certificatePem: sim.certificatePem, caPem: sim.caPem })}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module || process.env.PVE_SIM_CLI === '1') {
  void main();
}
