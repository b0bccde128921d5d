// Leak (nanoevents 9.1.0): a game server's tick bus; every player that joins subscribes to
// 'tick' and the unbind function returned by on() is thrown away when the player leaves.
// Handler marked `site`; 5 players per cycle.
import { createRequire } from 'node:module';
import { createNanoEvents } from 'nanoevents';

const { series, deltas } = createRequire(import.meta.url)('./harness.js');
const ticks = createNanoEvents();

function join(name) {
  const player = { name, x: 0, y: 0, trail: new Array(16).fill(0) };
  ticks.on('tick', (dt) => { // site
    player.x += dt;
  });
  return player;
}

series({
  cycle(n) {
    for (let i = 0; i < 5; i++) join(`p${n}.${i}`);
    ticks.emit('tick', 1);
  },
  facts: () => ({ listeners: (ticks.events.tick || []).length }),
  check(f, assert) {
    assert.deepEqual(deltas(f, 'listeners'), [20, 20]);
  },
});
