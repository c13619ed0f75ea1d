/**
 * Copies text on a click. navigator.clipboard needs a permission that main denies to every request, so fall back
 * to a selected, off-screen textarea and execCommand, which Chromium allows during a user gesture.
 */
export async function copyText(doc: Document, text: string): Promise<boolean> {
  try {
    await doc.defaultView?.navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = doc.createElement('textarea');
    area.className = 'offscreen';
    area.value = text;
    area.setAttribute('readonly', '');
    doc.body.append(area);
    area.select();
    const copied = doc.execCommand('copy');
    area.remove();
    return copied;
  }
}
