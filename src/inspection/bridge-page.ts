/** Where the Stately inspector UI is served from (it needs the internet; the runtime does not). */
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

/**
 * The page {@link exposeInspector} serves at `/`: it frames the Stately inspector UI, reads the
 * event stream from `wsUrl` and posts each event into the frame once the UI says it is ready —
 * the handshake `@statelyai/inspect`'s own `createInspectorServer` page uses. Unlike that page,
 * events are posted only to the Stately origin, not to `'*'`.
 *
 * @param wsUrl - The loopback WebSocket URL of the event stream.
 * @internal
 */
export function bridgePage(wsUrl: string): string {
  // JSON, with `<` escaped so no value can close the script element.
  const config = JSON.stringify({ wsUrl, inspectorUrl: STATELY_INSPECTOR_URL }).replace(
    /</g,
    '\\u003c',
  );
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>claude-actors inspector</title>
  <style>
    * { margin: 0; padding: 0; }
    html, body { height: 100%; }
    iframe { width: 100%; height: 100%; border: none; }
  </style>
</head>
<body>
  <iframe id="inspector"></iframe>
  <script>
    const config = ${config};
    const origin = new URL(config.inspectorUrl).origin;
    const iframe = document.getElementById('inspector');
    const buffer = [];
    let connected = false;
    const post = (event) => iframe.contentWindow.postMessage(event, origin);
    window.addEventListener('message', (e) => {
      if (e.origin !== origin || !e.data || e.data.type !== '@statelyai.connected') return;
      connected = true;
      buffer.splice(0).forEach(post);
    });
    iframe.src = config.inspectorUrl;
    const ws = new WebSocket(config.wsUrl);
    ws.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (connected) post(event);
      else buffer.push(event);
    };
  </script>
</body>
</html>
`;
}
