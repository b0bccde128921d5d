'use strict';
// Leak (plain object): a rendered-fragment cache kept in a plain object dictionary owned by a
// module variable (declared on the line marked `site`); every request for a new URL adds a
// key and nothing ever evicts. 40 new URLs per cycle, so the object holds 160 -> 320 -> 480
// keys at the three snapshots, each with its rendered fragment.
const { series, deltas } = require('./harness');

const cache = {}; // site

function render(url) {
  if (cache[url]) return cache[url].html;
  const html = `<section data-url="${url}">${'<li>item</li>'.repeat(8)}</section>`;
  cache[url] = { html, at: Date.now(), hits: 0 };
  return html;
}

series({
  cycle(n) {
    for (let i = 0; i < 40; i++) render(`/products/${n}/${i}?ref=${n * 40 + i}`);
    for (let i = 0; i < 10; i++) render(`/products/${n}/${i}?ref=${n * 40 + i}`); // hits
  },
  facts: () => ({ keys: Object.keys(cache).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'keys'), [160, 160]);
  },
});
