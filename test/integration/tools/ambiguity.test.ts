import * as assert from 'node:assert/strict';
import { GuestActionTools, ReadTools } from '../../../src/tools/toolNames';
import { call, startToolSim, ToolPrompter, writes, type ToolSim } from './helpers';

/**
 * Two clusters with the same demo guests (VMIDs 100-111 on both): nothing may be guessed. The
 * second cluster uses the read-only token, so an action on it meets a real 403.
 */
suite('Agent tools: ambiguous input is answered with candidates, never a guess', () => {
  let alpha: ToolSim;
  let beta: ToolSim;
  let prompter: ToolPrompter;

  suiteSetup(async () => {
    alpha = await startToolSim({ clusterId: 'alpha' });
    beta = await startToolSim({ clusterId: 'beta', clusterName: 'Homelab Beta', role: 'readonly' });
  });

  suiteTeardown(async () => {
    await beta.dispose();
    await alpha.dispose();
  });

  setup(() => {
    prompter = new ToolPrompter();
    alpha.api.setPrompter(prompter);
    alpha.sim.requests.length = 0;
    beta.sim.requests.length = 0;
  });

  teardown(() => {
    alpha.api.setPrompter(prompter);
  });

  const nothingSent = (): void => {
    assert.deepEqual([...writes(alpha.sim), ...writes(beta.sim)], [], 'something was sent');
  };

  test('a VMID on two clusters: the candidates on both, no confirmation, nothing sent', async () => {
    for (const name of [GuestActionTools.stop, GuestActionTools.reboot]) {
      const { prepared, text } = await call(alpha.api, name, { vmid: 100 });
      assert.equal(prepared?.confirmationMessages, undefined, name);
      assert.match(text, /^VMID 100 matches 2 guests, so nothing was done\. Ask the user which one is meant, then call again with its cluster and vmid:/);
      assert.match(text, /^- VM 100 web01 on pve1 \(cluster "alpha", virtual machine\): running/m);
      assert.match(text, /^- VM 100 web01 on pve1 \(cluster "Homelab Beta" \(id: beta\), virtual machine\): running/m);
    }
    assert.deepEqual(prompter.confirms, []);
    nothingSent();
    // Reading is not acting: find lists both and says to ask.
    const found = (await call(alpha.api, ReadTools.findGuest, { vmid: 100 })).text;
    assert.match(found, /^Found 2 guests; if the user meant one of them, ask which before acting:/);
  });

  test('a name matching several guests: the candidates, nothing sent', async () => {
    alpha.sim.state.addGuest({ vmid: 120, type: 'qemu', node: 'pve2', status: 'running', config: { name: 'web01', memory: '1024', cores: 1 } });
    try {
      const { prepared, text } = await call(alpha.api, GuestActionTools.shutdown, { name: 'web01', cluster: 'alpha' });
      assert.equal(prepared?.confirmationMessages, undefined);
      assert.match(text, /^the name "web01" matches 2 guests, so nothing was done/);
      assert.match(text, /^- VM 100 web01 on pve1 \(cluster "alpha"/m);
      assert.match(text, /^- VM 120 web01 on pve2 \(cluster "alpha"/m);
    } finally {
      alpha.sim.state.removeGuest(120);
    }
    nothingSent();
  });

  test('an unknown node, a node or type that does not match, an unknown cluster, a VMID with another name', async () => {
    const cases: [object, RegExp][] = [
      [{ vmid: 102, cluster: 'alpha', node: 'pve9' }, /^Cluster "alpha" has no node called "pve9"; nothing was done\. Its nodes are:\n- pve1 \(online\)\n- pve2 \(online\)\n- pve3 \(online\)$/],
      [{ vmid: 102, cluster: 'alpha', node: 'pve2' }, /^VM 102 db01 on pve1 is on node pve1, not pve2 \(it may have migrated\)\.\nNothing was done\./],
      [{ vmid: 101, cluster: 'alpha', type: 'qemu' }, /^CT 101 dns01 on pve1 is a container \(lxc\), not a virtual machine \(qemu\)\.\nNothing was done\./],
      [{ vmid: 102, cluster: 'gamma' }, /^No configured cluster is called "gamma"\. The configured clusters are:\n- "alpha"\n- "Homelab Beta" \(id: beta\)$/],
      [{ vmid: 100, name: 'db01', cluster: 'alpha' }, /^VMID 100 is not named "db01"; nothing was done\. What has this VMID:\n- VM 100 web01/],
      [{ vmid: 4242 }, /^No guest with VMID 4242 on cluster "alpha", "Homelab Beta" \(id: beta\)\./],
    ];
    for (const [input, expected] of cases) {
      const { prepared, text } = await call(alpha.api, GuestActionTools.stop, input);
      assert.equal(prepared?.confirmationMessages, undefined, JSON.stringify(input));
      assert.match(text, expected, JSON.stringify(input));
    }
    assert.deepEqual(prompter.confirms, []);
    nothingSent();
  });

  test('questions about "the" cluster or a node name two clusters share are asked back', async () => {
    assert.match((await call(alpha.api, ReadTools.listTasks, {})).text, /^Several clusters are configured; nothing was read\. Say which one with the cluster parameter:\n- "alpha"\n- "Homelab Beta" \(id: beta\)$/);
    assert.match((await call(alpha.api, ReadTools.nodeStatus, { node: 'pve1' })).text, /^Several clusters have a node called "pve1"; say which with the cluster parameter:/);
    // The display name works as well as the id, in any case.
    assert.match((await call(alpha.api, ReadTools.nodeStatus, { node: 'pve1', cluster: 'homelab beta' })).text, /^Node pve1 of cluster "Homelab Beta" \(id: beta\): online/);
  });

  test('a cluster that cannot be read: reading says what was not checked; acting without a cluster is refused', async () => {
    const fault = beta.sim.faults.add({ path: '/cluster/resources', action: { kind: 'status', status: 500, reason: 'Internal Server Error' } });
    try {
      const read = (await call(alpha.api, ReadTools.findGuest, { vmid: 102 })).text;
      assert.match(read, /^Found 1 guest:\n- VM 102 db01 on pve1 \(cluster "alpha"/);
      assert.match(read, /Not checked:\n- cluster "Homelab Beta" \(id: beta\): could not be read: Internal Server Error/);
      const { prepared, text } = await call(alpha.api, GuestActionTools.stop, { vmid: 102 });
      assert.equal(prepared?.confirmationMessages, undefined);
      assert.match(text, /^Found VM 102 db01 on pve1 .*, but not every cluster could be checked for the same VMID 102, so nothing was done\. Call again with the cluster parameter/);
      nothingSent();
    } finally {
      fault.remove();
    }
  });

  test('a missing privilege comes back as an explanation naming it; the request was sent once', async () => {
    prompter = new ToolPrompter('Stop');
    alpha.api.setPrompter(prompter);
    const { text } = await call(alpha.api, GuestActionTools.stop, { vmid: 102, cluster: 'beta' });
    assert.match(text, /^Permission denied: the token lacks VM\.PowerMgmt on \/vms\/102\. Tell the user which privilege is missing; do not retry\./);
    assert.deepEqual(writes(beta.sim), ['POST /nodes/pve1/qemu/102/status/stop']);
    assert.deepEqual(writes(alpha.sim), []);
  });
});
