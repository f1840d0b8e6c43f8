/**
 * @module
 * Plain ASCII for --ascii: every character past 127 is written with ASCII ones, the formulas readably
 * (⌊(224 + 2·1 − 3)/1⌋ + 1 becomes floor((224 + 2*1 - 3)/1) + 1), so the output survives any terminal, pager or
 * file encoding. Texts are converted before they are laid out, so columns stay aligned.
 */

const MAP: Readonly<Record<string, string>> = {
  '·': '*',
  '×': 'x',
  '−': '-',
  '–': '-',
  '—': '--',
  '⌊': 'floor(',
  '⌋': ')',
  '⌈': 'ceil(',
  '⌉': ')',
  '→': '->',
  '←': '<-',
  'Σ': 'sum ',
  '…': '...',
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '≈': '~',
  '±': '+/-',
  '²': '^2',
  '³': '^3',
  'ᵀ': '^T',
  '‖': '||',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '─': '-',
  '═': '=',
  '│': '|',
  'γ': 'gamma',
  'β': 'beta',
  'μ': 'mu',
  'σ': 'sigma',
  '✓': '+',
  '✗': 'x',
  '•': '*',
};

/** The text in ASCII: known symbols spelled out, accents dropped, anything else as '?'. */
export function ascii(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = '';
  // A spaced middle dot separates items ('Input … · output …'); unspaced, it multiplies (3·3·64).
  for (const ch of text.replace(/ · /g, ' | ')) {
    if (ch.charCodeAt(0) < 128) out += ch;
    else if (MAP[ch] !== undefined) out += MAP[ch];
    else {
      // Compatibility forms and accents: 'ₐ' → 'a', 'é' → 'e'; what remains has no ASCII form.
      const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(plain) ? plain : '?';
    }
  }
  return out;
}
