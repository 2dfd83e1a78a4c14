import * as path from 'node:path';

/** The project root: this file is compiled to out/test/host/, three levels below it. */
export const projectRoot = path.resolve(__dirname, '..', '..', '..');

/** test-electron's cache folder, and where code-server and run folders live (gitignored). */
export const vscodeTestDir = path.join(projectRoot, '.vscode-test');

/** Keep in sync with VERSION in test/host/installCodeServer.mjs. */
export const CODE_SERVER_VERSION = '4.100.3';

export const codeServerPrefix = path.join(vscodeTestDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerMarker = path.join(codeServerPrefix, 'installed.json');
export const codeServerEntry = path.join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const installScript = path.join(projectRoot, 'test', 'host', 'installCodeServer.mjs');

/** Where failure screenshots go (gitignored). */
export const testResultsDir = path.join(projectRoot, 'test-results');
