/**
 * How well the scorer reads finance headlines: accuracy on the held-out half of the labelled
 * set (the rules were tuned on the other half only), and the tone of every story the simulator
 * writes. Both figures are printed; bench/sentiment.ts compares them with AFINN and VADER.
 */
import { describe, expect, it } from 'vitest';
import { scoreHeadline } from '../../../src/domain/sentiment';
import {
  NEUTRAL_KINDS,
  NEWS_KINDS,
  haltStory,
  marketStory,
  shortName,
} from '../../../src/sim/market/newsCatalog';
import { createRng } from '../../../src/sim/market/rng';
import type { SimAsset } from '../../../src/sim/market/universe';
import { loadLabelledHeadlines, type LabelledHeadline } from './headlines';

const accuracy = (rows: readonly LabelledHeadline[]): number =>
  rows.filter((r) => scoreHeadline(r.headline).label === r.label).length / rows.length;

describe('labelled finance headlines', () => {
  const rows = loadLabelledHeadlines();
  const half = (split: string) => rows.filter((r) => r.split === split);

  it('has at least 320 headlines, labels roughly balanced and each split evenly between the halves', () => {
    expect(rows.length).toBeGreaterThanOrEqual(320);
    for (const label of ['positive', 'negative', 'neutral']) {
      const tune = half('tune').filter((r) => r.label === label).length;
      const test = half('test').filter((r) => r.label === label).length;
      expect(tune + test).toBeGreaterThanOrEqual(rows.length / 4);
      expect(Math.abs(tune - test)).toBeLessThanOrEqual(1);
    }
    expect(new Set(rows.map((r) => r.headline)).size).toBe(rows.length);
  });

  it('reads at least 85 % of the test half right', () => {
    const test = accuracy(half('test'));
    const tune = accuracy(half('tune'));
    console.log(
      `sentiment accuracy: test half ${(100 * test).toFixed(1)} %, tune half ${(100 * tune).toFixed(1)} %`,
    );
    expect(test).toBeGreaterThanOrEqual(0.85);
  });
});

describe("the simulator's news", () => {
  const asset = (symbol: string, name: string, fields: Partial<SimAsset>): SimAsset => ({
    id: symbol,
    symbol,
    name,
    exchange: 'NASDAQ',
    sector: 'Industrials',
    industry: 'Machinery',
    price: 40,
    avgVolume: 2e6,
    beta: 1,
    marketCap: 8e9,
    fiftyDayAvg: 40,
    tradable: true,
    status: 'active',
    marginable: true,
    shortable: true,
    easyToBorrow: true,
    fractionable: true,
    ...fields,
  });
  // Between them every kind applies: a small drug maker (fda, offering), a large industrial (contract, dividend).
  const ASSETS = [
    asset('QNTL', 'Quintel Therapeutics, Inc.', {
      sector: 'Healthcare',
      industry: 'Biotechnology',
      price: 6,
      marketCap: 7e8,
    }),
    asset('HLVR', 'Halvorsen Robotics Corp.', { price: 180, marketCap: 6e10 }),
    asset('PNBK', 'Pinebrook Foods Co.', { sector: 'Consumer Defensive', industry: 'Packaged Foods' }),
  ];
  const SEEDS = 150;
  const DATE = '2026-11-02';

  it('every kind applies to one of the assets', () => {
    for (const kind of [...NEWS_KINDS, ...NEUTRAL_KINDS])
      expect(ASSETS.some((a) => kind.applies(a))).toBe(true);
  });

  it('reads positive stories above 0 and negative ones below, at least 95 % of the time', () => {
    let stories = 0;
    let right = 0;
    for (let seed = 0; seed < SEEDS; seed++)
      for (const a of ASSETS)
        for (const kind of NEWS_KINDS.filter((k) => k.applies(a)))
          for (const tone of ['positive', 'negative'] as const) {
            const story = kind.write(tone, {
              asset: a,
              name: shortName(a),
              date: DATE,
              rng: createRng(seed, kind.id),
            });
            const { score } = scoreHeadline(story.headline);
            stories++;
            if (tone === 'positive' ? score > 0 : score < 0) right++;
          }
    console.log(
      `simulator stories read with their tone: ${right}/${stories} (${((100 * right) / stories).toFixed(1)} %)`,
    );
    expect(right / stories).toBeGreaterThanOrEqual(0.95);
  });

  it('reads the neutral kinds as neutral, at least 90 % of the time', () => {
    let stories = 0;
    let neutral = 0;
    for (let seed = 0; seed < SEEDS; seed++)
      for (const a of ASSETS)
        for (const kind of NEUTRAL_KINDS.filter((k) => k.applies(a))) {
          const story = kind.write({
            asset: a,
            name: shortName(a),
            date: DATE,
            rng: createRng(seed, kind.id),
          });
          stories++;
          if (scoreHeadline(story.headline).label === 'neutral') neutral++;
        }
    console.log(`simulator neutral stories read as neutral: ${neutral}/${stories}`);
    expect(neutral / stories).toBeGreaterThanOrEqual(0.9);
  });

  it('reads market-wide stories and halts with their tone', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(scoreHeadline(marketStory('gap-up', createRng(seed)).headline).label).toBe('positive');
      expect(scoreHeadline(marketStory('gap-down', createRng(seed)).headline).label).toBe('negative');
      expect(scoreHeadline(marketStory('crash', createRng(seed)).headline).label).toBe('negative');
    }
    expect(scoreHeadline(haltStory('Halvorsen Robotics', 'HLVR').headline).label).toBe('neutral');
  });
});
