import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';

/** The parts of package.json the integration tests read. */
export interface Manifest {
  readonly contributes: {
    readonly commands?: readonly { readonly command: string }[];
    readonly viewsContainers?: { readonly activitybar?: readonly { readonly id: string }[] };
    readonly views?: Readonly<Record<string, readonly { readonly id: string; readonly when?: string }[]>>;
    readonly viewsWelcome?: readonly { readonly view: string; readonly contents: string; readonly when?: string }[];
    readonly menus?: Readonly<Record<string, readonly { readonly command?: string; readonly when?: string }[]>>;
  };
}

export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

/** The manifest as VS Code loaded it. */
export function getManifest(): Manifest {
  return getExtension().packageJSON as Manifest;
}

export function contributedCommands(manifest: Manifest): string[] {
  return (manifest.contributes.commands ?? []).map((c) => c.command);
}

export function contributedViews(manifest: Manifest): string[] {
  return Object.values(manifest.contributes.views ?? {}).flat().map((v) => v.id);
}
