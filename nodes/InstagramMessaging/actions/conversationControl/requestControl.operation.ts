import { controlOperation } from './controlOperation';

/** `POST /{self}/request_thread_control`: asks the app holding the conversation to hand it over; the owner decides. */
export const { description, execute, setups } = controlOperation('request', 'requestControl');
