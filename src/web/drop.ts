/**
 * @module
 * The file drop zone: a file dropped anywhere on the page, or chosen with the button, is handed over as a File
 * (a Blob: readers take only the bytes they need). A file is never read on this thread and never put in a link.
 */
import { byId } from './dom.js';

export function setupDrop(take: (file: File) => void): void {
  const zone = byId('drop');
  const input = byId<HTMLInputElement>('file');
  byId('choose').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) take(f);
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
    const f = e.dataTransfer!.files[0];
    if (f) take(f);
  });
}
