/**
 * Links into the PVE web UI, byte for byte as the UI builds them (CONSOLE.md §3):
 * `PVE.Utils.openVNCViewer` / `Proxmox.Utils.openXtermJsViewer` use `Ext.Object.toQueryString`
 * (keys in this order, undefined values as empty `key=`), and the deep link is StateProvider's
 * `#v1:` hash with 10 `:`-separated fields. The browser needs its own PVE sign-in: a URL cannot
 * carry a ticket, and the console pages show no login dialog.
 */
export type ConsoleKind = 'kvm' | 'lxc' | 'shell';
export type ConsoleViewer = 'novnc' | 'xtermjs';

export interface ConsoleLink {
  readonly console: ConsoleKind;
  readonly viewer: ConsoleViewer;
  readonly node: string;
  readonly vmid?: number;
  readonly vmname?: string;
}

/** The only characters these links carry unencoded; anything else in a name is dropped, not encoded. */
const SAFE_VALUE = /^[A-Za-z0-9._-]*$/;

function value(v: string | number | undefined): string {
  if (v === undefined) return '';
  const text = String(v);
  // PVE names are DNS names; a value outside that set would need encoding that some openers
  // undo (microsoft/vscode#85930). vmname is only the window title, so it is left empty instead.
  return SAFE_VALUE.test(text) ? text : '';
}

function origin(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** `https://host:8006/?console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=` and the xterm.js form. */
export function consoleUrl(baseUrl: string, link: ConsoleLink): string {
  const query =
    link.viewer === 'novnc'
      ? `console=${link.console}&novnc=1&vmid=${value(link.vmid)}&vmname=${value(link.vmname)}&node=${value(link.node)}&resize=off&cmd=`
      : `console=${link.console}&xtermjs=1&vmid=${value(link.vmid)}&vmname=${value(link.vmname)}&node=${value(link.node)}&cmd=`;
  return `${origin(baseUrl)}/?${query}`;
}

/** The viewer the web UI opens by default: noVNC for VMs, xterm.js for containers and node shells. */
export function defaultViewer(console: ConsoleKind): ConsoleViewer {
  return console === 'kvm' ? 'novnc' : 'xtermjs';
}

export type WebUiTarget = { readonly kind: 'node'; readonly node: string } | { readonly kind: 'qemu' | 'lxc'; readonly vmid: number };

/**
 * `#v1:0:=qemu%2F100:4:::::::` selects the guest in the resource tree (view 0 = server view,
 * tab 4 = tasks panel as the UI stores it). `/` is encoded as `%2F`; the `:` separators stay.
 */
export function webUiUrl(baseUrl: string, target: WebUiTarget): string {
  const rid = target.kind === 'node' ? `node/${target.node}` : `${target.kind}/${target.vmid}`;
  return `${origin(baseUrl)}/#v1:0:=${encodeURIComponent(rid)}:4:::::::`;
}
