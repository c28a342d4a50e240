export * from './metrics';
export * from './rankUniverse';
export * from './volumeCurve';
export * from './mergeChunks';
