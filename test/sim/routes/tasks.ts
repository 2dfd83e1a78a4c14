// Node task endpoints (pve-manager API2/Tasks.pm; NOTES.md §6): list with filters and `total`,
// status (no `endtime`), paged log (`n` 1-based, `limit=0` reads all, "no content" for an empty
// log), and DELETE (SIGTERM -> "received interrupt").
import { die, paramError } from '../errors';
import { splitTokenId } from '../permissions';
import { decodeUpid, normalizeStatusType, type SimTask } from '../tasks';
import { boolParam, intParam, splitList, strParam } from '../validate';
import { DownloadResult, type RouteEntry, type RouteRequest } from './types';

/** $convert_token_task: `user` becomes the owner, `tokenid` the token name. */
function userFields(authid: string): { user: string; tokenid?: string } {
  const token = splitTokenId(authid);
  return token ? { user: token[0], tokenid: token[1] } : { user: authid };
}

/** $check_task_user: a token sees its own tasks; a user sees its own and its tokens' tasks. */
function isTaskUser(taskAuthid: string, authid: string): boolean {
  const { user, tokenid } = userFields(taskAuthid);
  if (tokenid !== undefined) return authid === taskAuthid || authid === user;
  return authid === user;
}

function taskRow(t: SimTask): Record<string, unknown> {
  return { upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id, ...userFields(t.user) };
}

function nodeTasks({ ctx, params, rpc, authid, caller, setTotal }: RouteRequest): unknown[] {
  const start = intParam(params, 'start') ?? 0;
  let limit = intParam(params, 'limit') ?? 50;
  const userfilter = strParam(params, 'userfilter');
  const typefilter = strParam(params, 'typefilter');
  const vmid = intParam(params, 'vmid');
  const errors = boolParam(params, 'errors');
  const source = strParam(params, 'source') ?? 'archive';
  const since = intParam(params, 'since');
  const until = intParam(params, 'until');
  const statusfilter = new Map([['ok', true], ['warning', true], ['error', true], ['unknown', true]]);
  const sf = strParam(params, 'statusfilter');
  if (sf !== undefined && !errors) {
    for (const k of statusfilter.keys()) statusfilter.set(k, false);
    for (const f of splitList(sf)) statusfilter.set(f.toLowerCase(), true);
  } else if (errors) {
    statusfilter.set('ok', false);
  }
  const auditor = rpc.check(authid, `/nodes/${caller.node}`, ['Sys.Audit'], true);
  let count = 0;
  const res: Record<string, unknown>[] = [];
  // Returns true when the task is filtered out (the Perl $filter_task).
  const filtered = (t: SimTask, status: string | undefined): boolean => {
    const { user } = userFields(t.user);
    if (userfilter !== undefined && userfilter !== '' && !user.toLowerCase().includes(userfilter.toLowerCase())) return true;
    if (!(auditor || isTaskUser(t.user, authid))) return true;
    if (typefilter !== undefined && typefilter !== '' && t.type !== typefilter) return true;
    if (vmid !== undefined && vmid !== 0 && (t.id === '' || t.id !== String(vmid))) return true;
    if (since !== undefined && t.starttime < since) return true;
    if (until !== undefined && t.starttime > until) return true;
    if (!statusfilter.get(normalizeStatusType(status))) return true;
    if (count++ < start) return true;
    if (limit <= 0) return true;
    return false;
  };
  if (source === 'active' || source === 'all') {
    for (const t of ctx.tasks.tasksOf(caller.node)) {
      if (t.status !== 'running') continue;
      if (!filtered(t, undefined)) {
        res.push({ ...taskRow(t), saved: '0', status: 'RUNNING' });
        limit--;
      }
    }
  }
  if (source !== 'active') {
    const archived = [...ctx.tasks.archivedOf(caller.node)].reverse();
    for (const t of archived) {
      if (!filtered(t, t.exitstatus)) {
        res.push({ ...taskRow(t), endtime: t.endtime, status: t.exitstatus });
        limit--;
      }
    }
  }
  setTotal(count);
  return res;
}

function findTask(req: RouteRequest): { task: SimTask | undefined; upid: string } {
  const upid = strParam(req.params, 'upid') ?? '';
  const decoded = decodeUpid(upid);
  if (!decoded) throw paramError({ upid: 'unable to parse worker upid' });
  // The log file lives on the node that ran the task; asking another node finds nothing.
  const task = req.ctx.tasks.get(upid);
  return { task: task && task.node === req.caller.node ? task : undefined, upid };
}

function checkOwnerOr(req: RouteRequest, upid: string, priv: string): void {
  const decoded = decodeUpid(upid);
  if (decoded && !isTaskUser(decoded.user, req.authid)) req.rpc.check(req.authid, `/nodes/${req.caller.node}`, [priv]);
}

function taskStatus(req: RouteRequest): unknown {
  const { task, upid } = findTask(req);
  if (!task) throw paramError({ upid: 'no such task' });
  checkOwnerOr(req, upid, 'Sys.Audit');
  const res: Record<string, unknown> = { ...taskRow(task), upid, status: task.status };
  if (task.status === 'stopped') res.exitstatus = task.exitstatus;
  return res;
}

function taskLog(req: RouteRequest): unknown {
  const { task, upid } = findTask(req);
  checkOwnerOr(req, upid, 'Sys.Audit');
  const lines = task ? task.log : undefined;
  if (boolParam(req.params, 'download')) {
    if (req.params.start !== undefined || req.params.limit !== undefined) {
      throw die("'download' cannot be used together with 'start' or 'limit' parameters");
    }
    const d = decodeUpid(upid);
    const stamp = new Date((d?.starttime ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return new DownloadResult(lines ? `${lines.join('\n')}\n` : '', 'text/plain', `task-${d?.node ?? ''}-${d?.type ?? ''}-${stamp}.log`);
  }
  if (!lines) {
    req.setTotal(1);
    return [{ n: 1, t: 'unable to open file - No such file or directory' }];
  }
  const start = intParam(req.params, 'start') ?? 0;
  let limit = intParam(req.params, 'limit') ?? 50;
  const readAll = limit === 0;
  const res: { n: number; t: string }[] = [];
  let count = 0;
  for (const line of lines) {
    if (count++ < start) continue;
    if (!readAll) {
      if (limit <= 0) continue;
      limit--;
    }
    res.push({ n: count, t: line });
  }
  if (count === 0) {
    count++;
    res.push({ n: count, t: 'no content' });
  }
  req.setTotal(count);
  return res;
}

function taskStop(req: RouteRequest): null {
  const { task, upid } = findTask(req);
  if (!task) throw paramError({ upid: 'no such task' });
  checkOwnerOr(req, upid, 'Sys.Modify');
  req.ctx.tasks.stop(upid);
  return null;
}

export const taskRoutes: readonly RouteEntry[] = [
  ['GET', '/nodes/{node}/tasks', nodeTasks],
  ['GET', '/nodes/{node}/tasks/{upid}/status', taskStatus],
  ['GET', '/nodes/{node}/tasks/{upid}/log', taskLog],
  ['DELETE', '/nodes/{node}/tasks/{upid}', taskStop],
];
