/**
 * The simulator's real HTTP responses validated against Alpaca's OpenAPI specs
 * (alpaca-spec/trading.yaml and data.yaml, the 2022 revision). Where the 2022 spec
 * is stale or wrong against CONTRACT.md (and today's API), the test patches that one schema and
 * says why, instead of loosening validation everywhere.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

const SPECS = resolve(dirname(fileURLToPath(import.meta.url)), 'alpaca-spec');
const DATE = '2026-03-10';

type Spec = { components: { schemas: Record<string, Json> } };
const load = (name: string): Spec => parse(readFileSync(resolve(SPECS, name), 'utf8')) as Spec;

function patchedSpecs(): { trading: Spec; data: Spec } {
  const trading = load('trading.yaml');
  const data = load('data.yaml');
  const t = trading.components.schemas;
  const d = data.components.schemas;

  // Exception: `held` (bracket legs waiting for their entry) is a status CONTRACT.md lists and
  // Alpaca sends; the 2022 OrderStatus enum predates it.
  t.OrderStatus.enum.push('held');
  // Exception: Alpaca sends null trail_percent, trail_price and hwm on orders that are not
  // trailing stops (alpaca-py types them Optional); the 2022 spec says string only.
  for (const f of ['trail_percent', 'trail_price', 'hwm']) t.Order.properties[f].nullable = true;
  // Exception: each entry's `status` is the HTTP status of that close (an integer, e.g. 200),
  // as Alpaca sends it and alpaca-py models it; the 2022 spec types it as a string.
  t.PositionClosedReponse.properties.status = { type: 'integer' };
  // Exception: the last page's next_page_token is null (today's spec and the JS client's
  // NewsResp say `string | null`); the 2022 spec says string only.
  d.GetNewsResponse.properties.next_page_token = { type: 'string', nullable: true };
  d.GetNewsResponse.required = ['news', 'next_page_token'];

  // Not in the 2022 spec at all; shaped from CONTRACT.md and the client's MostActivesResp.
  d.MostActivesResponse = {
    type: 'object',
    required: ['most_actives', 'last_updated'],
    properties: {
      most_actives: {
        type: 'array',
        items: {
          type: 'object',
          required: ['symbol', 'volume', 'trade_count'],
          properties: {
            symbol: { type: 'string' },
            volume: { type: 'number' },
            trade_count: { type: 'integer' },
          },
        },
      },
      last_updated: { type: 'string', format: 'date-time' },
    },
  };
  // Errors are not described in either spec; CONTRACT.md: {"code": <8 digits>, "message": "..."}.
  t.Error = {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'integer', minimum: 10_000_000, maximum: 99_999_999 },
      message: { type: 'string', minLength: 1 },
    },
  };
  return { trading, data };
}

const { trading, data } = patchedSpecs();
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
for (const f of ['int64', 'int32', 'double', 'float']) ajv.addFormat(f, true);
ajv.addSchema(trading, 'trading');
ajv.addSchema(data, 'data');

const validators = new Map<string, ValidateFunction>();
function validatorFor(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    const [doc, rest] = ref.split(':') as [string, string];
    const array = rest.endsWith('[]');
    const name = array ? rest.slice(0, -2) : rest;
    const target = { $ref: `${doc}#/components/schemas/${name}` };
    v = ajv.compile(array ? { type: 'array', items: target } : target);
    validators.set(ref, v);
  }
  return v;
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');

const validated: string[] = [];

/** Fetches `path` over HTTP and validates the body against `ref` ("trading:Order", "data:Bar[]"). */
async function conforms(
  sim: RunningSimulator,
  label: string,
  method: string,
  path: string,
  status: number,
  ref: string,
  body?: unknown,
  auth?: { keyId?: string; secretKey?: string },
): Promise<Json> {
  const res = await api(sim, method, path, body, auth);
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(status);
  const validate = validatorFor(ref);
  const ok = validate(res.body);
  expect(ok, `${label} (${method} ${path}) does not match ${ref}:\n${describeErrors(validate.errors)}`).toBe(
    true,
  );
  validated.push(label);
  return res.body;
}

describe('contract: the simulator against Alpaca’s OpenAPI specs', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 2718, date: DATE });
    sim.advanceTo(at(DATE, '10:00') + 15_000);
  });
  afterAll(() => sim.close());

  it('Trading API: account, clock, calendar, assets', async () => {
    await conforms(sim, 'account', 'GET', '/v2/account', 200, 'trading:Account');
    await conforms(sim, 'clock', 'GET', '/v2/clock', 200, 'trading:Clock');
    await conforms(
      sim,
      'calendar',
      'GET',
      '/v2/calendar?start=2026-03-01&end=2026-03-31',
      200,
      'trading:Calendar[]',
    );
    // The client sends full timestamps for the calendar.
    await conforms(
      sim,
      'calendar (timestamps)',
      'GET',
      '/v2/calendar?start=2026-03-01T00:00:00.000Z&end=2026-03-31T00:00:00.000Z',
      200,
      'trading:Calendar[]',
    );
    const assets = await conforms(
      sim,
      'assets',
      'GET',
      '/v2/assets?status=active&asset_class=us_equity',
      200,
      'trading:Assets[]',
    );
    expect(assets.length).toBeGreaterThan(4000);
    await conforms(sim, 'asset by symbol', 'GET', '/v2/assets/AAPL', 200, 'trading:Assets');
    await conforms(sim, 'asset by id', 'GET', `/v2/assets/${assets[0].id}`, 200, 'trading:Assets');
  });

  it('Trading API: orders and positions through a bracket’s life', async () => {
    const last = (await api(sim, 'GET', '/v2/stocks/AAPL/snapshot')).body.latestTrade.p as number;
    const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
    const bracket = await conforms(
      sim,
      'submit order (bracket)',
      'POST',
      '/v2/orders',
      200,
      'trading:Order',
      {
        symbol: 'AAPL',
        qty: '10',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        order_class: 'bracket',
        take_profit: { limit_price: cents(last * 1.05) },
        stop_loss: { stop_price: cents(last * 0.95) },
        client_order_id: 'contract-bracket',
      },
    );
    expect(bracket.legs).toHaveLength(2);
    const resting = await conforms(sim, 'submit order (limit)', 'POST', '/v2/orders', 200, 'trading:Order', {
      symbol: 'MSFT',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'gtc',
    });
    await conforms(sim, 'submit order (simple market)', 'POST', '/v2/orders', 200, 'trading:Order', {
      symbol: 'XOM',
      qty: '5',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    sim.advanceTo(at(DATE, '10:03'));

    const filled = await conforms(
      sim,
      'order by id',
      'GET',
      `/v2/orders/${bracket.id}`,
      200,
      'trading:Order',
    );
    expect(filled.status).toBe('filled');
    await conforms(
      sim,
      'order by client order id',
      'GET',
      '/v2/orders:by_client_order_id?client_order_id=contract-bracket',
      200,
      'trading:Order',
    );
    await conforms(sim, 'orders list', 'GET', '/v2/orders?status=all&limit=500', 200, 'trading:Order[]');
    await conforms(
      sim,
      'orders list (nested)',
      'GET',
      '/v2/orders?status=open&nested=true',
      200,
      'trading:Order[]',
    );
    await conforms(sim, 'positions', 'GET', '/v2/positions', 200, 'trading:Position[]');
    await conforms(sim, 'position by symbol', 'GET', '/v2/positions/AAPL', 200, 'trading:Position');
    await conforms(sim, 'account with positions', 'GET', '/v2/account', 200, 'trading:Account');

    const canceled = await conforms(
      sim,
      'cancel all orders (207)',
      'DELETE',
      '/v2/orders',
      207,
      'trading:CanceledOrderResponse[]',
    );
    expect(canceled.map((c: Json) => c.id)).toContain(resting.id);
    const closed = await conforms(
      sim,
      'close all positions (207)',
      'DELETE',
      '/v2/positions?cancel_orders=true',
      207,
      'trading:PositionClosedReponse[]',
    );
    expect(closed.map((c: Json) => c.symbol).sort()).toEqual(['AAPL', 'XOM']);
    for (const c of closed) expect(validatorFor('trading:Order')(c.body)).toBe(true);
  });

  it('Market Data v2 and v1beta1: bars, snapshots, news, screener', async () => {
    sim.advanceTo(at(DATE, '11:30') + 20_000);
    const multi = await conforms(
      sim,
      'bars (1Min, multi-symbol)',
      'GET',
      `/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=${DATE}&limit=50`,
      200,
      'data:MultiBarsResponse',
    );
    expect(typeof multi.next_page_token).toBe('string');
    await conforms(
      sim,
      'bars (page 2)',
      'GET',
      `/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=${DATE}&limit=50&page_token=${multi.next_page_token}`,
      200,
      'data:MultiBarsResponse',
    );
    for (const tf of ['5Min', '15Min', '1Hour', '1Day'])
      await conforms(
        sim,
        `bars (${tf})`,
        'GET',
        `/v2/stocks/bars?symbols=AAPL,XOM&timeframe=${tf}&start=2026-02-01&adjustment=raw&feed=sip`,
        200,
        'data:MultiBarsResponse',
      );
    await conforms(
      sim,
      'bars (single symbol)',
      'GET',
      `/v2/stocks/AAPL/bars?timeframe=1Hour&start=${DATE}`,
      200,
      'data:BarsResponse',
    );
    await conforms(
      sim,
      'snapshots',
      'GET',
      '/v2/stocks/snapshots?symbols=AAPL,MSFT,TSLA&feed=iex',
      200,
      'data:MultiSnapshotResponse',
    );
    await conforms(sim, 'snapshot (single)', 'GET', '/v2/stocks/AAPL/snapshot', 200, 'data:Snapshot');
    const news = await conforms(
      sim,
      'news',
      'GET',
      `/v1beta1/news?start=${DATE}&limit=50&include_content=true`,
      200,
      'data:GetNewsResponse',
    );
    expect(news.news.length).toBeGreaterThan(10);
    // Exception: without include_content Alpaca sends content "" (minLength 1 in the 2022 spec).
    const withoutContent = (await api(sim, 'GET', '/v1beta1/news?limit=5')).body;
    const v = validatorFor('data:GetNewsResponse');
    const patched = {
      ...withoutContent,
      news: withoutContent.news.map((n: Json) => ({ ...n, content: n.content || '-' })),
    };
    expect(withoutContent.news.every((n: Json) => n.content === '')).toBe(true);
    expect(v(patched), describeErrors(v.errors)).toBe(true);
    const lastPage = await conforms(
      sim,
      'news (last page)',
      'GET',
      '/v1beta1/news?symbols=NOSUCHSTORY',
      200,
      'data:GetNewsResponse',
    );
    expect(lastPage).toEqual({ news: [], next_page_token: null });
    await conforms(
      sim,
      'most actives',
      'GET',
      '/v1beta1/screener/stocks/most-actives?by=volume&top=20',
      200,
      'data:MostActivesResponse',
    );
    await conforms(
      sim,
      'movers',
      'GET',
      '/v1beta1/screener/stocks/movers?top=20',
      200,
      'data:MarketMoversResponse',
    );
  });

  it('errors: 401, 403, 404, 422 with {code, message}', async () => {
    await conforms(sim, 'error 401 (bad key)', 'GET', '/v2/account', 401, 'trading:Error', undefined, {
      secretKey: 'nope',
    });
    await conforms(sim, 'error 404 (asset)', 'GET', '/v2/assets/NOPE123', 404, 'trading:Error');
    await conforms(
      sim,
      'error 404 (order)',
      'GET',
      '/v2/orders/00000000-0000-4000-a000-000000000000',
      404,
      'trading:Error',
    );
    await conforms(sim, 'error 404 (position)', 'GET', '/v2/positions/ZZZZ', 404, 'trading:Error');
    await conforms(sim, 'error 422 (order)', 'POST', '/v2/orders', 422, 'trading:Error', {
      symbol: 'AAPL',
      qty: '1',
      side: 'sideways',
      type: 'market',
      time_in_force: 'day',
    });
    await conforms(sim, 'error 403 (buying power)', 'POST', '/v2/orders', 403, 'trading:Error', {
      symbol: 'AAPL',
      qty: '100000',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    await conforms(
      sim,
      'error 422 (timeframe)',
      'GET',
      '/v2/stocks/bars?symbols=AAPL&timeframe=1Fortnight',
      422,
      'trading:Error',
    );
    await conforms(
      sim,
      'error 400 (missing symbols)',
      'GET',
      '/v2/stocks/bars?timeframe=1Min',
      400,
      'trading:Error',
    );
    await conforms(sim, 'error 422 (news limit)', 'GET', '/v1beta1/news?limit=500', 422, 'trading:Error');
  });

  it('has validators that do reject wrong shapes', () => {
    expect(
      validatorFor('trading:Order')({
        symbol: 'AAPL',
        qty: 1,
        notional: null,
        type: 'market',
        side: 'buy',
        time_in_force: 'day',
      }),
    ).toBe(false);
    expect(
      validatorFor('trading:Order')({
        symbol: 'AAPL',
        qty: '1',
        notional: null,
        type: 'market',
        side: 'buy',
        time_in_force: 'day',
        status: 'bogus',
      }),
    ).toBe(false);
    expect(validatorFor('data:Bar')({ o: 1, h: 1, l: 1, c: 1, v: 1 })).toBe(false);
    expect(validatorFor('trading:Clock')({ timestamp: 'noon', is_open: true })).toBe(false);
    expect(validatorFor('data:GetNewsResponse')({ news: [{ id: 'x' }], next_page_token: null })).toBe(false);
    expect(validatorFor('trading:Error')({ code: 404, message: 'nope' })).toBe(false);
  });

  it('covered at least 15 distinct endpoints', () => {
    expect(new Set(validated).size).toBeGreaterThanOrEqual(30);
  });
});
