'use strict';
// Healthy twin of rxjs-subject.leak.js (rxjs 7.8.2): widgets keep their Subscription and call
// unsubscribe() on unmount. Per cycle 10 widgets mount and unmount and 5 more stay mounted
// (held by the page): subscribers grow exactly with the mounted widgets.
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
const page = []; // mounted widgets

function mountWidget(id) {
  const widget = { id, rendered: 0, dom: new Array(16).fill(id) };
  widget.subscription = store.changes.subscribe((state) => {
    widget.rendered = state.items.length;
  });
  widget.unmount = () => widget.subscription.unsubscribe();
  return widget;
}

series({
  cycle(n) {
    for (let i = 0; i < 10; i++) mountWidget(`t${n}.${i}`).unmount();
    for (let i = 0; i < 5; i++) page.push(mountWidget(`p${n}.${i}`));
    store.set([n]);
  },
  facts: () => ({ observers: store.changes.observers.length, mounted: page.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'observers'), [20, 20]);
    for (const x of f) assert.equal(x.observers, x.mounted);
  },
});
