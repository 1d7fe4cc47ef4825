import { controlOperation } from './controlOperation';

/** `POST /{self}/release_thread_control`: this app gives up the conversation it holds. */
export const { description, execute, setups } = controlOperation('release', 'releaseControl');
