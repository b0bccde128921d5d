// Leak (emittery 1.2.1): a chat room's message bus. Every member that joins subscribes to
// 'message' with room.on(), which returns the unsubscribe function; leave() throws it away.
// emittery keeps listeners in a module-level WeakMap keyed by the emitter, whose value is a Map
// from event name to a Set of functions. Handler marked `site`; 5 members join and leave per
// cycle.
import { createRequire } from 'node:module';
import Emittery from 'emittery';

const { series, deltas } = createRequire(import.meta.url)('./harness.js');
const room = new Emittery({ debug: { name: 'room' } });
const probe = { left: 0, present: 0 };

function join(name) {
  const member = { name, inbox: [], present: true, avatar: new Array(16).fill(name) };
  const unsubscribe = room.on('message', (msg) => { // site
    if (msg.probe) { if (member.present) probe.present += 1; else probe.left += 1; return; }
    if (member.present && msg.from !== name) member.inbox.push(msg.text);
  });
  return { member, unsubscribe };
}

function leave({ member }) {
  member.present = false; // forgets unsubscribe()
  member.inbox.length = 0;
}

series({
  async cycle(n) {
    const joined = [];
    for (let i = 0; i < 5; i++) joined.push(join(`m${n}.${i}`));
    await room.emit('message', { from: `m${n}.0`, text: `hello ${n}` });
    for (const m of joined) leave(m);
  },
  async facts() {
    probe.left = 0; probe.present = 0;
    await room.emit('message', { probe: true });
    return { listeners: room.listenerCount('message'), left: probe.left, present: probe.present };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) {
      assert.equal(x.present, 0);
      assert.equal(x.left, x.listeners); // every listener belongs to a member who left
    }
  },
});
