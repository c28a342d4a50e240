/** Every route the simulator serves. */
import { accountRoutes } from './account';
import { assetRoutes } from './assets';
import { clockRoutes } from './clock';
import { marketDataRoutes } from './marketData';
import { newsRoutes } from './news';
import { orderRoutes } from './orders';
import { positionRoutes } from './positions';
import type { Route } from './router';
import { screenerRoutes } from './screener';

export const allRoutes: readonly Route[] = [
  ...accountRoutes,
  ...clockRoutes,
  ...assetRoutes,
  ...orderRoutes,
  ...positionRoutes,
  ...marketDataRoutes,
  ...newsRoutes,
  ...screenerRoutes,
];
