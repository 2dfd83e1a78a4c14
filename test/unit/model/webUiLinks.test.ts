import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleUrl, defaultViewer, webUiUrl } from '../../../src/model/webUiLinks';

// The exact strings of CONSOLE.md §3, as PVE.Utils.openVNCViewer / openXtermJsViewer build them.
describe('web UI links', () => {
  const base = 'https://pve1.example.com:8006';

  it('noVNC for a VM, xterm.js for a container and a node shell', () => {
    assert.equal(consoleUrl(base, { console: 'kvm', viewer: 'novnc', node: 'pve1', vmid: 100, vmname: 'web01' }), 'https://pve1.example.com:8006/?console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=');
    assert.equal(consoleUrl(base, { console: 'lxc', viewer: 'xtermjs', node: 'pve1', vmid: 101, vmname: 'dns01' }), 'https://pve1.example.com:8006/?console=lxc&xtermjs=1&vmid=101&vmname=dns01&node=pve1&cmd=');
    assert.equal(consoleUrl(base, { console: 'shell', viewer: 'xtermjs', node: 'pve2' }), 'https://pve1.example.com:8006/?console=shell&xtermjs=1&vmid=&vmname=&node=pve2&cmd=');
    assert.equal(consoleUrl(base, { console: 'shell', viewer: 'novnc', node: 'pve2' }), 'https://pve1.example.com:8006/?console=shell&novnc=1&vmid=&vmname=&node=pve2&resize=off&cmd=');
    assert.deepEqual(['kvm', 'lxc', 'shell'].map((k) => defaultViewer(k as 'kvm')), ['novnc', 'xtermjs', 'xtermjs']);
  });

  it('a name outside the DNS character set is left out rather than encoded', () => {
    assert.equal(consoleUrl(base, { console: 'kvm', viewer: 'novnc', node: 'pve1', vmid: 100, vmname: 'a&b=c' }), 'https://pve1.example.com:8006/?console=kvm&novnc=1&vmid=100&vmname=&node=pve1&resize=off&cmd=');
  });

  it('deep links select the resource in the tree', () => {
    assert.equal(webUiUrl(base, { kind: 'qemu', vmid: 100 }), 'https://pve1.example.com:8006/#v1:0:=qemu%2F100:4:::::::');
    assert.equal(webUiUrl(base, { kind: 'lxc', vmid: 101 }), 'https://pve1.example.com:8006/#v1:0:=lxc%2F101:4:::::::');
    assert.equal(webUiUrl(base, { kind: 'node', node: 'pve1' }), 'https://pve1.example.com:8006/#v1:0:=node%2Fpve1:4:::::::');
  });
});
