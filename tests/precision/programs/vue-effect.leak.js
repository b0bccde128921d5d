'use strict';
// Leak (@vue/reactivity 3.5.47): a page-rendering service keeps its feature settings in a
// reactive() object. GET /page builds a per-request view model and keeps it in sync with the
// live settings through effect(), so a settings change mid-render is honoured; the effect is
// never stopped. Every rendered page leaves its effect subscribed to the settings' dependency
// (and the finished response and view model it captures). Effect function marked `site`;
// 5 pages are rendered per cycle.
const http = require('node:http');
const { reactive, effect } = require('@vue/reactivity');
const { series, until, deltas } = require('./harness');

const settings = reactive({ theme: 'light', beta: false });
const probe = { on: false, gone: 0, live: 0 };
let rendered = 0;

const server = http.createServer((req, res) => {
  const view = { path: req.url, theme: 'light', beta: false, started: Date.now() };
  effect(() => { // site
    const theme = settings.theme;
    if (probe.on) { if (res.writableEnded) probe.gone += 1; else probe.live += 1; return; }
    view.theme = theme;
    view.beta = settings.beta;
  }); // the runner is dropped: never stop()ped
  setImmediate(() => {
    rendered += 1;
    res.end(`<html data-theme="${view.theme}" data-beta="${view.beta}">${view.path}</html>`);
  });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function getPage(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

// Sets the probe theme: every effect reading settings.theme runs, synchronously.
function countEffects() {
  const before = settings.theme;
  probe.gone = 0; probe.live = 0; probe.on = true;
  settings.theme = 'probe';
  const counted = { gone: probe.gone, live: probe.live };
  settings.theme = before;
  probe.on = false;
  return counted;
}

series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) await getPage(`/page/${n}/${i}`);
    await until(() => rendered === (n + 1) * 5, 'the pages to render');
    settings.beta = n % 2 === 1;
  },
  async facts() {
    const { gone, live } = countEffects();
    return { effects: gone + live, gone, live };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'effects'), [20, 20]);
    for (const x of f) {
      assert.equal(x.live, 0);
      assert.equal(x.gone, x.effects); // every captured response has ended
    }
  },
});
