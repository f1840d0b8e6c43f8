/**
 * @module
 * The analysis worker: every analysis, check and diff runs here, off the page's thread, so no input can freeze
 * the page, and the page can end a long analysis by ending the worker. It answers each request with a view
 * (plain data, numbers formatted) or an ErrorView, and never throws.
 */
import type { Report } from '../analyze/report.js';
import { checkClaims } from '../check/index.js';
import { diffReports } from '../diff/index.js';
import { ModelError } from '../errors.js';
import { MAX_TEXT_BYTES } from '../limits.js';
import { FAMILY_TITLES, familyOf, zoo } from '../zoo/index.js';
import { analyseSource, errorView, field, FieldError, type Loaded } from './analyse.js';
import { checkView, diffView } from './panels.js';
import type { Field, Options, Ready, Request, Response, Result, Source } from './protocol.js';
import { reportView } from './view.js';

/** The last analysis, reused by the check and diff panels while the model and settings stay the same. */
let last: { source: Source; options: string; report: Report; loaded: Loaded } | undefined;

const sameSource = (a: Source, b: Source): boolean =>
  a.kind === 'text' ? b.kind === 'text' && a.text === b.text : b.kind === 'file' && a.files.length === b.files.length && a.files.every((f, i) => f === b.files[i]);

async function analysis(source: Source, options: Options): Promise<{ report: Report; loaded: Loaded }> {
  const key = JSON.stringify({ ...options, depth: 0, formula: false, rf: false });
  if (last && last.options === key && sameSource(last.source, source)) return last;
  const done = await analyseSource(source, options);
  last = { source, options: key, ...done };
  return done;
}

async function answer(req: Request): Promise<Result> {
  const t = performance.now();
  const { report, loaded } = await analysis(req.source, req.options);
  switch (req.kind) {
    case 'analyse':
      return { kind: 'analyse', view: reportView(report, req.options, { ...(loaded.file !== undefined ? { file: loaded.file } : {}), ms: performance.now() - t }) };
    case 'check': {
      if (req.claims.length > MAX_TEXT_BYTES) throw new ModelError('input', `the claims are ${(req.claims.length / 1024 / 1024).toFixed(1)} MiB of text; nncalc reads claims up to ${MAX_TEXT_BYTES / 1024 / 1024} MiB.`);
      return { kind: 'check', view: checkView(field('claims', () => checkClaims(report, req.claims))) };
    }
    case 'diff': {
      const o = req.other;
      const b = await analyseSource(o.model.trim() ? { kind: 'text', text: o.model } : req.source, {
        ...req.options,
        input: o.input.trim() || req.options.input,
        batch: o.batch.trim() || req.options.batch,
        seq: o.seq.trim() || req.options.seq,
        convention: o.convention || req.options.convention,
      }).catch((e: unknown) => {
        // Errors of the second side name its own fields.
        if (e instanceof FieldError) throw new FieldError(SIDE_FIELDS[e.field] ?? 'other', e.error);
        throw e instanceof ModelError ? new FieldError('other', e) : e;
      });
      return { kind: 'diff', view: diffView(diffReports(report, b.report), o.all) };
    }
  }
}

const SIDE_FIELDS: Partial<Record<Field, Field>> = { input: 'vs-input', batch: 'vs-batch', seq: 'vs-seq' };

/**
 * After the first answer (or a second after start, for a spare worker), the lazily loaded parts (the YAML and spec
 * readers, the config reader, the model-file readers) are loaded while the page is idle, so reading a spec or a
 * dropped file later needs no download. The page is told when they are in.
 */
let warmed = false;
function warm(): void {
  if (warmed) return;
  warmed = true;
  setTimeout(() => {
    const parts = [import('../describe/from-object.js'), import('../describe/yaml.js'), import('yaml'), import('../zoo/hf/index.js'), import('../summarize-file.js'), import('../io/blob.js')];
    void Promise.all(parts).then(
      () => self.postMessage({ warm: true }),
      () => self.postMessage({ warm: false }),
    );
  }, 100);
}
setTimeout(warm, 1000);

self.onmessage = async (event: MessageEvent<Request>) => {
  const req = event.data;
  let response: Response;
  try {
    response = { id: req.id, ok: true, result: await answer(req) };
  } catch (e) {
    response = { id: req.id, ok: false, error: errorView(e, req.source.kind === 'text' ? req.source.text : undefined) };
  }
  self.postMessage(response);
  warm();
};

const ready: Ready = {
  ready: true,
  zoo: zoo.map((e) => ({ name: e.name, title: e.title, family: familyOf(e) })),
  families: FAMILY_TITLES,
};
self.postMessage(ready);
