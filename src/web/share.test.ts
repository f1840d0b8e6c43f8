import { describe, expect, test } from 'vitest';
import { DEFAULT_OPTIONS } from './protocol.js';
import { DEFAULT_DIFF, decodeState, encodeState, LinkError, MAX_STATE_BYTES, type PageState } from './share.js';

const state: PageState = {
  model: '224x224x3, conv3-64 x2, maxpool, FC-10 — ünïcode ✓',
  options: { ...DEFAULT_OPTIONS, batch: '8', convention: 'keras', relu: false, depth: 2, rf: true },
  claims: 'conv3-256: 0.59M = (3*3)*(256*256)',
  diff: { ...DEFAULT_DIFF, model: 'vgg19', all: true },
  open: ['explain', 'check', '-pictures'],
};

/** A fragment carrying these bytes, deflated as the page does. */
async function fragmentOf(bytes: Uint8Array): Promise<string> {
  const packed = new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return `#1.${Buffer.from(packed).toString('base64url')}`;
}

const rejection = (fragment: string) => decodeState(fragment).then(() => 'accepted', (e: unknown) => (e instanceof LinkError ? e.message : `not a LinkError: ${e}`));

describe('the shareable link', () => {
  test('restores exactly what it encodes, in base64url after #1.', async () => {
    const fragment = (await encodeState(state))!;
    expect(fragment).toMatch(/^#1\.[A-Za-z0-9_-]+$/);
    expect(await decodeState(fragment)).toEqual(state);
    // Base64url as Node writes it (an independent encoder) reads the same.
    const json = new TextEncoder().encode(JSON.stringify({ m: 'vgg16' }));
    expect((await decodeState(await fragmentOf(json)))!.model).toBe('vgg16');
  });

  test('defaults are left out, so a zoo name makes a short link', async () => {
    const fragment = (await encodeState({ model: 'resnet50', options: DEFAULT_OPTIONS, claims: '', diff: DEFAULT_DIFF, open: [] }))!;
    expect(fragment.length).toBeLessThan(40);
  });

  test('a malformed link says what is wrong and where', async () => {
    expect(await rejection('#1.ab$d')).toContain("'$' at offset 5");
    expect(await rejection('#1.A')).toContain('cut short');
    expect(await rejection('#1.AAAAAAAA')).toContain('not deflate-compressed data');
    expect(await rejection('#model=vgg16')).toContain("links of this page start '#1.'");
    expect(await rejection(await fragmentOf(new TextEncoder().encode('{"m": 3}')))).toContain("the link's m should be text; found number");
    expect(await rejection(await fragmentOf(new TextEncoder().encode('{"m": "x", "o": {"depth": 1.5}}')))).toContain('depth is 1.5');
    expect(await rejection(await fragmentOf(new TextEncoder().encode('{"m": "x", "o": {"convention": "tf"}}')))).toContain("convention is 'tf'");
    expect(await rejection(await fragmentOf(new TextEncoder().encode('[1, 2')))).toContain('not valid JSON');
    expect(await rejection(await fragmentOf(new Uint8Array([0xff, 0xfe])))).toContain('not valid JSON');
  });

  test('a small link cannot inflate into gigabytes', async () => {
    const bomb = await fragmentOf(new Uint8Array(MAX_STATE_BYTES + 1024)); // zeros deflate about 1000 to 1
    expect(bomb.length).toBeLessThan(20_000);
    expect(await rejection(bomb)).toContain('inflates to more than 8 MiB');
  });

  test('a state too large for a link gives no link', async () => {
    const big = 'x'.repeat(MAX_STATE_BYTES + 1);
    expect(await encodeState({ ...state, model: big })).toBeUndefined();
  });
});
