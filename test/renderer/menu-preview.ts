import type { MenuItemConstructorOptions } from 'electron';

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function itemHtml(item: MenuItemConstructorOptions): string {
  if (item.type === 'separator') return '<li class="sep" role="separator"></li>';
  const classes = [item.enabled === false ? 'disabled' : '', Array.isArray(item.submenu) ? 'parent' : ''].filter(Boolean).join(' ');
  return `<li class="${classes}" data-id="${escape(item.id ?? '')}">${escape(item.label ?? '')}</li>`;
}

function panelHtml(items: MenuItemConstructorOptions[], extraClass = ''): string {
  return `<ul class="menu ${extraClass}">${items.map(itemHtml).join('')}</ul>`;
}

/**
 * A static HTML picture of a tray menu template: the real menu is drawn by the OS and cannot be screenshotted
 * without Electron, so this renders the same MenuItemConstructorOptions[] and says so in a caption.
 */
export function menuPreviewHtml(items: MenuItemConstructorOptions[], caption: string): string {
  const firstParent = items.find((i) => Array.isArray(i.submenu));
  const sub = firstParent && Array.isArray(firstParent.submenu) ? panelHtml(firstParent.submenu, 'submenu') : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px 20px 24px; font: 13px/1.3 system-ui, "Segoe UI", Ubuntu, "Noto Sans", sans-serif; background: #dfe3ea; color: #1d1d1f; width: max-content; }
  .caption { display: inline-block; margin: 0 0 12px; padding: 4px 10px; border-radius: 6px; background: #fff4d6; color: #7a5200; font-size: 12px; font-weight: 600; }
  .stage { display: flex; align-items: flex-start; gap: 2px; }
  .menu { list-style: none; margin: 0; padding: 5px 0; min-width: 240px; background: #fff; border: 1px solid #c9ccd3; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); }
  .menu li { padding: 4px 28px 4px 14px; white-space: nowrap; position: relative; }
  .menu li.disabled { color: #8a8a92; }
  .menu li.parent::after { content: "\\25B8"; position: absolute; right: 12px; }
  .menu li.parent { background: #2f6fe0; color: #fff; }
  .menu li.sep { height: 1px; padding: 0; margin: 5px 0; background: #e3e5ea; }
  .submenu { margin-top: var(--offset, 0); }
</style></head><body>
<p class="caption">${escape(caption)}</p>
<div class="stage">${panelHtml(items)}${sub}</div>
</body></html>`;
}
