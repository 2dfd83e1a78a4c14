import type { ActionResult } from '../../actions/actionTypes';
import type { CommandContext } from '../commandContext';
import { runGuestAction } from './runGuestAction';

/** Stop: Hard stop: always confirmed, and the modal offers Shutdown instead. */
export function stopGuest(ctx: CommandContext, ...args: unknown[]): Promise<ActionResult[]> {
  return runGuestAction(ctx, 'stop', args);
}
