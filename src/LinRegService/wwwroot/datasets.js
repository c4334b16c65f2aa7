// The dashboard's Data view: upload a CSV, list the datasets, and train a job or a sweep on one.
'use strict';

(() => {
  const { api, element, number, time, plural, readProblem, showProblem, hideProblem, viewJob, compareWithBase } = window.LinRegDashboard;
  const $ = (id) => document.getElementById(id);
  let shown = null; // the dataset on view, as the API answered it

  /** The header row of the chosen file, read locally, so the label column can be picked by name. */
  async function readHeader(file) {
    const head = await file.slice(0, 64 * 1024).text();
    const line = head.split(/\r?\n/, 1)[0] ?? '';
    return line.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1')).filter((name) => name !== '');
  }

  async function onFileChosen() {
    const file = $('upload-file').files[0];
    const names = file ? await readHeader(file) : [];
    $('upload-label').replaceChildren(element('option', { value: '', textContent: 'the last column' }),
      ...names.map((name) => element('option', { value: name, textContent: name })));
    if (file && !$('upload-name').value) $('upload-name').value = file.name.replace(/\.csv$/i, '');
  }

  async function upload(event) {
    event.preventDefault();
    hideProblem($('upload-error'));
    const file = $('upload-file').files[0];
    if (!file) {
      showProblem($('upload-error'), { title: 'Choose a CSV file first.' }, 400);
      return;
    }
    const query = new URLSearchParams();
    if ($('upload-label').value) query.set('label', $('upload-label').value);
    if ($('upload-name').value.trim()) query.set('name', $('upload-name').value.trim());
    $('upload-submit').disabled = true;
    $('upload-status').textContent = `uploading ${file.name}…`;
    try {
      const response = await api(`/api/datasets?${query}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file });
      if (!response.ok) {
        const problem = await readProblem(response);
        showProblem($('upload-error'), problem, response.status, Object.values(problem.errors ?? {}).flat());
        $('upload-status').textContent = '';
        return;
      }
      const dataset = await response.json();
      $('upload-status').textContent = response.status === 201 ? 'uploaded' : 'the same data was uploaded before: that dataset';
      await refresh();
      open(dataset.id);
    } finally {
      $('upload-submit').disabled = false;
    }
  }

  async function refresh() {
    const response = await api('/api/datasets?limit=100');
    if (!response.ok) return;
    const page = await response.json();
    $('datasets-empty').hidden = page.items.length > 0;
    $('dataset-list').replaceChildren(...page.items.map((d) => {
      const link = element('a', { href: '#data', textContent: d.name ?? d.id.slice(-8) });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        open(d.id);
      });
      const row = element('tr', {}, element('td', {}, link), element('td', { textContent: String(d.rows) }),
        element('td', { textContent: `${d.featureNames.join(', ')} → ${d.labelName}` }), element('td', { textContent: time(d.createdAt) }));
      if (shown?.id === d.id) row.className = 'selected';
      return row;
    }));
  }

  async function open(id) {
    hideProblem($('dataset-error'));
    const response = await api(`/api/datasets/${encodeURIComponent(id)}`);
    if (!response.ok) {
      showProblem($('dataset-error'), await readProblem(response), response.status);
      return;
    }
    shown = await response.json();
    $('dataset-view').hidden = false;
    $('dataset-id').textContent = shown.id;
    $('dataset-summary').textContent = `${shown.name ?? 'unnamed'}: ${plural(shown.rows, 'row')}, ${plural(shown.featureNames.length, 'feature')} `
      + `(${shown.featureNames.join(', ')}) and the label ${shown.labelName}; ${number(shown.bytes / (1024 * 1024))} MiB stored.`;
    const head = element('tr', {}, ...shown.featureNames.map((n) => element('th', { textContent: n })), element('th', { textContent: `${shown.labelName} (label)` }));
    const rows = (shown.firstRows?.labels ?? []).map((label, i) => element('tr', {},
      ...shown.firstRows.features[i].map((v) => element('td', { textContent: number(v) })), element('td', { textContent: number(label) })));
    $('dataset-rows').tHead.replaceChildren(head);
    $('dataset-rows').tBodies[0].replaceChildren(...rows);
    refresh();
  }

  async function train() {
    hideProblem($('dataset-error'));
    const response = await api('/api/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ dataset: { id: shown.id }, training: { standardize: true } }),
    });
    if (!response.ok) {
      showProblem($('dataset-error'), await readProblem(response), response.status);
      return;
    }
    viewJob((await response.json()).id);
  }

  async function remove() {
    hideProblem($('dataset-error'));
    const response = await api(`/api/datasets/${encodeURIComponent(shown.id)}`, { method: 'DELETE' });
    if (!response.ok) {
      showProblem($('dataset-error'), await readProblem(response), response.status);
      return;
    }
    shown = null;
    $('dataset-view').hidden = true;
    refresh();
  }

  $('upload-file').addEventListener('change', onFileChosen);
  $('upload-form').addEventListener('submit', upload);
  $('dataset-train').addEventListener('click', train);
  $('dataset-compare').addEventListener('click', () => compareWithBase({ dataset: { id: shown.id }, training: { standardize: true } }));
  $('dataset-delete').addEventListener('click', remove);
  window.LinRegData = { show: refresh };
  if (location.hash === '#data') refresh(); // app.js routed before this file was loaded
})();
