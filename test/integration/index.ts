// The extension-host side of the integration layer (the @vscode/test-electron contract, also used
// by code-server): VS Code loads this module and calls run(); a rejection is a failed run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // The output reaches the launcher through VS Code's log forwarding: escape codes would be noise.
    color: false,
    timeout: 20_000,
    // The launcher passes --grep through, to run one suite while working on it.
    ...(process.env['MOCHA_GREP'] ? { grep: process.env['MOCHA_GREP'] } : {}),
  });
  const files = findTests(__dirname);
  // A wrong folder or pattern must not pass as "0 passing".
  if (files.length === 0) throw new Error(`no *.test.js files under ${__dirname}`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => { mocha.run(resolve); });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}
