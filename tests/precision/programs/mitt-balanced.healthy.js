'use strict';
// Healthy twin of mitt.leak.js (mitt 3.0.1): each dialog removes its 'keydown' handler with
// off() when it closes. Per cycle 10 dialogs open and close, 5 stay open (a stack of open
// dialogs): handlers grow exactly with the open dialogs.
const mitt = require('mitt');
const { series, deltas } = require('./harness');

const bus = mitt();
const stack = []; // open dialogs

function openDialog(title) {
  const dialog = { title, open: true, fields: new Array(16).fill(title) };
  const onKey = (e) => { if (e.key === 'Escape') dialog.close(); };
  bus.on('keydown', onKey);
  dialog.close = () => { dialog.open = false; bus.off('keydown', onKey); };
  return dialog;
}

series({
  cycle(n) {
    for (let i = 0; i < 10; i++) openDialog(`t ${n}.${i}`).close();
    for (let i = 0; i < 5; i++) stack.push(openDialog(`d ${n}.${i}`));
    bus.emit('keydown', { key: 'a' });
  },
  facts: () => ({ listeners: (bus.all.get('keydown') || []).length, open: stack.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.listeners, x.open);
  },
});
