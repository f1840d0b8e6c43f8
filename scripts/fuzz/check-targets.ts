/**
 * check's text readers as fuzz targets: the claim parser (alone, and checking against VGG-16) and the
 * summary parser behind `nncalc explain <summary>`. Seeds are claims and summaries in every form they read;
 * the structured inputs are test/fuzz/check.properties.ts's hostile texts. The engine property (a true claim
 * is judged right) is a property of its own there.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ByteSource } from '../../src/io/bytes.js';
import { readClaims } from '../../src/check/claims.js';
import { checkClaims } from '../../src/check/index.js';
import { explainSummary } from '../../src/check/summary/index.js';
import type { Report } from '../../src/analyze/report.js';
import { summarize } from '../../src/summarize.js';
import { summaryText, text } from '../../test/fuzz/check.properties.js';
import type { FuzzTarget } from './harness.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = async (source: ByteSource): Promise<string> => new TextDecoder().decode(await source.read(0, source.size));

const CLAIMS = [
  'conv3-256: 0.59M = (3*3)*(256*256)',
  'conv3-64 x 2 : 38,720 conv3-128 x 2 : 221,440 fc1 : 102,764,544 TOTAL : 138,357,544',
  'fc1 (x): (512x7x7)x4,096 (weights) + 4,096 (biases)\ntotal: 138 357 544; fc2 weights: 4096*4096',
  '| layer | formula | params |\n|---|---|---:|\n| features.0 | 3·3·3·64 + 64 | 1,792 |\n| conv1_1 | 3*3*3*64 | 1,728 |',
  'name,params,macs\r\nfeatures.0,1792,86704128\r\n"classifier.0","102,764,544",102760448\r\n',
  'conv1_1\t1,792\t3*3*3*64 + 64\nfc6\t102764544',
  "1. **Total params:** 138'357'544\n2) `fc1`: about 102.8M\n- Total mult-adds (M): 15470.26",
];
const SUMMARIES = 'test/fixtures/summaries';

let vgg: Report | undefined;

export const checkTargets: readonly FuzzTarget[] = [
  {
    name: 'claims',
    seeds: () => CLAIMS.map(encode),
    run: async (source) => readClaims(await decode(source)),
    arbitrary: text.map(encode),
  },
  {
    name: 'check-vgg16',
    seeds: () => CLAIMS.map(encode),
    run: async (source) => checkClaims((vgg ??= summarize('vgg16')), await decode(source)),
    arbitrary: text.map(encode),
  },
  {
    name: 'summary',
    seeds: () => readdirSync(SUMMARIES).filter((f) => f.endsWith('.txt')).map((f) => new Uint8Array(readFileSync(`${SUMMARIES}/${f}`))),
    run: async (source) => explainSummary(await decode(source)),
    arbitrary: summaryText.map(encode),
  },
];
