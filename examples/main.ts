// The example app `npm run synth` builds: the platform (namespaces, node pools), the shop and
// billing, checked by a Guard at synth.
import { App } from 'cdk8s';
import { Guard } from '../lib';
import { BillingChart } from './billing';
import { PlatformChart } from './platform';
import { ShopChart } from './shop';

const app = new App();
Guard.attach(app, { trustedRegistries: ['registry.example.com/shop', 'registry.example.com/billing'] });
const platform = new PlatformChart(app, 'platform');
new ShopChart(app, 'shop', platform);
new BillingChart(app, 'billing', platform);
app.synth();
