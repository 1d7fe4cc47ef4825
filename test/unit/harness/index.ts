export * from './callWebhook';
export * from './fixtures';
export * from './credentialsHelper';
export * from './nodeTypes';
export * from './runWorkflow';
export * from './freshProcess';
export * from './processedDataRows';
export * from './requestHelpers';
