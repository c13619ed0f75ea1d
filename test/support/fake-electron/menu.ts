import type { MenuItemConstructorOptions } from 'electron';

/** Keeps the template as given, so tests find items by id and call `click` like a user would. */
export class FakeMenu {
  constructor(readonly template: MenuItemConstructorOptions[]) {}
  static buildFromTemplate(template: MenuItemConstructorOptions[]): FakeMenu {
    return new FakeMenu(template);
  }
  static setApplicationMenu(): void {}
  getMenuItemById(id: string): MenuItemConstructorOptions | undefined {
    return findMenuItem(this.template, id);
  }
}

export function findMenuItem(items: readonly MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const sub = item.submenu;
    const children = Array.isArray(sub) ? sub : sub instanceof FakeMenu ? sub.template : [];
    const found = findMenuItem(children, id);
    if (found) return found;
  }
  return undefined;
}
