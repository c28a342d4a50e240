/**
 * The kinds of company news the simulator publishes, how big a move each typically explains,
 * and how each reads in a positive or negative tone. Texts never quote the coming price move,
 * so a headline can only tell its tone, not the number.
 */
import type { Rng } from './rng';
import type { SimAsset } from './universe';

export type Tone = 'positive' | 'negative' | 'neutral';

export interface Story {
  headline: string;
  summary: string;
  /** Paragraphs of the article body (plain text; HTML-escaped when rendered). */
  body: string[];
}

export interface WriteContext {
  asset: SimAsset;
  /** Short company name: "Agilent Technologies" for "Agilent Technologies, Inc.". */
  name: string;
  /** The session date (YYYY-MM-DD) the story belongs to. */
  date: string;
  rng: Rng;
}

export interface NewsKind {
  id: string;
  /** Relative frequency among the kinds that apply to a company. */
  weight: number;
  applies(asset: SimAsset): boolean;
  /** Absolute log move of the jump, drawn uniformly in [min, max] before size scaling. */
  move: readonly [number, number];
  /** Share of these stories that come out before the open (they explain opening gaps). */
  premarket: number;
  write(tone: 'positive' | 'negative', ctx: WriteContext): Story;
}

export interface NeutralKind {
  id: string;
  applies(asset: SimAsset): boolean;
  write(ctx: WriteContext): Story;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)]!;
const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
const money = (x: number): string => `$${x.toFixed(2)}`;
const signedEps = (x: number): string => (x < 0 ? `$(${Math.abs(x).toFixed(2)})` : `$${x.toFixed(2)}`);

function bigMoney(x: number): string {
  if (x >= 1e9) return `$${(x / 1e9).toFixed(2)}B`;
  return `$${(x / 1e6).toFixed(x >= 1e8 ? 0 : 1)}M`;
}

function reportedQuarter(date: string): { q: number; year: number } {
  const month = Number(date.slice(5, 7));
  const year = Number(date.slice(0, 4));
  const current = Math.ceil(month / 3);
  return current === 1 ? { q: 4, year: year - 1 } : { q: current - 1, year };
}

const isHealthcare = (a: SimAsset): boolean => a.sector === 'Healthcare';
const isDrugMaker = (a: SimAsset): boolean =>
  isHealthcare(a) && /biotech|drug/i.test(a.industry || 'Biotechnology');
const isSmallCap = (a: SimAsset): boolean => a.marketCap > 0 && a.marketCap < 2e9;
const always = (): boolean => true;

const FIRMS = [
  'Harbor & Vale Securities',
  'Northgate Capital Markets',
  'Ridgeway Partners',
  'Calloway Research',
  'Summit Crest Advisors',
  'Bramwell & Co.',
  'Lakeshore Equity Research',
  'Pemberton Sachs',
] as const;
const BUYERS = [
  'Granite Peak Capital',
  'Ashford Equity Partners',
  'Bluewater Holdings',
  'Sterling Oak Group',
];
const CUSTOMERS = [
  'the U.S. Department of Defense',
  'a Fortune 100 retailer',
  'a major European utility',
  'the U.S. Army',
  'a leading cloud provider',
  'a top-three U.S. carrier',
  'NASA',
  'a large hospital network',
];
const INDICATIONS = [
  'relapsed multiple myeloma',
  'moderate-to-severe plaque psoriasis',
  'early Alzheimer’s disease',
  'non-small cell lung cancer',
  'chronic kidney disease',
  'type 2 diabetes',
  'a rare pediatric epilepsy',
  'advanced melanoma',
];
const PROBES = ['the SEC', 'the Justice Department', 'the FTC', 'state attorneys general'];
const TOPICS = [
  'accounting practices',
  'billing practices',
  'pricing',
  'disclosures to investors',
  'a data breach',
];
const PEOPLE = [
  'Jordan Hale',
  'Maria Castellanos',
  'Wei Zhang',
  'Samuel Okafor',
  'Anna Lindqvist',
  'Robert Kline',
];

function drugName(rng: Rng): string {
  const a = ['Zel', 'Vor', 'Tra', 'Miro', 'Kes', 'Luma', 'Ora', 'Peni'];
  const b = ['va', 'tri', 'lo', 'xa', 'ne', 'ri'];
  const c = ['mab', 'tinib', 'stat', 'zumab', 'parin', 'ciclib'];
  return `${pick(rng, a)}${pick(rng, b)}${pick(rng, c)}`;
}

/** Plausible quarterly numbers from the company's size, so headlines carry real-looking figures. */
function quarterFigures(ctx: WriteContext): { eps: number; revenue: number } {
  const { asset, rng } = ctx;
  const losing = isSmallCap(asset) && rng.next() < 0.5;
  const pe = between(rng, 12, 35);
  const eps = losing ? -between(rng, 0.05, 0.6) : Math.max(0.01, asset.price / pe / 4);
  const cap = asset.marketCap > 0 ? asset.marketCap : asset.price * 5e7;
  const revenue = Math.max(2e6, cap / between(rng, 1, 6) / 4);
  return { eps, revenue };
}

export const NEWS_KINDS: readonly NewsKind[] = [
  {
    id: 'earnings',
    weight: 30,
    applies: always,
    move: [0.03, 0.12],
    premarket: 0.85,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const { q } = reportedQuarter(ctx.date);
      const f = quarterFigures(ctx);
      const beat = tone === 'positive';
      const epsDelta = Math.max(0.01, Math.abs(f.eps) * between(rng, 0.03, 0.25));
      const eps = beat ? f.eps + epsDelta : f.eps - epsDelta;
      const revenue = f.revenue * (beat ? 1 + between(rng, 0.01, 0.06) : 1 - between(rng, 0.01, 0.06));
      const verb = beat ? 'Beats' : 'Misses';
      return {
        headline: `${name} Q${q} EPS ${signedEps(eps)} ${verb} ${signedEps(f.eps)} Estimate, Sales ${bigMoney(revenue)} ${beat ? 'Beat' : 'Miss'} ${bigMoney(f.revenue)} Estimate`,
        summary: beat
          ? `${name} (${asset.symbol}) reported quarterly results ahead of analyst expectations on both earnings and revenue, citing stronger demand.`
          : `${name} (${asset.symbol}) reported quarterly results below analyst expectations on both earnings and revenue, citing softer demand.`,
        body: [
          `${name} reported quarterly earnings of ${signedEps(eps)} per share against a consensus estimate of ${signedEps(f.eps)}. Revenue came in at ${bigMoney(revenue)} versus ${bigMoney(f.revenue)} expected.`,
          beat
            ? 'Management pointed to improving margins and said order trends remained healthy into the new quarter.'
            : 'Management pointed to cost pressure and said customers had delayed orders into the new quarter.',
        ],
      };
    },
  },
  {
    id: 'guidance',
    weight: 12,
    applies: always,
    move: [0.03, 0.1],
    premarket: 0.6,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const year = Number(ctx.date.slice(0, 4));
      const f = quarterFigures(ctx);
      const consensus = f.revenue * 4;
      const mid =
        consensus * (tone === 'positive' ? 1 + between(rng, 0.02, 0.08) : 1 - between(rng, 0.02, 0.08));
      const range = `${bigMoney(mid * 0.98)}-${bigMoney(mid * 1.02)}`;
      return tone === 'positive'
        ? {
            headline: `${name} Raises FY${year} Sales Guidance to ${range} vs ${bigMoney(consensus)} Consensus`,
            summary: `${name} (${asset.symbol}) lifted its full-year outlook above Wall Street expectations.`,
            body: [
              `${name} now expects full-year revenue of ${range}, above the ${bigMoney(consensus)} analysts had forecast.`,
              'The company said demand had run ahead of its earlier plan.',
            ],
          }
        : {
            headline: `${name} Cuts FY${year} Sales Guidance to ${range} vs ${bigMoney(consensus)} Consensus`,
            summary: `${name} (${asset.symbol}) lowered its full-year outlook below Wall Street expectations.`,
            body: [
              `${name} now expects full-year revenue of ${range}, below the ${bigMoney(consensus)} analysts had forecast.`,
              'The company blamed weaker demand and rising costs.',
            ],
          };
    },
  },
  {
    id: 'analyst',
    weight: 28,
    applies: always,
    move: [0.01, 0.04],
    premarket: 0.7,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const firm = pick(rng, FIRMS);
      const up = tone === 'positive';
      const rating = up
        ? pick(rng, ['Buy', 'Outperform', 'Overweight'])
        : pick(rng, ['Sell', 'Underperform', 'Underweight']);
      const target = asset.price * (up ? 1 + between(rng, 0.12, 0.4) : 1 - between(rng, 0.12, 0.35));
      return {
        headline: `${firm} ${up ? 'Upgrades' : 'Downgrades'} ${name} to ${rating}, ${up ? 'Raises' : 'Lowers'} Price Target to ${money(target)}`,
        summary: up
          ? `${firm} turned more bullish on ${name} (${asset.symbol}), seeing upside from improving fundamentals.`
          : `${firm} turned more cautious on ${name} (${asset.symbol}), warning that fundamentals are deteriorating.`,
        body: [
          `${firm} ${up ? 'upgraded' : 'downgraded'} ${name} to ${rating} and set a price target of ${money(target)}.`,
          up
            ? 'The analyst expects estimates to move higher over the next several quarters.'
            : 'The analyst expects estimates to come down over the next several quarters.',
        ],
      };
    },
  },
  {
    id: 'fda',
    weight: 14,
    applies: isDrugMaker,
    move: [0.08, 0.3],
    premarket: 0.5,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const drug = drugName(rng);
      const indication = pick(rng, INDICATIONS);
      return tone === 'positive'
        ? {
            headline: `FDA Approves ${name}'s ${drug} for ${indication}`,
            summary: `The FDA approved ${name}'s (${asset.symbol}) ${drug}, clearing the way for a commercial launch.`,
            body: [
              `The U.S. Food and Drug Administration approved ${drug} for the treatment of ${indication}.`,
              `${name} said it plans to launch the drug within weeks.`,
            ],
          }
        : {
            headline: `FDA Issues Complete Response Letter for ${name}'s ${drug}`,
            summary: `The FDA declined to approve ${name}'s (${asset.symbol}) ${drug} in its current form, a setback for the company.`,
            body: [
              `The U.S. Food and Drug Administration issued a complete response letter for ${drug} in ${indication}.`,
              `${name} said it would meet with the agency to discuss the path forward.`,
            ],
          };
    },
  },
  {
    id: 'merger',
    weight: 5,
    applies: always,
    move: [0.08, 0.3],
    premarket: 0.6,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const buyer = pick(rng, BUYERS);
      const offer = asset.price * (1 + between(rng, 0.15, 0.45));
      return tone === 'positive'
        ? {
            headline: `${name} to Be Acquired by ${buyer} for ${money(offer)} Per Share in Cash`,
            summary: `${name} (${asset.symbol}) agreed to be bought by ${buyer} at a substantial premium.`,
            body: [
              `${buyer} agreed to acquire ${name} for ${money(offer)} per share in cash.`,
              'The boards of both companies approved the deal, which is expected to close by year-end.',
            ],
          }
        : {
            headline: `${name} Says Sale Talks With ${buyer} Have Ended Without a Deal`,
            summary: `${name} (${asset.symbol}) ended talks about a potential sale to ${buyer}, disappointing investors.`,
            body: [
              `${name} said discussions with ${buyer} about a possible acquisition have been terminated.`,
              'The company said it would continue to pursue its plan as a standalone business.',
            ],
          };
    },
  },
  {
    id: 'legal',
    weight: 8,
    applies: always,
    move: [0.02, 0.08],
    premarket: 0.3,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      if (tone === 'positive') {
        const suit = pick(rng, ['patent', 'securities class action', 'antitrust']);
        return {
          headline: `${name} Wins Dismissal of ${suit.replace(/\b\w/g, (c) => c.toUpperCase())} Lawsuit`,
          summary: `A federal judge dismissed a ${suit} lawsuit against ${name} (${asset.symbol}), removing an overhang.`,
          body: [
            `A federal judge dismissed the ${suit} suit against ${name} with prejudice.`,
            'The company said the ruling confirmed its position.',
          ],
        };
      }
      const probe = pick(rng, PROBES);
      const topic = pick(rng, TOPICS);
      return {
        headline: `${name} Faces Probe by ${probe.replace(/^the /, '').replace(/^\w/, (c) => c.toUpperCase())} Over ${topic.replace(/\b\w/g, (c) => c.toUpperCase())}`,
        summary: `${name} (${asset.symbol}) disclosed an investigation by ${probe} into its ${topic}, raising legal risk.`,
        body: [
          `${name} said it received a subpoena from ${probe} related to its ${topic}.`,
          'The company said it is cooperating and cannot predict the outcome.',
        ],
      };
    },
  },
  {
    id: 'contract',
    weight: 8,
    applies: (a) => !isHealthcare(a),
    move: [0.02, 0.08],
    premarket: 0.4,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const customer = pick(rng, CUSTOMERS);
      const value = Math.max(5e6, (asset.marketCap || 1e9) * between(rng, 0.005, 0.04));
      return tone === 'positive'
        ? {
            headline: `${name} Wins ${bigMoney(value)} Contract From ${customer.replace(/^\w/, (c) => c.toUpperCase())}`,
            summary: `${name} (${asset.symbol}) won a multi-year contract that adds meaningfully to its backlog.`,
            body: [
              `${name} was awarded a ${bigMoney(value)} multi-year contract by ${customer}.`,
              'The company said work begins this quarter.',
            ],
          }
        : {
            headline: `${name} Loses ${bigMoney(value)} Contract With ${customer.replace(/^\w/, (c) => c.toUpperCase())}`,
            summary: `${name} (${asset.symbol}) lost a significant customer contract, a blow to its revenue outlook.`,
            body: [
              `${customer.replace(/^\w/, (c) => c.toUpperCase())} will not renew its ${bigMoney(value)} contract with ${name}.`,
              'The company said it is working to replace the lost volume.',
            ],
          };
    },
  },
  {
    id: 'offering',
    weight: 6,
    applies: (a) => isSmallCap(a) || a.price < 10,
    move: [0.04, 0.12],
    premarket: 0.7,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      const size = Math.max(5e6, (asset.marketCap || 3e8) * between(rng, 0.05, 0.15));
      return tone === 'positive'
        ? {
            headline: `${name} Closes ${bigMoney(size)} Strategic Investment From ${pick(rng, BUYERS)} at a Premium`,
            summary: `${name} (${asset.symbol}) secured funding from a strategic investor at a premium to market, strengthening its balance sheet.`,
            body: [
              `${name} sold ${bigMoney(size)} of new shares to a strategic investor above the prevailing market price.`,
              'The company said the funding extends its cash runway for several years.',
            ],
          }
        : {
            headline: `${name} Prices ${bigMoney(size)} Public Offering of Common Stock at a Discount`,
            summary: `${name} (${asset.symbol}) sold new shares below the market price, diluting existing holders.`,
            body: [
              `${name} priced an underwritten public offering raising ${bigMoney(size)} at a discount to the last close.`,
              'Proceeds are earmarked for general corporate purposes.',
            ],
          };
    },
  },
  {
    id: 'corporate',
    weight: 7,
    applies: always,
    move: [0.02, 0.06],
    premarket: 0.5,
    write(tone, ctx) {
      const { rng, name, asset } = ctx;
      if (tone === 'positive') {
        const size = Math.max(1e7, (asset.marketCap || 1e9) * between(rng, 0.03, 0.1));
        return {
          headline: `${name} Announces ${bigMoney(size)} Share Buyback Program`,
          summary: `${name} (${asset.symbol}) authorized a large share repurchase, signalling confidence in its outlook.`,
          body: [
            `The board of ${name} authorized the repurchase of up to ${bigMoney(size)} of its common stock.`,
            'Management said the shares are undervalued.',
          ],
        };
      }
      const person = pick(rng, PEOPLE);
      return {
        headline: `${name} CEO ${person} Steps Down Unexpectedly`,
        summary: `${name} (${asset.symbol}) said its chief executive resigned effective immediately, adding uncertainty.`,
        body: [
          `${name} said CEO ${person} has resigned, effective immediately, and the board has begun a search.`,
          'The company did not give a reason for the departure.',
        ],
      };
    },
  },
];

export const NEUTRAL_KINDS: readonly NeutralKind[] = [
  {
    id: 'dividend',
    applies: (a) => a.marketCap >= 2e9,
    write({ rng, name, asset }) {
      const amount = Math.max(0.01, (asset.price * between(rng, 0.005, 0.03)) / 4);
      return {
        headline: `${name} Declares Quarterly Dividend of ${money(amount)} Per Share`,
        summary: `${name} (${asset.symbol}) declared its regular quarterly dividend, unchanged from the prior quarter.`,
        body: [`The dividend of ${money(amount)} per share is payable next month to holders of record.`],
      };
    },
  },
  {
    id: 'conference',
    applies: always,
    write({ rng, name, asset }) {
      const conf = pick(rng, ['Global Technology', 'Healthcare', 'Industrials', 'Consumer', 'Energy']);
      return {
        headline: `${name} to Present at Upcoming ${conf} Investor Conference`,
        summary: `${name} (${asset.symbol}) management will present at an investor conference later this month.`,
        body: ['A live webcast will be available on the company’s investor relations website.'],
      };
    },
  },
  {
    id: 'earnings-date',
    applies: always,
    write(ctx) {
      const { q, year } = reportedQuarter(ctx.date);
      return {
        headline: `${ctx.name} to Report Q${q} ${year} Results`,
        summary: `${ctx.name} (${ctx.asset.symbol}) set the date for its quarterly results and conference call.`,
        body: ['The company will host a conference call after the release.'],
      };
    },
  },
];

const LEGAL_SUFFIX =
  /,?\s+(Inc\.?|Incorporated|Corporation|Corp\.?|Co\.?|Company|Ltd\.?|Limited|plc|N\.V\.|S\.A\.|S\.?A|SE|AG|L\.P\.|LP|LLC|Holdings?|Group|Sponsored|ADR|\(Holdings\))$/i;

/** "Agilent Technologies, Inc." → "Agilent Technologies"; the data file cuts names at 31 characters. */
export function shortName(asset: SimAsset): string {
  let name = asset.name
    .trim()
    .replace(/^D\/B\/A\s+/i, '')
    .replace(/\s+-\s+.*$/, '');
  if (asset.name.length >= 31 && name.includes(' ')) name = name.slice(0, name.lastIndexOf(' '));
  for (let i = 0; i < 3; i++)
    name = name
      .replace(/[\s,&-]+$/, '')
      .replace(LEGAL_SUFFIX, '')
      .trim();
  return name.length >= 2 ? name : asset.symbol;
}

export function marketStory(kind: 'crash' | 'gap-up' | 'gap-down', rng: Rng): Story {
  const cause = pick(rng, [
    'a surprise jump in inflation',
    'fears of a banking crisis',
    'an unexpected central bank move',
    'escalating trade tensions',
    'a sharp drop in bond yields',
  ]);
  switch (kind) {
    case 'crash':
      return {
        headline: `Stocks Tumble as Selling Accelerates on ${cause.replace(/^an? /, '').replace(/^\w/, (c) => c.toUpperCase())}`,
        summary: `U.S. stocks sold off sharply across sectors as investors reacted to ${cause}.`,
        body: ['Selling was broad-based, with every major sector lower and volatility gauges jumping.'],
      };
    case 'gap-up':
      return {
        headline: 'Stock Futures Surge Overnight, Pointing to a Sharply Higher Open',
        summary: `U.S. stock futures rallied before the bell after ${cause} eased investors' worries.`,
        body: ['Futures on all major indexes traded well above the prior close in pre-market trading.'],
      };
    case 'gap-down':
      return {
        headline: 'Stock Futures Plunge Overnight, Pointing to a Sharply Lower Open',
        summary: `U.S. stock futures slid before the bell as investors reacted to ${cause}.`,
        body: ['Futures on all major indexes traded well below the prior close in pre-market trading.'],
      };
  }
}

export function haltStory(name: string, symbol: string): Story {
  return {
    headline: `Trading Halted in ${name} (${symbol}): News Pending`,
    summary: `Trading in ${name} (${symbol}) was halted pending the release of news.`,
    body: ['The exchange halted trading in the shares with a news-pending code.'],
  };
}
