'use strict';
// Healthy twin of object-cache.leak.js (lru-cache 11.5.4): the same fragment cache in an
// LRUCache bounded at 300 entries, full and churning: 200 new URLs per cycle, so the cache
// holds 300 entries at every snapshot, nearly all of them new objects since the last one.
const { LRUCache } = require('lru-cache');
const { series } = require('./harness');

const MAX = 300;
const cache = new LRUCache({ max: MAX });

function render(url) {
  const hit = cache.get(url);
  if (hit) return hit.html;
  const html = `<section data-url="${url}">${'<li>item</li>'.repeat(8)}</section>`;
  cache.set(url, { html, at: Date.now(), hits: 0 });
  return html;
}

let previous = new Set(); // the keys at the previous snapshot
series({
  cycle(n) {
    for (let i = 0; i < 200; i++) render(`/products/${n}/${i}?ref=${n * 200 + i}`);
    for (let i = 190; i < 200; i++) render(`/products/${n}/${i}?ref=${n * 200 + i}`); // hits
  },
  facts() {
    const keys = [...cache.keys()];
    const kept = keys.filter((k) => previous.has(k)).length;
    previous = new Set(keys);
    return { entries: cache.size, keptFromPrevious: kept };
  },
  check(f, assert) {
    assert.deepEqual(f.map((x) => x.entries), [MAX, MAX, MAX]);
    assert.deepEqual(f.map((x) => x.keptFromPrevious), [0, 0, 0]); // churning: all new each phase
  },
});
