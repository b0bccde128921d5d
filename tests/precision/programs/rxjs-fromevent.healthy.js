'use strict';
// Healthy twin of rxjs-fromevent.leak.js (rxjs 7.8.2 fromEvent): the same dashboard, but the
// subscription is unsubscribed when the job finishes. Per cycle 5 jobs start and keep running
// (waiting for a build agent), 3 run to the end: the pool's 'progress' listeners grow exactly
// with the running jobs.
const { EventEmitter } = require('node:events');
const { fromEvent, filter } = require('rxjs');
const { series, tick, deltas } = require('./harness');

const workers = new EventEmitter();
workers.setMaxListeners(0);
const probe = { finished: 0, running: 0 };
const running = new Map(); // id -> job
let nextId = 0;

function startJob(target) {
  const job = { id: ++nextId, target, percent: 0, log: new Array(16).fill(target), finished: false };
  job.subscription = fromEvent(workers, 'progress').pipe(filter((e) => e.probe || e.job === job.id)).subscribe((e) => {
    if (e.probe) { if (job.finished) probe.finished += 1; else probe.running += 1; return; }
    job.percent = e.percent;
  });
  running.set(job.id, job);
  return job;
}

function finishJob(job) {
  job.finished = true;
  job.subscription.unsubscribe();
  running.delete(job.id);
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) workers.emit('progress', { job: startJob(`build-${n}.${i}`).id, percent: 10 });
    for (let i = 0; i < 3; i++) {
      const job = startJob(`lint-${n}.${i}`);
      for (const percent of [25, 50, 100]) {
        await tick();
        workers.emit('progress', { job: job.id, percent });
      }
      finishJob(job);
    }
  },
  facts() {
    probe.finished = 0; probe.running = 0;
    workers.emit('progress', { probe: true });
    return { listeners: workers.listenerCount('progress'), finished: probe.finished,
      running: probe.running, jobs: running.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the running jobs
    for (const x of f) {
      assert.equal(x.finished, 0);
      assert.equal(x.running, x.listeners);
      assert.equal(x.jobs, x.listeners);
    }
  },
});
