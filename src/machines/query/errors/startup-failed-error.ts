import { ClaudeActorsError, type ErrorContext } from '../../../core/errors/claude-actors-error.js';
import type { QueryErrorCode } from './query-error-code.js';

/** What to do about each `startup_failure_reason` the CLI reports (CLI 2.1.33x). */
const HINTS: Readonly<Record<string, string>> = {
  cwd_unavailable: 'the working directory (`cwd`) does not exist or cannot be read',
  temp_dir_unusable: 'the temporary directory (TMPDIR) cannot be written',
  shell_tool_missing: 'no usable shell was found for the Bash tool (set SHELL)',
  proxy_invalid: 'the proxy settings (HTTPS_PROXY, HTTP_PROXY) are invalid',
  config_file_invalid: 'a Claude config file does not parse: fix or remove it',
  managed_settings_invalid: 'the managed settings do not parse',
  managed_settings_not_delivered: 'the managed settings were not delivered',
  cli_version_too_old: 'the Claude CLI is older than the organisation requires: update it',
  bypass_root: 'bypassPermissions cannot run as root',
  provider_not_allowed: 'the API provider is not allowed by the organisation',
  gateway_signin_required: 'the gateway requires a sign-in',
  gateway_access_denied: 'the gateway denied access',
  org_pin_api_key_conflict: 'the API key belongs to another organisation than the pinned one',
  org_pin_mismatch: 'the account is not in the pinned organisation',
  org_verify_failed: 'the organisation could not be verified',
  session_held_by_background: 'the session is held by a background process',
  worktree_resume_refused: 'the session cannot be resumed in this worktree',
  worktree_unverified: 'the worktree could not be verified',
  sandbox_required_unavailable: 'a sandbox is required but not available',
  initialize_not_first: 'the host sent a message before `initialize`',
};

/**
 * The CLI could not start the session and said why (`startup_failure_reason` on its result:
 * `cwd_unavailable`, `proxy_invalid`, `config_file_invalid`...). A problem of the set-up, not of
 * the API: running the query again cannot help, so it is permanent.
 */
export class StartupFailedError extends ClaudeActorsError {
  readonly code = 'STARTUP_FAILED' satisfies QueryErrorCode;
  /** The CLI's reason, as it sent it. */
  readonly reason: string;
  /** What the CLI said, when it said something. */
  readonly detail: string | undefined;

  constructor(reason: string, detail: string | undefined, context: ErrorContext = {}) {
    const hint = HINTS[reason];
    super(
      `The Claude CLI could not start the session (${reason})` +
        `${hint ? `: ${hint}` : ''}${detail ? `. The CLI said: ${detail}` : ''}`,
      { ...context, retryable: false },
    );
    this.reason = reason;
    this.detail = detail;
  }
}
