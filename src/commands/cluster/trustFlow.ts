import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import { sameFingerprint } from '../../api/fingerprint';
import { probeCertificate, type CertificateProbe } from '../../api/probe';
import type { CommandContext } from '../commandContext';

export type TrustDecision = { readonly kind: 'system' } | { readonly kind: 'pin'; readonly fingerprint: string } | { readonly kind: 'caFile'; readonly caFile: string };

/**
 * First-use trust (SECURITY.md, TLS): the certificate is read without sending credentials; if the
 * system does not trust it, the user sees its SHA-256 fingerprint and where to compare it, and it
 * is pinned only on explicit acceptance. Returns undefined when the user declines.
 */
export async function decideTrust(ctx: CommandContext, url: string, previousFingerprint?: string): Promise<TrustDecision | undefined> {
  const probe = await probeCertificate(new URL(url));
  ctx.log.info(`Certificate of ${url}: SHA-256 ${probe.fingerprint}, system trust: ${probe.trustedBySystem ? 'yes' : `no (${probe.systemError ?? 'unknown'})`}`);
  if (probe.trustedBySystem && !previousFingerprint) return { kind: 'system' };
  if (previousFingerprint && sameFingerprint(previousFingerprint, probe.fingerprint)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The certificate still matches the pinned fingerprint; nothing to change.'));
    return undefined;
  }
  const trust = vscode.l10n.t('Trust and Pin');
  const useCa = vscode.l10n.t('Use CA File…');
  const changed = previousFingerprint !== undefined;
  const message = changed
    ? vscode.l10n.t('The certificate of {0} has CHANGED', new URL(url).host)
    : vscode.l10n.t('Do you trust the certificate of {0}?', new URL(url).host);
  const choice = await ctx.prompter.confirm({
    message,
    detail: certificateDetail(probe, previousFingerprint),
    buttons: [trust, useCa],
    modal: true,
  });
  if (choice === trust) return { kind: 'pin', fingerprint: probe.fingerprint };
  if (choice === useCa) return pickCaFile(ctx);
  return undefined;
}

function certificateDetail(probe: CertificateProbe, previous: string | undefined): string {
  const lines: string[] = [];
  if (previous) {
    lines.push(vscode.l10n.t('Pinned fingerprint:'), previous, '', vscode.l10n.t('Presented now:'), probe.fingerprint, '');
    lines.push(vscode.l10n.t('A renewed certificate is normal after `pvenode cert set` or an ACME renewal; anything else may be an interception. Trust it only if you expected the change.'));
  } else {
    lines.push(vscode.l10n.t('SHA-256 fingerprint:'), probe.fingerprint, '');
    lines.push(vscode.l10n.t('It is not signed by an authority this computer trusts (Proxmox VE uses a self-signed cluster CA by default).'));
  }
  lines.push('', vscode.l10n.t('Compare it with the node: Datacenter → node → System → Certificates (pve-ssl.pem or pveproxy-ssl.pem), or run `pvenode cert info` on the node.'));
  lines.push('', vscode.l10n.t('Subject: {0}', probe.subject), vscode.l10n.t('Issuer: {0}', probe.issuer), vscode.l10n.t('Valid: {0} – {1}', probe.validFrom, probe.validTo));
  if (probe.systemError) lines.push(vscode.l10n.t('System check: {0}', probe.systemError));
  lines.push('', vscode.l10n.t('Nothing has been sent to the server yet; the token is sent only after you accept.'));
  return lines.join('\n');
}

async function pickCaFile(_ctx: CommandContext): Promise<TrustDecision | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Choose the cluster CA certificate (pve-root-ca.pem)'),
    canSelectMany: false,
    filters: { [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'] },
  });
  const file = picked?.[0];
  if (!file) return undefined;
  return { kind: 'caFile', caFile: file.fsPath };
}

export function trustPatch(decision: TrustDecision): { fingerprint?: string; caFile?: string } {
  switch (decision.kind) {
    case 'system':
      return { fingerprint: undefined, caFile: undefined };
    case 'pin':
      return { fingerprint: decision.fingerprint, caFile: undefined };
    case 'caFile':
      return { fingerprint: undefined, caFile: decision.caFile };
  }
}

export function isTrustProblem(error: unknown): boolean {
  return PveError.is(error, 'tls');
}
