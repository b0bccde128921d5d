'use strict';
// Leak (eventemitter3 5.0.4): a chat room bus; each member joining registers a 'message'
// listener with an explicit context (on(event, fn, context)) and leaving forgets to call
// off(). Listener marked `site`; 5 members per cycle.
const EventEmitter = require('eventemitter3');
const { series, deltas } = require('./harness');

const room = new EventEmitter();

function join(name) {
  const member = { name, inbox: [] };
  room.on('message', function deliver(msg) { // site
    if (msg.to === this.name) this.inbox.push(msg);
  }, member);
  return member;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) join(`m${n}.${i}`);
    room.emit('message', { to: `m${n}.0`, text: 'hi' });
  },
  facts: () => ({ listeners: room.listenerCount('message') }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
