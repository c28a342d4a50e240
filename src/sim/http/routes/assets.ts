/** GET /v2/assets and GET /v2/assets/{symbol_or_asset_id}. */
import { badRequest, notFound } from '../../venue/errors';
import type { SimAsset } from '../../market/universe';
import type { Route } from './router';
import { route } from './router';

export function assetJson(a: SimAsset): Record<string, unknown> {
  return {
    id: a.id,
    class: 'us_equity',
    exchange: a.exchange,
    symbol: a.symbol,
    name: a.name,
    status: a.status,
    tradable: a.tradable,
    marginable: a.marginable,
    shortable: a.shortable,
    easy_to_borrow: a.easyToBorrow,
    fractionable: a.fractionable,
    maintenance_margin_requirement: a.marginable ? 30 : 100,
    margin_requirement_long: a.marginable ? '30' : '100',
    margin_requirement_short: a.shortable ? '100' : '100',
    attributes: [],
  };
}

export const assetRoutes: Route[] = [
  route('GET', '/v2/assets', (req, venue) => {
    const status = req.query.get('status');
    const assetClass = req.query.get('asset_class');
    const exchange = req.query.get('exchange');
    if (status && status !== 'active' && status !== 'inactive') throw badRequest(`invalid status: ${status}`);
    if (assetClass && assetClass !== 'us_equity') return { status: 200, body: [] };
    const body = venue.universe.assets
      .filter((a) => (!status || a.status === status) && (!exchange || a.exchange === exchange))
      .map(assetJson);
    return { status: 200, body };
  }),
  route('GET', '/v2/assets/:symbol', (req, venue) => {
    const key = req.params.symbol!;
    const asset = venue.universe.bySymbol.get(key.toUpperCase()) ?? venue.universe.byId.get(key);
    if (!asset) throw notFound(`asset not found for ${key}`);
    return { status: 200, body: assetJson(asset) };
  }),
];
