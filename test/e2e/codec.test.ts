/**
 * CATALYST_CODEC_KEYS on the real dev server: a trading day on a holiday (it ends as "market
 * closed" at once) runs on a worker built by catalystWorkerOptions and is started by a client of
 * connectClient, both reading the variable. The history Temporal stores, read by a client
 * without the codec, holds none of the day's input or result in plaintext; with the codec, the
 * input reads back.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codecFromEnv } from '../../src/codec/payloadCodec';
import { tradingDayWorkflowId } from '../../src/shared';
import { connectClient } from '../../src/stack/temporalConnection';
import type { TradingDayInput } from '../../src/workflows/messages';
import { TradingDayWorkflow } from '../../src/workflows/tradingDay';
import { startHarness, type Harness } from '../support/catalystHarness';

const HOLIDAY = '2026-11-26'; // Thanksgiving
const ACCOUNT = 'PA9CODECE2E4217';

describe('encrypted payloads', () => {
  const saved = process.env.CATALYST_CODEC_KEYS;
  let h: Harness;
  let client: Client;

  beforeAll(async () => {
    // Read by catalystWorkerOptions (the harness's worker) and connectClient alike.
    process.env.CATALYST_CODEC_KEYS = `e2e-new:${randomBytes(32).toString('base64')},e2e-old:${randomBytes(32).toString('base64')}`;
    h = await startHarness({ seed: 17, speed: 1000, runTag: 'codec' });
    client = await connectClient({ address: inject('temporalAddress'), namespace: 'default' });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.CATALYST_CODEC_KEYS;
    else process.env.CATALYST_CODEC_KEYS = saved;
    await client?.connection.close();
    await h?.close();
  });

  it('keeps the input and result out of the stored history', async () => {
    const workflowId = `${tradingDayWorkflowId(HOLIDAY, { venue: 'simulator' })}-codec-${Date.now().toString(36)}`;
    const input: TradingDayInput = {
      tradingDate: HOLIDAY,
      speed: 1000,
      mode: 'autonomous',
      venue: 'simulator',
      account: ACCOUNT,
    };
    const handle = await client.workflow.start(TradingDayWorkflow, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input],
    });
    // The worker decoded the input and encoded the result; this client decodes it.
    expect(await handle.result()).toMatchObject({ status: 'market_closed', cycles: 0, ordersSubmitted: 0 });

    // h.client has no codec: it sees what Temporal stores.
    const events: proto.temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await h.client.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId },
        nextPageToken,
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    const raw = Buffer.from(proto.temporal.api.history.v1.History.encode({ events }).finish());

    expect(events.length).toBeGreaterThan(5);
    expect(raw.includes(workflowId)).toBe(true); // ids are not payloads: the search does see plaintext
    expect(raw.includes(ACCOUNT)).toBe(false);
    expect(raw.includes('market_closed')).toBe(false);
    expect(raw.includes('binary/encrypted')).toBe(true);
    // Search attributes (indexed by the server) and the SDK's patch markers stay plaintext by
    // design; every other payload of every event is encrypted.
    const { EventType } = proto.temporal.api.enums.v1;
    const payloadEvents = events.filter(
      (e) =>
        e.eventType !== EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES &&
        e.markerRecordedEventAttributes?.markerName !== 'core_patch',
    );
    expect(payloadEvents.length).toBeGreaterThan(5);
    for (const e of payloadEvents) {
      const copy = proto.temporal.api.history.v1.HistoryEvent.decode(
        proto.temporal.api.history.v1.HistoryEvent.encode(e).finish(),
      );
      if (copy.workflowExecutionStartedEventAttributes)
        copy.workflowExecutionStartedEventAttributes.searchAttributes = null;
      const bytes = Buffer.from(proto.temporal.api.history.v1.HistoryEvent.encode(copy).finish());
      expect(bytes.includes('json/plain'), `event ${String(e.eventId)} (${EventType[e.eventType!]})`).toBe(
        false,
      );
    }

    const started = events[0]!.workflowExecutionStartedEventAttributes!;
    const stored = started.input!.payloads! as Payload[];
    expect(new TextDecoder().decode(stored[0]!.metadata![METADATA_ENCODING_KEY]!)).toBe('binary/encrypted');
    expect(new TextDecoder().decode(stored[0]!.metadata!['encryption-key-id']!)).toBe('e2e-new');
    // Without the codec the result cannot be read at all.
    await expect(h.client.workflow.getHandle(workflowId).result()).rejects.toThrow(/binary\/encrypted/);

    const [decoded] = await codecFromEnv()!.decode(stored);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(input);
  });
});
