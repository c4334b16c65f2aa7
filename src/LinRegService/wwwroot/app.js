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

  const $ = (id) => document.getElementById(id);
  const form = $('job-form');
  let current = null; // { id, source, job, plotTimer, lastPlot }

  // ---- formatting ----
  const number = (value) => {
    if (value === null || value === undefined) return '—';
    if (!Number.isFinite(value)) return String(value);
    return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toFixed(4);
  };
  const loss = (value) => {
    if (!Number.isFinite(value)) return String(value);
    return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toPrecision(4);
  };
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
  const element = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };

  // ---- the form ----
  function fill(run) {
    for (const [section, fields] of Object.entries(run)) {
      for (const [key, value] of Object.entries(fields)) {
        const input = form.elements[`${section}.${key}`];
        if (input) input.value = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
    }
    clearProblem();
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

  function clearProblem() {
    const box = $('form-error');
    box.hidden = true;
    box.replaceChildren();
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  /** An RFC 9457 problem as the page shows it: title, detail and each bad field. */
  function showProblem(box, problem, status) {
    box.replaceChildren(element('strong', { textContent: `${status}: ${problem.title ?? 'The request failed'}` }));
    if (problem.detail) box.append(element('p', { textContent: problem.detail }));
    const errors = Object.entries(problem.errors ?? {});
    if (errors.length > 0) {
      const list = element('ul');
      for (const [field, messages] of errors) {
        list.append(element('li', {}, element('code', { textContent: field }), `: ${[].concat(messages).join(' ')}`));
        const input = form.elements[field.replace(/\[\d+\]$/, '')];
        if (input && box === $('form-error')) input.setAttribute('aria-invalid', 'true');
      }
      box.append(list);
    }
    box.hidden = false;
  }

  async function readProblem(response) {
    try {
      return await response.json();
    } catch {
      return { title: response.statusText };
    }
  }

  async function submit(event) {
    event.preventDefault();
    clearProblem();
    const button = $('submit-job');
    button.disabled = true;
    try {
      const response = await fetch('/api/jobs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(readForm()),
      });
      if (response.status === 202) {
        const job = await response.json();
        openJob(job.id);
        refreshList();
      } else {
        showProblem($('form-error'), await readProblem(response), response.status);
      }
    } catch (error) {
      showProblem($('form-error'), { title: 'The service did not answer', detail: String(error) }, 'network');
    } finally {
      button.disabled = false;
    }
  }

  // ---- recent jobs ----
  async function refreshList() {
    try {
      const response = await fetch('/api/jobs?limit=15', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const page = await response.json();
      const rows = page.items.map((job) => {
        const open = element('button', { type: 'button', className: 'link', textContent: job.id.slice(-8), title: job.id });
        open.addEventListener('click', () => openJob(job.id));
        const row = element('tr', {},
          element('td', {}, open),
          element('td', {}, element('span', { className: `status ${job.status}`, textContent: job.status })),
          element('td', { textContent: `${job.progress.epoch} / ${job.progress.epochs}` }),
          element('td', { textContent: time(job.createdAt) }));
        if (current && current.id === job.id) row.className = 'selected';
        return row;
      });
      $('job-list').replaceChildren(...(rows.length > 0 ? rows : [element('tr', {}, element('td', { colSpan: 4, className: 'muted', textContent: 'No jobs yet: submit one.' }))]));
      $('list-error').textContent = '';
    } catch (error) {
      $('list-error').textContent = `Could not list the jobs: ${error.message}`;
    }
  }

  // ---- one job, live ----
  function openJob(id) {
    if (current) {
      current.source.close();
      clearTimeout(current.plotTimer);
    }
    history.replaceState(null, '', `#job=${encodeURIComponent(id)}`);
    const base = `/api/jobs/${encodeURIComponent(id)}`;
    current = { id, base, source: new EventSource(`${base}/events`), job: null, plotTimer: 0, lastPlot: 0, epochs: 0 };
    $('job-view').hidden = false;
    $('job-id').textContent = id;
    $('job-status').textContent = '…';
    $('job-status').className = 'status';
    $('job-error').hidden = true;
    $('job-progress').value = 0;
    $('job-progress-text').textContent = '';
    $('weights').tBodies[0].replaceChildren();
    $('feature').replaceChildren();
    $('job-links').replaceChildren('Raw: ',
      element('a', { href: base, textContent: 'job JSON' }), ' · ',
      element('a', { href: `${base}/events`, textContent: 'event stream' }), ' · ',
      element('a', { href: `${base}/plots/loss.svg`, textContent: 'loss.svg' }), ' · ',
      element('a', { href: `${base}/plots/data.svg`, textContent: 'data.svg' }));

    const watched = current;
    const source = current.source;
    source.addEventListener('status', (event) => watched === current && onStatus(JSON.parse(event.data)));
    source.addEventListener('epoch', (event) => watched === current && onEpoch(JSON.parse(event.data)));
    source.addEventListener('done', () => {
      source.close(); // the server ends the stream; without this EventSource would reconnect
      if (watched === current) refreshList();
    });
    source.addEventListener('error', () => {
      if (watched === current && source.readyState === EventSource.CLOSED) {
        $('job-error').textContent = 'The event stream closed; reload to watch this job again.';
        $('job-error').hidden = false;
      }
    });
    refreshList();
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
    if (first) fillFeatures(job.request.dataset.weights.length);
    showParameters(job);
    refreshPlots(true);
  }

  function onEpoch(epoch) {
    current.epochs = epoch.epoch;
    showProgress(epoch.epoch, current.job?.progress.epochs ?? epoch.epoch, epoch.loss);
    refreshPlots(false);
  }

  function showProgress(done, all, lastLoss) {
    $('job-progress').max = Math.max(all, 1);
    $('job-progress').value = done;
    $('job-progress-text').textContent = `${done} of ${all}` + (lastLoss !== undefined ? `, loss ${loss(lastLoss)}` : '');
  }

  function fillFeatures(count) {
    const select = $('feature');
    for (let k = 0; k < count; k++) select.append(element('option', { value: String(k), textContent: `x[${k}]` }));
    select.value = String(Math.min(1, count - 1)); // the seed's plot shows the second feature
  }

  /** The loss plot follows the epochs (throttled); the data plot changes only when the result arrives. */
  function refreshPlots(withData) {
    const draw = () => {
      current.lastPlot = Date.now();
      const version = `${current.job?.status}-${current.job?.attempts}-${current.epochs}`;
      $('loss-plot').src = `${current.base}/plots/loss.svg?v=${version}`;
      if (withData) $('data-plot').src = `${current.base}/plots/data.svg?feature=${$('feature').value}&v=${version}`;
    };
    clearTimeout(current.plotTimer);
    const wait = PLOT_REFRESH_MS - (Date.now() - current.lastPlot);
    if (withData || wait <= 0) draw();
    else current.plotTimer = setTimeout(draw, wait);
  }

  function showParameters(job) {
    const truth = job.request.dataset;
    const result = job.result;
    const rows = [];
    const count = Math.min(truth.weights.length, MAX_PARAMETER_ROWS);
    for (let k = 0; k < count; k++) {
      rows.push(parameterRow(`w${k}`, `w[${k}]`, truth.weights[k], result?.weights[k], result?.closedForm?.weights[k], result?.weightError[k]));
    }
    rows.push(parameterRow('b', 'b', truth.bias, result?.bias, result?.closedForm?.bias, result?.biasError));
    if (truth.weights.length > count) {
      rows.push(element('tr', {}, element('td', { colSpan: 5, className: 'muted', textContent: `… and ${truth.weights.length - count} more weights in the job JSON` })));
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

  async function cancelJob() {
    if (!current) return;
    const response = await fetch(`${current.base}/cancel`, { method: 'POST', headers: { Accept: 'application/json' } });
    if (!response.ok) showProblem($('job-error'), await readProblem(response), response.status);
  }

  // ---- start ----
  form.addEventListener('submit', submit);
  $('fill-book').addEventListener('click', () => fill(RUNS.book));
  $('fill-seed').addEventListener('click', () => fill(RUNS.seed));
  $('cancel-job').addEventListener('click', cancelJob);
  $('feature').addEventListener('change', () => current && refreshPlots(true));
  fill(RUNS.book);
  refreshList();
  setInterval(refreshList, LIST_REFRESH_MS);
  const linked = /^#job=([0-9a-zA-Z]+)$/.exec(location.hash);
  if (linked) openJob(decodeURIComponent(linked[1]));
})();
