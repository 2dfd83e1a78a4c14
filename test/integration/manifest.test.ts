import * as assert from 'node:assert/strict';
import { Commands, ContextKeys, VIEW_CONTAINER_ID, Views } from '../../src/constants';
import { contributedCommands, contributedViews, getManifest } from './manifest';

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();
const ours = (id: string): boolean => id.startsWith(`${VIEW_CONTAINER_ID}.`);

suite('Manifest and constants.ts', () => {
  const manifest = getManifest();

  test('Commands lists exactly the proxmox.* commands the manifest contributes', () => {
    assert.deepEqual(sorted(Object.values(Commands)), sorted(contributedCommands(manifest).filter(ours)));
  });

  test('Views lists exactly the proxmox.* views the manifest contributes', () => {
    assert.deepEqual(sorted(Object.values(Views)), sorted(contributedViews(manifest).filter(ours)));
  });

  test('the view container is contributed and holds every view in Views', () => {
    const containers = (manifest.contributes.viewsContainers?.activitybar ?? []).map((c) => c.id);
    assert.ok(containers.includes(VIEW_CONTAINER_ID), `activitybar containers: ${containers.join(', ')}`);
    const inContainer = (manifest.contributes.views?.[VIEW_CONTAINER_ID] ?? []).map((v) => v.id);
    assert.deepEqual(sorted(inContainer.filter(ours)), sorted(Object.values(Views)));
  });

  test('menus and welcome views name only contributed commands and views', () => {
    const commands = new Set(contributedCommands(manifest));
    const views = new Set(contributedViews(manifest));
    const menuCommands = Object.values(manifest.contributes.menus ?? {}).flat()
      .map((item) => item.command).filter((id): id is string => id !== undefined);
    assert.deepEqual(menuCommands.filter((id) => !commands.has(id)), [], 'menu items without a command');
    const welcome = manifest.contributes.viewsWelcome ?? [];
    assert.deepEqual(welcome.map((w) => w.view).filter((id) => !views.has(id)), [], 'welcome content for unknown views');
    // Links in welcome content: [label](command:proxmox.x)
    const linked = welcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1] ?? ''));
    assert.deepEqual(linked.filter((id) => !commands.has(id)), [], 'welcome links to unknown commands');
  });

  test('every proxmox.* name in a when clause is a known command, view or context key', () => {
    const known = new Set<string>([...Object.values(Commands), ...Object.values(Views), ...Object.values(ContextKeys)]);
    const clauses = [
      ...Object.values(manifest.contributes.menus ?? {}).flat().map((item) => item.when),
      ...(manifest.contributes.viewsWelcome ?? []).map((w) => w.when),
      ...Object.values(manifest.contributes.views ?? {}).flat().map((v) => v.when),
    ].filter((when): when is string => when !== undefined);
    assert.ok(clauses.length > 0, 'no when clauses found: is the manifest shape still what this test reads?');
    const names = clauses.flatMap((when) => when.match(/(?<![\w.])proxmox\.[\w.]+/g) ?? []);
    assert.deepEqual(sorted(names.filter((n) => !known.has(n))), []);
  });
});
