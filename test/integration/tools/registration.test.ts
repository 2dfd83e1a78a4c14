import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/testApi';
import { schemaProblems, type JsonSchema } from '../../../src/tools/inputSchema';
import { readToolSchemas } from '../../../src/tools/registerTools';
import { ACTION_TOOL_NAMES, ALL_TOOL_NAMES, READ_TOOL_NAMES } from '../../../src/tools/toolNames';
import { getExtension } from '../manifest';
import { EXAMPLES } from './examples';
import { toolTestApi, waitFor } from './helpers';

interface ToolContribution {
  readonly name: string;
  readonly displayName?: string;
  readonly userDescription?: string;
  readonly modelDescription?: string;
  readonly toolReferenceName?: string;
  readonly canBeReferencedInPrompt?: boolean;
  readonly tags?: readonly string[];
  readonly when?: string;
  readonly inputSchema?: JsonSchema;
}

function contributions(): ToolContribution[] {
  return (getExtension().packageJSON as { contributes: { languageModelTools?: ToolContribution[] } }).contributes.languageModelTools ?? [];
}

const sorted = (names: Iterable<string>): string[] => [...names].sort();

suite('Agent tools: manifest, registration and schemas', () => {
  let api: TestApi;

  suiteSetup(async () => {
    api = await toolTestApi();
  });

  test('the manifest contributes exactly the tools the code implements', () => {
    assert.deepEqual(sorted(contributions().map((t) => t.name)), sorted(ALL_TOOL_NAMES));
    assert.deepEqual(sorted(api.tools.keys()), sorted(ALL_TOOL_NAMES));
  });

  test('every tool is described for people (localised) and for the model, tagged, and has no when clause', () => {
    for (const t of contributions()) {
      assert.ok(t.displayName && !t.displayName.startsWith('%'), `${t.name}: displayName not localised: ${String(t.displayName)}`);
      assert.ok(t.userDescription && !t.userDescription.startsWith('%'), `${t.name}: userDescription not localised`);
      assert.ok((t.modelDescription ?? '').length > 80, `${t.name}: modelDescription too short to guide a model`);
      assert.match(t.name, /^proxmox_[a-z_]+$/);
      assert.ok(t.toolReferenceName && t.canBeReferencedInPrompt === true, `${t.name}: not referenceable in chat`);
      const action = ACTION_TOOL_NAMES.includes(t.name);
      assert.deepEqual(t.tags, ['proxmox', action ? 'proxmox-action' : 'proxmox-read']);
      // No `when`: VS Code 1.100 cannot send a tool's when-expression to the extension hosts (circular
      // JSON), and then vscode.lm.tools is empty for every extension. The settings are enforced in code.
      assert.equal(t.when, undefined, `${t.name} has a when clause`);
      if (action) {
        assert.match(t.modelDescription ?? '', /explicitly asked/, `${t.name}: the action rules are missing from its description`);
        assert.match(t.modelDescription ?? '', /candidates/);
      } else {
        assert.match(t.modelDescription ?? '', /Read-only/, `${t.name}: not described as read-only`);
      }
    }
  });

  test('the two settings exist, default to on, and are user settings only', () => {
    const properties = (getExtension().packageJSON as { contributes: { configuration: { properties: Record<string, { type: string; default: unknown; scope?: string }> } } }).contributes.configuration.properties;
    for (const key of ['proxmox.agentTools.enabled', 'proxmox.agentTools.allowActions']) {
      assert.equal(properties[key]?.type, 'boolean', key);
      assert.equal(properties[key].default, true, key);
      assert.equal(properties[key].scope, 'application', `${key} must not be settable by a workspace`);
    }
  });

  test('every tool\'s schema accepts its examples and rejects the bad ones', () => {
    const schemas = readToolSchemas(getExtension().packageJSON);
    assert.equal(schemas.size, ALL_TOOL_NAMES.length);
    let checked = 0;
    for (const name of ALL_TOOL_NAMES) {
      const schema = schemas.get(name);
      const examples = EXAMPLES[name];
      assert.ok(schema, `${name}: no inputSchema`);
      assert.ok(examples && examples.valid.length > 0 && examples.invalid.length > 0, `${name}: no examples`);
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false, `${name}: unknown parameters must be refused`);
      for (const example of examples.valid) {
        assert.deepEqual(schemaProblems(schema, example), [], `${name} refuses its example ${JSON.stringify(example)}`);
        checked++;
      }
      for (const example of examples.invalid) {
        assert.notDeepEqual(schemaProblems(schema, example), [], `${name} accepts the bad input ${JSON.stringify(example)}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} examples checked`);
  });

  test('VS Code lists the tools in vscode.lm.tools with the manifest\'s schemas (where the host lists extension tools)', async function () {
    const ours = (): vscode.LanguageModelToolInformation[] => vscode.lm.tools.filter((t) => t.name.startsWith('proxmox_'));
    await waitFor(() => ours().length === ALL_TOOL_NAMES.length, 3000);
    if (vscode.lm.tools.length === 0) {
      // A host without the chat workbench lists nothing; lm.invokeTool is tested below regardless.
      console.log(`      (skipped: ${vscode.env.appName} ${vscode.version} lists no language model tools)`);
      this.skip();
    }
    assert.deepEqual(sorted(ours().map((t) => t.name)), sorted(ALL_TOOL_NAMES));
    const schemas = readToolSchemas(getExtension().packageJSON);
    for (const info of ours()) {
      assert.deepEqual(info.inputSchema, schemas.get(info.name), info.name);
      assert.ok(info.tags.includes('proxmox'));
      assert.ok(info.description.length > 80, `${info.name}: the model description is what lm.tools shows`);
    }
    assert.equal(READ_TOOL_NAMES.length + ACTION_TOOL_NAMES.length, ALL_TOOL_NAMES.length);
  });

  test('vscode.lm.invokeTool reaches the tools by name and returns their text', async () => {
    const result = await vscode.lm.invokeTool('proxmox_list_clusters', { input: {}, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /cluster/i);
  });
});
