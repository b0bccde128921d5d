'use strict';
// Healthy twin of abort-signal.leak.js (AbortSignal): the same crawler, but each job removes
// its 'abort' listener in `finally`. 5 jobs complete per cycle and 3 more are still running at
// each snapshot (their listeners are registered, their jobs live).
const { getEventListeners } = require('node:events');
const { series, tick } = require('./harness');

const shutdown = new AbortController();
const running = new Set();

async function fetchPage(url, signal, gate) {
  const job = { url, bytes: 0, buffer: new Array(16).fill(url), cancelled: false };
  const onAbort = () => { job.cancelled = true; };
  signal.addEventListener('abort', onAbort);
  try {
    await gate;
    job.bytes = url.length * 100;
    return job.bytes;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

let release = () => {};
series({
  async cycle(n) {
    release(); // the jobs still running from the previous cycle finish now
    await tick();
    for (let i = 0; i < 5; i++) await fetchPage(`https://example.test/${n}/${i}`, shutdown.signal);
    const gate = new Promise((resolve) => { release = resolve; });
    for (let i = 0; i < 3; i++) {
      const job = fetchPage(`https://example.test/slow/${n}/${i}`, shutdown.signal, gate);
      running.add(job);
      job.finally(() => running.delete(job));
    }
  },
  facts: () => ({ listeners: getEventListeners(shutdown.signal, 'abort').length,
    running: running.size }),
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.listeners), [3, 3, 3]);
    assert.deepEqual(f.map((x) => x.running), [3, 3, 3]);
  },
});
