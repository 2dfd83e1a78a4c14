import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInterfaces } from '../../../src/api/guestNetwork';
import { candidateAddresses, configuredMacs, isValidSshUser, remoteSshAuthority, sshArguments } from '../../../src/model/guestAddresses';

// The QGA answer shape from CONSOLE.md §4 (as PVE wraps it in `result`).
const qga = {
  result: [
    { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }, { 'ip-address': '::1', 'ip-address-type': 'ipv6', prefix: 128 }] },
    { name: 'eth0', 'hardware-address': 'bc:24:11:2e:c5:4a', 'ip-addresses': [{ 'ip-address': 'fe80::be24:11ff:fe2e:c54a', 'ip-address-type': 'ipv6', prefix: 64 }, { 'ip-address': '2001:db8::10', 'ip-address-type': 'ipv6', prefix: 64 }, { 'ip-address': '10.0.0.10', 'ip-address-type': 'ipv4', prefix: 24 }] },
    { name: 'docker0', 'hardware-address': '02:42:00:00:00:01', 'ip-addresses': [{ 'ip-address': '172.17.0.1', 'ip-address-type': 'ipv4', prefix: 16 }] },
    { name: 'ens19', 'hardware-address': '02:00:00:00:00:02', 'ip-addresses': [{ 'ip-address': '192.168.50.3', 'ip-address-type': 'ipv4', prefix: 24 }, { 'ip-address': '169.254.1.1', 'ip-address-type': 'ipv4', prefix: 16 }] },
    { name: 'weird' },
    { 'ip-addresses': [] },
  ],
};

describe('guest addresses', () => {
  it('parses the QGA answer leniently and keeps interfaces without addresses', () => {
    const list = parseInterfaces(qga);
    assert.ok(list);
    assert.deepEqual(list.map((i) => i.name), ['lo', 'eth0', 'docker0', 'ens19', 'weird']);
  });

  it('parses LXC answers, with and without ip-addresses; null stays null', () => {
    assert.equal(parseInterfaces(null), null);
    const modern = parseInterfaces([{ name: 'eth0', hwaddr: 'BC:24:11:00:00:01', inet: '10.0.0.5/24', 'ip-addresses': [{ 'ip-address': '10.0.0.5', 'ip-address-type': 'inet', prefix: 24 }, { 'ip-address': '2001:db8::5', 'ip-address-type': 'inet6', prefix: 64 }] }]);
    assert.ok(modern?.[0]);
    assert.deepEqual(modern[0].addresses.map((a) => `${a.address} ${a.family}`), ['10.0.0.5 ipv4', '2001:db8::5 ipv6']);
    assert.equal(modern[0].mac, 'bc:24:11:00:00:01');
    const old = parseInterfaces([{ name: 'eth0', hwaddr: 'bc:24:11:00:00:01', inet: '10.0.0.5/24', inet6: 'fd00::5/64' }]);
    assert.deepEqual(old?.[0]?.addresses.map((a) => `${a.address}/${a.prefix} ${a.family}`), ['10.0.0.5/24 ipv4', 'fd00::5/64 ipv6']);
  });

  it('prefers the configured NIC and IPv4; drops loopback, link-local, APIPA and bridges', () => {
    const macs = configuredMacs({ net0: 'virtio=BC:24:11:2E:C5:4A,bridge=vmbr0,firewall=1', net1: 'name=eth1,hwaddr=02:00:00:00:00:99,bridge=vmbr1', scsi0: 'x' });
    assert.deepEqual([...macs], ['bc:24:11:2e:c5:4a', '02:00:00:00:00:99']);
    const list = candidateAddresses(parseInterfaces(qga) ?? [], macs);
    assert.deepEqual(list.map((c) => `${c.address} ${c.interfaceName}${c.configured ? ' *' : ''}`), ['10.0.0.10 eth0 *', '2001:db8::10 eth0 *', '192.168.50.3 ens19']);
  });

  it('refuses anything that is not an IP address (the guest is not trusted)', () => {
    const list = candidateAddresses([{ name: 'eth0', mac: undefined, addresses: [{ address: '-oProxyCommand=x', family: 'ipv4', prefix: 24 }, { address: '10.0.0.1 ; rm', family: 'ipv4', prefix: 24 }] }], new Set());
    assert.deepEqual(list, []);
  });

  it('ssh arguments and Remote-SSH authorities', () => {
    assert.deepEqual(sshArguments('root', '10.0.0.10'), ['--', 'root@10.0.0.10']);
    assert.deepEqual(sshArguments(undefined, '2001:db8::10'), ['--', '2001:db8::10']);
    assert.equal(remoteSshAuthority('root', '10.0.0.10'), 'ssh-remote+root@10.0.0.10');
    const v6 = remoteSshAuthority('root', '2001:db8::10');
    assert.deepEqual(JSON.parse(Buffer.from(v6.slice('ssh-remote+'.length), 'hex').toString('utf8')), { hostName: '2001:db8::10', user: 'root' });
    assert.ok(isValidSshUser('root') && isValidSshUser('deploy.bot') && !isValidSshUser('-oProxy') && !isValidSshUser('a b'));
  });
});
