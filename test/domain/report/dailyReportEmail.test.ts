import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/domain/report/buildReport';
import { dailyReportEmail } from '../../../src/domain/report/dailyReportEmail';
import { usd } from '../../../src/domain/report/html/html';
import { DATE } from './reportKit';
import { emptyData, fixtureData } from './reportFixture';

const range = { from: DATE, to: DATE, venue: 'simulator' as const };

describe('dailyReportEmail', () => {
  it("carries the report's key figures in the body and names the attachment", () => {
    const report = buildReport(fixtureData(), range);
    const f = report.figures;
    const { subject, body } = dailyReportEmail(report, `report-${DATE}-simulator.html`);
    expect(f.trades).toBeGreaterThan(0);
    expect(subject).toBe(
      `Daily report ${DATE} (simulator): ${f.trades} trades, P&L ${usd(f.totalPnl, { signed: true })}` +
        (report.days.some((d) => d.halted) ? ', HALTED' : ''),
    );
    expect(body).toContain(`Trades:            ${f.trades}`);
    expect(body).toContain(`Win rate:          `);
    expect(body).toContain(`(${f.wins} won, ${f.losses} lost)`);
    expect(body).toContain(`Largest loss:      ${usd(f.largestLoss, { signed: true })}`);
    expect(body).toContain(`Max drawdown:      ${usd(f.maxIntradayDrawdown)}`);
    expect(body).toContain(`Cycles:            ${report.cycles.length} `);
    expect(body).toContain(`report-${DATE}-simulator.html`);
  });

  it('says so plainly on an empty day', () => {
    const report = buildReport(emptyData(), range);
    const { subject, body } = dailyReportEmail(report, 'r.html');
    expect(subject).toBe(`Daily report ${DATE} (simulator): 0 trades, P&L $0.00`);
    expect(body).toContain('Exits:             none');
    expect(body).toContain('Profit factor:     —');
  });

  it('flags a halted day in the subject and gives the reason', () => {
    const data = fixtureData();
    data.days = data.days.map((d) => ({ ...d, halted: true, haltReason: 'news shock' }));
    const { subject, body } = dailyReportEmail(buildReport(data, range), 'r.html');
    expect(subject).toMatch(/, HALTED$/);
    expect(body).toContain('HALTED:            news shock');
  });
});
