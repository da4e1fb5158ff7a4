export * from './secure-namespace';
