// A presence service in TypeScript (healthy twin): leave() removes the listener join() added.
declare function require(name: string): any;
const { EventEmitter } = require('events');

export interface User {
  id: string;
  name: string;
}

export class Presence {
  private readonly bus = new EventEmitter();
  private readonly online = new Map<string, User>();
  private readonly handlers = new Map<string, (tick: number) => void>();

  constructor() {
    this.bus.setMaxListeners(0);
  }

  join(user: User): void {
    this.online.set(user.id, user);
    const beats: number[] = [];
    const onBeat = (tick: number) => {
      beats.push(tick);
      if (beats.length > 8) beats.shift();
    };
    this.handlers.set(user.id, onBeat);
    this.bus.on('heartbeat', onBeat);
  }

  leave(user: User): void {
    const onBeat = this.handlers.get(user.id);
    if (onBeat) this.bus.off('heartbeat', onBeat);
    this.handlers.delete(user.id);
    this.online.delete(user.id);
  }

  tick(n: number): void {
    this.bus.emit('heartbeat', n);
  }
}
