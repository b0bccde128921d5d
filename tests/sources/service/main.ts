// Drives the presence service through three rounds of 40 users joining and leaving, and writes
// a heap snapshot after each round: DIR/{baseline,target,final}.heapsnapshot.
declare function require(name: string): any;
declare const process: { argv: string[] };
import { Presence, User } from './presence';
const v8 = require('v8');

const dir = process.argv[2];
const presence = new Presence();
let next = 0;
for (const label of ['baseline', 'target', 'final']) {
  const users: User[] = [];
  for (let i = 0; i < 40; i++) {
    const user = { id: 'u' + next, name: 'user ' + next };
    next++;
    users.push(user);
    presence.join(user);
  }
  presence.tick(next);
  for (const user of users) presence.leave(user);
  v8.writeHeapSnapshot(dir + '/' + label + '.heapsnapshot');
}
