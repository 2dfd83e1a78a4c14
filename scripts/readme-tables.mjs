#!/usr/bin/env node
// Writes the README's command and settings tables from package.json (+ package.nls.json), between
//   <!-- commands:start --> … <!-- commands:end -->  and  <!-- settings:start --> … <!-- settings:end -->
//   node scripts/readme-tables.mjs          update README.md
//   node scripts/readme-tables.mjs --check  exit 1 if README.md is out of date (a unit test runs this)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const text = (value) => String(value ?? '').replace(/%([^%]+)%/g, (_, key) => nls[key] ?? key);
const cell = (value) => text(value).replace(/\|/g, '\\|').replace(/\n+/g, ' ');

const palette = pkg.contributes.menus?.commandPalette ?? [];
const hidden = new Set(palette.filter((m) => m.when === 'false').map((m) => m.command));
const menus = Object.entries(pkg.contributes.menus ?? {}).flatMap(([where, items]) => items.map((m) => ({ ...m, where })));
const whereLabel = { 'view/item/context': 'tree item', 'view/title': 'view title', 'editor/title': 'editor title' };

const commandRows = pkg.contributes.commands.map((c) => {
  const places = [...new Set(menus.filter((m) => m.command === c.command && m.where !== 'commandPalette').map((m) => whereLabel[m.where] ?? m.where))];
  if (!hidden.has(c.command)) places.unshift('palette');
  return `| ${cell(c.category ?? '')}: ${cell(c.title)} | \`${c.command}\` | ${places.join(', ')} |`;
});
const commands = ['| Command | Id | Where |', '|---|---|---|', ...commandRows].join('\n');

const settingRows = Object.entries(pkg.contributes.configuration.properties).map(([key, p]) => {
  const def = p.default === undefined ? '' : `\`${JSON.stringify(p.default)}\``;
  const scope = p.scope === 'application' ? ' (user settings only)' : '';
  return `| \`${key}\` | ${def} | ${cell(p.markdownDescription ?? p.description)}${scope} |`;
});
const settings = ['| Setting | Default | Description |', '|---|---|---|', ...settingRows].join('\n');

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const replace = (source, name, body) => {
  const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(source)) throw new Error(`README.md has no ${name} markers`);
  return source.replace(re, `$1\n${body}\n$2`);
};
const updated = replace(replace(readme, 'commands', commands), 'settings', settings);
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md tables are out of date: run node scripts/readme-tables.mjs');
    process.exit(1);
  }
  console.log('README tables are up to date');
} else {
  writeFileSync(readmePath, updated);
  console.log(`README.md: ${commandRows.length} commands, ${settingRows.length} settings`);
}
