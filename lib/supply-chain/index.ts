// The parser (image-reference.ts) stays internal: its error class extends Error, which jsii
// cannot expose to other languages.
export * from './image-lock';
export * from './image-policy';
export * from './image-admission-policy';
export * from './image-signature-policy';
