import {
  InvalidOptionsError,
  type OptionIssue,
} from '../../../core/validation/invalid-options-error.js';
import { renderValue } from '../../../core/validation/render-value.js';

/**
 * Option names of the official Agent SDK (`@anthropic-ai/claude-agent-sdk`) accepted as they
 * are, each meaning exactly what the SDK means: see the README's table. `abortController` is
 * taken by `runQuery` and `runtime.query` only (aborting it cancels the query).
 */
export interface AgentSdkOptionNames {
  /** The SDK's name for `executable`: the path of the `claude` CLI. */
  readonly pathToClaudeCodeExecutable?: string;
  /** The SDK's name for `addDirs` (`--add-dir`). */
  readonly additionalDirectories?: readonly string[];
  /** The SDK's name for `permissionPromptTool` (`--permission-prompt-tool`). */
  readonly permissionPromptToolName?: string;
  /** `false` is `noSessionPersistence: true` (`--no-session-persistence`). @defaultValue true */
  readonly persistSession?: boolean;
  /** `{ type: 'json_schema', schema }` is `jsonSchema: schema` (`--json-schema`). */
  readonly outputFormat?: {
    readonly type: 'json_schema';
    readonly schema: Record<string, unknown>;
  };
  /**
   * MCP servers by name, as the SDK takes them: added to `mcpConfig` as `{ mcpServers }`
   * (`--mcp-config`); in-process servers made by this library's `createSdkMcpServer` go to
   * `sdkMcpServers` (the Agent SDK's own in-process servers are refused).
   */
  readonly mcpServers?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Cancels the query when aborted, as the SDK's does. Taken by `runQuery` and
   * `runtime.query`; elsewhere use their `signal` option or the handle's `cancel()`.
   */
  readonly abortController?: AbortController;
  /**
   * Replaces the default system prompt (`--system-prompt`); also the Agent SDK's object forms:
   * `{ type: 'preset', preset: 'claude_code', append }` is `appendSystemPrompt: append`, and
   * `{ type: 'custom', prompt }` is `systemPrompt: prompt`.
   */
  readonly systemPrompt?:
    | string
    | { readonly type: 'preset'; readonly preset: 'claude_code'; readonly append?: string }
    | { readonly type: 'custom'; readonly prompt: string };
}

/** The SDK names that are the same option as one of ours under another name. */
const RENAMED: Readonly<Record<string, string>> = {
  pathToClaudeCodeExecutable: 'executable',
  additionalDirectories: 'addDirs',
  permissionPromptToolName: 'permissionPromptTool',
};

/**
 * Where to look instead, for Agent SDK options that have no same-meaning counterpart here:
 * shown in place of "unknown key" by `parseQueryOptions`.
 */
export const AGENT_SDK_HINTS: Readonly<Record<string, string>> = {
  abortController:
    'use the `signal` option of `runQuery` / `runtime.query` here (both also take ' +
    '`abortController`; a session ends with `session.kill()`)',
  executableArgs: 'no equivalent here: the `claude` CLI is started directly (`executable`)',
  spawnClaudeCodeProcess:
    'use the `spawn` option of `runQuery`, or `processes.spawn` of `createRuntime`, here',
  debug: "use `debugFile` here (or `extraArgs: ['--debug']`)",
  mcpServersDelivery:
    'not needed here: inline MCP configs reach the CLI through a private file, never argv',
  loadTimeoutMs:
    "no equivalent here: it bounds the loads of the SDK's `sessionStore`, which has none " +
    '(the CLI keeps its own transcripts; `createRuntime({ store })` records runs)',
};

/** Agent SDK options that are functions (or hold them): ours too, but no file can hold them. */
const FUNCTION_OPTIONS: ReadonlySet<string> = new Set([
  'canUseTool',
  'hooks',
  'onElicitation',
  'onUserDialog',
  'sdkMcpServers',
]);

/**
 * What to say of an Agent SDK option name where only our names are accepted (plan files):
 * `Agent SDK option \`X\`: use \`Y\` here`, or the pointer of {@link AGENT_SDK_HINTS};
 * `undefined` for a name that is not one of the SDK's.
 */
export function agentSdkHint(key: string): string | undefined {
  const ours =
    RENAMED[key] ??
    { persistSession: 'noSessionPersistence', outputFormat: 'jsonSchema', mcpServers: 'mcpConfig' }[
      key
    ];
  const hint = ours
    ? `use \`${ours}\` here`
    : FUNCTION_OPTIONS.has(key)
      ? 'it holds functions, which no file can: give it to `runQuery`, `runtime.query` or a session'
      : AGENT_SDK_HINTS[key];
  return hint && `Agent SDK option \`${key}\`: ${hint}`;
}

/** What {@link normalizeAgentSdkOptions} returns. */
export interface NormalizedOptions {
  /** The options with every Agent SDK name replaced by ours. */
  readonly value: unknown;
  /** For each of our option names that came from an SDK name: that name, for error paths. */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * Rewrites the Agent SDK option names of {@link AgentSdkOptionNames} (but `abortController`)
 * to ours; anything else is left for the schema to judge. Pure.
 *
 * @throws {@link InvalidOptionsError} when an SDK option and ours are both given with different
 *   meanings, or an SDK-only form is malformed (`outputFormat`, `mcpServers`, `persistSession`).
 * @example
 * ```ts
 * normalizeAgentSdkOptions({ pathToClaudeCodeExecutable: '/bin/claude' }).value;
 * // { executable: '/bin/claude' }
 * ```
 */
export function normalizeAgentSdkOptions(input: unknown): NormalizedOptions {
  const renamed = new Map<string, string>();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { value: input, renamed };
  }
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const issues: OptionIssue[] = [];
  const issue = (path: string, message: string, value: unknown): void => {
    issues.push({ path, message, received: renderValue(value) });
  };
  /** Moves `sdkName` to `ours`; both given is fine only when they say the same. */
  const move = (sdkName: string, ours: string, value: unknown): void => {
    delete out[sdkName];
    if (value === undefined) return;
    if (out[ours] !== undefined && JSON.stringify(out[ours]) !== JSON.stringify(value)) {
      issue(
        sdkName,
        `is the Agent SDK's name for \`${ours}\`, which is also given: use one`,
        value,
      );
      return;
    }
    out[ours] = value;
    renamed.set(ours, sdkName);
  };

  for (const [sdkName, ours] of Object.entries(RENAMED)) {
    if (sdkName in out) move(sdkName, ours, out[sdkName]);
  }
  if ('persistSession' in out) {
    const persist = out.persistSession;
    delete out.persistSession;
    if (persist !== undefined && typeof persist !== 'boolean') {
      issue('persistSession', 'expected a boolean', persist);
    } else if (persist !== undefined) {
      const ours = out.noSessionPersistence;
      if (ours !== undefined && ours === persist) {
        issue('persistSession', 'contradicts `noSessionPersistence`: use one of them', persist);
      } else if (!persist) {
        out.noSessionPersistence = true;
      }
    }
  }
  if ('outputFormat' in out) {
    const format = out.outputFormat as { type?: unknown; schema?: unknown } | undefined;
    delete out.outputFormat;
    if (format !== undefined) {
      const schema = format?.schema;
      if (
        format?.type !== 'json_schema' ||
        typeof schema !== 'object' ||
        schema === null ||
        Array.isArray(schema)
      ) {
        issue('outputFormat', "expected `{ type: 'json_schema', schema: { ... } }`", format);
      } else {
        move('outputFormat', 'jsonSchema', schema);
      }
    }
  }
  const prompt = out.systemPrompt as Record<string, unknown> | undefined;
  if (typeof prompt === 'object' && prompt !== null && !Array.isArray(prompt)) {
    systemPromptObject(out, prompt, issue);
  }
  if ('mcpServers' in out) {
    const servers = out.mcpServers;
    delete out.mcpServers;
    if (servers !== undefined) addMcpServers(out, servers, issue);
  }
  const runtime = out.executable;
  if (
    !renamed.has('executable') &&
    (runtime === 'node' || runtime === 'bun' || runtime === 'deno')
  ) {
    issue(
      'executable',
      'expected the path of the `claude` CLI (the Agent SDK calls it `pathToClaudeCodeExecutable`); ' +
        "the SDK's `executable`, the JavaScript runtime, has no equivalent here",
      runtime,
    );
  }
  if (issues.length > 0) throw new InvalidOptionsError(issues);
  return { value: out, renamed };
}

/**
 * The SDK's object forms of `systemPrompt` that mean one of ours exactly: the `claude_code`
 * preset with an `append` (`appendSystemPrompt`), or a custom text prompt (`systemPrompt`).
 */
function systemPromptObject(
  out: Record<string, unknown>,
  prompt: Record<string, unknown>,
  issue: (path: string, message: string, value: unknown) => void,
): void {
  const { type, preset, append, prompt: text, ...extra } = prompt;
  const noExtra = Object.keys(extra).length === 0;
  if (
    type === 'preset' &&
    preset === 'claude_code' &&
    noExtra &&
    typeof (append ?? '') === 'string'
  ) {
    delete out.systemPrompt;
    if (append !== undefined) move('systemPrompt', 'appendSystemPrompt', append);
  } else if (type === 'custom' && typeof text === 'string' && noExtra) {
    out.systemPrompt = text;
  } else {
    issue(
      'systemPrompt',
      "expected a string, `{ type: 'preset', preset: 'claude_code', append? }` or " +
        "`{ type: 'custom', prompt: string }` (the Agent SDK's other forms have no equivalent here)",
      prompt,
    );
  }

  function move(from: string, to: string, value: unknown): void {
    if (out[to] !== undefined && out[to] !== value) {
      issue(from, `is the Agent SDK's form of \`${to}\`, which is also given: use one`, value);
    } else {
      out[to] = value;
    }
  }
}

function addMcpServers(
  out: Record<string, unknown>,
  servers: unknown,
  issue: (path: string, message: string, value: unknown) => void,
): void {
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    issue('mcpServers', 'expected MCP server configs by name (an object)', servers);
    return;
  }
  const configs: Record<string, unknown> = {};
  const inProcess: { name: string }[] = [];
  for (const [name, config] of Object.entries(servers)) {
    const path = `mcpServers.${name}`;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      issue(path, 'expected an MCP server config (an object)', config);
    } else if ((config as { type?: unknown }).type !== 'sdk') {
      configs[name] = config;
    } else if (typeof (config as { handle?: unknown }).handle !== 'function') {
      issue(
        path,
        "expected an in-process server made by this library's `createSdkMcpServer` (the Agent " +
          "SDK's own cannot be served here), or a stdio, SSE or HTTP server config",
        { type: 'sdk' },
      );
    } else if ((config as { name?: unknown }).name !== name) {
      issue(path, 'expected the key to be the name the server was created with', name);
    } else {
      inProcess.push(config as { name: string });
    }
  }
  if (inProcess.length > 0) {
    const existing = out.sdkMcpServers;
    out.sdkMcpServers = Array.isArray(existing) ? [...existing, ...inProcess] : inProcess;
  }
  if (Object.keys(configs).length === 0) return;
  const entry = { mcpServers: configs };
  const existing = out.mcpConfig;
  out.mcpConfig = existing === undefined ? entry : [...[existing].flat(), entry];
}

/** `executable.x` → `pathToClaudeCodeExecutable.x` when the option came under the SDK name. */
export function sdkPath(path: string, renamed: ReadonlyMap<string, string>): string {
  for (const [ours, sdkName] of renamed) {
    if (path === ours || path.startsWith(`${ours}.`) || path.startsWith(`${ours}[`)) {
      return sdkName + path.slice(ours.length);
    }
  }
  return path;
}
