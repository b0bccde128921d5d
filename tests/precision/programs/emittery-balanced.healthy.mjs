// Healthy twin of emittery.leak.mjs (emittery 1.2.1): the same chat room, but leave() calls
// the unsubscribe function room.on() returned. Per cycle 5 members join and stay, 3 join and
// leave: the room's 'message' listeners grow exactly with the members present.
import { createRequire } from 'node:module';
import Emittery from 'emittery';

const { series, deltas } = createRequire(import.meta.url)('./harness.js');
const room = new Emittery({ debug: { name: 'room' } });
const probe = { left: 0, present: 0 };
const present = new Map(); // name -> member, the members in the room

function join(name) {
  const member = { name, inbox: [], present: true, avatar: new Array(16).fill(name) };
  member.unsubscribe = room.on('message', (msg) => {
    if (msg.probe) { if (member.present) probe.present += 1; else probe.left += 1; return; }
    if (member.present && msg.from !== name) member.inbox.push(msg.text);
  });
  present.set(name, member);
  return member;
}

function leave(member) {
  member.present = false;
  member.unsubscribe();
  present.delete(member.name);
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) join(`m${n}.${i}`);
    const visitors = [];
    for (let i = 0; i < 3; i++) visitors.push(join(`v${n}.${i}`));
    await room.emit('message', { from: `m${n}.0`, text: `hello ${n}` });
    for (const v of visitors) leave(v);
  },
  async facts() {
    probe.left = 0; probe.present = 0;
    await room.emit('message', { probe: true });
    return { listeners: room.listenerCount('message'), left: probe.left, present: probe.present,
      members: present.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the members present
    for (const x of f) {
      assert.equal(x.left, 0);
      assert.equal(x.present, x.listeners);
      assert.equal(x.members, x.listeners);
    }
  },
});
