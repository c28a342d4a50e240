/** GET /v1beta1/news: no headlines are simulated yet, so every query answers an empty page. */
import type { Route } from './router';
import { route } from './router';

export const newsRoutes: Route[] = [
  route('GET', '/v1beta1/news', () => ({ status: 200, body: { news: [], next_page_token: null } })),
];
