// The simulator's notion of "now". Tests shift it to age tickets or tasks without waiting; timers
// (task durations, the 401 delay, keep-alive) still run on real time.

export class SimClock {
  /** Added to the real time; tests move it forward to expire tickets (NOTES.md §4: 2 h lifetime). */
  offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Unix time in whole seconds, as PVE uses in UPIDs, tickets and task lists. */
  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
