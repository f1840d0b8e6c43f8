/**
 * @module
 * What nncalc reads of a TorchScript archive's `code/` (torch.jit.save): for each class its data.pkl instantiates,
 * the class header that `torch.jit` writes —
 *
 * ```
 * class Conv2d(Module):
 *   __parameters__ = ["weight", "bias", ]
 *   __buffers__ = []
 *   in_channels : Final[int] = 3
 *   kernel_size : Final[Tuple[int, int]] = (3, 3)
 * ```
 *
 * — which attributes are parameters and buffers, and the constants (`Final`) a scripted module keeps: its
 * constructor attributes. A traced module's code has no constants. The code is only scanned line by line; nothing
 * in it is run or interpreted beyond these literals.
 */
import type { PyGlobal } from '../../io/pickle.js';

/** One class header. */
export interface ScriptClass {
  readonly parameters: string[];
  readonly buffers: string[];
  readonly constants: Record<string, unknown>;
}

/** The code file that defines a class: `__torch__.torch.nn.modules.conv` → `code/__torch__/torch/nn/modules/conv.py`. */
export const codePath = (g: PyGlobal): string => `code/${g.module.replace(/\./g, '/')}.py`;

/** A Python literal of the kinds TorchScript writes for constants: int, float, str, bool, None, tuples and lists of them. */
export function pyLiteral(text: string): unknown {
  let i = 0;
  const s = text.trim();
  const ws = () => {
    while (s[i] === ' ') i++;
  };
  const value = (depth: number): unknown => {
    ws();
    const c = s[i];
    if (depth > 8) throw new Error('nested');
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const out: unknown[] = [];
      for (;;) {
        ws();
        if (s[i] === close) {
          i++;
          return out;
        }
        out.push(value(depth + 1));
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== close) throw new Error('list');
      }
    }
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new Error('string');
      const v = s.slice(i + 1, end);
      i = end + 1;
      return v;
    }
    const m = /^(True|False|None|-?\d+(\.\d+)?(e-?\d+)?)/.exec(s.slice(i, i + 40));
    if (!m) throw new Error('token');
    i += m[0].length;
    return m[0] === 'True' ? true : m[0] === 'False' ? false : m[0] === 'None' ? null : Number(m[0]);
  };
  try {
    const v = value(0);
    ws();
    return i === s.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The names in `__parameters__ = ["weight", "bias", ]`. */
const names = (rhs: string): string[] => [...rhs.matchAll(/"([^"\n]{0,200})"/g)].map((m) => m[1]!);

/** The header of class `name` in one code file, or undefined when the file does not define it. */
export function parseScriptClass(code: string, name: string): ScriptClass | undefined {
  const lines = code.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`class ${name}(`) || l === `class ${name}:`);
  if (start < 0) return undefined;
  const out: ScriptClass = { parameters: [], buffers: [], constants: {} };
  for (let k = start + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (!line.startsWith('  ')) break;
    if (line.startsWith('  def ')) break;
    const body = line.slice(2);
    if (body.startsWith('__parameters__ = ')) out.parameters.push(...names(body));
    else if (body.startsWith('__buffers__ = ')) out.buffers.push(...names(body));
    else {
      const colon = body.indexOf(' : Final[');
      const eq = body.lastIndexOf('] = ');
      if (colon > 0 && eq > colon && /^\w+$/.test(body.slice(0, colon))) {
        const v = pyLiteral(body.slice(eq + 4));
        if (v !== undefined) out.constants[body.slice(0, colon)] = v;
      }
    }
  }
  return out;
}
