import type { ActionResult } from '../../actions/actionTypes';
import type { CommandContext } from '../commandContext';
import { runGuestAction } from './runGuestAction';

/** Hibernate: QEMU suspend to disk (todisk=1); confirmed unless relaxed. */
export function hibernateGuest(ctx: CommandContext, ...args: unknown[]): Promise<ActionResult[]> {
  return runGuestAction(ctx, 'hibernate', args);
}
