import * as vscode from 'vscode';
import type { TestApi } from '../../../src/testApi';
import type { ConfirmRequest, InputRequest, PickRequest, Prompter, Severity } from '../../../src/ui/prompter';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/simulator';
import { getExtension } from '../manifest';

/** The TestApi that `activate` returns in ExtensionMode.Test. */
export async function toolTestApi(): Promise<TestApi> {
  const api = (await getExtension().activate()) as TestApi | undefined;
  if (!api) throw new Error('activate() returned no TestApi: is the host running in ExtensionMode.Test?');
  return api;
}

/**
 * Answers the modals the tools raise: each confirm takes the next scripted answer (a button label,
 * or undefined = dismissed); with no script left it dismisses. Records every question and notice.
 */
/** A scripted answer that picks whatever the modal offers first (its primary action). */
export const FIRST_BUTTON = Symbol('first button');

export class ToolPrompter implements Prompter {
  readonly confirms: ConfirmRequest[] = [];
  readonly notifications: { severity: Severity; message: string }[] = [];
  readonly unexpected: string[] = [];
  private readonly answers: (string | undefined | typeof FIRST_BUTTON)[];

  constructor(...answers: (string | undefined | typeof FIRST_BUTTON)[]) {
    this.answers = answers;
  }

  confirm(request: ConfirmRequest): Promise<string | undefined> {
    this.confirms.push(request);
    const answer = this.answers.shift();
    return Promise.resolve(answer === FIRST_BUTTON ? request.buttons[0] : answer);
  }

  notify(severity: Severity, message: string): Promise<string | undefined> {
    this.notifications.push({ severity, message });
    return Promise.resolve(undefined);
  }

  input(request: InputRequest): Promise<string | undefined> {
    this.unexpected.push(`input: ${request.title}`);
    return Promise.resolve(undefined);
  }

  pick<T>(request: PickRequest<T>): Promise<T | undefined> {
    this.unexpected.push(`pick: ${request.title}`);
    return Promise.resolve(undefined);
  }

  pickMany<T>(request: PickRequest<T>): Promise<T[] | undefined> {
    this.unexpected.push(`pickMany: ${request.title}`);
    return Promise.resolve(undefined);
  }
}

export interface ToolSim {
  readonly sim: Simulator;
  readonly api: TestApi;
  readonly clusterId: string;
  dispose(): Promise<void>;
}

export interface ToolSimOptions extends SimulatorOptions {
  readonly clusterId?: string;
  readonly clusterName?: string;
  readonly role?: 'admin' | 'readonly' | 'operator' | 'snapshot' | 'pool';
  /** Use a token whose secret the test chose (a canary), Administrator through the user. */
  readonly canarySecret?: string;
}

/** A simulator and a configured cluster pointing at it; `dispose` removes both. */
export async function startToolSim(options: ToolSimOptions = {}): Promise<ToolSim> {
  const api = await toolTestApi();
  const sim = await startSimulator({ taskDurationMs: 40, haDelayMs: 60, certificate: { keyType: 'ec' }, ...options });
  const clusterId = options.clusterId ?? 'sim';
  let tokenId: string;
  let secret: string;
  if (options.canarySecret !== undefined) {
    sim.state.addToken('automation@pve', { name: 'canary', secret: options.canarySecret, privsep: false });
    tokenId = 'automation@pve!canary';
    secret = options.canarySecret;
  } else {
    const token = sim.tokens[options.role ?? 'admin'];
    tokenId = token.tokenId;
    secret = token.secret;
  }
  // Automatic refresh would race the tests' own reads: the tools refresh when they need to.
  await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  await api.manager.addCluster({ id: clusterId, name: options.clusterName ?? clusterId, url: sim.url, tokenId, fingerprint: sim.fingerprint }, secret);
  await api.manager.get(clusterId)?.refresh();
  return {
    sim,
    api,
    clusterId,
    async dispose() {
      api.resetPrompter();
      await api.manager.removeCluster(clusterId);
      await sim.close();
    },
  };
}

export function tool(api: TestApi, name: string): vscode.LanguageModelTool<object> {
  const implementation = api.tools.get(name);
  if (!implementation) throw new Error(`no implementation for ${name}`);
  return implementation;
}

export function resultText(result: vscode.LanguageModelToolResult | null | undefined): string {
  if (!result) throw new Error('the tool returned no result');
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : `[non-text part ${JSON.stringify(part)}]`)).join('\n');
}

/**
 * A stand-in for the chat's `toolInvocationToken`. Only a chat request can create a real one; the
 * tools only test its presence, so this exercises the "confirmed in chat" path when a tool is
 * called directly (never through `lm.invokeTool`, which would look for the chat session).
 */
export const CHAT_TOKEN = { fake: 'chat request' } as unknown as vscode.ChatParticipantToolToken;

const none = new vscode.CancellationTokenSource().token;

/** prepareInvocation then invoke, the way VS Code calls a tool (directly on the implementation). */
export async function call(api: TestApi, name: string, input: object, options: { chat?: boolean; token?: vscode.CancellationToken } = {}): Promise<{ prepared: vscode.PreparedToolInvocation | null | undefined; text: string }> {
  const implementation = tool(api, name);
  const prepared = await implementation.prepareInvocation?.({ input }, none);
  const result = await implementation.invoke({ input, toolInvocationToken: options.chat ? CHAT_TOKEN : undefined }, options.token ?? none);
  return { prepared, text: resultText(result) };
}

export async function prepare(api: TestApi, name: string, input: object): Promise<vscode.PreparedToolInvocation | null | undefined> {
  return tool(api, name).prepareInvocation?.({ input }, none);
}

export function markdownText(message: string | vscode.MarkdownString | undefined): string {
  if (message === undefined) return '';
  return typeof message === 'string' ? message : message.value;
}

/** The simulator's state-changing requests (POST/PUT/DELETE). */
export function writes(sim: Simulator): string[] {
  return sim.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.apiPath ?? r.path}`);
}

export async function setToolSetting(key: 'enabled' | 'allowActions', value: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('proxmox').update(`agentTools.${key}`, value, vscode.ConfigurationTarget.Global);
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
