'use strict';
// DOM listeners for heapscope's Chrome test (tests/leaks/dom_test.cc). Line numbers are oracles.
const board = document.getElementById('board');
for (let i = 0; i < 12; i++) {
  const cursor = { i };
  board.addEventListener('pointermove', () => cursor.i); // line 6: 12 on one <div>
}
document.getElementById('save').addEventListener('click', function onSave() {}); // line 8
window.addEventListener('resize', function onResize() {}); // line 9
