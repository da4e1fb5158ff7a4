// The example app `npm run synth` builds: the shop, checked by a Guard at synth.
import { App } from 'cdk8s';
import { Guard } from '../lib';
import { ShopChart } from './shop';

const app = new App();
Guard.attach(app, { trustedRegistries: ['registry.example.com/shop'] });
new ShopChart(app, 'shop');
app.synth();
