export * from './constants';
export * from './flavour';
export * from './halt';
export * from './metaErrors';
export * from './pagination';
export * from './request';
export * from './rateLimit';
export * from './serialize';
