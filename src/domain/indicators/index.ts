export * from './computeIndicators';
export * from './technicalScore';
export * from './vwap';
