// The image reference parser (vocab/image-reference.ts) stays internal: its error class extends Error, which jsii
// cannot expose to other languages.
export * from '../vocab/image-lock';
export * from './image-policy';
export * from './image-admission-policy';
export * from './image-signature-policy';
