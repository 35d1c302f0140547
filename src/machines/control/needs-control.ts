import type { ResolvedControlOptions } from './control-options.js';
import { type InitializeSource, needsInitialize } from './initialize-options.js';

/** What {@link needsControl} reads. */
export type ControlSource = InitializeSource &
  Partial<Pick<ResolvedControlOptions, 'canUseTool' | 'onElicitation' | 'onUserDialog'>> & {
    readonly permissionPromptTool?: string | undefined;
  };

/**
 * Whether a query talks the control protocol with its CLI: it sends `initialize` (see
 * `needsInitialize`), or the CLI may ask it something (permission prompts, elicitations,
 * dialogs). Such a query keeps stdin open until its result, answers the CLI's requests, and
 * never uses a pooled process (a reused CLI would keep the first query's registrations).
 */
export function needsControl(options: ControlSource): boolean {
  return (
    needsInitialize(options) ||
    options.permissionPromptTool !== undefined ||
    options.canUseTool !== undefined ||
    options.onElicitation !== undefined ||
    options.onUserDialog !== undefined
  );
}
