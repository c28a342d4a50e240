export * from './computeIndicators';
export * from './technicalScore';
export * from './vwap';
export * from './fromKernels';
export * from './sessionFigures';
export * from './aggregateBars';
