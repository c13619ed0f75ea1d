import { EventEmitter } from 'node:events';

export const notifications: Array<{ title: string; body: string }> = [];

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
  }
  show(): void {
    notifications.push({ title: this.options.title, body: this.options.body });
  }
}
