import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * code-server's `--locale` alone changes nothing: VS Code only switches display language when a
 * language pack for it is installed, and the Marketplace packs are out of reach offline. The server
 * reads installed packs from `<user-data>/languagepacks.json`; an entry whose translation file is
 * empty makes the locale active (vscode.env.language, package.nls.<locale>.json, l10n bundles)
 * while VS Code's own UI text falls back to English. That is what an extension's l10n tests need.
 */
export function writeLocaleStub(userDataDir: string, locale: string): void {
  const id = locale.toLowerCase();
  if (id.startsWith('en')) return;
  const translations = path.join(userDataDir, 'locale-stub', id, 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const packs = {
    [id]: {
      hash: `stub-${id}`,
      extensions: [{ extensionIdentifier: { id: `pve-tools-test.language-stub-${id}` }, version: '0.0.0' }],
      translations: { vscode: translations },
      label: id,
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
