'use strict';
// Leak (AbortSignal): a crawler passes the process-wide shutdown signal to every fetch job;
// each job adds an 'abort' listener to cancel its work and never removes it after the job
// completes. The long-lived signal collects one listener per job. Listener marked `site`;
// 5 jobs per cycle.
const { getEventListeners } = require('node:events');
const { series, tick, deltas } = require('./harness');

const shutdown = new AbortController();

async function fetchPage(url, signal) {
  const job = { url, bytes: 0, buffer: new Array(16).fill(url), cancelled: false };
  signal.addEventListener('abort', () => { // site
    job.cancelled = true;
  });
  await tick();
  job.bytes = url.length * 100;
  return job.bytes;
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) await fetchPage(`https://example.test/${n}/${i}`, shutdown.signal);
  },
  facts: () => ({ listeners: getEventListeners(shutdown.signal, 'abort').length,
    aborted: shutdown.signal.aborted }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.aborted, false);
  },
});
