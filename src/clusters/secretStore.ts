import type * as vscode from 'vscode';

/**
 * The only place secrets are kept: VS Code's SecretStorage (OS keychain on desktop). Nothing here
 * ever falls back to settings or globalState; `undefined` means "ask the user again".
 */
export class SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(clusterId: string, kind: 'token' | 'ticket'): string {
    return `proxmox.${kind}.${clusterId}`;
  }

  async getTokenSecret(clusterId: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(this.key(clusterId, 'token'));
    } catch {
      // A keyring that cannot decrypt behaves like a missing secret: the user is asked again.
      return undefined;
    }
  }

  async setTokenSecret(clusterId: string, secret: string): Promise<void> {
    await this.secrets.store(this.key(clusterId, 'token'), secret);
  }

  async getTicket(clusterId: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(this.key(clusterId, 'ticket'));
    } catch {
      return undefined;
    }
  }

  async setTicket(clusterId: string, ticket: string): Promise<void> {
    await this.secrets.store(this.key(clusterId, 'ticket'), ticket);
  }

  /** Sign-out: tickets cannot be revoked on the server, so forgetting it here is all there is. */
  async deleteTicket(clusterId: string): Promise<void> {
    await this.secrets.delete(this.key(clusterId, 'ticket'));
  }

  async deleteAll(clusterId: string): Promise<void> {
    await this.secrets.delete(this.key(clusterId, 'token'));
    await this.secrets.delete(this.key(clusterId, 'ticket'));
  }

  onDidChange(listener: (clusterId: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      const match = /^proxmox\.(?:token|ticket)\.(.+)$/.exec(event.key);
      if (match?.[1]) listener(match[1]);
    });
  }
}
