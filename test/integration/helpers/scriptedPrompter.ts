import type { ConfirmRequest, InputRequest, PickRequest, Prompter, Severity } from '../../../src/ui/prompter';

/**
 * Answers the extension's questions from a script, in order, and records everything it was asked
 * and told. An unexpected question fails the test (it resolves undefined = dismissed, and the
 * mismatch is recorded in `problems`).
 */
export type Answer =
  | { readonly confirm: string | undefined; readonly expect?: RegExp }
  | { readonly input: string | undefined; readonly expect?: RegExp }
  | { readonly pick: (items: readonly { label: string; value: unknown }[]) => unknown; readonly expect?: RegExp }
  | { readonly pickMany: (items: readonly { label: string; value: unknown }[]) => unknown[] | undefined; readonly expect?: RegExp };

export interface Notification {
  readonly severity: Severity;
  readonly message: string;
  readonly actions: readonly string[];
}

export class ScriptedPrompter implements Prompter {
  /** Every prompter of the run, for the final canary scan of what the extension said. */
  static readonly all: ScriptedPrompter[] = [];
  readonly confirms: ConfirmRequest[] = [];
  readonly inputs: InputRequest[] = [];
  readonly notifications: Notification[] = [];
  readonly problems: string[] = [];
  private readonly script: Answer[];
  private waiters: (() => void)[] = [];

  constructor(script: Answer[] = []) {
    this.script = [...script];
    ScriptedPrompter.all.push(this);
  }

  push(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  get remaining(): number {
    return this.script.length;
  }

  private next<K extends 'confirm' | 'input' | 'pick' | 'pickMany'>(kind: K, text: string): Extract<Answer, Record<K, unknown>> | undefined {
    const answer = this.script.shift();
    if (!answer || !(kind in answer)) {
      this.problems.push(`unexpected ${kind}: ${text}${answer ? ` (script expected ${Object.keys(answer)[0] ?? '?'})` : ''}`);
      return undefined;
    }
    if (answer.expect && !answer.expect.test(text)) this.problems.push(`${kind} "${text}" does not match ${String(answer.expect)}`);
    return answer as Extract<Answer, Record<K, unknown>>;
  }

  confirm(request: ConfirmRequest): Promise<string | undefined> {
    this.confirms.push(request);
    const answer = this.next('confirm', `${request.message}\n${request.detail}`);
    const choice = answer?.confirm;
    if (choice !== undefined && !request.buttons.includes(choice)) this.problems.push(`button "${choice}" is not offered: ${request.buttons.join(', ')}`);
    return Promise.resolve(choice);
  }

  notify(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ severity, message, actions });
    for (const wake of this.waiters.splice(0)) wake();
    return Promise.resolve(undefined);
  }

  input(request: InputRequest): Promise<string | undefined> {
    this.inputs.push(request);
    const answer = this.next('input', `${request.title}: ${request.prompt}`);
    const value = answer?.input;
    if (value !== undefined && request.validate) {
      const problem = request.validate(value);
      if (problem) this.problems.push(`input "${value}" refused by the box's own validation: ${problem}`);
    }
    return Promise.resolve(value);
  }

  pick<T>(request: PickRequest<T>): Promise<T | undefined> {
    const answer = this.next('pick', request.title);
    return Promise.resolve(answer ? (answer.pick(request.items) as T | undefined) : undefined);
  }

  pickMany<T>(request: PickRequest<T>): Promise<T[] | undefined> {
    const answer = this.next('pickMany', request.title);
    return Promise.resolve(answer ? (answer.pickMany(request.items) as T[] | undefined) : undefined);
  }

  /** Resolves at the next notification (the report of an action arrives after the command returns). */
  async nextNotification(timeoutMs = 10_000): Promise<Notification> {
    const count = this.notifications.length;
    const deadline = Date.now() + timeoutMs;
    while (this.notifications.length === count) {
      if (Date.now() > deadline) throw new Error('no notification arrived');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    const last = this.notifications[this.notifications.length - 1];
    if (!last) throw new Error('no notification');
    return last;
  }
}
