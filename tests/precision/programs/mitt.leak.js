'use strict';
// Leak (mitt 3.0.1): a UI event bus; every modal dialog opened listens for 'keydown' to close
// itself and the close path forgets emitter.off(). Handler marked `site`; 5 dialogs per cycle.
const mitt = require('mitt');
const { series, deltas } = require('./harness');

const bus = mitt();

function openDialog(title) {
  const dialog = { title, open: true, fields: new Array(16).fill(title) };
  bus.on('keydown', (e) => { // site
    if (e.key === 'Escape') dialog.open = false;
  });
  dialog.open = false; // closed by its button; the handler stays
  return dialog;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) openDialog(`dialog ${n}.${i}`);
    bus.emit('keydown', { key: 'a' });
  },
  facts: () => ({ listeners: (bus.all.get('keydown') || []).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
