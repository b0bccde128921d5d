// Healthy twin of nanoevents.leak.mjs (nanoevents 9.1.0): each player keeps the unbind
// function on() returned and calls it on leave. Per cycle 10 players join and leave, 5 stay
// in the match: handlers grow exactly with the players present.
import { createRequire } from 'node:module';
import { createNanoEvents } from 'nanoevents';

const { series, deltas } = createRequire(import.meta.url)('./harness.js');
const ticks = createNanoEvents();
const match = [];

function join(name) {
  const player = { name, x: 0, y: 0, trail: new Array(16).fill(0) };
  player.leave = ticks.on('tick', (dt) => { player.x += dt; });
  return player;
}

series({
  cycle(n) {
    for (let i = 0; i < 10; i++) join(`t${n}.${i}`).leave();
    for (let i = 0; i < 5; i++) match.push(join(`p${n}.${i}`));
    ticks.emit('tick', 1);
  },
  facts: () => ({ listeners: (ticks.events.tick || []).length, players: match.length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
    for (const x of f) assert.equal(x.listeners, x.players);
  },
});
