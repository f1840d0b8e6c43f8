/**
 * @module
 * The file drop zone: files dropped anywhere on the page, or chosen with the button, are handed over as Files
 * (Blobs: readers take only the bytes they need); several at once are a model folder (config.json and its shards).
 * A file is never read on this thread and never put in a link.
 */
import { byId } from './dom.js';

export function setupDrop(take: (files: readonly File[]) => void): void {
  const zone = byId('drop');
  const input = byId<HTMLInputElement>('file');
  byId('choose').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const fs = Array.from(input.files ?? []);
    if (fs.length) take(fs);
    input.value = '';
  });
  let depth = 0;
  const files = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!files(e)) return;
    depth++;
    zone.classList.add('over');
  });
  document.addEventListener('dragleave', () => {
    if (--depth <= 0) {
      depth = 0;
      zone.classList.remove('over');
    }
  });
  // Without this the browser would open a file dropped outside the zone in place of the page.
  document.addEventListener('dragover', (e) => {
    if (!files(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
  });
  document.addEventListener('drop', (e) => {
    if (!files(e)) return;
    e.preventDefault();
    depth = 0;
    zone.classList.remove('over');
    const fs = Array.from(e.dataTransfer!.files);
    if (fs.length) take(fs);
  });
}
