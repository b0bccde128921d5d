'use strict';
// Leak (node EventTarget subclass): a config store `class ConfigStore extends EventTarget`
// that dispatches 'reload' when the configuration changes. Every request handler subscribes so
// its context picks up new settings, and never removes the listener when the request is done.
// Handler marked `site`; 5 requests per cycle.
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, tick, deltas } = require('./harness');

class ConfigStore extends EventTarget {
  constructor(initial) {
    super();
    this.current = initial;
  }

  reload(next) {
    this.current = next;
    this.dispatchEvent(new Event('reload'));
  }
}

const config = new ConfigStore({ version: 0, limits: { rps: 100 } });
setMaxListeners(0, config);
const probe = { finished: 0, running: 0 };

async function handleRequest(tenant) {
  const ctx = { tenant, settings: config.current, log: new Array(16).fill(tenant), finished: false };
  config.addEventListener('reload', () => { // site
    if (config.current.probe) { if (ctx.finished) probe.finished += 1; else probe.running += 1; return; }
    ctx.settings = config.current;
  });
  await tick();
  ctx.finished = true; // forgets config.removeEventListener('reload', …)
  return ctx.settings.limits.rps;
}

let version = 0;
series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) await handleRequest(`tenant-${n}.${i}`);
    config.reload({ version: ++version, limits: { rps: 100 + version } });
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    const saved = config.current;
    config.reload({ probe: true });
    config.current = saved;
    return { listeners: getEventListeners(config, 'reload').length, finished: probe.finished,
      running: probe.running };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.running, 0);
      assert.equal(x.finished, x.listeners); // every listener belongs to a finished request
    }
  },
});
