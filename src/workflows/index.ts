export { TradingDayWorkflow } from './tradingDay';
export { PositionMonitorWorkflow } from './positionMonitor';
export { ScheduledTradingDayWorkflow } from './scheduledTradingDay';
export { BacktestWorkflow } from './backtest';
export { ScanWorkflow } from './scan';
