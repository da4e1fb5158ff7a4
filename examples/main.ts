// The example app `npm run synth` builds: the platform (namespaces, node pools, log server),
// the shop, billing and the events shipper, checked by a Guard at synth.
import { App } from 'cdk8s';
import { Guard } from '../lib';
import { BillingChart } from './billing';
import { ObservabilityChart } from './observability';
import { imagePolicy, PlatformChart } from './platform';
import { ShopChart } from './shop';

const app = new App();
Guard.attach(app);
imagePolicy(app);
const platform = new PlatformChart(app, 'platform');
new ShopChart(app, 'shop', platform);
new BillingChart(app, 'billing', platform);
new ObservabilityChart(app, 'observability', platform);
app.synth();
