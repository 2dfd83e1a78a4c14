import type { ActionResult } from '../../actions/actionTypes';
import type { CommandContext } from '../commandContext';
import { runGuestAction } from './runGuestAction';

/** Resume: Resumes a paused or hibernated guest; no confirmation. */
export function resumeGuest(ctx: CommandContext, ...args: unknown[]): Promise<ActionResult[]> {
  return runGuestAction(ctx, 'resume', args);
}
