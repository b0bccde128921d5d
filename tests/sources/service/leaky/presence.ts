// A presence service in TypeScript (leaky): join() registers a heartbeat listener that leave()
// never removes. heapscope must name this file and the line of the arrow function below.
declare function require(name: string): any;
const { EventEmitter } = require('events');

export interface User {
  id: string;
  name: string;
}

export class Presence {
  private readonly bus = new EventEmitter();
  private readonly online = new Map<string, User>();

  constructor() {
    this.bus.setMaxListeners(0);
  }

  join(user: User): void {
    this.online.set(user.id, user);
    const beats: number[] = [];
    this.bus.on('heartbeat', (tick: number) => {
      beats.push(tick);
      if (beats.length > 8) beats.shift();
    });
  }

  leave(user: User): void {
    // BUG: the heartbeat listener of join() stays registered.
    this.online.delete(user.id);
  }

  tick(n: number): void {
    this.bus.emit('heartbeat', n);
  }
}
