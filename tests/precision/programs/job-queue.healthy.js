'use strict';
// Healthy: a job queue (an EventEmitter per job, the queue's 'drain' and 'cancel' listeners
// per queued job, removed when the job settles). The backlog grows: per cycle 8 jobs are
// enqueued and 3 finish, so the live jobs and their listeners grow by 5 per cycle and every
// listener belongs to a job that is still queued.
const { EventEmitter } = require('node:events');
const { series, deltas } = require('./harness');

class Job extends EventEmitter {
  constructor(id, payload) {
    super();
    this.id = id;
    this.payload = payload;
    this.state = 'queued';
  }
}

class Queue extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
    this.jobs = new Map();
  }
  add(id, payload) {
    const job = new Job(id, payload);
    const onCancel = (which) => { if (which === id) this.settle(job, 'cancelled'); };
    this.on('cancel', onCancel);
    job.once('done', () => this.off('cancel', onCancel));
    this.jobs.set(id, job);
    return job;
  }
  settle(job, state) {
    job.state = state;
    this.jobs.delete(job.id);
    job.emit('done', state);
  }
  runOldest(k) {
    for (const job of [...this.jobs.values()].slice(0, k)) this.settle(job, 'finished');
  }
}
const queue = new Queue();

series({
  cycle(n) {
    for (let i = 0; i < 8; i++) queue.add(`j${n}.${i}`, { rows: new Array(16).fill(i) });
    queue.runOldest(3);
  },
  facts: () => ({ listeners: queue.listenerCount('cancel'), jobs: queue.jobs.size }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.listeners, x.jobs);
  },
});
