export * from './capture';
export * from './history';
export * from './schemas';
export * from './vocabulary';
