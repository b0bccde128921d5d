'use strict';
// Healthy twin of eventemitter3.leak.js (eventemitter3 5.0.4): members call off() with the
// same function and context when they leave. Per cycle 10 members join and leave, 5 stay:
// listeners grow exactly with the members present.
const EventEmitter = require('eventemitter3');
const { series, deltas } = require('./harness');

const room = new EventEmitter();
const present = [];

function deliver(msg) {
  if (msg.to === this.name) this.inbox.push(msg);
}
function join(name) {
  const member = { name, inbox: [] };
  room.on('message', deliver, member);
  member.leave = () => room.off('message', deliver, member);
  return member;
}

series({
  cycle(n) {
    for (let i = 0; i < 10; i++) join(`t${n}.${i}`).leave();
    for (let i = 0; i < 5; i++) present.push(join(`m${n}.${i}`));
    room.emit('message', { to: `m${n}.0`, text: 'hi' });
  },
  facts: () => ({ listeners: room.listenerCount('message'), present: present.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.listeners, x.present);
  },
});
