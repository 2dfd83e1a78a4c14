// A small HA manager: for HA-managed guests, start/stop/shutdown only *request* a state
// (hastart/hastop tasks, NOTES.md §6); a moment later the CRM changes the service state and the
// LRM runs the real start/stop as root@pam ("task started by HA resource agent"). Only then does
// the guest's status change, which is what SECURITY.md scenario 20 waits for.
import type { HaResource, SimGuest } from './model';
import type { ClusterState } from './state';

/** The local resource manager's actions (the simulator wires them to the guest power actions). */
export interface HaLrm {
  start(guest: SimGuest, done: () => void): void;
  stop(guest: SimGuest, timeoutSec: number, done: () => void): void;
}

export class HaManager {
  private readonly timers = new Set<NodeJS.Timeout>();
  private lrm: HaLrm | undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly delayMs: () => number,
  ) {}

  attach(lrm: HaLrm): void {
    this.lrm = lrm;
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, this.delayMs());
    this.timers.add(t);
  }

  private resource(guest: SimGuest): HaResource | undefined {
    return this.state.ha.get(`${guest.type === 'qemu' ? 'vm' : 'ct'}:${guest.vmid}`);
  }

  /** `ha-manager set <sid> --state started` (what an hastart task runs). */
  requestStart(guest: SimGuest): void {
    const res = this.resource(guest);
    if (!res) return;
    res.state = 'started';
    this.state.touch();
    this.later(() => {
      if (res.state !== 'started' || guest.running) {
        if (guest.running) res.managerState = 'started';
        return;
      }
      res.managerState = 'started';
      this.state.touch();
      this.lrm?.start(guest, () => undefined);
    });
  }

  /** `ha-manager crm-command stop <sid> <timeout>` (what an hastop task runs). */
  requestStop(guest: SimGuest, timeoutSec: number): void {
    const res = this.resource(guest);
    if (!res) return;
    res.state = 'stopped';
    this.state.touch();
    this.later(() => {
      if (res.state !== 'stopped') return;
      if (!guest.running) {
        res.managerState = 'stopped';
        this.state.touch();
        return;
      }
      res.managerState = 'request_stop';
      this.state.touch();
      this.lrm?.stop(guest, timeoutSec, () => {
        res.managerState = 'stopped';
        this.state.touch();
      });
    });
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
