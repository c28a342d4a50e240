export * from './bracketPrices';
export * from './correlation';
export * from './sizePosition';
export * from './validateRisk';
