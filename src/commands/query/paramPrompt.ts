import * as vscode from 'vscode';
import type { ApiParam } from '../../api/generated/getPaths';
import type { Prompter } from '../../ui/prompter';

/** Checks a value as PVE's schema check would (0/1 booleans, integers, enums), before sending. */
export function paramProblem(param: ApiParam, value: string): string | undefined {
  const v = value.trim();
  if (v === '') return vscode.l10n.t('Enter a value.');
  switch (param.type) {
    case 'boolean':
      return v === '0' || v === '1' ? undefined : vscode.l10n.t('Booleans are 0 or 1.');
    case 'integer':
    case 'number': {
      if (!(param.type === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(v)) return vscode.l10n.t('Enter a number.');
      const n = Number(v);
      if (param.minimum !== undefined && n < param.minimum) return vscode.l10n.t('At least {0}.', param.minimum);
      if (param.maximum !== undefined && n > param.maximum) return vscode.l10n.t('At most {0}.', param.maximum);
      return undefined;
    }
    default:
      if (param.enum && !param.enum.includes(v)) return vscode.l10n.t('One of: {0}', param.enum.join(', '));
      return v.length > 512 ? vscode.l10n.t('Too long.') : undefined;
  }
}

/** Offers the endpoint's optional query parameters from the schema; each value is checked first. */
export async function promptParams(prompter: Prompter, path: string, params: readonly ApiParam[]): Promise<Record<string, string> | undefined> {
  const optional = params.filter((p) => p.optional);
  if (optional.length === 0) return {};
  const chosen = await prompter.pickMany({
    title: vscode.l10n.t('Query parameters for {0} (optional)', path),
    placeHolder: vscode.l10n.t('Pick parameters to set, or press Enter for none'),
    items: optional.map((p) => ({ label: p.name, description: p.enum ? p.enum.join(' | ') : p.type, detail: p.description, value: p })),
  });
  if (chosen === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const param of chosen) {
    const value = param.enum
      ? await prompter.pick({ title: param.name, placeHolder: param.description, items: param.enum.map((e) => ({ label: e, value: e })) })
      : await prompter.input({ title: param.name, prompt: param.description, validate: (text) => paramProblem(param, text) });
    if (value === undefined) return undefined;
    out[param.name] = value.trim();
  }
  return out;
}
