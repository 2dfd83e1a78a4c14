import type { ActionResult } from '../../actions/actionTypes';
import type { CommandContext } from '../commandContext';
import { runGuestAction } from './runGuestAction';

/** Suspend: Pause (QEMU suspend to RAM) or LXC freeze; confirmed unless relaxed. */
export function suspendGuest(ctx: CommandContext, ...args: unknown[]): Promise<ActionResult[]> {
  return runGuestAction(ctx, 'suspend', args);
}
