/** Where the Stately inspector UI is served from (it needs the internet; the runtime does not). */
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

/** The path of the raw buffered events, as JSON (see {@link exposeInspector}). */
export const EVENTS_PATH = '/events.json';

/** After this long without the UI's handshake, the page says the UI did not load. */
const UI_LOAD_TIMEOUT_MS = 10_000;

/** What the viewer page is built from. @internal */
export interface BridgePageConfig {
  /** The loopback WebSocket URL of the event stream. */
  readonly wsUrl: string;
  /** The inspector UI to frame. */
  readonly inspectorUrl: string;
  /** Events in the replay buffer when the page is served. */
  readonly buffered: number;
  /** Events dropped from the buffer so far. */
  readonly dropped: number;
  /** Events the page holds while the UI is not connected (the oldest dropped beyond). */
  readonly capacity: number;
}

/**
 * The page {@link exposeInspector} serves at `/`: it frames the inspector UI (the Stately one
 * by default), reads the event stream from `wsUrl` and posts each event into the frame once the
 * UI says it is ready — the handshake `@statelyai/inspect`'s own `createInspectorServer` page
 * uses. Unlike that page, events are posted only to the UI's origin, not to `'*'`.
 *
 * Above the frame it says plainly where the UI comes from and that it needs the internet, how
 * many events arrived (and were dropped from the buffer), where the raw events are
 * ({@link EVENTS_PATH}) and whether the UI loaded — so the page is not just blank offline.
 *
 * @internal
 */
export function bridgePage(config: BridgePageConfig): string {
  const inspector = new URL(config.inspectorUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(inspector.hostname);
  // JSON, with `<` escaped so no value can close the script element; texts go in with
  // textContent, never as HTML.
  const json = JSON.stringify({
    ...config,
    uiOrigin: inspector.origin,
    needs: loopback ? '.' : `: it needs ${inspector.hostname} to be reachable (internet access).`,
    timeoutMs: UI_LOAD_TIMEOUT_MS,
  }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>claude-actors inspector</title>
  <style>
    * { margin: 0; padding: 0; }
    html, body { height: 100%; }
    body { display: flex; flex-direction: column; font: 14px system-ui, sans-serif; }
    #notice { padding: 6px 12px; background: #fff8dc; color: #222; border-bottom: 1px solid #ccc; }
    #notice p { margin: 2px 0; }
    #notice.connected { background: #eef7ee; }
    iframe { flex: 1; width: 100%; border: none; }
  </style>
</head>
<body>
  <div id="notice" role="status">
    <p>The inspector UI is loaded from <a id="ui-link" target="_blank" rel="noopener"></a><span id="ui-needs"></span>
      The runtime and this event stream are local and need no network.</p>
    <p><span id="ui-state">Waiting for the inspector UI to load…</span></p>
    <p>Events received: <strong id="event-count">0</strong>
      (<span id="dropped-count"></span> dropped from the buffer of the last events kept).
      Raw events, offline: <a id="events-link" href="${EVENTS_PATH}">${EVENTS_PATH}</a>.</p>
  </div>
  <iframe id="inspector" title="inspector UI"></iframe>
  <script>
    const config = ${json};
    const $ = (id) => document.getElementById(id);
    $('ui-link').textContent = config.inspectorUrl;
    $('ui-link').href = config.inspectorUrl;
    $('ui-needs').textContent = config.needs;
    $('dropped-count').textContent = String(config.dropped);
    const iframe = $('inspector');
    const buffer = [];
    let connected = false;
    let received = 0;
    const post = (event) => iframe.contentWindow.postMessage(event, config.uiOrigin);
    window.addEventListener('message', (e) => {
      if (e.origin !== config.uiOrigin || !e.data || e.data.type !== '@statelyai.connected') return;
      connected = true;
      $('notice').className = 'connected';
      $('ui-state').textContent = 'The inspector UI is connected.';
      buffer.splice(0).forEach(post);
    });
    setTimeout(() => {
      if (connected) return;
      $('ui-state').textContent = 'The inspector UI has not loaded after ' + config.timeoutMs / 1000 +
        ' s: no internet access, or blocked? The events are still recorded: see the raw events below,' +
        ' or start the inspector with the inspectorUrl option pointing at a self-hosted UI.';
    }, config.timeoutMs);
    iframe.src = config.inspectorUrl;
    const ws = new WebSocket(config.wsUrl);
    ws.onmessage = (message) => {
      const event = JSON.parse(message.data);
      $('event-count').textContent = String(++received);
      if (connected) post(event);
      else if (buffer.push(event) > config.capacity) buffer.shift();
    };
    ws.onclose = () => {
      $('ui-state').textContent += ' The event stream has closed.';
    };
  </script>
</body>
</html>
`;
}
