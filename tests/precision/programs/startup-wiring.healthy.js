'use strict';
// Healthy: a plugin host wires the same 14 plugins' 'request' handlers onto one emitter once
// at start-up (with setMaxListeners raised, as such hosts do) and then serves requests. The
// series is flat: 14 listeners from one site in every snapshot.
const { EventEmitter } = require('node:events');
const { series } = require('./harness');

const host = new EventEmitter();
host.setMaxListeners(32);
const plugins = Array.from({ length: 14 }, (_, i) => ({ name: `plugin${i}`, handled: 0 }));
for (const plugin of plugins) {
  host.on('request', (req) => { plugin.handled += req.weight; });
}

series({
  cycle(n) {
    for (let i = 0; i < 50; i++) host.emit('request', { path: `/x/${n}/${i}`, weight: 1 });
  },
  facts: () => ({ listeners: host.listenerCount('request'), handled: plugins[0].handled }),
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.listeners), [14, 14, 14]);
    assert.deepEqual(f.map((x) => x.handled), [200, 400, 600]);
  },
});
