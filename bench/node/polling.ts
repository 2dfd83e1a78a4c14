// Task polling: how long after a task ends does the client notice, and how many status requests
// does that cost, for the current fast-then-slow schedule and the alternatives, at several task
// durations. Real tasks (guest start) on the simulator over loopback; each schedule runs its
// samples concurrently on different guests, with a client of its own.
import { DEFAULT_POLL_SCHEDULE_MS, waitForTask } from '../../src/api/taskWaiter';
import { benchClient } from '../lib/client';
import type { Recorder } from '../lib/measure';
import type { GuestSummary } from '../sim/protocol';
import type { SimControl } from '../sim/simControl';

/** `[100, 150, 250, 400, 500 ×18, 1000]` rather than 22 numbers. */
function describeSchedule(schedule: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < schedule.length; ) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    parts.push(j - i > 1 ? `${String(schedule[i])} ×${j - i}` : String(schedule[i]));
    i = j;
  }
  return `[${parts.join(', ')}]`;
}

export const SCHEDULES: readonly { readonly name: string; readonly scheduleMs: readonly number[] }[] = [
  { name: `current ${describeSchedule(DEFAULT_POLL_SCHEDULE_MS)}`, scheduleMs: DEFAULT_POLL_SCHEDULE_MS },
  // Until this benchmark: the wait grew to a second after 2.3 s.
  { name: 'previous [100, 150, 250, 400, 600, 800, 1000]', scheduleMs: [100, 150, 250, 400, 600, 800, 1000] },
  { name: 'fixed 1000', scheduleMs: [1000] },
  { name: 'fixed 500', scheduleMs: [500] },
  { name: 'fixed 250', scheduleMs: [250] },
];

export const TASK_DURATIONS_MS = [300, 1000, 3000, 10_000] as const;

export async function pollingScenarios(control: SimControl, recorder: Recorder, runs: number): Promise<void> {
  const name = 'polling';
  const sim = await control.call('start', { name, cluster: { kind: 'big', nodes: 3, guests: 1000 } });
  const clients = SCHEDULES.map(() => benchClient(sim));
  try {
    const stopped = (await control.call('guests', { name })).filter((g) => !g.running && !g.template && !g.ha);
    const needed = TASK_DURATIONS_MS.length * SCHEDULES.length * runs;
    if (stopped.length < needed) throw new Error(`need ${needed} stopped guests, the simulator has ${stopped.length}`);
    let next = 0;
    for (const durationMs of TASK_DURATIONS_MS) {
      // Durations spread over ±20 % of the nominal one: a task that ends exactly on a poll (or
      // just after one) would flatter (or wrong) a schedule; real durations fall anywhere.
      const jobs = SCHEDULES.flatMap((schedule, s) =>
        Array.from({ length: runs }, (_, i) => ({ schedule, client: clients[s]!, guest: stopped[next++]!, durationMs: Math.round(durationMs * (0.8 + (0.4 * (i + 0.5)) / runs)) })),
      );
      for (const job of jobs) await control.call('overrideTask', { name, id: String(job.guest.vmid), durationMs: job.durationMs });
      const results = await Promise.all(jobs.map(async (job) => ({ job, ...(await measureOne(job.client.client, job.guest, job.schedule.scheduleMs, job.durationMs)) })));
      const scenario = `task polling, task of ${durationMs} ms ±20 % (loopback)`;
      for (const schedule of SCHEDULES) {
        const mine = results.filter((r) => r.job.schedule === schedule);
        recorder.add({ scenario, metric: `${schedule.name}: noticed after task end`, unit: 'ms', samples: mine.map((r) => r.lagMs) });
        recorder.add({ scenario, metric: `${schedule.name}: status requests`, unit: 'requests', samples: mine.map((r) => r.polls) });
      }
    }
  } finally {
    for (const c of clients) await c.close();
    await control.call('stop', { name });
  }
}

async function measureOne(client: ReturnType<typeof benchClient>['client'], guest: GuestSummary, scheduleMs: readonly number[], durationMs: number): Promise<{ lagMs: number; polls: number }> {
  const upid = await client.guestAction({ node: guest.node, type: guest.type, vmid: guest.vmid }, 'start');
  // The task started when the server answered with its UPID (within a loopback round trip).
  const started = performance.now();
  const outcome = await waitForTask(client, upid, { scheduleMs });
  return { lagMs: performance.now() - started - durationMs, polls: outcome.polls };
}
