// The dashboard page: applies the server's snapshot and updates (Server-Sent Events from
// /events) to a local copy and redraws. Plain DOM, no dependencies; every value is set as text,
// never as HTML.

const SVG = 'http://www.w3.org/2000/svg';
const NODE = { width: 168, height: 46, columnGap: 56, rowGap: 14, pad: 8 };
const MAX_ERRORS_SHOWN = 50;

/** @type {any} */
let view;
let lastErrorSeq = 0;
let drawScheduled = false;

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function usd(value) {
  return `$${(value ?? 0).toFixed(value >= 1 ? 2 : 4)}`;
}

function count(value) {
  return new Intl.NumberFormat('en').format(value ?? 0);
}

function seconds(ms) {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

/** `{ running: { attempt: 'streaming' } }` → `running.attempt.streaming`. */
function stateText(value) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([key, inner]) => {
      const rest = stateText(inner);
      return rest ? `${key}.${rest}` : key;
    })
    .join(', ');
}

function apply(update) {
  switch (update.type) {
    case 'tree':
      view.tree = update.tree;
      break;
    case 'run': {
      const at = view.runs.findIndex((run) => run.runId === update.run.runId);
      if (at >= 0) view.runs[at] = update.run;
      else view.runs.push(update.run);
      break;
    }
    case 'runs.dropped':
      view.runs = view.runs.filter((run) => !update.runIds.includes(run.runId));
      break;
    case 'text': {
      const at = view.texts.findIndex((text) => text.queryId === update.text.queryId);
      if (at >= 0) view.texts[at] = update.text;
      else view.texts.push(update.text);
      break;
    }
    case 'texts.dropped':
      view.texts = view.texts.filter((text) => !update.queryIds.includes(text.queryId));
      break;
    case 'error':
      if (update.error.seq > lastErrorSeq) {
        view.errors.push(update.error);
        lastErrorSeq = update.error.seq;
        if (view.errors.length > MAX_ERRORS_SHOWN) view.errors.shift();
      }
      view.errorsDropped = update.errorsDropped;
      break;
    case 'system':
      view.system = update.system;
      break;
  }
}

function card(label, value, detail, name) {
  return el(
    'div',
    { class: 'card', 'data-card': name },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    el('div', { class: 'detail' }, detail ?? ''),
  );
}

function drawSummary() {
  const system = view.system;
  const cards = [];
  if (system) {
    const s = system.stats;
    cards.push(
      card('Cost so far', usd(s.costUsd), `${count(s.queries)} queries ended`, 'cost'),
      card(
        'Tokens',
        count(s.inputTokens + s.outputTokens),
        `${count(s.inputTokens)} in · ${count(s.outputTokens)} out · ${count(s.cacheReadInputTokens)} cached`,
        'tokens',
      ),
      card(
        'Queries',
        `${system.running} running`,
        `${s.succeeded} ok · ${s.failed} failed · ${s.cancelled} cancelled · ${s.retries} retries`,
        'queries',
      ),
    );
    const limiter = system.limiter;
    if (limiter) {
      const paused =
        limiter.pausedUntil && limiter.pausedUntil > Date.now()
          ? `paused ${seconds(limiter.pausedUntil - Date.now())} more`
          : 'admitting';
      cards.push(
        card(
          'Rate limiter',
          `${limiter.inFlight}/${limiter.concurrencyLimit ?? '∞'}`,
          `in flight · ${limiter.queued} queued · ${paused}`,
          'limiter',
        ),
      );
    }
    const breaker = system.breaker;
    if (breaker) {
      const detail =
        breaker.state === 'open'
          ? `retry in ${seconds(Math.max(0, breaker.retryAt - Date.now()))}`
          : `since ${new Date(breaker.since).toLocaleTimeString()}`;
      cards.push(card('Circuit breaker', breaker.state, detail, 'breaker'));
    }
    if (system.budgetRemainingUsd !== undefined) {
      cards.push(card('Budget left', usd(system.budgetRemainingUsd), 'runtime-wide', 'budget'));
    }
    if (system.pool) {
      const detail = Object.entries(system.pool)
        .filter(([, value]) => typeof value === 'number')
        .map(([key, value]) => `${key} ${value}`)
        .join(' · ');
      cards.push(card('Process pool', '', detail, 'pool'));
    }
  }
  $('summary').replaceChildren(...cards);
}

function drawRun(run) {
  const columns = new Map();
  for (const task of run.tasks) {
    if (!columns.has(task.depth)) columns.set(task.depth, []);
    columns.get(task.depth).push(task);
  }
  const place = new Map();
  let rows = 1;
  for (const [depth, tasks] of columns) {
    rows = Math.max(rows, tasks.length);
    tasks.forEach((task, row) => {
      place.set(task.id, {
        x: NODE.pad + depth * (NODE.width + NODE.columnGap),
        y: NODE.pad + row * (NODE.height + NODE.rowGap),
      });
    });
  }
  const width = NODE.pad * 2 + columns.size * (NODE.width + NODE.columnGap) - NODE.columnGap;
  const height = NODE.pad * 2 + rows * (NODE.height + NODE.rowGap) - NODE.rowGap;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  root.setAttribute('aria-label', `DAG of run ${run.runId}`);
  for (const task of run.tasks) {
    const to = place.get(task.id);
    for (const dep of task.dependsOn) {
      const from = place.get(dep);
      if (!from || !to) continue;
      const x1 = from.x + NODE.width;
      const y1 = from.y + NODE.height / 2;
      const x2 = to.x;
      const y2 = to.y + NODE.height / 2;
      const mid = (x1 + x2) / 2;
      root.append(
        svg('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` }),
      );
    }
  }
  for (const task of run.tasks) {
    const { x, y } = place.get(task.id);
    const group = svg('g', {
      class: `node status-${task.status}`,
      transform: `translate(${x},${y})`,
      'data-task-id': task.id,
      'data-status': task.status,
    });
    const title = svg('title');
    title.textContent = task.note ? `${task.id}: ${task.note}` : task.id;
    group.append(title, svg('rect', { width: NODE.width, height: NODE.height, rx: 6 }));
    const name = svg('text', { x: 8, y: 18, 'font-weight': 600 });
    name.textContent = task.id;
    const sub = svg('text', { x: 8, y: 36, class: 'sub' });
    const tries = task.attempts > 1 ? ` · run ${task.attempts}` : '';
    const cost = task.costUsd > 0 ? ` · ${usd(task.costUsd)}` : '';
    sub.textContent = `${task.status}${tries}${cost}`;
    group.append(name, sub);
    root.append(group);
  }
  const done = run.tasks.filter(
    (t) => !['waiting', 'queued', 'running', 'retrying'].includes(t.status),
  );
  return el(
    'div',
    { class: 'run', 'data-run-id': run.runId, 'data-done': run.done },
    el(
      'div',
      { class: 'run-title' },
      `${run.name ?? run.runId} — ${done.length}/${run.tasks.length} tasks ended${run.done ? ' (run finished)' : ''}`,
    ),
    el('div', { class: 'dag' }, root),
  );
}

function drawRuns() {
  if (view.runs.length === 0) return;
  $('runs').replaceChildren(...[...view.runs].reverse().map(drawRun));
}

/** Text panes are kept (not rebuilt) so a reader's scroll position survives updates. */
function drawTexts() {
  const box = $('texts');
  if (view.texts.length === 0) return;
  box.querySelector('p.muted')?.remove();
  const wanted = new Set(view.texts.map((t) => t.queryId));
  for (const pane of [...box.querySelectorAll('.text')]) {
    if (!wanted.has(pane.dataset.queryId)) pane.remove();
  }
  for (const text of view.texts) {
    let pane = [...box.querySelectorAll('.text')].find((p) => p.dataset.queryId === text.queryId);
    if (!pane) {
      pane = el('div', { class: 'text', 'data-query-id': text.queryId }, el('header'), el('pre'));
      box.prepend(pane);
    }
    pane.dataset.done = String(text.done);
    if (text.taskId) pane.dataset.taskId = text.taskId;
    const label = text.taskId ? `task ${text.taskId}` : `query ${text.queryId.slice(0, 8)}`;
    const dropped =
      text.droppedChars > 0 ? ` · ${count(text.droppedChars)} earlier chars dropped` : '';
    pane.querySelector('header').textContent = `${label}${dropped}`;
    const pre = pane.querySelector('pre');
    if (pre.textContent !== text.text) {
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.textContent = text.text;
      if (atEnd) pre.scrollTop = pre.scrollHeight;
    }
  }
}

function treeNode(node) {
  const label = el(
    'span',
    { class: 'node-label' },
    el('span', { class: 'dot' }),
    el('strong', {}, node.id),
    el('span', { class: 'kind' }, node.kind),
    el('span', { class: 'status' }, node.status),
  );
  const state = stateText(node.state);
  if (state) label.append(el('span', { class: 'state' }, state));
  if (node.restarts > 0) label.append(el('span', { class: 'restarts' }, `↻ ${node.restarts}`));
  const item = el(
    'li',
    {
      'data-node-id': node.id,
      'data-actor-id': node.actorId,
      'data-status': node.status,
      'data-restarts': node.restarts,
    },
    label,
  );
  if (node.children?.length) item.append(el('ul', {}, ...node.children.map(treeNode)));
  return item;
}

function drawTree() {
  if (!view.tree) return;
  $('tree').replaceChildren(el('div', { class: 'tree' }, el('ul', {}, treeNode(view.tree))));
}

function drawErrors() {
  if (view.errors.length === 0) return;
  const items = [...view.errors]
    .reverse()
    .map((error) =>
      el(
        'li',
        { 'data-seq': error.seq },
        el('time', {}, new Date(error.at).toLocaleTimeString()),
        el('span', { class: 'source' }, error.source),
        el('span', { class: 'message' }, error.message),
      ),
    );
  const dropped =
    view.errorsDropped + Math.max(0, lastErrorSeq - view.errorsDropped - view.errors.length);
  const parts = [el('ul', { class: 'errors' }, ...items)];
  if (dropped > 0) parts.push(el('p', { class: 'muted' }, `${dropped} older errors dropped`));
  $('errors').replaceChildren(...parts);
}

function draw() {
  drawScheduled = false;
  drawSummary();
  drawRuns();
  drawTexts();
  drawTree();
  drawErrors();
  $('metrics-link').hidden = !view.metrics;
  $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

function scheduleDraw() {
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(draw);
}

function connect() {
  const source = new EventSource('/events');
  const status = $('connection');
  source.addEventListener('open', () => {
    status.dataset.state = 'live';
    status.textContent = 'live';
  });
  source.addEventListener('error', () => {
    status.dataset.state = 'reconnecting';
    status.textContent = 'reconnecting…';
  });
  source.addEventListener('snapshot', (event) => {
    view = JSON.parse(event.data);
    lastErrorSeq = view.errors.at(-1)?.seq ?? 0;
    // A reconnect after being cut off starts again from the whole state.
    $('texts').replaceChildren();
    scheduleDraw();
  });
  source.addEventListener('updates', (event) => {
    if (!view) return;
    for (const update of JSON.parse(event.data)) apply(update);
    scheduleDraw();
  });
}

connect();
