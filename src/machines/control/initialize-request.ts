import type { InitializeRequest } from '../../protocol/control.js';
import { hookRegistration } from './hook-registration.js';
import { type InitializeSource, pluginsViaInitialize } from './initialize-options.js';

/**
 * The `initialize` control request of a query or session: hook callback ids, the names of the
 * in-process MCP servers, and the options only `initialize` carries. Fields that are not set
 * are left out, so a bare session sends `{ subtype: 'initialize' }`.
 *
 * @example
 * ```ts
 * initializeRequest({ sdkMcpServers: [calc], toolAliases: { Bash: 'mcp__calc__sh' } });
 * // { subtype: 'initialize', sdkMcpServers: ['calc'], toolAliases: { Bash: 'mcp__calc__sh' } }
 * ```
 */
export function initializeRequest(options: InitializeSource): InitializeRequest {
  const hooks = hookRegistration(options.hooks);
  const servers = options.sdkMcpServers ?? [];
  const field = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    subtype: 'initialize',
    ...field('hooks', hooks),
    ...(servers.length === 0 ? {} : { sdkMcpServers: servers.map((s) => s.name) }),
    ...field('agentProgressSummaries', options.agentProgressSummaries),
    ...field('toolAliases', options.toolAliases),
    // `'all'` is a rule in `allowedTools` only: every skill stays listed.
    ...field('skills', Array.isArray(options.skills) ? options.skills : undefined),
    ...field('supportedDialogKinds', options.supportedDialogKinds),
    ...field('perTaskStopAffordance', options.perTaskStopAffordance),
    ...field('managedSettings', options.managedSettings),
    ...(pluginsViaInitialize(options) ? { plugins: options.plugins } : {}),
  };
}
