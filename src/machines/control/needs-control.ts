import type { ResolvedControlOptions } from './control-options.js';
import { type InitializeSource, needsInitialize } from './initialize-options.js';

/** What {@link needsControl} reads. */
export type ControlSource = InitializeSource &
  Partial<Pick<ResolvedControlOptions, 'canUseTool' | 'onElicitation' | 'onUserDialog'>> & {
    readonly permissionPromptTool?: string | undefined;
  };

/**
 * Whether a query talks the control protocol with its CLI: it sends `initialize` (see
 * `needsInitialize`), or the CLI may ask it something (permission prompts over stdio —
 * `permissionPromptTool: 'stdio'`, which `canUseTool` implies —, elicitations, dialogs). Such a
 * query keeps stdin open until its result, answers the CLI's requests, and never uses a pooled
 * process (a reused CLI would keep the first query's registrations). A prompt tool that is an
 * MCP tool (`mcp__perm__ask`) is asked by the CLI itself, not over stdin: it needs none of this.
 */
export function needsControl(options: ControlSource): boolean {
  return (
    needsInitialize(options) ||
    options.permissionPromptTool === 'stdio' ||
    options.canUseTool !== undefined ||
    options.onElicitation !== undefined ||
    options.onUserDialog !== undefined
  );
}
