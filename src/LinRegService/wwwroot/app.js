// The dashboard: plain JavaScript over the public HTTP API (no build step, nothing from outside).
'use strict';

(() => {
  // The two runs of the book, as the OpenAPI examples "book" and "seed" have them.
  const RUNS = {
    book: {
      dataset: { weights: [2, -3.4], bias: 4.2, examples: 1000, noiseStd: 0.01, featureStd: 1, seed: 42 },
      training: { learningRate: 0.03, batchSize: 10, epochs: 3, initStd: 0.01, seed: 7 },
    },
    seed: {
      dataset: { weights: [2, -3.4], bias: 4.2, examples: 1000, noiseStd: 0.01, featureStd: 0.1, seed: null },
      training: { learningRate: 0.03, batchSize: 10, epochs: 3, initStd: 0.1, seed: null },
    },
  };
  const FINAL = new Set(['succeeded', 'failed', 'canceled']);
  const LIST_REFRESH_MS = 2000;
  const PLOT_REFRESH_MS = 300; // at most this often while epochs stream in
  const MAX_PARAMETER_ROWS = 32;
  const PREFILLED_PREDICT_ROWS = 2;
  // What the plot endpoints accept; the page asks for the width its column has.
  const PLOT = { minWidth: 200, maxWidth: 2000, minHeight: 300, maxHeight: 1500, aspect: 0.6 };

  const KEY_STORAGE = 'linreg-api-key';

  const $ = (id) => document.getElementById(id);
  const form = $('job-form');
  let current = null; // the job on view: { id, base, source, job, samples, plotTimer, lastPlot, epochs, plotSize }
  let listed = null; // the last page of recent jobs, as the API answered it (null until it has)

  // ---- formatting ----
  /** Every number the page shows (losses, weights, errors, predictions): four decimals, or four digits with an exponent when tiny or huge. */
  const number = (value) => {
    if (value === null || value === undefined) return '—';
    if (!Number.isFinite(value)) return String(value);
    if (value === 0) return '0';
    const size = Math.abs(value);
    return size < 0.01 || size >= 1e5 ? value.toExponential(3) : value.toFixed(4);
  };
  /** A job's features: its true weights', or on a stored dataset (dataset.id, no truth) its learned weights' or samples'. */
  const featureCount = (job) => job.request.dataset.weights?.length ?? job.result?.weights.length ?? job.samples?.features[0]?.length ?? 1;
  const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
  const element = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };

  // ---- the API key: from the start-up link's #key= or the prompt, kept for this tab, sent as a header, never in a URL ----
  let apiKey = sessionStorage.getItem(KEY_STORAGE);

  /** The start-up link carries the key in the fragment (never sent to the server); take it and drop it from the address and history. */
  function takeKeyFromAddress() {
    const match = /^#key=([^&]+)$/.exec(location.hash);
    if (!match) return;
    useKey(decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }

  function useKey(key) {
    apiKey = key.trim() || null;
    if (apiKey) sessionStorage.setItem(KEY_STORAGE, apiKey);
    else sessionStorage.removeItem(KEY_STORAGE);
    $('forget-key').hidden = !apiKey;
  }

  /** fetch with the key as a Bearer header; a 401 asks for a key (the caller still gets the answer). */
  async function api(path, options = {}) {
    const headers = { Accept: 'application/json', ...options.headers };
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401) askForKey(await readProblem(response.clone()));
    return response;
  }

  function askForKey(problem) {
    const prompt = $('key-prompt');
    $('key-refused').textContent = apiKey ? `That key was refused: ${problem.detail ?? problem.title}` : '';
    $('key-refused').hidden = !apiKey;
    if (!prompt.hidden) return;
    prompt.hidden = false;
    $('key-input').value = '';
    $('key-input').focus();
  }

  function submitKey(event) {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) return;
    useKey(key);
    $('key-prompt').hidden = true;
    refreshList();
    refreshSweepList();
    if (current) openJob(current.id); // read again what the missing key kept from view
    if (sweep) openSweep(sweep.id);
  }

  function forgetKey() {
    useKey('');
    location.reload();
  }

  // ---- problems (RFC 9457) ----
  async function readProblem(response) {
    try {
      return await response.json();
    } catch {
      return { title: response.statusText };
    }
  }

  /** A problem as a box shows it: status and title, the detail, and the messages given (field errors are shown where they belong). */
  function showProblem(box, problem, status, messages = []) {
    box.replaceChildren(element('strong', { textContent: `${status}: ${problem.title ?? 'The request failed'}` }));
    if (problem.detail && !isJargon(problem.detail)) box.append(element('p', { textContent: problem.detail }));
    if (messages.length > 0) box.append(element('ul', {}, ...messages.map((text) => element('li', { textContent: text }))));
    box.hidden = false;
  }

  function hideProblem(box) {
    box.hidden = true;
    box.replaceChildren();
  }

  /** A message written for the JSON reader (paths, positions, type names) rather than for the person at the form. */
  const isJargon = (message) => /JSON|\$\.|\bline \d+, byte\b|System\.|could not be converted/i.test(message);

  // ---- the form ----
  function fill(run) {
    for (const [section, fields] of Object.entries(run)) {
      for (const [key, value] of Object.entries(fields)) {
        const input = form.elements[`${section}.${key}`];
        if (input) input.value = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
    }
    clearFormProblem();
  }

  /** The request the form describes; empty fields are left out, so the server's defaults apply. */
  function readForm() {
    const request = {};
    for (const input of form.querySelectorAll('input[name]')) {
      const text = input.value.trim();
      if (text === '') continue;
      const [section, key] = input.name.split('.');
      const value = key === 'weights'
        ? text.split(',').map((part) => Number(part.trim()))
        : Number(text);
      (request[section] ??= {})[key] = value;
    }
    return request;
  }

  function clearFormProblem() {
    hideProblem($('form-error'));
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const note of form.querySelectorAll('.field-error')) note.remove();
  }

  /** What the field is called on the page: its label's text ("batch size"). */
  const labelOf = (input) => input.closest('label')?.firstChild?.textContent.trim() ?? input.name;

  /** A server message for a field, in the page's words when the server's are the JSON reader's. */
  function readable(field, message, input) {
    if (!isJargon(message)) {
      // "training.batchSize must be…" or "batchSize must be…" reads as the label says it: "batch size must be…".
      const key = field.split('.').at(-1);
      for (const name of [field, key]) {
        if (message.startsWith(`${name} `)) return labelOf(input) + message.slice(name.length);
      }
      return message;
    }
    const index = /\[(\d+)\]$/.exec(field);
    if (input.name === 'dataset.weights') {
      return index ? `Weight ${Number(index[1]) + 1} is not a number.` : 'Give numbers separated by commas.';
    }
    return input.step === '1' ? `${labelOf(input)} must be a whole number.` : `${labelOf(input)} must be a number.`;
  }

  /** A 400 from the submission: each message beside its field; what names no field goes in the box. */
  function showFormProblem(problem, status) {
    const unplaced = [];
    for (const [field, messages] of Object.entries(problem.errors ?? {})) {
      const name = field.replace(/^\$\./, '').replace(/\[\d+\]$/, '');
      const input = form.elements[name];
      if (!(input instanceof HTMLInputElement)) {
        unplaced.push(...[].concat(messages).map((message) => `${field}: ${message}`));
        continue;
      }
      const id = `${name.replace('.', '-')}-error`;
      const note = $(id) ?? element('span', { id, className: 'field-error' });
      note.textContent = [note.textContent, ...[].concat(messages).map((m) => readable(field, m, input))].filter(Boolean).join(' ');
      input.after(note);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
    }
    const placed = form.querySelectorAll('.field-error').length > 0;
    const box = $('form-error');
    showProblem(box, placed ? { title: 'The job was not submitted' } : problem, status, unplaced);
    if (placed) box.append(element('p', { textContent: 'See the message beside each marked field.' }));
  }

  async function submit(event) {
    event.preventDefault();
    clearFormProblem();
    const button = $('submit-job');
    button.disabled = true;
    try {
      const response = await api('/api/jobs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(readForm()),
      });
      if (response.status === 202) {
        const job = await response.json();
        viewJob(job.id);
        refreshList();
      } else if (response.status !== 401) { // a 401 asked for a key instead
        showFormProblem(await readProblem(response), response.status);
      }
    } catch (error) {
      showProblem($('form-error'), { title: 'The service did not answer', detail: String(error) }, 'network');
    } finally {
      button.disabled = false;
    }
  }

  // ---- recent jobs ----
  async function refreshList() {
    if (!$('key-prompt').hidden) return; // nothing to list until a key is given
    try {
      const response = await api('/api/jobs?limit=15');
      if (response.status === 401) return;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      listed = (await response.json()).items;
      renderList();
      $('list-error').textContent = '';
    } catch (error) {
      $('list-error').textContent = `Could not list the jobs: ${error.message}`;
    }
  }

  /** The job on view is shown with what its event stream last said, so the row and the view never disagree. */
  function renderList() {
    if (listed === null) return; // still "Loading…"
    const rows = listed.map((item) => {
      const live = current?.job && current.id === item.id;
      const status = live ? current.job.status : item.status;
      const progress = live ? `${current.epochs} / ${current.job.progress.epochs}` : `${item.progress.epoch} / ${item.progress.epochs}`;
      const open = element('button', { type: 'button', className: 'link', textContent: item.id.slice(-8), title: item.id });
      open.addEventListener('click', () => viewJob(item.id));
      const row = element('tr', {},
        element('td', {}, open),
        element('td', {}, element('span', { className: `status ${status}`, textContent: status })),
        element('td', { className: 'epochs', textContent: progress }),
        element('td', { textContent: time(item.createdAt) }));
      row.dataset.job = item.id;
      if (current && current.id === item.id) row.className = 'selected';
      return row;
    });
    $('job-list').replaceChildren(...(rows.length > 0 ? rows : [element('tr', {}, element('td', { colSpan: 4, className: 'muted', textContent: 'No jobs yet: submit one.' }))]));
  }

  // ---- which job is on view: the address says, so Back walks back through the jobs viewed ----
  function jobInAddress() {
    const match = /^#job=([^&]+)$/.exec(location.hash);
    if (!match) return null;
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  }

  /** A job chosen on the page: a history entry of its own, then the view. */
  function viewJob(id) {
    if (jobInAddress() !== id) history.pushState(null, '', `#job=${encodeURIComponent(id)}`);
    followAddress();
  }

  /** Shows the job the address names (Back, Forward, a link, a typed address), or none. */
  function followAddress() {
    takeKeyFromAddress();
    if (location.hash === '#data') {
      closeJob();
      closeSweep();
      showView('data');
      window.LinRegData?.show();
      return;
    }
    const compare = compareInAddress();
    if (compare) {
      closeJob();
      followCompare(compare.id);
      return;
    }
    closeSweep();
    showView('jobs');
    const id = jobInAddress();
    if (id === null) closeJob();
    else if (!current || current.id !== id) openJob(id);
  }

  function closeJob() {
    if (current) {
      current.source?.abort();
      clearTimeout(current.plotTimer);
    }
    current = null;
    $('job-view').hidden = true;
    renderList();
  }

  // ---- one job, live ----
  async function openJob(id) {
    closeJob();
    const base = `/api/jobs/${encodeURIComponent(id)}`;
    const watched = { id, base, source: null, job: null, samples: null, plotTimer: 0, lastPlot: 0, epochs: 0, plotSize: null };
    current = watched;
    $('job-view').hidden = false;
    $('job-id').textContent = id;
    $('job-status').textContent = '…';
    $('job-status').className = 'status';
    hideProblem($('job-error'));
    $('job-details').hidden = true;
    $('job-progress-label').hidden = false;
    $('job-progress').value = 0;
    $('job-progress-text').textContent = '';
    $('cancel-job').hidden = true;
    $('predict').hidden = true;
    $('predict-rows').value = '';
    $('predictions').hidden = true;
    hideProblem($('predict-error'));
    $('weights').tBodies[0].replaceChildren();
    $('feature').replaceChildren();
    renderList();

    // Read the job first: an unknown id is said so, and no stream or plot is asked for.
    let response;
    try {
      response = await api(base);
    } catch (error) {
      if (watched === current) showProblem($('job-error'), { title: 'The service did not answer', detail: String(error) }, 'network');
      return;
    }
    if (watched !== current) return;
    if (response.status === 404) {
      showMissing(id);
      return;
    }
    if (response.status === 401) {
      $('job-status').textContent = 'needs an API key';
      return;
    }
    if (!response.ok) {
      showProblem($('job-error'), await readProblem(response), response.status);
      return;
    }
    const job = await response.json();
    if (watched !== current) return;
    watched.samples = job.samples;
    $('job-links').replaceChildren('Raw: ',
      rawLink(base, 'job JSON'), ' · ',
      rawLink(`${base}/events`, 'event stream'), ' · ',
      rawLink(`${base}/plots/loss.svg`, 'loss.svg'), ' · ',
      rawLink(`${base}/plots/data.svg`, 'data.svg'));
    $('job-details').hidden = false;
    onStatus(job);
    if (!FINAL.has(job.status)) watch(watched);
  }

  function showMissing(id) {
    $('job-status').textContent = 'not found';
    $('job-status').className = 'status missing';
    $('job-progress-label').hidden = true;
    $('job-error').replaceChildren(element('strong', { textContent: 'Job not found' }),
      element('p', { textContent: `No job has the id “${id}”: it never existed, or it finished long enough ago to be deleted.` }));
    $('job-error').hidden = false;
  }

  /**
   * Follows the job's event stream until it is done. fetch, not EventSource: EventSource cannot send
   * the Authorization header, and the key must never go in the URL.
   */
  async function watch(watched) {
    const controller = new AbortController();
    watched.source = controller;
    const handlers = {
      status: (data) => watched === current && onStatus(JSON.parse(data)),
      epoch: (data) => watched === current && onEpoch(JSON.parse(data)),
      done: () => watched === current && refreshList(),
    };
    let done = false;
    try {
      const response = await api(`${watched.base}/events`, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      for await (const { name, data } of serverSentEvents(response.body)) {
        handlers[name]?.(data);
        done ||= name === 'done';
      }
    } catch (error) {
      if (controller.signal.aborted) return; // another job was opened
    }
    if (!done && watched === current) {
      $('job-error').textContent = 'The event stream closed; reload to watch this job again.';
      $('job-error').hidden = false;
    }
  }

  /** The events of a text/event-stream body (https://html.spec.whatwg.org/multipage/server-sent-events.html), comments skipped. */
  async function* serverSentEvents(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { name, data: data.join('\n') };
          name = 'message';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = text;
        else if (field === 'data') data.push(text);
      }
    }
  }

  function onStatus(job) {
    const first = current.job === null;
    current.job = job;
    current.epochs = job.progress.epoch;
    $('job-status').textContent = job.status;
    $('job-status').className = `status ${job.status}`;
    showProgress(job.progress.epoch, job.progress.epochs, job.epochLosses.at(-1));
    $('cancel-job').hidden = FINAL.has(job.status) || job.status === 'canceling';
    if (job.error) {
      $('job-error').textContent = `Failed: ${job.error.message}`;
      $('job-error').hidden = false;
    }
    if (first) fillFeatures(featureCount(job));
    showParameters(job);
    showPredict(job);
    renderList();
    refreshPlots(true);
  }

  function onEpoch(epoch) {
    current.epochs = epoch.epoch;
    showProgress(epoch.epoch, current.job?.progress.epochs ?? epoch.epoch, epoch.loss);
    renderList();
    refreshPlots(false);
  }

  function showProgress(done, all, lastLoss) {
    $('job-progress').max = Math.max(all, 1);
    $('job-progress').value = done;
    $('job-progress-text').textContent = `${done} of ${all}` + (lastLoss !== undefined ? `, loss ${number(lastLoss)}` : '');
  }

  function fillFeatures(count) {
    const select = $('feature');
    for (let k = 0; k < count; k++) select.append(element('option', { value: String(k), textContent: `x[${k}]` }));
    select.value = String(Math.min(1, count - 1)); // the seed's plot shows the second feature
  }

  // ---- plots, drawn by the server at the size the page shows them ----
  const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

  /** The figure's width in CSS pixels (in steps of 10, so a small resize asks for nothing new) and a height that keeps text readable. */
  function plotSize() {
    const figure = $('loss-plot').parentElement;
    const width = clamp(Math.floor(figure.clientWidth / 10) * 10, PLOT.minWidth, PLOT.maxWidth);
    return { width, height: clamp(Math.round(width * PLOT.aspect), PLOT.minHeight, PLOT.maxHeight) };
  }

  /** The loss plot follows the epochs (throttled); the data plot changes only when the result arrives. */
  function refreshPlots(withData) {
    const draw = () => {
      current.lastPlot = Date.now();
      const size = plotSize();
      current.plotSize = size;
      const query = `width=${size.width}&height=${size.height}&v=${current.job?.status}-${current.job?.attempts}-${current.epochs}`;
      setPlot($('loss-plot'), `${current.base}/plots/loss.svg?${query}`, size);
      if (withData) setPlot($('data-plot'), `${current.base}/plots/data.svg?feature=${$('feature').value}&${query}`, size);
    };
    clearTimeout(current.plotTimer);
    const wait = PLOT_REFRESH_MS - (Date.now() - current.lastPlot);
    if (withData || wait <= 0) draw();
    else current.plotTimer = setTimeout(draw, wait);
  }

  /**
   * Without a key the <img> loads the plot itself; with one, since an <img> cannot send it, the picture is
   * fetched with the key and shown from a blob: URL (let go once shown). data-src names the plot either way.
   */
  async function setPlot(img, src, size) {
    img.dataset.src = src;
    if (!apiKey) {
      img.width = size.width;
      img.height = size.height;
      img.src = src;
      return;
    }
    const response = await api(src, { headers: { Accept: 'image/svg+xml' } });
    if (!response.ok || img.dataset.src !== src) return; // a newer picture was asked for meanwhile
    const url = URL.createObjectURL(await response.blob());
    img.width = size.width;
    img.height = size.height;
    img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    img.src = url;
  }

  /** A raw-answer link; with a key, it opens what a fetch with the key answered, since a link cannot send it. */
  function rawLink(href, text) {
    const link = element('a', { href, textContent: text, target: '_blank' });
    link.addEventListener('click', async (event) => {
      if (!apiKey) return; // without keys the plain link works
      event.preventDefault();
      const tab = window.open('', '_blank');
      const response = await api(href);
      const url = URL.createObjectURL(await response.blob());
      if (tab) tab.location.href = url;
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
    return link;
  }

  let resizeTimer = 0;
  function onResize() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (sweep?.data) refreshSweepPlots(true);
      if (!current?.job || !current.plotSize) return;
      const size = plotSize();
      if (size.width !== current.plotSize.width) refreshPlots(true);
    }, 200);
  }

  // ---- learned parameters ----
  function showParameters(job) {
    const truth = job.request.dataset;
    const result = job.result;
    const rows = [];
    const features = featureCount(job);
    const count = Math.min(features, MAX_PARAMETER_ROWS);
    // A stored dataset has no truth: its true values and errors show as '—'.
    for (let k = 0; k < count; k++) {
      rows.push(parameterRow(`w${k}`, `w[${k}]`, truth.weights?.[k], result?.weights[k], result?.closedForm?.weights[k], result?.weightError?.[k]));
    }
    rows.push(parameterRow('b', 'b', truth.bias, result?.bias, result?.closedForm?.bias, result?.biasError));
    if (features > count) {
      rows.push(element('tr', {}, element('td', { colSpan: 5, className: 'muted', textContent: `… and ${features - count} more weights in the job JSON` })));
    }
    $('weights').tBodies[0].replaceChildren(...rows);
  }

  function parameterRow(key, label, truth, learned, optimum, error) {
    const row = element('tr', {},
      element('th', { scope: 'row', textContent: label }),
      element('td', { className: 'true', textContent: number(truth) }),
      element('td', { className: 'learned', textContent: number(learned) }),
      element('td', { className: 'closed-form', textContent: number(optimum) }),
      element('td', { className: 'error', textContent: number(error) }));
    row.dataset.param = key;
    return row;
  }

  // ---- predict ----
  /** The box appears once the job has a model; it starts with the dataset's first rows, whose labels the predictions should be near. */
  function showPredict(job) {
    const ready = job.status === 'succeeded' && job.result !== null;
    const box = $('predict');
    if (!ready || !box.hidden) {
      box.hidden = !ready;
      return;
    }
    const width = job.result.weights.length;
    $('predict-width').textContent = `${plural(width, 'value')} each,`;
    const rows = (current.samples?.features ?? []).slice(0, PREFILLED_PREDICT_ROWS);
    $('predict-rows').value = rows.map((row) => row.map(number).join(', ')).join('\n');
    $('predict-rows').placeholder = Array.from({ length: Math.min(width, 4) }, (_, k) => (k + 1) / 2).join(', ') + (width > 4 ? ', …' : '');
    box.hidden = false;
  }

  /** The textarea's rows: each non-empty line a row, with the line it came from; a value that is not a number is named by its line. */
  function readPredictRows() {
    const rows = [];
    const errors = [];
    $('predict-rows').value.split('\n').forEach((text, index) => {
      const parts = text.trim().split(/[\s,;]+/).filter((part) => part !== '');
      if (parts.length === 0) return;
      const values = parts.map(Number);
      const bad = parts.find((part, k) => !Number.isFinite(values[k]));
      if (bad !== undefined) errors.push(`Line ${index + 1}: “${bad}” is not a number.`);
      rows.push({ line: index + 1, values });
    });
    if (rows.length === 0 && errors.length === 0) errors.push('Enter at least one row of features.');
    return { rows, errors };
  }

  async function predict(event) {
    event.preventDefault();
    if (!current?.job) return;
    const watched = current;
    const box = $('predict-error');
    hideProblem(box);
    $('predictions').hidden = true;
    const { rows, errors } = readPredictRows();
    if (errors.length > 0) {
      showProblem(box, { title: 'Not sent' }, 'check the rows', errors);
      return;
    }
    const button = $('predict-submit');
    button.disabled = true;
    try {
      const response = await api(`${watched.base}/predict`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ features: rows.map((row) => row.values) }),
      });
      if (watched !== current) return;
      if (response.ok) {
        showPredictions(rows, (await response.json()).predictions);
      } else {
        const problem = await readProblem(response);
        showProblem(box, problem, response.status, rowMessages(problem, rows));
      }
    } catch (error) {
      showProblem(box, { title: 'The service did not answer', detail: String(error) }, 'network');
    } finally {
      button.disabled = false;
    }
  }

  /** The server names rows as features[i]; the page says which line of the box that is. */
  function rowMessages(problem, rows) {
    return Object.entries(problem.errors ?? {}).map(([field, messages]) => {
      const text = [].concat(messages).join(' ');
      const index = /^features\[(\d+)\]/.exec(field);
      const row = index ? rows[Number(index[1])] : undefined;
      if (row) return `Line ${row.line}: ${isJargon(text) ? 'this row could not be read as numbers.' : text}`;
      return isJargon(text) ? 'The rows could not be read as numbers.' : text;
    });
  }

  function showPredictions(rows, predictions) {
    const body = predictions.map((value, i) => element('tr', {},
      element('td', { textContent: String(rows[i].line) }),
      element('td', { className: 'features', textContent: rows[i].values.map(number).join(', ') }),
      element('td', { className: 'prediction', textContent: number(value) })));
    $('predictions').tBodies[0].replaceChildren(...body);
    $('predictions').hidden = false;
  }

  async function cancelJob() {
    if (!current) return;
    const response = await api(`${current.base}/cancel`, { method: 'POST' });
    if (!response.ok) showProblem($('job-error'), await readProblem(response), response.status);
  }

  // ---- compare: a sweep (a grid of jobs on the same data), its curves on one plot, its jobs in a table ----
  /** The fields a grid may vary (the service takes any dataset or training field but a warm start). */
  const SWEEPABLE = [
    'training.learningRate', 'training.batchSize', 'training.epochs', 'training.initStd', 'training.seed',
    'training.loss', 'training.huberDelta', 'training.shuffle', 'training.schedule',
    'dataset.seed', 'dataset.examples', 'dataset.noiseStd', 'dataset.featureStd', 'dataset.bias',
    'dataset.order', 'dataset.outliers',
  ];
  /** One preset per exercise of the chapter; the note says what the plot should show. */
  const PRESETS = [
    {
      id: 'exercise-1', label: 'Exercise 1: initialization',
      base: {}, grid: { 'training.initStd': [0, 0.01, 31.6] },
      note: 'Weights that start at exactly zero learn as well as a small random start, since the loss is convex; a spread of 31.6 (a variance of 1000) starts far away and needs more epochs to come down, if it does not blow up.',
    },
    {
      id: 'exercise-6', label: 'Exercise 6: learning rate',
      base: {}, grid: { 'training.learningRate': [0.001, 0.01, 0.03, 0.1, 0.3, 1, 3], 'training.epochs': [3, 10] },
      note: 'The largest rates overshoot and diverge, the smallest hardly leave their starting loss in three epochs, and a wide band in between reaches the noise floor.',
    },
    {
      id: 'exercise-7', label: 'Exercise 7: the last minibatch',
      base: { dataset: { examples: 1000 } }, grid: { 'training.batchSize': [7, 10, 64, 300, 1000] },
      note: 'The leftover batch at the end of an epoch is averaged over its own rows, so every batch size still converges; big batches only take fewer steps per epoch, so they come down more slowly.',
    },
    {
      id: 'exercise-8', label: 'Exercise 8: loss functions and an outlier',
      base: { dataset: { outliers: { rows: [5], label: 10000 } } }, grid: { 'training.loss': ['squared', 'absolute', 'huber'] },
      note: 'One label set to 10,000 drags the squared-loss fit away from the true weights, while the absolute and Huber losses barely notice it.',
    },
    {
      id: 'exercise-9', label: 'Exercise 9: why shuffle',
      base: { dataset: { order: 'sortedByLabel' }, training: { epochs: 1 } }, grid: { 'training.shuffle': [true, false] },
      note: 'A single pass over the rows in label order, never shuffled, leaves the model fitted to the last rows it saw and far from the optimum the shuffled run reaches.',
    },
  ];
  const SWEEP_FINAL = new Set(['finished', 'canceled']);
  const SWEEP_PLOT = { minWidth: 200, maxWidth: 2000, minHeight: 300, maxHeight: 1500, aspect: 0.56 };
  const SWEEP_PLOT_REFRESH_MS = 500;
  const SWEEP_POLL_MS = 1000;

  let sweep = null; // the sweep on view: { id, base, data, source, pollTimer, plotTimer, lastPlot, epochs, sort }
  let sweepsListed = null;

  /** The address names the view: #compare (the form) or #sweep=<id> (a sweep on view); anything else is the jobs view. */
  function compareInAddress() {
    if (location.hash === '#compare') return { id: null };
    const match = /^#sweep=([^&]+)$/.exec(location.hash);
    if (!match) return null;
    try {
      return { id: decodeURIComponent(match[1]) };
    } catch {
      return { id: match[1] };
    }
  }

  function showView(name) {
    $('jobs-page').hidden = name !== 'jobs';
    $('compare-page').hidden = name !== 'compare';
    $('data-page').hidden = name !== 'data';
    for (const [link, on] of [[$('nav-jobs'), name === 'jobs'], [$('nav-compare'), name === 'compare'], [$('nav-data'), name === 'data']]) {
      if (on) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  /** Shows the compare view and the sweep the address names, if any. */
  function followCompare(id) {
    showView('compare');
    if (sweepsListed === null) refreshSweepList();
    if (id === null) closeSweep();
    else if (!sweep || sweep.id !== id) openSweep(id);
  }

  function viewSweep(id) {
    if (compareInAddress()?.id !== id) history.pushState(null, '', `#sweep=${encodeURIComponent(id)}`);
    followAddress();
  }

  // -- the form --
  /** A grid value as typed: JSON when it reads as JSON (numbers, true, "a"), else the text itself (squared). */
  const gridValue = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  const gridText = (values) => (values.some((v) => v !== null && typeof v === 'object')
    ? JSON.stringify(values)
    : values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', '));

  function addGridRow(field = 'training.learningRate', values = '') {
    const select = element('select', { className: 'grid-field', ariaLabel: 'grid field' },
      ...SWEEPABLE.map((name) => element('option', { value: name, textContent: name })));
    if (!SWEEPABLE.includes(field)) select.append(element('option', { value: field, textContent: field }));
    select.value = field;
    const input = element('input', { className: 'grid-values', value: values, ariaLabel: 'values', spellcheck: false, autocomplete: 'off' });
    const remove = element('button', { type: 'button', className: 'remove', textContent: '×', title: 'Remove this field', ariaLabel: 'remove this field' });
    const row = element('div', { className: 'grid-row' }, select, input, remove);
    remove.addEventListener('click', () => {
      row.remove();
      showSweepSize();
    });
    select.addEventListener('change', showSweepSize);
    input.addEventListener('input', showSweepSize);
    $('grid-rows').append(row);
    showSweepSize();
    return row;
  }

  function applyPreset() {
    const preset = PRESETS.find((p) => p.id === $('preset').value);
    $('preset-note').textContent = preset?.note ?? '';
    if (!preset) return;
    $('grid-rows').replaceChildren();
    for (const [field, values] of Object.entries(preset.grid)) addGridRow(field, gridText(values));
    $('sweep-base').value = JSON.stringify(preset.base, null, 1).replace(/\n\s*/g, ' ');
    clearSweepFormProblem();
    showSweepSize();
  }

  /** The grid the rows describe, with a problem for each row that cannot be read. */
  function readGrid() {
    const grid = {};
    const errors = [];
    for (const row of $('grid-rows').querySelectorAll('.grid-row')) {
      const field = row.querySelector('.grid-field').value;
      const text = row.querySelector('.grid-values').value.trim();
      if (text === '') {
        errors.push(`${field}: give at least one value.`);
        continue;
      }
      let values;
      if (text.startsWith('[')) {
        try {
          values = JSON.parse(text);
        } catch {
          errors.push(`${field}: “${text}” is not a JSON array.`);
          continue;
        }
      } else {
        values = text.split(',').map((part) => part.trim()).filter((part) => part !== '').map(gridValue);
      }
      if (field in grid) errors.push(`${field} is in the grid twice.`);
      grid[field] = values;
    }
    if (Object.keys(grid).length === 0 && errors.length === 0) errors.push('Add at least one field to the grid.');
    return { grid, errors };
  }

  function showSweepSize() {
    const { grid } = readGrid();
    const sizes = Object.values(grid).map((values) => (Array.isArray(values) ? values.length : 0));
    $('sweep-size').textContent = sizes.length > 0 ? plural(sizes.reduce((a, b) => a * b, 1), 'job') : '';
  }

  function clearSweepFormProblem() {
    hideProblem($('sweep-form-error'));
    for (const input of $('sweep-form').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  /** A refused sweep: each message in the box, the row of a grid field named by one marked. */
  function showSweepFormProblem(problem, status) {
    const messages = [];
    for (const [field, texts] of Object.entries(problem.errors ?? {})) {
      const text = [].concat(texts).join(' ');
      const path = /^grid\.([^[]+)/.exec(field)?.[1];
      const row = path && [...$('grid-rows').querySelectorAll('.grid-row')].find((r) => r.querySelector('.grid-field').value === path);
      row?.querySelector('.grid-values').setAttribute('aria-invalid', 'true');
      if (field.startsWith('base') || field.startsWith('$')) $('sweep-base').setAttribute('aria-invalid', 'true');
      messages.push(isJargon(text) ? `${field}: this value could not be read.` : `${field}: ${text}`);
    }
    showProblem($('sweep-form-error'), messages.length > 0 ? { title: 'The sweep was not submitted' } : problem, status, messages);
  }

  async function submitSweep(event) {
    event.preventDefault();
    clearSweepFormProblem();
    const { grid, errors } = readGrid();
    let base;
    try {
      const text = $('sweep-base').value.trim();
      base = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      errors.push(`Base run: not JSON (${error.message}).`);
      $('sweep-base').setAttribute('aria-invalid', 'true');
    }
    if (errors.length > 0) {
      showProblem($('sweep-form-error'), { title: 'Not sent' }, 'check the form', errors);
      return;
    }
    const button = $('submit-sweep');
    button.disabled = true;
    try {
      const response = await api('/api/sweeps', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ base, grid }),
      });
      if (response.status === 202) {
        const created = await response.json();
        viewSweep(created.id);
        refreshSweepList();
      } else if (response.status !== 401) {
        showSweepFormProblem(await readProblem(response), response.status);
      }
    } catch (error) {
      showProblem($('sweep-form-error'), { title: 'The service did not answer', detail: String(error) }, 'network');
    } finally {
      button.disabled = false;
    }
  }

  // -- recent sweeps --
  async function refreshSweepList() {
    if (!$('key-prompt').hidden || $('compare-page').hidden) return;
    try {
      const response = await api('/api/sweeps?limit=10');
      if (response.status === 401) return;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      sweepsListed = (await response.json()).items;
      renderSweepList();
      $('sweep-list-error').textContent = '';
    } catch (error) {
      $('sweep-list-error').textContent = `Could not list the sweeps: ${error.message}`;
    }
  }

  function renderSweepList() {
    if (sweepsListed === null) return;
    const rows = sweepsListed.map((item) => {
      const live = sweep?.data && sweep.id === item.id ? sweep.data : item;
      const open = element('button', { type: 'button', className: 'link', textContent: item.id.slice(-8), title: item.id });
      open.addEventListener('click', () => viewSweep(item.id));
      const row = element('tr', {},
        element('td', {}, open),
        element('td', {}, element('span', { className: `status ${live.status}`, textContent: live.status })),
        element('td', { className: 'epochs', textContent: `${ended(live.progress)} / ${live.progress.total}` }),
        element('td', { textContent: time(item.createdAt) }));
      if (sweep && sweep.id === item.id) row.className = 'selected';
      return row;
    });
    $('sweep-list').replaceChildren(...(rows.length > 0 ? rows : [element('tr', {}, element('td', { colSpan: 4, className: 'muted', textContent: 'No sweeps yet: run one.' }))]));
  }

  const ended = (progress) => progress.succeeded + progress.failed + progress.canceled;

  // -- one sweep, live --
  function closeSweep() {
    if (sweep) {
      sweep.source?.abort();
      clearTimeout(sweep.pollTimer);
      clearTimeout(sweep.plotTimer);
    }
    sweep = null;
    $('sweep-view').hidden = true;
    renderSweepList();
  }

  async function openSweep(id) {
    closeSweep();
    const base = `/api/sweeps/${encodeURIComponent(id)}`;
    const watched = { id, base, data: null, source: null, pollTimer: 0, plotTimer: 0, lastPlot: 0, epochs: 0, sort: null };
    sweep = watched;
    $('sweep-view').hidden = false;
    $('sweep-id').textContent = id;
    $('sweep-status').textContent = '…';
    $('sweep-status').className = 'status';
    hideProblem($('sweep-error'));
    $('sweep-details').hidden = true;
    $('sweep-progress-label').hidden = false;
    $('cancel-sweep').hidden = true;
    $('final-x').replaceChildren();
    renderSweepList();

    let response;
    try {
      response = await api(base);
    } catch (error) {
      if (watched === sweep) showProblem($('sweep-error'), { title: 'The service did not answer', detail: String(error) }, 'network');
      return;
    }
    if (watched !== sweep) return;
    if (response.status === 404) {
      $('sweep-status').textContent = 'not found';
      $('sweep-status').className = 'status missing';
      $('sweep-progress-label').hidden = true;
      $('sweep-error').replaceChildren(element('strong', { textContent: 'Sweep not found' }),
        element('p', { textContent: `No sweep has the id “${id}”: it never existed, or it was deleted.` }));
      $('sweep-error').hidden = false;
      return;
    }
    if (response.status === 401) {
      $('sweep-status').textContent = 'needs an API key';
      return;
    }
    if (!response.ok) {
      showProblem($('sweep-error'), await readProblem(response), response.status);
      return;
    }
    const data = await response.json();
    if (watched !== sweep) return;
    const fields = Object.keys(data.request.grid ?? {});
    $('final-x').replaceChildren(...fields.map((field) => element('option', { value: field, textContent: field })));
    // Across loss functions the squared loss is the outlier's; how far the weights landed tells them apart.
    $('final-y').value = fields.includes('training.loss') ? 'weightError' : 'finalSquaredLoss';
    $('sweep-links').replaceChildren('Raw: ',
      rawLink(base, 'sweep JSON'), ' · ',
      rawLink(`${base}/events`, 'event stream'), ' · ',
      rawLink(`${base}/plots/losses.svg`, 'losses.svg'), ' · ',
      rawLink(`${base}/plots/final.svg`, 'final.svg'));
    $('sweep-details').hidden = false;
    onSweep(data);
    if (!SWEEP_FINAL.has(data.status)) watchSweep(watched);
  }

  /** Follows the sweep's event stream (fetch, for the key's header, as for a job); if it breaks off, polls the sweep instead. */
  async function watchSweep(watched) {
    const controller = new AbortController();
    watched.source = controller;
    let done = false;
    try {
      const response = await api(`${watched.base}/events`, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      for await (const { name, data } of serverSentEvents(response.body)) {
        if (watched !== sweep) return;
        if (name === 'sweep') onSweep(JSON.parse(data));
        else if (name === 'epoch') onSweepEpoch(JSON.parse(data));
        else if (name === 'done') done = true;
      }
    } catch {
      if (controller.signal.aborted) return; // another sweep was opened
    }
    if (!done && watched === sweep) pollSweep(watched);
  }

  async function pollSweep(watched) {
    try {
      const response = await api(watched.base);
      if (watched !== sweep) return;
      if (response.ok) onSweep(await response.json());
      else if (response.status === 404) return;
    } catch {
      // the next poll tries again
    }
    if (watched === sweep && !SWEEP_FINAL.has(sweep.data?.status)) watched.pollTimer = setTimeout(() => pollSweep(watched), SWEEP_POLL_MS);
  }

  function onSweep(data) {
    sweep.data = data;
    sweep.epochs = data.jobs.reduce((sum, job) => sum + job.epochsRun, 0);
    $('sweep-status').textContent = data.status;
    $('sweep-status').className = `status sweep-${data.status}`;
    const done = ended(data.progress);
    $('sweep-progress').max = Math.max(data.progress.total, 1);
    $('sweep-progress').value = done;
    $('sweep-progress-text').textContent = `${done} of ${data.progress.total}`
      + (data.progress.failed > 0 ? `, ${data.progress.failed} failed` : '')
      + (data.progress.canceled > 0 ? `, ${data.progress.canceled} canceled` : '');
    $('cancel-sweep').hidden = SWEEP_FINAL.has(data.status);
    renderSweepJobs();
    renderSweepList();
    refreshSweepPlots(true);
    if (SWEEP_FINAL.has(data.status)) refreshSweepList();
  }

  /** An epoch of one job: its row moves at once; the sweep event of its end brings the rest. */
  function onSweepEpoch(epoch) {
    const job = sweep.data?.jobs.find((j) => j.jobId === epoch.jobId);
    if (!job) return;
    job.epochsRun = epoch.epoch;
    job.finalLoss = epoch.loss;
    sweep.epochs += 1;
    renderSweepJobs();
    refreshSweepPlots(false);
  }

  /** Rows of the table in the order asked for: grid order, or by final loss with the jobs that have none (diverged, not started) last either way. */
  function sortedJobs() {
    const jobs = sweep.data.jobs.map((job, index) => ({ job, index }));
    if (!sweep.sort) return jobs;
    const direction = sweep.sort === 'ascending' ? 1 : -1;
    const key = ({ job }) => (job.diverged || !Number.isFinite(job.finalLoss) ? null : job.finalLoss);
    return jobs.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) return (x === null) - (y === null) || a.index - b.index;
      return direction * (x - y) || a.index - b.index;
    });
  }

  function renderSweepJobs() {
    const data = sweep.data;
    const fields = Object.keys(data.request.grid ?? {});
    const sortButton = element('button', {
      type: 'button', className: 'sort', id: 'sort-final-loss',
      textContent: `final loss${sweep.sort === 'ascending' ? ' ▲' : sweep.sort === 'descending' ? ' ▼' : ''}`,
      title: 'Sort by final loss (the jobs without one last)',
    });
    sortButton.addEventListener('click', () => {
      sweep.sort = sweep.sort === 'ascending' ? 'descending' : 'ascending';
      renderSweepJobs();
    });
    const sortHeader = element('th', { scope: 'col', className: 'final-loss' }, sortButton);
    sortHeader.ariaSort = sweep.sort ?? 'none';
    $('sweep-jobs').tHead.rows[0].replaceChildren(
      element('th', { scope: 'col', textContent: '#' }),
      ...fields.map((field) => element('th', { scope: 'col', textContent: field.split('.').at(-1), title: field })),
      element('th', { scope: 'col', textContent: 'status' }),
      element('th', { scope: 'col', textContent: 'epochs run' }),
      sortHeader,
      element('th', { scope: 'col', textContent: 'squared loss' }),
      element('th', { scope: 'col', textContent: '‖w − ŵ‖' }),
      element('th', { scope: 'col', textContent: 'train ms' }));
    const rows = sortedJobs().map(({ job, index }) => {
      const open = element('a', { href: `#job=${encodeURIComponent(job.jobId)}`, textContent: String(index + 1), title: `job ${job.jobId}` });
      const status = element('td', { className: 'job-status' }, element('span', { className: `status ${job.status}`, textContent: job.status }));
      if (job.diverged) status.append(' ', element('span', { className: 'badge diverged', textContent: 'diverged', title: job.error ?? 'training diverged' }));
      else if (job.error) status.title = job.error;
      const row = element('tr', {},
        element('td', {}, open),
        ...fields.map((field) => valueCell(field, job.values[field])),
        status,
        element('td', { className: 'epochs', textContent: String(job.epochsRun) }),
        element('td', { className: 'final-loss', textContent: number(job.finalLoss) }),
        element('td', { className: 'squared-loss', textContent: number(job.finalSquaredLoss) }),
        element('td', { className: 'weight-error', textContent: number(job.weightErrorNorm) }),
        element('td', { className: 'train-ms', textContent: job.trainMs === null || job.trainMs === undefined ? '—' : job.trainMs.toFixed(1) }));
      row.dataset.job = job.jobId;
      row.classList.toggle('diverged', job.diverged);
      row.classList.toggle('best', job.jobId === data.bestJobId);
      if (job.jobId === data.bestJobId) row.cells[0].append(' ★');
      return row;
    });
    $('sweep-jobs').tBodies[0].replaceChildren(...rows);
  }

  const shownValue = (value) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

  /** A grid value's cell, named by its field (data-field) so a row can be found by its values. */
  function valueCell(field, value) {
    const cell = element('td', { className: 'value', textContent: shownValue(value) });
    cell.dataset.field = field;
    return cell;
  }

  function sweepPlotSize() {
    const figure = $('sweep-losses').parentElement;
    const width = clamp(Math.floor(figure.clientWidth / 10) * 10, SWEEP_PLOT.minWidth, SWEEP_PLOT.maxWidth);
    return { width, height: clamp(Math.round(width * SWEEP_PLOT.aspect), SWEEP_PLOT.minHeight, SWEEP_PLOT.maxHeight) };
  }

  /** The losses plot follows the epochs (throttled); the final-loss plot changes when a job ends. */
  function refreshSweepPlots(withFinal) {
    const watched = sweep;
    const draw = () => {
      if (watched !== sweep) return;
      watched.lastPlot = Date.now();
      const size = sweepPlotSize();
      const query = `width=${size.width}&height=${size.height}&v=${watched.data.status}-${ended(watched.data.progress)}-${watched.epochs}`;
      setPlot($('sweep-losses'), `${watched.base}/plots/losses.svg?${query}`, size);
      if (withFinal && $('final-x').value) {
        setPlot($('sweep-final'), `${watched.base}/plots/final.svg?x=${encodeURIComponent($('final-x').value)}&y=${$('final-y').value}&${query}`, size);
      }
    };
    clearTimeout(watched.plotTimer);
    const wait = SWEEP_PLOT_REFRESH_MS - (Date.now() - watched.lastPlot);
    if (withFinal || wait <= 0) draw();
    else watched.plotTimer = setTimeout(draw, wait);
  }

  async function cancelSweep() {
    if (!sweep) return;
    const response = await api(`${sweep.base}/cancel`, { method: 'POST' });
    if (!response.ok) showProblem($('sweep-error'), await readProblem(response), response.status);
  }

  function startCompare() {
    $('preset').append(...PRESETS.map((preset) => element('option', { value: preset.id, textContent: preset.label })));
    $('preset').addEventListener('change', applyPreset);
    $('add-grid-row').addEventListener('click', () => addGridRow(SWEEPABLE.find((f) => !readGrid().grid[f]) ?? SWEEPABLE[0]).querySelector('.grid-values').focus());
    $('sweep-form').addEventListener('submit', submitSweep);
    $('cancel-sweep').addEventListener('click', cancelSweep);
    $('final-x').addEventListener('change', () => sweep?.data && refreshSweepPlots(true));
    $('final-y').addEventListener('change', () => sweep?.data && refreshSweepPlots(true));
    $('sweep-base').value = '{}';
    addGridRow('training.learningRate', '0.01, 0.03, 0.1');
  }

  /** A sweep's base run set from elsewhere (the Data view's "Compare on it"), then the Compare form. */
  function compareWithBase(base) {
    $('preset').value = '';
    $('preset-note').textContent = '';
    $('sweep-base').value = JSON.stringify(base);
    showSweepSize();
    if (location.hash !== '#compare') history.pushState(null, '', '#compare');
    followAddress();
  }

  // What the Data view (datasets.js) uses of this page.
  window.LinRegDashboard = { api, element, number, time, plural, readProblem, showProblem, hideProblem, viewJob, compareWithBase };

  // ---- start ----
  $('key-form').addEventListener('submit', submitKey);
  $('forget-key').addEventListener('click', forgetKey);
  useKey(apiKey ?? '');
  takeKeyFromAddress();
  form.addEventListener('submit', submit);
  $('fill-book').addEventListener('click', () => fill(RUNS.book));
  $('fill-seed').addEventListener('click', () => fill(RUNS.seed));
  $('cancel-job').addEventListener('click', cancelJob);
  $('predict-form').addEventListener('submit', predict);
  $('feature').addEventListener('change', () => current?.job && refreshPlots(true));
  window.addEventListener('popstate', followAddress);
  window.addEventListener('hashchange', followAddress);
  window.addEventListener('resize', onResize);
  fill(RUNS.book);
  startCompare();
  refreshList();
  setInterval(refreshList, LIST_REFRESH_MS);
  followAddress();
})();
