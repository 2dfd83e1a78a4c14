import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// Later suites hand the extension its configuration (a simulator URL, PVE_HOST, …) through the
// launcher's environment; this checks that path end to end on either host.
suite('Test host', () => {
  test('the launcher environment reaches the extension host', () => {
    const expected = vscode.env.uiKind === vscode.UIKind.Web ? 'code-server' : 'electron';
    assert.equal(process.env['PROXMOX_TEST_HOST'], expected);
  });
});
