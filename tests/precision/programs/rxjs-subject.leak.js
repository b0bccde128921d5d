'use strict';
// Leak (rxjs 7.8.2): a store exposes `changes`, a Subject; every widget mounted subscribes and
// is unmounted without unsubscribe(). The subscriber callback (marked `site`) holds the widget.
// 5 widgets per cycle.
const { Subject } = require('rxjs');
const { series, deltas } = require('./harness');

class Store {
  constructor() {
    this.state = { items: [] };
    this.changes = new Subject();
  }
  set(items) {
    this.state = { items };
    this.changes.next(this.state);
  }
}
const store = new Store();

function mountWidget(id) {
  const widget = { id, rendered: 0, dom: new Array(16).fill(id) };
  store.changes.subscribe((state) => { // site
    widget.rendered = state.items.length;
  });
  return widget;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) mountWidget(n * 5 + i); // unmounted at once
    store.set([n]);
  },
  facts: () => ({ observers: store.changes.observers.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'observers'), [20, 20]);
  },
});
