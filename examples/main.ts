// The example app `npm run synth` builds: the shop and billing, checked by a Guard at synth.
import { App } from 'cdk8s';
import { Guard } from '../lib';
import { BillingChart } from './billing';
import { ShopChart } from './shop';

const app = new App();
Guard.attach(app, { trustedRegistries: ['registry.example.com/shop', 'registry.example.com/billing'] });
new ShopChart(app, 'shop');
new BillingChart(app, 'billing');
app.synth();
