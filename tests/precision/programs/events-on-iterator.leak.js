'use strict';
// Leak: a deploy watcher; each dashboard session starts watchDeploy(), which consumes
// events.on(pipeline, 'stage') with for await and stops only when its deploy reaches 'done'.
// The sessions' deploys are cancelled, 'done' never comes, so each suspended consumer keeps
// its iterator's 'stage' (and 'error') listeners on the pipeline. The listeners are Node's
// own functions (node:events); the site a reader can fix is the consuming async function
// (marked `site`). 5 sessions per cycle.
const { EventEmitter, on } = require('node:events');
const { series, tick, deltas } = require('./harness');

const pipeline = new EventEmitter();
pipeline.setMaxListeners(0);

async function watchDeploy(session) { // site
  for await (const [event] of on(pipeline, 'stage')) {
    if (event.deploy !== session.deploy) continue;
    session.stages.push(event.stage);
    if (event.stage === 'done') break;
  }
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) {
      const session = { deploy: `d${n}.${i}`, stages: [], view: new Array(16).fill(i) };
      watchDeploy(session);
    }
    await tick();
    pipeline.emit('stage', { deploy: `d${n}.0`, stage: 'build' }); // then cancelled
    await tick();
  },
  facts: () => ({ listeners: pipeline.listenerCount('stage') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
