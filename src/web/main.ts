/**
 * @module
 * The page: wires the editor, the zoo picker, the drop zone and the settings to the analysis worker, shows each
 * result (or, on bad input, the error beside the input while the last good result stays on screen), and keeps
 * the address bar's fragment a link that restores the page.
 */
import { setupDrop } from './drop.js';
import { byId } from './dom.js';
import { errorBox, setupEditor } from './editor.js';
import { Engine } from './engine.js';
import { layoutReady } from './graph.js';
import { renderCheck, renderDiff } from './panel-views.js';
import { DEFAULT_OPTIONS, type ErrorView, type Options, type Source } from './protocol.js';
import { fieldErrors, FIELDS, readDiff, readOptions, writeDiff, writeOptions } from './settings.js';
import { currentView, drawOpen, redrawPictures, setAllModules, showView } from './render.js';
import { decodeState, encodeState, LinkError, type PageState } from './share.js';
import { copyText } from './table.js';
import { setupTheme } from './theme.js';
import { setupZoo } from './zoo.js';

/** VGG-16 (configuration D) in the paper's own notation: the page's first model. */
export const VGG16 = `224x224x3
conv3-64 x2
maxpool
conv3-128 x2
maxpool
conv3-256 x3
maxpool
conv3-512 x3
maxpool
conv3-512 x3
maxpool
FC-4096
FC-4096
FC-1000
soft-max`;

const PANELS = ['pictures', 'layers', 'explain', 'check', 'diff'] as const;

setupTheme();
const engine = new Engine(new URL('./worker.js', import.meta.url));
const root = document.documentElement;
/** Dropped files, when they (not the editor) are the model. */
let files: readonly File[] | undefined;
let options: Options = DEFAULT_OPTIONS;
let results = 0;
let good = false;

const editor = setupEditor(
  (_, at) => {
    files = undefined;
    showFile();
    void analyse(at);
  },
  // A very large paste is read like a dropped file, outside the text box.
  (pasted) => takeFiles([new File([pasted], `pasted text (${(pasted.length / 1024 / 1024).toFixed(1)} MB)`)]),
);

const source = (): Source => (files ? { kind: 'file', files } : { kind: 'text', text: editor.text });
/** 'model.safetensors', or 'tiny-llama: 3 files'. */
const filesName = (fs: readonly File[]): string => (fs.length === 1 ? fs[0]!.name : `${fs.length} files (${fs.map((f) => f.name).join(', ').slice(0, 120)})`);
const filesSize = (fs: readonly File[]): string => `${fs.reduce((n, f) => n + f.size, 0).toLocaleString('en-US')} bytes`;
const status = (text: string) => (byId('status').textContent = text);

// ---- analysis ---------------------------------------------------------------------------------------------

/** Analyses the current model; `at` is when the input that asked for it happened (for the timing marks). */
async function analyse(at = performance.now()): Promise<void> {
  options = readOptions();
  if (!files && !editor.text.trim()) {
    status('Type a model, pick one from the zoo, or drop a file.');
    return;
  }
  const answer = await engine.run({ kind: 'analyse', source: source(), options });
  if ('cancelled' in answer) return;
  if (!answer.ok) {
    showError(answer.error);
    performance.measure('nncalc:analysis', { start: at, end: performance.now() });
    return;
  }
  const view = answer.result.kind === 'analyse' ? answer.result.view : undefined;
  if (!view) return;
  good = true;
  editor.showError(undefined);
  fieldErrors(undefined, 'opt');
  errorBox(byId('model-error'), undefined);
  byId('result').classList.remove('stale');
  showView(view, options);
  const layers = view.rows.filter((r) => !r.module).length;
  status(`${view.name}: ${layers.toLocaleString('en-US')} layer${layers === 1 ? '' : 's'}, analysed in ${view.ms.toFixed(1)} ms.`);
  root.dataset['results'] = String(++results);
  root.dataset['workerMs'] = view.ms.toFixed(2);
  root.dataset['restarts'] = String(engine.restarts);
  performance.measure('nncalc:analysis', { start: at, end: performance.now() });
  if (results === 1) {
    performance.mark('nncalc:first-result');
    idle();
  }
  if (files) showFile(`Showing ${filesName(files)} (${filesSize(files)}).`);
  scheduleLink();
  void runCheck();
  void runDiff();
}

function showError(e: ErrorView): void {
  root.dataset['errors'] = String(Number(root.dataset['errors'] ?? 0) + 1);
  const inOptions = (FIELDS as readonly string[]).includes(e.field);
  fieldErrors(inOptions ? e : undefined, 'opt');
  editor.showError(e.inEditor || (e.fix && !files) ? e : undefined);
  const elsewhere = !inOptions && !e.inEditor && !(e.fix && !files);
  errorBox(byId('model-error'), elsewhere ? e : undefined, files ? `${filesName(files)}: ` : '');
  if (elsewhere && e.text.includes('\n')) byId('model-error').append(Object.assign(document.createElement('pre'), { textContent: e.text }));
  byId('result').classList.toggle('stale', good);
  status(good ? 'The input has an error (see above); the last result stays until it is fixed.' : 'The input has an error (see above).');
  if (files) showFile(`${filesName(files)} could not be read.`);
}

// ---- panels -----------------------------------------------------------------------------------------------

const isOpen = (id: string) => byId<HTMLDetailsElement>(id).open;

async function runCheck(): Promise<void> {
  const claims = byId<HTMLTextAreaElement>('claims').value;
  if (!isOpen('check') || !claims.trim() || !good) return;
  const answer = await engine.run({ kind: 'check', source: source(), options, claims });
  if ('cancelled' in answer) return;
  errorBox(byId('claims-error'), answer.ok ? undefined : answer.error);
  if (answer.ok && answer.result.kind === 'check') renderCheck(byId('check-result'), answer.result.view);
}

async function runDiff(): Promise<void> {
  if (!isOpen('diff') || !good) return;
  const answer = await engine.run({ kind: 'diff', source: source(), options, other: readDiff() });
  if ('cancelled' in answer) return;
  fieldErrors(answer.ok ? undefined : answer.error, 'vs');
  const other = !answer.ok && !answer.error.field.startsWith('vs-') ? answer.error : undefined;
  errorBox(byId('diff-error'), other, other?.field === 'model' ? 'Model a: ' : 'Model b: ');
  if (answer.ok && answer.result.kind === 'diff') renderDiff(byId('diff-result'), answer.result.view);
}

// ---- files ------------------------------------------------------------------------------------------------

function showFile(message?: string): void {
  const box = byId('file-status');
  box.hidden = !files;
  if (!files) return;
  const back = document.createElement('button');
  back.type = 'button';
  back.textContent = 'Analyse the editor instead';
  back.addEventListener('click', () => {
    files = undefined;
    showFile();
    void analyse();
  });
  box.replaceChildren(Object.assign(document.createElement('span'), { textContent: message ?? `Reading ${filesName(files)} (${filesSize(files)})…` }), ' ', back);
}

function takeFiles(fs: readonly File[]): void {
  files = fs;
  showFile();
  void analyse();
}
setupDrop(takeFiles);

// ---- the link ---------------------------------------------------------------------------------------------

let written = '';
let linkTimer: ReturnType<typeof setTimeout> | undefined;

const pageState = (): PageState => ({
  model: files ? '' : editor.text,
  options: readOptions(),
  claims: byId<HTMLTextAreaElement>('claims').value,
  diff: readDiff(),
  open: PANELS.filter((p) => isOpen(p) !== (p === 'pictures' || p === 'layers')).map((p) => (isOpen(p) ? p : `-${p}`)),
});

function scheduleLink(): void {
  clearTimeout(linkTimer);
  linkTimer = setTimeout(async () => {
    const fragment = await encodeState(pageState());
    const note = byId('link-status');
    if (fragment === undefined) {
      note.hidden = false;
      note.textContent = 'This model is too long to put in a link; the address bar keeps the last one that fitted.';
      return;
    }
    if (note.textContent?.startsWith('This model is too long')) note.hidden = true;
    written = fragment;
    if (location.hash !== fragment) history.replaceState(null, '', fragment);
  }, 250);
}

async function restore(fragment: string): Promise<boolean> {
  let state: PageState | undefined;
  try {
    state = await decodeState(fragment);
  } catch (e) {
    const note = byId('link-status');
    note.hidden = false;
    note.textContent = `This link could not be read: ${e instanceof LinkError ? e.message : String(e)} The page shows its default model instead.`;
    root.dataset['linkError'] = '1';
    return false;
  }
  if (!state) return false;
  files = undefined;
  showFile();
  editor.set(state.model);
  writeOptions(state.options);
  byId<HTMLTextAreaElement>('claims').value = state.claims;
  writeDiff(state.diff);
  for (const p of PANELS) byId<HTMLDetailsElement>(p).open = state.open.includes(p) || ((p === 'pictures' || p === 'layers') && !state.open.includes(`-${p}`));
  if (!state.model.trim()) status('This link carries no model (a dropped file is never put in a link): type one, pick one or drop the file again.');
  return true;
}

window.addEventListener('hashchange', async () => {
  if (location.hash === written) return;
  if (await restore(location.hash)) void analyse();
});

byId('share').addEventListener('click', async () => {
  clearTimeout(linkTimer);
  const fragment = await encodeState(pageState());
  const note = byId('link-status');
  note.hidden = false;
  if (fragment === undefined) {
    note.textContent = 'This model is too long to put in a link.';
    return;
  }
  written = fragment;
  history.replaceState(null, '', fragment);
  const ok = await copyText(location.href);
  note.textContent = ok ? `Link copied${files ? ' (without the dropped file, which is never put in a link)' : ''}.` : 'The link is in the address bar; copy it from there.';
});

// ---- wiring -----------------------------------------------------------------------------------------------

const later = () => void analyse();
for (const id of ['opt-input', 'opt-batch', 'opt-seq']) byId(id).addEventListener('input', later);
for (const id of ['opt-convention', 'opt-relu', 'opt-padding', 'opt-flatten', 'opt-formula', 'opt-rf', 'opt-depth']) byId(id).addEventListener('change', later);
byId('claims').addEventListener('input', () => {
  scheduleLink();
  void runCheck();
});
for (const id of ['vs-model', 'vs-input', 'vs-batch', 'vs-seq']) byId(id).addEventListener('input', () => (scheduleLink(), void runDiff()));
for (const id of ['vs-convention', 'vs-all']) byId(id).addEventListener('change', () => (scheduleLink(), void runDiff()));
for (const p of PANELS) {
  byId(p).addEventListener('toggle', () => {
    drawOpen();
    if (p === 'check') void runCheck();
    if (p === 'diff') void runDiff();
    scheduleLink();
  });
}
byId('expand').addEventListener('click', () => setAllModules(true));
byId('collapse').addEventListener('click', () => setAllModules(false));
for (const [id, what] of [['copy-md', 'Markdown'], ['copy-csv', 'CSV']] as const) {
  byId(id).addEventListener('click', async () => {
    const view = currentView();
    if (!view) return;
    const ok = await copyText(what === 'CSV' ? view.csv : view.markdown);
    byId('copy-status').textContent = ok ? `Copied the table as ${what}.` : `Copying was refused by the browser.`;
  });
}
let width = 0;
new ResizeObserver(([entry]) => {
  const w = Math.round(entry?.contentRect.width ?? 0);
  if (Math.abs(w - width) < 24) return;
  width = w;
  redrawPictures();
}).observe(byId('figures'));

/**
 * Once the first result is up: load what later steps need (the graph layout, the readers), so that after this no
 * analysis makes a request. `data-idle` says when that is done.
 */
function idle(): void {
  setTimeout(() => void Promise.all([layoutReady(), engine.idle()]).then(() => (root.dataset['idle'] = '1')), 200);
}

// ---- start ------------------------------------------------------------------------------------------------

const restored = location.hash ? await restore(location.hash) : false;
if (!restored) editor.set(VGG16); // no link, an empty one, or one that could not be read
// A link without a model (it came from a dropped file) leaves its message up instead of analysing nothing.
if (!restored || editor.text.trim()) void analyse();
void engine.ready.then((ready) =>
  setupZoo(ready, (name) => {
    files = undefined;
    showFile();
    editor.set(name);
    void analyse();
  }),
);
