import type { SimReply } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';

/**
 * Which requests a rule answers.
 *
 * - a string: the prompt contains it;
 * - a RegExp: the prompt matches it;
 * - a function: it returns `true` for the request.
 *
 * Strings and RegExps only match requests that start a turn (`hasToolResult === false`): the
 * follow-up request that carries a `tool_result` repeats the turn's prompt, so a prompt rule that
 * answers with a tool call would otherwise answer its own follow-up with the same call forever.
 * Use a function (it sees `req.hasToolResult`) to answer follow-ups.
 */
export type SimMatch = string | RegExp | ((request: SimRequest) => boolean);

/** A scripted answer: requests that {@link SimMatch | match} get `reply`. */
export interface SimRule {
  /** Which requests this rule answers. */
  readonly match: SimMatch;
  /**
   * The reply, or a sequence of replies for successive matching requests; the last reply of a
   * sequence repeats for further requests unless `times` exhausts the rule.
   */
  readonly reply: SimReply | readonly SimReply[];
  /**
   * How many requests the rule answers before it is skipped.
   *
   * @defaultValue unlimited
   */
  readonly times?: number | undefined;
}

/**
 * Whether `match` accepts `request`; see {@link SimMatch} for the tool-result rule.
 *
 * @internal
 */
export function matches(match: SimMatch, request: SimRequest): boolean {
  if (typeof match === 'function') return match(request);
  if (request.hasToolResult) return false;
  if (typeof match === 'string') return request.prompt.includes(match);
  // A global or sticky RegExp keeps state in lastIndex; every request starts fresh.
  match.lastIndex = 0;
  return match.test(request.prompt);
}

/**
 * A rule and how many requests it has answered.
 *
 * @internal
 */
export class RuleState {
  private uses = 0;

  constructor(readonly rule: SimRule) {}

  /** The next reply if this rule answers `request`, consuming one use; otherwise `undefined`. */
  take(request: SimRequest): SimReply | undefined {
    const { times, reply } = this.rule;
    if (times !== undefined && this.uses >= times) return undefined;
    if (!matches(this.rule.match, request)) return undefined;
    const replies: readonly SimReply[] = isReplyList(reply) ? reply : [reply];
    const next = replies[Math.min(this.uses, replies.length - 1)];
    if (next === undefined) return undefined;
    this.uses += 1;
    return next;
  }

  /** Forgets past uses. */
  rewind(): void {
    this.uses = 0;
  }
}

function isReplyList(reply: SimReply | readonly SimReply[]): reply is readonly SimReply[] {
  return Array.isArray(reply);
}
