import { format } from 'node:util';

/**
 * Workbench chatter that arrives through codeAutomationLog at the same level as the extension
 * host's console (mocha's reporter); it says nothing about the tests, so only --verbose shows it.
 */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
];

/** Prints what the extension host logs and keeps mocha's closing counts. */
export class MochaOutput {
  passed = 0;
  failed = 0;
  pending = 0;
  /** False if mocha's "N passing" line never arrived, i.e. the output did not reach us. */
  sawSummary = false;

  constructor(private readonly verbose: boolean) {}

  /** `window.codeAutomationLog(type, args)`: printf-style arguments, as VS Code sends them. */
  readonly log = (type: string, args: unknown[]): void => {
    const text = format(...args);
    if (!this.verbose && WORKBENCH_NOISE.some((re) => re.test(text))) return;
    this.count(text);
    if (type === 'error' || type === 'warn') console.error(text);
    else console.log(text);
  };

  private count(text: string): void {
    for (const line of text.split('\n')) {
      const match = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
      if (!match) continue;
      const n = Number(match[1]);
      if (match[2] === 'passing') { this.passed = n; this.sawSummary = true; }
      else if (match[2] === 'failing') this.failed = n;
      else this.pending = n;
    }
  }
}
