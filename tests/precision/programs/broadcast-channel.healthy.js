'use strict';
// Healthy twin of broadcast-channel.leak.js (BroadcastChannel): the same 'cache-invalidate'
// channel, subscribed to by live editor sessions that keep a document open; closing the
// document removes the 'message' listener. Per cycle 5 documents are opened and stay open, 3
// are opened and closed: the listeners grow exactly with the open documents.
const { getEventListeners, setMaxListeners } = require('node:events');
const { series, until, deltas } = require('./harness');

const invalidations = new BroadcastChannel('cache-invalidate');
setMaxListeners(0, invalidations);
const publisher = new BroadcastChannel('cache-invalidate'); // the writers' side
const probe = { closed: 0, open: 0, seen: 0 };
const openDocs = new Map(); // key -> doc

function openDoc(key) {
  const doc = { key, html: `<main>${key}</main>`.repeat(8), stale: false, open: true };
  doc.onMessage = (ev) => {
    if (ev.data.probe) { probe.seen += 1; if (doc.open) probe.open += 1; else probe.closed += 1; return; }
    if (ev.data.key === doc.key) doc.stale = true;
  };
  invalidations.addEventListener('message', doc.onMessage);
  openDocs.set(key, doc);
  return doc;
}

function closeDoc(doc) {
  doc.open = false;
  invalidations.removeEventListener('message', doc.onMessage);
  openDocs.delete(doc.key);
}

series({
  async cycle(n) {
    for (let i = 0; i < 5; i++) openDoc(`/doc/${n}/${i}`);
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(openDoc(`/visit/${n}/${i}`));
    for (const d of visits) closeDoc(d);
    publisher.postMessage({ key: `/doc/${n}/0` });
  },
  async facts() {
    const listeners = getEventListeners(invalidations, 'message').length;
    probe.closed = 0; probe.open = 0; probe.seen = 0;
    publisher.postMessage({ probe: true });
    await until(() => probe.seen === listeners, 'the probe message');
    return { listeners, closed: probe.closed, open: probe.open, docs: openDocs.size };
  },
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]); // grows, with the open documents
    for (const x of f) {
      assert.equal(x.closed, 0);
      assert.equal(x.open, x.listeners);
      assert.equal(x.docs, x.listeners);
    }
  },
});
