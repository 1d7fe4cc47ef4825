export { recordPersonHeld } from './disclosureLedger';
export { disclosureProperties, sendPolicyProperties } from './properties';
export { sendToInstagram, type SendOptions } from './sendToInstagram';
