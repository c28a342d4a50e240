// The two baseline scorers bench/sentiment.ts compares with ship no typings; only what it calls.
declare module 'sentiment' {
  export default class Sentiment {
    analyze(text: string): { score: number };
  }
}

declare module 'vader-sentiment' {
  const vader: {
    SentimentIntensityAnalyzer: {
      polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
    };
  };
  export default vader;
}
