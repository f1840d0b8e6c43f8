// check's readers and checker at scale: 1 MB of adversarial claims and summary text (each must stay linear:
// milliseconds, not seconds), 30,000 claims in one file, and a claim without a key on a 50,000-layer model.
import { timeCall } from './_time.mjs';

export const title = "check and explain <summary> at scale (target: every row well under 1 s; linear in claims and layers)";

const MB = 1 << 20;
const fill = (unit, prefix = '', suffix = '') => prefix + unit.repeat(Math.ceil((MB - prefix.length - suffix.length) / unit.length)) + suffix;

export async function run({ runs }) {
  const lib = await import('../../dist/index.js');
  const { readClaims } = await import('../../dist/check/claims.js');
  const { checkClaims } = await import('../../dist/check/index.js');
  const { explainSummary } = await import('../../dist/check/summary/index.js');
  const claims = {
    'spaces in a key, then =': fill(' ', 'a', 'b = 5'),
    'brackets and words': fill(' (x', 'total: 5'),
    'space-grouped digits': fill(' 000', 'total: 1'),
    'a long sum': fill('1+', 'total: ', '1'),
    'keys run together': fill('a: 1 b'),
    'table pipes': fill('|'),
    'table rows': fill('| x | 1 |\n', '| layer | params |\n|---|---|\n'),
    'CSV quotes': fill('"', 'layer,params\n'),
    'tabs': fill('\t'),
    '= signs': fill('5=', 'fc1: ', '5'),
    'list markers': fill('- '),
  };
  const row = '│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │\n';
  const summaries = {
    'a Keras 3 box table': fill(row, '┃ Layer (type) ┃ Output Shape ┃ Param # ┃\n', ' Total params: 1\n'),
    'spaces under a ruled header': fill(' ', 'Layer (type)  Output Shape  Param #\n', '(\nTotal params: 1\n'),
    'torchinfo tree prefixes': fill('│    ', 'Layer (type:depth-idx)    Output Shape    Param #\n', '└─x\nTotal params: 1\n'),
  };
  const rows = [];
  const outcome = (f) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return e instanceof lib.ModelError ? `error[${e.code}]` : `CRASH ${e?.constructor?.name}`;
    }
  };
  const n = Math.min(runs, 3);
  for (const [name, text] of Object.entries(claims)) {
    let out = '';
    const ms = await timeCall(() => void (out = outcome(() => readClaims(text))), n);
    rows.push(['claims', name, (text.length / MB).toFixed(2), ms.toFixed(1), out]);
  }
  for (const [name, text] of Object.entries(summaries)) {
    let out = '';
    const ms = await timeCall(() => void (out = outcome(() => explainSummary(text))), n);
    rows.push(['summary', name, (text.length / MB).toFixed(2), ms.toFixed(1), out]);
  }
  const vgg = lib.summarize('vgg16');
  const lines = Array.from({ length: 30000 }, (_, i) => `features.${(i % 13) * 2}: ${i}`).join('\n');
  rows.push(['check', '30,000 claims on vgg16', (lines.length / MB).toFixed(2), (await timeCall(() => checkClaims(vgg, lines), 1)).toFixed(1), 'ok']);
  const unkeyed = Array.from({ length: 30000 }, (_, i) => `${i * 7 + 1}`).join('\n');
  rows.push(['check', '30,000 claims without a key on vgg16', (unkeyed.length / MB).toFixed(2), (await timeCall(() => checkClaims(vgg, unkeyed), 1)).toFixed(1), 'ok']);
  const wide = lib.summarize(`32x32x3, ${Array.from({ length: 10 }, () => 'conv3-8 x5000').join(', ')}`);
  rows.push(['check', `a claim without a key, ${wide.layers.length} layers`, '', (await timeCall(() => checkClaims(wide, '590080'), 1)).toFixed(1), 'ok']);
  rows.push(['check', `a label on ${wide.layers.length - 1} layers`, '', (await timeCall(() => checkClaims(wide, 'conv3-8: 584'), 1)).toFixed(1), 'ok']);
  return { header: ['reader', 'input', 'MB', 'median ms', 'outcome'], rows };
}
