import { PveError } from './errors';

/**
 * Errors of ticket sign-in and terminals, in a module of their own so that the UI can recognise
 * them without loading zod, undici or ws on the activation path.
 */

/**
 * The sign-in is over: lapsed on this machine's clock, refused by the server (401), or renewal
 * refused. Its reason is `unauthorized`, so every 401 path still applies; the UI offers
 * "Sign In Again" instead of "Update Token".
 */
export class SignInRequiredError extends PveError {
  constructor(
    readonly why: 'lapsed' | 'rejected',
    cause?: unknown,
  ) {
    super('unauthorized', why === 'lapsed' ? 'The sign-in has expired (tickets last 2 hours).' : 'The server no longer accepts the sign-in ticket.', { status: 401, cause });
  }

  static isSignIn(error: unknown): error is SignInRequiredError {
    return error instanceof SignInRequiredError;
  }
}

/** Why a terminal did not start: no `OK` after the auth line, or the websocket closed before it. */
export type TermFailure = 'noOk' | 'closedBeforeOk';

/** termproxy refused the session after the websocket was up (older PVE with tokens, a bad ticket). */
export class TermproxyError extends PveError {
  constructor(
    readonly failure: TermFailure,
    message: string,
  ) {
    super('forbidden', message);
  }

  static isTermproxy(error: unknown): error is TermproxyError {
    return error instanceof TermproxyError;
  }
}
