// Shared by the extension-host scenarios: the recorder whose measurements index.ts writes out, the
// simulator control, the extension's TestApi, and a probe that watches VS Code call the tree.
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/testApi';
import type { TreeNode } from '../../src/tree/treeNode';
import type { ConfirmRequest, InputRequest, PickRequest, Prompter, Severity } from '../../src/ui/prompter';
import { Recorder } from '../lib/measure';
import type { StartedSim } from '../sim/protocol';
import { SimControl } from '../sim/simControl';

export const recorder = new Recorder();

/** Samples per scenario (PROXMOX_BENCH_RUNS, default 7). */
export const RUNS = Math.max(1, Number(process.env['PROXMOX_BENCH_RUNS'] ?? 7));

let controlValue: SimControl | undefined;
export function control(): SimControl {
  controlValue ??= SimControl.fromEnv();
  return controlValue;
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  return ext;
}

export async function testApi(): Promise<TestApi> {
  const api = (await extension().activate()) as TestApi | undefined;
  if (!api) throw new Error('activate() returned no TestApi: the host must run in ExtensionMode.Test');
  return api;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Settings the scenarios rely on: no automatic refresh racing the measured ones. */
export async function quietSettings(): Promise<void> {
  await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
}

/** A configured cluster pointing at a simulator started through the control server. */
export async function addSimCluster(api: TestApi, clusterId: string, sim: StartedSim): Promise<void> {
  await api.manager.addCluster({ id: clusterId, name: clusterId, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.secret);
}

/** `<view>.focus` opens the container too (and returns nothing, unlike workbench.view.extension.*). */
export async function showClustersView(): Promise<void> {
  await vscode.commands.executeCommand('proxmox.clusters.focus');
}

/**
 * Wraps the provider's getChildren/getTreeItem on the instance (the methods VS Code calls) to see
 * when VS Code asks for what, and how long the extension spends answering.
 */
export class TreeProbe {
  treeItemCalls = 0;
  childrenCalls = 0;
  /** performance.now() of the latest call VS Code (or anyone) made. */
  lastCall = 0;
  /** Time spent inside the provider's methods, synchronous part. */
  busyMs = 0;
  onTreeItem: ((node: TreeNode, item: vscode.TreeItem) => void) | undefined;
  private readonly restore: () => void;

  constructor(tree: TestApi['tree']) {
    const getTreeItem = tree.getTreeItem.bind(tree);
    const getChildren = tree.getChildren.bind(tree);
    const target = tree as { getTreeItem: typeof getTreeItem; getChildren: typeof getChildren };
    target.getTreeItem = (node) => {
      const started = performance.now();
      const item = getTreeItem(node);
      this.lastCall = performance.now();
      this.busyMs += this.lastCall - started;
      this.treeItemCalls++;
      this.onTreeItem?.(node, item);
      return item;
    };
    target.getChildren = (node) => {
      const started = performance.now();
      const children = getChildren(node);
      this.lastCall = performance.now();
      this.busyMs += this.lastCall - started;
      this.childrenCalls++;
      return children;
    };
    this.restore = () => {
      // Back to the prototype's methods.
      Reflect.deleteProperty(target, 'getTreeItem');
      Reflect.deleteProperty(target, 'getChildren');
    };
  }

  get calls(): number {
    return this.treeItemCalls + this.childrenCalls;
  }

  reset(): void {
    this.treeItemCalls = 0;
    this.childrenCalls = 0;
    this.busyMs = 0;
    this.lastCall = 0;
  }

  /**
   * Waits until VS Code has asked at least once and then stayed silent for `idleMs`. Returns the
   * time of the last call, or undefined if nothing was asked within `firstCallMs`.
   */
  async settled(idleMs = 750, firstCallMs = 15_000, limitMs = 120_000): Promise<number | undefined> {
    const started = performance.now();
    const callsBefore = this.calls;
    for (;;) {
      await sleep(25);
      const now = performance.now();
      if (this.calls === callsBefore) {
        if (now - started > firstCallMs) return undefined;
        continue;
      }
      if (now - this.lastCall >= idleMs || now - started > limitMs) return this.lastCall;
    }
  }

  dispose(): void {
    this.restore();
  }
}

/** Answers every confirmation with its first button at once, and notes when it was asked. */
export class BenchPrompter implements Prompter {
  confirmedAt: number | undefined;
  confirms = 0;

  confirm(request: ConfirmRequest): Promise<string | undefined> {
    this.confirms++;
    this.confirmedAt = performance.now();
    return Promise.resolve(request.buttons[0]);
  }

  notify(_severity: Severity, _message: string, ..._actions: string[]): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  input(_request: InputRequest): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  pick<T>(_request: PickRequest<T>): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }

  pickMany<T>(_request: PickRequest<T>): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
}
