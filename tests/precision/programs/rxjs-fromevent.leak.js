'use strict';
// Leak (rxjs 7.8.2 fromEvent): a build dashboard follows each job's progress with
// fromEvent(workers, 'progress') on the worker pool's EventEmitter, filtered to the job, and
// never unsubscribes when the job finishes. Each subscription adds one of rxjs's own handlers
// to workers._events.progress; the line a reader can fix is the subscription (marked `site`:
// the filter and the subscriber are written on it). 5 jobs per cycle.
const { EventEmitter } = require('node:events');
const { fromEvent, filter } = require('rxjs');
const { series, tick, deltas } = require('./harness');

const workers = new EventEmitter();
workers.setMaxListeners(0);
const probe = { finished: 0, running: 0 };
let nextId = 0;

async function runJob(target) {
  const job = { id: ++nextId, target, percent: 0, log: new Array(16).fill(target), finished: false };
  fromEvent(workers, 'progress').pipe(filter((e) => e.probe || e.job === job.id)).subscribe((e) => { // site
    if (e.probe) { if (job.finished) probe.finished += 1; else probe.running += 1; return; }
    job.percent = e.percent;
  });
  for (const percent of [25, 50, 100]) {
    await tick();
    workers.emit('progress', { job: job.id, percent });
  }
  job.finished = true; // the subscription is never unsubscribed
  return job.percent;
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) await runJob(`build-${n}.${i}`);
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    workers.emit('progress', { probe: true });
    return { listeners: workers.listenerCount('progress'), finished: probe.finished,
      running: probe.running };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.running, 0);
      assert.equal(x.finished, x.listeners); // every subscription belongs to a finished job
    }
  },
});
