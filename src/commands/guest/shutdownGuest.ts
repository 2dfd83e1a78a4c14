import type { ActionResult } from '../../actions/actionTypes';
import type { CommandContext } from '../commandContext';
import { runGuestAction } from './runGuestAction';

/** Shutdown: Graceful: asks the guest OS to power off; confirmed unless relaxed by a setting. */
export function shutdownGuest(ctx: CommandContext, ...args: unknown[]): Promise<ActionResult[]> {
  return runGuestAction(ctx, 'shutdown', args);
}
