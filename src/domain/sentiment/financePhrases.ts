/**
 * What finance headlines say in several words: "cuts guidance", "complete response letter",
 * "to be acquired". Each phrase has a valence on the AFINN scale (-5..5) and the kind of catalyst
 * it announces. Phrases are matched before single words, because the words of a phrase mislead
 * on their own ("cuts costs" is good news, "public offering" is not).
 *
 * Pattern syntax: slots separated by spaces; a slot lists alternative words with "|" and matches
 * a token by Porter stem, so "raise" also matches "raises" and "raised"; "~" lets up to three
 * tokens of the same clause pass ("raises FY2026 sales guidance").
 */
export type Catalyst =
  | 'earnings'
  | 'guidance'
  | 'analyst'
  | 'fda'
  | 'clinical'
  | 'm&a'
  | 'activist'
  | 'legal'
  | 'recall'
  | 'offering'
  | 'contract'
  | 'buyback'
  | 'dividend'
  | 'management'
  | 'insider'
  | 'restructuring'
  | 'credit'
  | 'bankruptcy'
  | 'listing'
  | 'index'
  | 'split'
  | 'halt'
  | 'macro';

export interface FinancePhrase {
  pattern: string;
  valence: number;
  catalyst: Catalyst | null;
}

const ESTIMATES = 'estimate|est|expectation|forecast|consensus|view|street|projection';
const OUTLOOK = 'guidance|outlook|forecast|view|projection';
const EXECUTIVE = 'ceo|cfo|coo|chief|chairman|chairwoman|founder|president';
const CONTRACT = 'contract|order|award|deal|project';
const INDEX = 's&p|index|russell|nasdaq-100|dow';

const phrase = (pattern: string, valence: number, catalyst: Catalyst | null = null): FinancePhrase => ({
  pattern,
  valence,
  catalyst,
});

export const FINANCE_PHRASES: readonly FinancePhrase[] = [
  // Results against expectations: the surprise moves the stock, not the level.
  phrase(`beat|top|exceed|surpass|crush|trounce ~ ${ESTIMATES}`, 3, 'earnings'),
  phrase(`miss ~ ${ESTIMATES}|guidance|target`, -3, 'earnings'),
  phrase('fall|fell|come|came short', -3, 'earnings'),
  phrase(`above ~ ${ESTIMATES}`, 2, 'earnings'),
  phrase(`below ~ ${ESTIMATES}`, -2, 'earnings'),
  phrase(`in line ~ ${ESTIMATES}|guidance|outlook`, 0, 'earnings'),
  phrase(`in-line ~ ${ESTIMATES}|guidance|outlook`, 0, 'earnings'),
  phrase(`consistent with ~ ${OUTLOOK}|expectation`, 0, 'earnings'),
  phrase('beat-and-raise', 3, 'earnings'),
  phrase('better|stronger than expected|feared|anticipated', 3, 'earnings'),
  phrase('worse|weaker than expected|feared|anticipated', -3, 'earnings'),
  phrase('less|smaller than feared', 2, 'earnings'),
  // "As bad as feared" compares with a fear; "feared" itself is not the news.
  phrase('as|than feared', 0),
  phrase(
    'record ~ revenue|sales|profit|earnings|quarter|results|backlog|orders|production|output|deliveries',
    3,
    'earnings',
  ),
  phrase('record|all-time|52-week high', 2),
  phrase('52-week low', -2),
  phrase('swing|swung|return|returned ~ profit|profitability|black', 3, 'earnings'),
  phrase('swing|swung ~ loss|red', -3, 'earnings'),
  phrase('surprise profit', 3, 'earnings'),
  phrase('surprise loss', -3, 'earnings'),
  phrase('narrow|narrower|narrower-than-expected|smaller|smaller-than-expected ~ loss', 2, 'earnings'),
  phrase('loss ~ narrow', 2, 'earnings'),
  phrase('wide|wider|wider-than-expected|widen|bigger|bigger-than-expected ~ loss', -3, 'earnings'),
  phrase('loss ~ widen', -3, 'earnings'),
  phrase('profit warning', -3, 'earnings'),
  phrase('margin ~ squeeze|pressure', -2, 'earnings'),
  phrase('cost|costs|expenses ~ soar|rise|surge|jump|climb|mount', -2, 'earnings'),
  phrase('worst ~ behind|over', 2),

  // Guidance: the company's own word on the next quarters.
  phrase(`raise|lift|boost|hike|increase ~ ${OUTLOOK}`, 3, 'guidance'),
  phrase(`${OUTLOOK} ~ raise|lift|boost|hike`, 3, 'guidance'),
  phrase(`cut|lower|reduce|slash|trim ~ ${OUTLOOK}`, -3, 'guidance'),
  phrase(`${OUTLOOK} ~ cut|lower|slash`, -3, 'guidance'),
  phrase(`withdraw|suspend|pull|scrap ~ ${OUTLOOK}`, -3, 'guidance'),
  // Confirming the plan tells little: a shade better than silence.
  phrase(`reaffirm|reiterate|maintain|confirm ~ ${OUTLOOK}`, 0.5, 'guidance'),

  // Analysts.
  phrase('upgrade', 3, 'analyst'),
  phrase('downgrade', -3, 'analyst'),
  phrase('raise|lift|boost|hike ~ target', 2, 'analyst'),
  phrase('target ~ raise|hike|lift|boost', 2, 'analyst'),
  phrase('cut|lower|slash|trim ~ target', -2, 'analyst'),
  phrase('target ~ cut|lower|slash|trim', -2, 'analyst'),
  phrase('initiate|start|resume ~ buy|outperform|overweight|accumulate', 2, 'analyst'),
  phrase('initiate|start|resume ~ sell|underperform|underweight', -2, 'analyst'),
  phrase('initiate|start|resume|maintain|reiterate ~ neutral|hold|equal-weight|market-perform', 0, 'analyst'),

  // Drug regulators and trials: binary events for a drug maker.
  phrase('fda|ema|eu|european ~ approve|approval|clearance|clear|nod|authorization', 4, 'fda'),
  phrase('complete response letter', -4, 'fda'),
  phrase('fda ~ reject|decline|refuse', -4, 'fda'),
  phrase('refuse to file', -4, 'fda'),
  phrase('lift ~ clinical hold', 3, 'fda'),
  phrase('clinical hold', -4, 'fda'),
  phrase('breakthrough therapy|device', 3, 'fda'),
  phrase('fast track|priority review', 2, 'fda'),
  phrase('panel|committee|advisers ~ against', -4, 'fda'),
  phrase('panel|committee|advisers ~ favor|favour|support', 3, 'fda'),
  phrase('fda ~ accept|pdufa', 0, 'fda'),
  phrase('meet|met|achieve|hit ~ endpoint|goal', 4, 'clinical'),
  phrase('miss|fail ~ endpoint|goal', -4, 'clinical'),
  phrase('trial|study ~ fail', -4, 'clinical'),
  phrase('fail ~ trial|study', -4, 'clinical'),
  phrase('positive ~ data|results|topline|readout', 3, 'clinical'),
  phrase('shrink ~ tumor', 3, 'clinical'),
  phrase('patient death', -3, 'clinical'),
  phrase('dose|enroll|enrol ~ first', 0, 'clinical'),

  // Mergers: a target is bought at a premium; a broken deal gives it back.
  phrase('be acquired|bought|purchased', 4, 'm&a'),
  phrase('be taken private', 4, 'm&a'),
  phrase('take|taken|go|going private', 3, 'm&a'),
  phrase('buyout|takeover|acquisition ~ offer|bid|proposal|interest|approach|speculation', 3, 'm&a'),
  phrase('strategic alternatives|review|options', 2, 'm&a'),
  phrase('talks|negotiations|discussions ~ end|terminate|collapse|break|stall|fail', -3, 'm&a'),
  phrase('deal|merger|takeover|acquisition ~ terminate|collapse|scrap|cancel', -3, 'm&a'),
  phrase('terminate|scrap|cancel|abandon ~ deal|merger|takeover|acquisition', -3, 'm&a'),
  phrase('walk|walks away', -3, 'm&a'),
  phrase('without ~ deal|agreement', -2, 'm&a'),
  phrase('complete ~ acquisition|purchase|merger|sale|spin-off|integration', 0, 'm&a'),
  phrase('previously announced', 0),
  phrase('regulator|regulatory|antitrust ~ approve|approval|clear|clearance', 3, 'm&a'),
  phrase('at ~ premium', 2),
  phrase('activist ~ stake', 2, 'activist'),
  phrase('passive ~ stake', 0, 'activist'),

  // Courts, regulators, enforcement.
  phrase('dismiss ~ lawsuit|suit|case|claim|charges|complaint|action', 3, 'legal'),
  phrase('lawsuit|suit|case|charges ~ dismiss', 3, 'legal'),
  phrase('resolve|settle|close|end ~ investigation|probe|inquiry|lawsuit|case|dispute|charges', 2, 'legal'),
  phrase('win|won ~ patent|appeal|case|ruling|lawsuit|verdict', 3, 'legal'),
  phrase('lose|lost ~ patent|appeal|case|ruling|lawsuit|verdict', -3, 'legal'),
  phrase('rule|rules|ruled against', -3, 'legal'),
  phrase('rule|rules|ruled in favor', 3, 'legal'),
  phrase('lawsuit|suit|sue|sued', -2, 'legal'),
  phrase('class action', -2, 'legal'),
  phrase('probe|investigation|subpoena|inquiry', -2, 'legal'),
  phrase('face|faces ~ probe|investigation|lawsuit|charges|inquiry|subpoena|scrutiny', -3, 'legal'),
  phrase('accounting ~ irregularities|questions|review|probe', -3, 'legal'),
  phrase('auditor ~ resign|quit', -4, 'legal'),
  phrase('antitrust ~ fine|suit|probe|charges', -3, 'legal'),
  phrase('short seller|sellers|short-seller ~ report|alleges|accuses', -3, 'legal'),
  phrase('data breach', -3),

  phrase('recall', -3, 'recall'),

  // Issuing stock dilutes holders; debt issuance does not.
  phrase('public|secondary|stock|share|direct|follow-on|at-the-market|equity ~ offering', -3, 'offering'),
  phrase('notes|debt|bond|senior ~ offering|notes', 0, 'offering'),
  phrase('convertible ~ offering|notes', -1, 'offering'),
  phrase('at ~ discount', -2, 'offering'),
  phrase('below market', -2, 'offering'),
  phrase('private placement', -1, 'offering'),
  phrase('shelf', -1, 'offering'),
  phrase('strategic investment', 3, 'offering'),

  // Customers.
  phrase(`win|won|award|secure|land|get|receive ~ ${CONTRACT}`, 3, 'contract'),
  phrase(`lose|lost ~ ${CONTRACT}|customer|subscribers`, -3, 'contract'),
  phrase('renew|extend ~ contract|agreement', 2, 'contract'),
  phrase('not renew|renewed', -3, 'contract'),
  phrase('contract|agreement ~ renew|extend', 2, 'contract'),
  phrase('supply|licensing ~ agreement|deal', 2, 'contract'),
  phrase('collaboration', 2, 'contract'),
  phrase('partnership', 1, 'contract'),
  phrase('preferred carrier|supplier|vendor|partner', 2, 'contract'),

  phrase('suspend|halt|pause|end ~ buyback|repurchase', -2, 'buyback'),
  phrase('buyback|repurchase', 3, 'buyback'),
  phrase('buy back', 3, 'buyback'),

  // A dividend at the usual rate is expected; a change to it is the news.
  phrase('cut|slash|suspend|omit|eliminate|reduce ~ dividend', -4, 'dividend'),
  phrase('dividend ~ cut|slash|suspend|suspension', -4, 'dividend'),
  phrase('raise|increase|hike|boost ~ dividend', 3, 'dividend'),
  phrase('initiate|first-ever ~ dividend', 2, 'dividend'),
  phrase('special dividend', 2, 'dividend'),
  phrase('record date', 0, 'dividend'),
  phrase('dividend', 0, 'dividend'),

  // Management: an unplanned exit is a warning; a planned one is housekeeping.
  phrase(`${EXECUTIVE} ~ step down`, -3, 'management'),
  phrase(`${EXECUTIVE} ~ resign|depart|exit|oust|quit|fire`, -3, 'management'),
  phrase('step|steps down', -2, 'management'),
  phrase(`${EXECUTIVE} ~ retire`, 0, 'management'),
  phrase(`appoint|name|hire|elect ~ ${EXECUTIVE}|director|directors|chair|head|counsel`, 0, 'management'),
  phrase(`${EXECUTIVE}|insider|director ~ sell|sold`, -2, 'insider'),
  phrase(`${EXECUTIVE}|insider|director ~ buy|bought`, 2, 'insider'),

  phrase('cut|reduce|lower ~ cost|costs|expenses|spending', 2, 'restructuring'),
  phrase('cost-cutting|cost savings', 2, 'restructuring'),
  phrase('cut|eliminate ~ job|jobs|workforce|staff', -1, 'restructuring'),
  phrase('workforce reduction', -1, 'restructuring'),
  phrase('layoff|layoffs', -1, 'restructuring'),
  phrase('wind down', -4, 'restructuring'),

  phrase('reduce|cut|slash|repay ~ debt', 2, 'credit'),
  phrase('pay down ~ debt', 2, 'credit'),
  phrase('cut|lower ~ rating', -3, 'credit'),
  phrase('investment grade', 2, 'credit'),
  phrase('affirm ~ rating|ratings', 0, 'credit'),
  phrase('outlook stable', 0, 'credit'),
  phrase('stable outlook', 0, 'credit'),
  phrase('remove|removing ~ doubt|overhang|uncertainty', 2),
  phrase('credit facility', 0, 'credit'),
  phrase('extend ~ runway', 2),

  phrase('chapter 11|7', -5, 'bankruptcy'),
  phrase('bankruptcy|insolvency', -5, 'bankruptcy'),
  phrase('going concern', -4, 'bankruptcy'),
  phrase('going-concern', -4, 'bankruptcy'),
  phrase('miss ~ payment', -4, 'bankruptcy'),
  phrase('default', -3, 'bankruptcy'),
  phrase('forbearance', -3, 'bankruptcy'),
  phrase('cash ~ run low|out', -3, 'bankruptcy'),
  phrase('lack|lacks ~ funds|cash|capital|financing', -3, 'bankruptcy'),

  phrase('delist|delisting', -4, 'listing'),
  phrase('non-compliance|noncompliance|deficiency', -3, 'listing'),
  phrase('regain ~ compliance', 3, 'listing'),
  phrase('reverse ~ split', -2, 'listing'),
  phrase('move|transfer ~ listing', 0, 'listing'),
  phrase(`join|add ~ ${INDEX}`, 3, 'index'),
  phrase(`remove|drop|delete ~ ${INDEX}`, -3, 'index'),
  phrase('generic competition', -2, 'legal'),
  phrase('stock split', 2, 'split'),
  phrase('split ~ stock', 2, 'split'),

  phrase('short squeeze', 3),
  phrase('short ~ squeeze|cover', 3),
  phrase('trading halt', 0, 'halt'),
  phrase('halt ~ pending', 0, 'halt'),

  phrase('rate cut', 2, 'macro'),
  phrase('rate hike|increase', -2, 'macro'),
  phrase('tariff|tariffs', -2, 'macro'),
  phrase('futures|fed|fomc|cpi', 0, 'macro'),
  phrase('jobs report', 0, 'macro'),

  // Press-release courtesy and answers to rumours say nothing about the business.
  phrase('pleased|excited|proud|delighted|happy to', 0),
  phrase('celebrate ~ anniversary', 0),
  phrase('comment ~ rumors|speculation', 0),
  phrase('little changed', 0),
];
