#!/usr/bin/python3
"""Third-party client check: Debian's python3-proxmoxer (1.2.0) talks to the simulator as if it
were PVE. Starts `node scripts/sim.mjs --port 0`, then with token auth: lists nodes (pve3 offline), starts a
stopped guest, polls its task to the end, and prints the reason-phrase errors of failing calls.
Run from the repository root: /usr/bin/python3 test/sim/thirdparty/proxmoxer-smoke.py
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def main():
    sim = subprocess.Popen(
        ['node', 'scripts/sim.mjs', '--port', '0', '--task-ms', '300', '--unauthorized-delay-ms', '0', '--offline-node', 'pve3'],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(sim.stdout.readline())
        host = info['url'].replace('https://', '')
        with tempfile.NamedTemporaryFile('w', suffix='.pem', delete=False) as f:
            f.write(info['certificatePem'])
            ca_file = f.name
        user, token = info['tokenId'].split('!')
        # verify_ssl takes a CA bundle path: the self-signed certificate itself (SAN IP:127.0.0.1).
        prox = ProxmoxAPI(host, user=user, token_name=token, token_value=info['secret'], verify_ssl=ca_file)

        for n in prox.nodes.get():
            print('node %-5s %-7s ssl_fingerprint=%s...' % (n['node'], n['status'], n['ssl_fingerprint'][:23]))

        upid = prox.nodes('pve2').qemu(103).status.start.post()
        print('start VM 103 ->', upid)
        while True:
            st = prox.nodes('pve2').tasks(upid).status.get()
            if st['status'] == 'stopped':
                break
            print('  task', st['status'])
            time.sleep(0.1)
        print('task exitstatus:', st['exitstatus'], '| user:', st['user'], '| tokenid:', st.get('tokenid'))
        print('VM 103 now:', prox.nodes('pve2').qemu(103).status.current.get()['status'])

        failing = [
            ('start running CT 101', lambda: prox.nodes('pve1').lxc(101).status.start.post()),
            ("python True as a boolean", lambda: prox.nodes('pve1').qemu(100).status.stop.post(skiplock=True)),
            ('wrong node for VM 100', lambda: prox.nodes('pve2').qemu(100).config.get()),
            ('unknown node', lambda: prox.nodes('pve9').qemu.get()),
            ('offline node pve3', lambda: prox.nodes('pve3').qemu.get()),
        ]
        ro_user, ro_token = info['tokens']['readonly']['tokenId'].split('!')
        ro = ProxmoxAPI(host, user=ro_user, token_name=ro_token, token_value=info['tokens']['readonly']['secret'], verify_ssl=ca_file)
        failing.append(('read-only token stops VM 100', lambda: ro.nodes('pve1').qemu(100).status.stop.post()))
        for label, fn in failing:
            try:
                fn()
                print('%s: no error?!' % label)
            except ResourceException as e:
                print('%s: %s' % (label, e))
        os.unlink(ca_file)
        return 0
    finally:
        sim.terminate()
        sim.wait(10)


if __name__ == '__main__':
    sys.exit(main())
