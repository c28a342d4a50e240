export * from './compositeScore';
export * from './factors';
export * from './stageRanking';
export * from './rankByComposite';
