// Healthy (p-queue 9.3.5): a thumbnail service queues one render task per upload in a PQueue
// with concurrency 2; the renderer is slower than the uploads. Per cycle 40 uploads are queued
// and 10 renders finish: the backlog of queued tasks (closures holding their upload) grows
// 118 -> 238 -> 358, every one work still to do, and the queue keeps draining.
import { createRequire } from 'node:module';
import PQueue from 'p-queue';

const { series, until, deltas } = createRequire(import.meta.url)('./harness.js');
const queue = new PQueue({ concurrency: 2 });
const renderer = []; // the renders in progress, each waiting for the renderer to finish it
let done = 0;
let queued = 0;

function enqueue(name) {
  const upload = { name, bytes: new Array(32).fill(name), receivedAt: Date.now() };
  queued += 1;
  queue.add(async () => {
    await new Promise((resolve) => renderer.push(resolve));
    done += 1;
    return `${upload.name}.thumb.png (${upload.bytes.length} blocks)`;
  });
}

series({
  async cycle(n) {
    for (let i = 0; i < 40; i++) enqueue(`upload-${n}.${i}.jpg`);
    for (let i = 0; i < 10; i++) {
      await until(() => renderer.length > 0, 'a render in progress');
      renderer.shift()();
      await until(() => done === n * 10 + i + 1, 'the render finished');
    }
    await until(() => queue.pending === 2 && renderer.length === 2, 'the next renders started');
  },
  facts: () => ({ backlog: queue.size, running: queue.pending, done, queued }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'backlog'), [120, 120]); // grows, work still to do
    for (const x of f) {
      assert.equal(x.running, 2);
      assert.equal(x.backlog, x.queued - x.done - x.running);
    }
  },
});
