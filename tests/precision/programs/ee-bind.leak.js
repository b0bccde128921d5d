'use strict';
// Leak: every Worker registers its method with addListener('config', this.onConfig.bind(this)):
// a new bound function per registration, never removed when the worker is retired. Each bound
// function holds its Worker (and the Worker's buffer). The leaking function is the method
// marked `site`; the per-registration objects are the bound functions. 5 workers per cycle.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

const settings = new EventEmitter();
settings.setMaxListeners(0);

class Worker {
  constructor(id) {
    this.id = id;
    this.limits = { concurrency: 1 };
    this.buffer = new Array(32).fill(id);
    settings.addListener('config', this.onConfig.bind(this));
  }
  onConfig(config) { // site
    this.limits = config.limits;
  }
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) new Worker(n * 5 + i); // retired at once: nothing keeps it
    settings.emit('config', { limits: { concurrency: 2 } });
  },
  facts: () => ({ listeners: settings.listenerCount('config') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
