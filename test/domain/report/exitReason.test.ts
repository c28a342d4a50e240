/** exitReasonOf: bracket legs speak for themselves; market exits by the monitor's events, the halt, or the close-out. */
import { describe, expect, it } from 'vitest';
import { exitReasonOf, type ExitEvidence } from '../../../src/domain/report/exitReason';

const CLOSE_OUT = Date.parse('2026-11-24T20:50:00Z');
const evidence = (p: Partial<ExitEvidence>): ExitEvidence => ({
  legRole: 'exit',
  monitorEventType: null,
  sentMs: Date.parse('2026-11-24T20:51:00Z'),
  emergencyStopped: false,
  closeOutStartMs: CLOSE_OUT,
  ...p,
});

describe('exitReasonOf', () => {
  it('bracket legs: take-profit is the target, the stop-loss the stop', () => {
    expect(exitReasonOf(evidence({ legRole: 'take_profit', emergencyStopped: true }))).toBe('target');
    expect(exitReasonOf(evidence({ legRole: 'stop_loss' }))).toBe('stop');
  });

  it("the monitor's exits by its event: max hold, backstop stop, halted", () => {
    expect(exitReasonOf(evidence({ monitorEventType: 'max_hold_exit' }))).toBe('max hold');
    expect(exitReasonOf(evidence({ monitorEventType: 'backstop_stop' }))).toBe('stop');
    expect(exitReasonOf(evidence({ monitorEventType: 'halted' }))).toBe('emergency');
  });

  it('other market exits: the close-out flatten, or the emergency stop before it', () => {
    expect(exitReasonOf(evidence({}))).toBe('flatten');
    expect(exitReasonOf(evidence({ sentMs: CLOSE_OUT - 60_000 }))).toBe('flatten');
    expect(exitReasonOf(evidence({ emergencyStopped: true, sentMs: CLOSE_OUT - 60_000 }))).toBe('emergency');
    expect(exitReasonOf(evidence({ emergencyStopped: true, sentMs: CLOSE_OUT }))).toBe('flatten');
    expect(exitReasonOf(evidence({ emergencyStopped: true, closeOutStartMs: Number.NaN }))).toBe('emergency');
  });
});
