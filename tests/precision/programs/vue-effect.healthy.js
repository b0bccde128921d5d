'use strict';
// Healthy twin of vue-effect.leak.js (@vue/reactivity 3.5.47): a live dashboard stream. GET
// /live keeps the connection open and pushes the view model whenever the reactive settings
// change, through an effect() that is stopped when the response closes. Per cycle 5 dashboards
// connect and stay, 3 connect and leave: the effects subscribed to the settings grow exactly
// with the connected dashboards, each response open.
const http = require('node:http');
const { reactive, effect, stop } = require('@vue/reactivity');
const { series, until, deltas } = require('./harness');

const settings = reactive({ theme: 'light', beta: false });
const probe = { on: false, gone: 0, live: 0 };
let accepted = 0;
let closes = 0;

const server = http.createServer((req, res) => {
  accepted += 1;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const view = { path: req.url, theme: 'light', beta: false, pushes: 0 };
  const runner = effect(() => {
    const theme = settings.theme;
    if (probe.on) { if (res.writableEnded || res.destroyed) probe.gone += 1; else probe.live += 1; return; }
    view.theme = theme;
    view.beta = settings.beta;
    view.pushes += 1;
    res.write(`data: ${JSON.stringify(view)}\n\n`);
  });
  res.on('close', () => { closes += 1; stop(runner); });
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Resolves with the client request once the first push arrived.
function connect(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false }, (res) => {
      res.once('data', () => { res.on('data', () => {}); resolve(req); });
    });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(req) : reject(err)));
  });
}

function countEffects() {
  const before = settings.theme;
  probe.gone = 0; probe.live = 0; probe.on = true;
  settings.theme = 'probe';
  const counted = { gone: probe.gone, live: probe.live };
  probe.on = false;
  settings.theme = before;
  return counted;
}

const dashboards = []; // the clients that stay
let leaves = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) dashboards.push(await connect(`/live/${n}/${i}`));
    for (let i = 0; i < 3; i++) (await connect(`/live/v${n}/${i}`)).destroy();
    leaves += 3;
    await until(() => closes === leaves && accepted === dashboards.length + leaves, 'server state');
    settings.beta = n % 2 === 1;
  },
  async facts() {
    const { gone, live } = countEffects();
    return { effects: gone + live, gone, live, clients: accepted - closes };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'effects'), [20, 20]); // grows, with the connected dashboards
    for (const x of f) {
      assert.equal(x.gone, 0);
      assert.equal(x.live, x.effects); // every captured response is open
      assert.equal(x.clients, x.effects);
    }
  },
});
