export { recordPersonHeld } from './disclosureLedger';
export { disclosureProperties, privateReplyDisclosureProperties, sendPolicyProperties } from './properties';
export { sendToInstagram, type SendOptions } from './sendToInstagram';
