/** One `tool_result` block found in the last user message of a request. */
export interface SimToolResult {
  /** The `tool_use_id` the result answers. */
  readonly toolUseId: string;
  /** The result's text (text blocks joined with newlines when the content is an array). */
  readonly content: string;
  /** `true` when the CLI flagged the result as an error (e.g. a permission refusal). */
  readonly isError: boolean;
}

/** A recorded `POST /v1/messages`, summarised for matching and assertions. */
export interface SimRequest {
  /** HTTP method (always `POST` for recorded requests). */
  readonly method: string;
  /** Request path including the query string, e.g. `/v1/messages?beta=true`. */
  readonly path: string;
  /** The `model` field of the body. */
  readonly model: string;
  /** The `stream` field of the body. */
  readonly stream: boolean;
  /**
   * The latest user-authored text: the last text block of the last user message that is neither
   * a `<system-reminder>` nor a `tool_result`. When the last user message only carries tool
   * results, the prompt of the turn (found in an earlier user message).
   */
  readonly prompt: string;
  /** `true` when the last user message carries `tool_result` blocks (a tool-use follow-up). */
  readonly hasToolResult: boolean;
  /** The `tool_result` blocks of the last user message, in order. */
  readonly toolResults: readonly SimToolResult[];
  /** The parsed JSON body, untouched. */
  readonly body: unknown;
  /** Request headers; `x-api-key` and `authorization` are replaced by `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `Date.now()` when the body was received. */
  readonly at: number;
}
