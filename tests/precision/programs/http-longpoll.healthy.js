'use strict';
// Healthy twin of http-request.leak.js (node:http): a long-poll endpoint; each request waits
// for the next 'change' on the flags emitter and its listener is removed when the response
// finishes or the connection closes. 5 long-polls are still in flight after each cycle and 3
// more are answered: listeners grow exactly with the requests in flight.
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { series, until, deltas } = require('./harness');

const flags = new EventEmitter();
flags.setMaxListeners(0);
const probe = { complete: 0, pending: 0 };
let answered = 0;

const server = http.createServer((req, res) => {
  const onChange = (values) => {
    if (values.probe) { if (req.complete && !res.writableEnded) probe.pending += 1; return; }
    if (values.to === req.url) res.end(JSON.stringify(values));
  };
  flags.on('change', onChange);
  const done = () => flags.off('change', onChange);
  res.on('finish', () => { answered += 1; done(); });
  res.on('close', done);
  req.resume();
});
const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const inflight = [];
function poll(path) {
  const req = http.get({ host: '127.0.0.1', port: server.address().port, path, agent: false });
  req.on('response', (res) => res.resume());
  return req;
}

let waiting = 0;
series({
  async cycle(n) {
    await listening;
    for (let i = 0; i < 5; i++) inflight.push(poll(`/wait/${n}/${i}`));
    for (let i = 0; i < 3; i++) poll(`/answer/${n}/${i}`);
    waiting += 8;
    await until(() => flags.listenerCount('change') === waiting - answered, 'requests arrived');
    for (let i = 0; i < 3; i++) flags.emit('change', { to: `/answer/${n}/${i}` });
    await until(() => answered === (n + 1) * 3, 'answers finished');
  },
  facts() {
    probe.pending = 0;
    flags.emit('change', { probe: true });
    return { listeners: flags.listenerCount('change'), inflight: probe.pending, answered };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.inflight, x.listeners); // each listener: a live request
  },
});
