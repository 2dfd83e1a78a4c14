import * as z from 'zod/mini';
import { PveError } from './errors';
import { checkNode, checkStorage, guestPath, snapshotPath, taskPath, checkGuestType, type GuestRef, type GuestType } from './paths';
import { nodeListItemSchema, clusterStatusItemSchema, nodeStatusSchema, versionSchema, storageConfigSchema, nodeStorageSchema } from './schemas/cluster';
import type { NodeListItem, ClusterStatusItem, NodeStatus, PveVersion, StorageConfig, NodeStorage } from './schemas/cluster';
import { guestConfigSchema, guestStatusSchema, snapshotSchema, type GuestConfig, type GuestStatus, type Snapshot } from './schemas/guest';
import { parseList, parseObject, type IssueSink } from './schemas/parse';
import { parsePermissions, type Permissions } from './schemas/permissions';
import { parseClusterResources, type ClusterResources } from './schemas/resources';
import { taskListItemSchema, taskLogLineSchema, taskStatusSchema, type TaskListItem, type TaskLogLine, type TaskStatus } from './schemas/tasks';
import type { ApiRequest, HttpMethod, ParamValue, Transport } from './transport';
import { tryParseUpid } from './upid';
import { parseUserApiPath } from './userPath';

export type GuestAction = 'start' | 'shutdown' | 'reboot' | 'stop' | 'reset' | 'suspend' | 'hibernate' | 'resume';

export interface NodeTaskFilter {
  readonly vmid?: number;
  readonly source?: 'archive' | 'active' | 'all';
  readonly limit?: number;
  readonly errors?: boolean;
  readonly typefilter?: string;
}

/**
 * The domain calls of the Proxmox VE API. Every path is validated before it is built, every
 * answer parsed by a schema, and every call takes an AbortSignal.
 */
export class PveClient {
  constructor(
    private readonly transport: Transport,
    private readonly sink?: IssueSink,
  ) {}

  private async call(method: HttpMethod, path: string, signal?: AbortSignal, params?: Record<string, ParamValue>, extra?: Partial<ApiRequest>) {
    return this.transport.request({ method, path, ...(params ? { params } : {}), ...(signal ? { signal } : {}), ...extra });
  }

  private async get(path: string, signal?: AbortSignal, params?: Record<string, ParamValue>): Promise<unknown> {
    return (await this.call('GET', path, signal, params)).data;
  }

  async version(signal?: AbortSignal): Promise<PveVersion> {
    return parseObject(versionSchema, await this.get('/version', signal), '/version', this.sink);
  }

  async nodes(signal?: AbortSignal): Promise<NodeListItem[]> {
    return parseList(nodeListItemSchema, await this.get('/nodes', signal), '/nodes', this.sink);
  }

  async nodeStatus(node: string, signal?: AbortSignal): Promise<NodeStatus> {
    const path = `/nodes/${checkNode(node)}/status`;
    return parseObject(nodeStatusSchema, await this.get(path, signal), path, this.sink);
  }

  async clusterStatus(signal?: AbortSignal): Promise<ClusterStatusItem[]> {
    return parseList(clusterStatusItemSchema, await this.get('/cluster/status', signal), '/cluster/status', this.sink);
  }

  /** Everything the tree shows, in one request (never one per node). */
  async resources(signal?: AbortSignal): Promise<ClusterResources> {
    return parseClusterResources(await this.get('/cluster/resources', signal), this.sink);
  }

  /** The per-node listing other clients use; kept for comparison benchmarks and pvesh parity. */
  async guestList(node: string, type: GuestType, signal?: AbortSignal): Promise<GuestStatus[]> {
    const path = `/nodes/${checkNode(node)}/${checkGuestType(type)}`;
    return parseList(guestStatusSchema, await this.get(path, signal), path, this.sink);
  }

  async guestStatus(ref: GuestRef, signal?: AbortSignal): Promise<GuestStatus> {
    const path = `${guestPath(ref)}/status/current`;
    return parseObject(guestStatusSchema, await this.get(path, signal), path, this.sink);
  }

  async guestConfig(ref: GuestRef, signal?: AbortSignal): Promise<GuestConfig> {
    const path = `${guestPath(ref)}/config`;
    return parseObject(guestConfigSchema, await this.get(path, signal), path, this.sink);
  }

  /** Sends one lifecycle action and returns its task id. Never retried (SECURITY.md). */
  async guestAction(ref: GuestRef, action: GuestAction, options: { readonly forceStop?: boolean; readonly timeout?: number } = {}, signal?: AbortSignal): Promise<string> {
    if ((action === 'reset' || action === 'hibernate') && ref.type !== 'qemu') {
      throw new PveError('invalidInput', `Containers have no ${action} action.`);
    }
    const endpoint = action === 'hibernate' ? 'suspend' : action;
    const params: Record<string, ParamValue> = {};
    if (action === 'hibernate') params.todisk = true;
    if (action === 'shutdown' && options.forceStop !== undefined) params.forceStop = options.forceStop;
    if ((action === 'shutdown' || action === 'reboot') && options.timeout !== undefined) params.timeout = options.timeout;
    return this.post(`${guestPath(ref)}/status/${endpoint}`, params, signal);
  }

  async snapshots(ref: GuestRef, signal?: AbortSignal): Promise<Snapshot[]> {
    const path = `${guestPath(ref)}/snapshot`;
    return parseList(snapshotSchema, await this.get(path, signal), path, this.sink);
  }

  async createSnapshot(ref: GuestRef, snapshot: { readonly name: string; readonly description?: string; readonly vmstate?: boolean }, signal?: AbortSignal): Promise<string> {
    snapshotPath(ref, snapshot.name); // validates the name before anything is sent
    if (snapshot.vmstate && ref.type !== 'qemu') throw new PveError('invalidInput', 'Only VMs can include RAM in a snapshot.');
    const params: Record<string, ParamValue> = { snapname: snapshot.name };
    if (snapshot.description) params.description = snapshot.description;
    if (snapshot.vmstate !== undefined && ref.type === 'qemu') params.vmstate = snapshot.vmstate;
    return this.post(`${guestPath(ref)}/snapshot`, params, signal);
  }

  async deleteSnapshot(ref: GuestRef, name: string, signal?: AbortSignal): Promise<string> {
    return this.expectUpid(await this.call('DELETE', snapshotPath(ref, name), signal));
  }

  async rollbackSnapshot(ref: GuestRef, name: string, options: { readonly start?: boolean } = {}, signal?: AbortSignal): Promise<string> {
    const params: Record<string, ParamValue> = {};
    if (options.start !== undefined) params.start = options.start;
    return this.post(`${snapshotPath(ref, name)}/rollback`, params, signal);
  }

  async snapshotConfig(ref: GuestRef, name: string, signal?: AbortSignal): Promise<GuestConfig> {
    const path = `${snapshotPath(ref, name)}/config`;
    return parseObject(guestConfigSchema, await this.get(path, signal), path, this.sink);
  }

  async updateSnapshotDescription(ref: GuestRef, name: string, description: string, signal?: AbortSignal): Promise<void> {
    await this.call('PUT', `${snapshotPath(ref, name)}/config`, signal, { description });
  }

  async taskStatus(upid: string, signal?: AbortSignal): Promise<TaskStatus> {
    const path = `${taskPath(upid)}/status`;
    return parseObject(taskStatusSchema, await this.get(path, signal), '/nodes/{node}/tasks/{upid}/status', this.sink);
  }

  async taskLog(upid: string, range: { readonly start?: number; readonly limit?: number } = {}, signal?: AbortSignal): Promise<{ lines: TaskLogLine[]; total: number | undefined }> {
    const result = await this.call('GET', `${taskPath(upid)}/log`, signal, { start: range.start, limit: range.limit });
    return { lines: parseList(taskLogLineSchema, result.data, '/nodes/{node}/tasks/{upid}/log', this.sink), total: result.total };
  }

  /** SIGTERM to the task on the server; PVE answers at once, the task ends with "received interrupt". */
  async stopTask(upid: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', taskPath(upid), signal);
  }

  async clusterTasks(signal?: AbortSignal): Promise<TaskListItem[]> {
    return parseList(taskListItemSchema, await this.get('/cluster/tasks', signal), '/cluster/tasks', this.sink);
  }

  async nodeTasks(node: string, filter: NodeTaskFilter = {}, signal?: AbortSignal): Promise<TaskListItem[]> {
    const path = `/nodes/${checkNode(node)}/tasks`;
    const params: Record<string, ParamValue> = { vmid: filter.vmid, source: filter.source, limit: filter.limit, errors: filter.errors, typefilter: filter.typefilter };
    return parseList(taskListItemSchema, await this.get(path, signal, params), path, this.sink);
  }

  async storageConfig(signal?: AbortSignal): Promise<StorageConfig[]> {
    return parseList(storageConfigSchema, await this.get('/storage', signal), '/storage', this.sink);
  }

  async nodeStorage(node: string, signal?: AbortSignal): Promise<NodeStorage[]> {
    const path = `/nodes/${checkNode(node)}/storage`;
    return parseList(nodeStorageSchema, await this.get(path, signal), path, this.sink);
  }

  /** One storage's runtime status on a node (`/nodes/{node}/storage?storage=ID`, in every PVE version). */
  async storageStatus(node: string, storage: string, signal?: AbortSignal): Promise<NodeStorage | undefined> {
    const path = `/nodes/${checkNode(node)}/storage`;
    checkStorage(storage);
    return parseList(nodeStorageSchema, await this.get(path, signal, { storage }), path, this.sink)[0];
  }

  async permissions(signal?: AbortSignal): Promise<Permissions> {
    return parsePermissions(await this.get('/access/permissions', signal), this.sink);
  }

  /**
   * A read-only request for a path a person typed (palette "Get API Path…"). The path rules
   * refuse anything that could leave the API root before a request is made.
   */
  async getUserPath(input: string, params: Record<string, ParamValue> = {}, signal?: AbortSignal): Promise<{ data: unknown; total: number | undefined }> {
    const parsed = parseUserApiPath(input);
    if (!parsed.ok) throw new PveError('invalidInput', `Invalid API path (${parsed.problem}).`);
    const result = await this.call('GET', parsed.path, signal, params, { maxResponseBytes: 64 * 1024 * 1024 });
    return { data: result.data, total: result.total };
  }

  private async post(path: string, params: Record<string, ParamValue>, signal?: AbortSignal): Promise<string> {
    return this.expectUpid(await this.call('POST', path, signal, params));
  }

  private expectUpid(result: { data: unknown }): string {
    const upid = z.safeParse(z.string(), result.data);
    if (upid.success && tryParseUpid(upid.data)) return upid.data;
    throw new PveError('invalidResponse', 'The server did not return a task id (UPID) for the action.', { requestMayHaveBeenApplied: true });
  }
}
