export { disclosureStore, threadKey } from './disclosure';
export { disclosureProperties, sendPolicyProperties } from './properties';
export { sendToInstagram, type SendOptions } from './sendToInstagram';
