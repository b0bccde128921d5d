// The page heapscope's Chromium comparisons snapshot (tests/devtools/chromium_series.js). Each
// call of step() allocates DOM, detached trees (kept by a global array, a closure and an event
// listener), plain objects of a few shapes, class instances and strings, and frees part of what
// the step before made, so that a Comparison between snapshots has new and deleted objects in
// most classes.
'use strict';
const board = document.getElementById('board');
const list = document.getElementById('list');
window.detachedKept = [];   // detached trees held by a global array
window.records = [];        // plain objects: {id, name, tags} and {x, y}
window.widgets = [];
window.cache = {};          // a dictionary-mode plain object
let round = 0;
let handlers = [];

function tree(tag, depth, width) {
  const root = document.createElement(tag);
  root.id = `${tag}-${round}-${Math.random().toString(36).slice(2, 7)}`;
  let level = [root];
  for (let d = 0; d < depth; d++) {
    const next = [];
    for (const parent of level) {
      for (let w = 0; w < width; w++) {
        const child = document.createElement(d % 2 ? 'span' : 'div');
        child.textContent = `n${d}.${w}`;
        parent.appendChild(child);
        next.push(child);
      }
    }
    level = next;
  }
  return root;
}

window.step = function step() {
  round++;
  // Attached DOM that stays.
  for (let i = 0; i < 5; i++) {
    const li = document.createElement('li');
    li.textContent = `item ${round}.${i}`;
    list.appendChild(li);
  }
  // Detached trees: attached, then removed, kept by JS.
  const t1 = tree('article', 2, 3);
  board.appendChild(t1);
  board.removeChild(t1);
  detachedKept.push(t1);
  const t2 = tree('aside', 1, 4);
  const keep = () => t2.childElementCount;   // a closure over a detached tree
  handlers.push(keep);
  const button = document.createElement('button');  // a detached button with a listener
  button.addEventListener('click', () => t2.remove());
  detachedKept.push(button);
  // Free part of the previous round.
  if (detachedKept.length > 3) detachedKept.splice(0, 2);
  if (handlers.length > 2) handlers.shift();
  // Plain objects and class instances.
  for (let i = 0; i < 40; i++) records.push({id: `${round}-${i}`, name: 'rec' + i, tags: ['a', 'b']});
  for (let i = 0; i < 25; i++) records.push({x: i, y: round * i + 0.5});
  if (records.length > 150) records.splice(0, 60);
  for (let i = 0; i < 10; i++) widgets.push(i % 2 ? new WidgetA(`${round}.${i}`) : new WidgetB(i));
  for (let i = 0; i < 30; i++) cache['k' + round + '_' + i] = 'value-' + (i % 5);
  return round;
};
step();
window.ready = true;
