import { z } from 'zod';

// Top-level message types of CLI 2.1.33x that are neither turns nor system events (field lists
// follow the Agent SDK's `SDK*Message` types; only the fields that identify them are required).

const common = { session_id: z.string().optional(), uuid: z.string().optional() };

/** `tool_use_summary`: a one-line summary of the tool calls before it. */
export const ToolUseSummaryMessageSchema = z.looseObject({
  type: z.literal('tool_use_summary'),
  summary: z.string(),
  preceding_tool_use_ids: z.array(z.string()).optional(),
  ...common,
});
/** `tool_use_summary`: a one-line summary of the tool calls before it. */
export type ToolUseSummaryMessage = z.infer<typeof ToolUseSummaryMessageSchema>;

/** `prompt_suggestion`: a prompt the CLI suggests for the next turn. */
export const PromptSuggestionMessageSchema = z.looseObject({
  type: z.literal('prompt_suggestion'),
  suggestion: z.string(),
  ...common,
});
/** `prompt_suggestion`: a prompt the CLI suggests for the next turn. */
export type PromptSuggestionMessage = z.infer<typeof PromptSuggestionMessageSchema>;

/**
 * `conversation_reset`: the conversation started over (`/clear`, leaving plan mode...) under
 * `new_conversation_id`; a session store should follow the new id.
 */
export const ConversationResetMessageSchema = z.looseObject({
  type: z.literal('conversation_reset'),
  new_conversation_id: z.string(),
  trigger: z.string().optional(),
  user_message_uuid: z.string().optional(),
  timestamp: z.string().optional(),
  ...common,
});
/** `conversation_reset`: the conversation started over under a new id. */
export type ConversationResetMessage = z.infer<typeof ConversationResetMessageSchema>;

/** `active_goal`: the goal the CLI works towards (`null` once cleared). */
export const ActiveGoalMessageSchema = z.looseObject({
  type: z.literal('active_goal'),
  value: z
    .looseObject({
      condition: z.string(),
      iterations: z.number().optional(),
      set_at: z.number().optional(),
      tokens_at_start: z.number().optional(),
      last_reason: z.string().optional(),
    })
    .nullable(),
  ...common,
});
/** `active_goal`: the goal the CLI works towards. */
export type ActiveGoalMessage = z.infer<typeof ActiveGoalMessageSchema>;

/** The message types above. */
export type CliNoticeMessage =
  | ToolUseSummaryMessage
  | PromptSuggestionMessage
  | ConversationResetMessage
  | ActiveGoalMessage;
